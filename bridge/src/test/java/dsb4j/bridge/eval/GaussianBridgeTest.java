package dsb4j.bridge.eval;

import static dsb4j.bridge.eval.MatricesTest.assertClose;
import static dsb4j.bridge.eval.MatricesTest.randomSpd;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class GaussianBridgeTest {
    private static final double GOLDEN = (Math.sqrt(5) - 1) / 2;

    @Test void unitVariancesAtSigmaSquaredOneGiveTheGoldenRatio() {
        assertEquals(GOLDEN, GaussianBridge.crossCovariance(1, 1, 1), 1e-15);
        assertEquals(0.618, GaussianBridge.crossCovariance(1, 1, 1), 5e-4);
        assertClose(Matrices.scaledIdentity(5, GOLDEN), GaussianBridge.crossCovariance(Matrices.identity(5), Matrices.identity(5), 1), 1e-12, "C");
    }

    @Test void isotropicAndMatrixFormsAgree() {
        for (double s2 : new double[]{0, 0.01, 0.7, 3, 100}) {
            double c = GaussianBridge.crossCovariance(2.0, 0.5, s2);
            double[][] cm = GaussianBridge.crossCovariance(Matrices.scaledIdentity(3, 2.0), Matrices.scaledIdentity(3, 0.5), s2);
            assertClose(Matrices.scaledIdentity(3, c), cm, 1e-12, "σ² = " + s2);
            // the 1-D first-order condition c² + σ²c − ab = 0
            assertEquals(0, c * c + s2 * c - 1.0, 1e-12);
        }
    }

    @Test void precisionOffDiagonalBlockIsMinusIdentityOverSigmaSquared() {
        int d = 4;
        double[][] A = randomSpd(d, 0.3, 1), B = randomSpd(d, 0.3, 2);
        for (double s2 : new double[]{0.2, 1, 5}) {
            double[][] C = GaussianBridge.crossCovariance(A, B, s2);
            double[][] precision = Matrices.inverse(joint(A, B, C));       // Gauss–Jordan: independent of the eigen code
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) {
                double want = i == j ? -1 / s2 : 0;
                assertEquals(want, precision[i][d + j], 1e-8, "σ² = " + s2 + " block (0,1) at " + i + "," + j);
                assertEquals(want, precision[d + i][j], 1e-8, "σ² = " + s2 + " block (1,0) at " + i + "," + j);
            }
        }
    }

    @Test void smallSigmaGivesTheOtCouplingLargeSigmaIndependence() {
        assertEquals(Math.sqrt(2.0 * 0.5), GaussianBridge.crossCovariance(2.0, 0.5, 1e-9), 1e-8);   // s0·s1
        double big = 1e6;
        assertEquals(2.0 * 0.5, GaussianBridge.crossCovariance(2.0, 0.5, big) * big, 1e-5);       // s0² s1² / σ²
        assertEquals(0, GaussianBridge.crossCovariance(2.0, 0.5, Double.POSITIVE_INFINITY));
        // general A, B at σ = 0: Y = T X with T symmetric positive definite and T A T = B (Brenier map)
        double[][] A = randomSpd(3, 0.5, 3), B = randomSpd(3, 0.5, 4);
        double[][] T = Matrices.multiply(Matrices.inverse(A), GaussianBridge.crossCovariance(A, B, 0));
        assertClose(T, Matrices.transpose(T), 1e-9, "T symmetric");
        assertTrue(Matrices.eigenSymmetric(T).values()[0] > 0, "T positive");
        assertClose(B, Matrices.multiply(Matrices.multiply(T, A), T), 1e-9, "T A T = B");
        // large σ²: C ≈ A B / σ² → 0
        double[][] far = GaussianBridge.crossCovariance(A, B, 1e4);
        assertClose(Matrices.multiply(A, B), Matrices.combine(1e4, far, 0, far), 1e-2, "σ² C → A B");
    }

    @Test void conditionalLawMatchesTheJointPrecision() {
        int d = 3;
        double[][] A = randomSpd(d, 0.4, 5), B = randomSpd(d, 0.4, 6);
        double[][] C = GaussianBridge.crossCovariance(A, B, 0.8);
        double[][] p = Matrices.inverse(joint(A, B, C));
        double[][] p22 = new double[d][d], p21 = new double[d][d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) { p22[i][j] = p[d + i][d + j]; p21[i][j] = p[d + i][j]; }
        double[][] condCov = Matrices.inverse(p22);
        assertClose(condCov, GaussianBridge.conditionalCovariance(A, B, C), 1e-9, "Cov[X1 | X0]");
        double[] a = {1, -1, 0.5}, b = {0, 2, -3}, x = {0.3, 0.2, -0.7};
        double[] dx = {x[0] - a[0], x[1] - a[1], x[2] - a[2]};
        double[] shift = Matrices.apply(Matrices.multiply(condCov, p21), dx);       // E = b − P22⁻¹ P21 (x − a)
        double[] got = GaussianBridge.conditionalMean(a, A, b, C, x);
        for (int i = 0; i < d; i++) assertEquals(b[i] - shift[i], got[i], 1e-9);
    }

    @Test void conventionConversions() {
        // Brownian DSB reference, constant γ = 1/(2N): σ² = 2T = 1
        double[] g = constant(20, 1.0 / 40);
        assertEquals(1.0, GaussianBridge.sigma2Discrete(g, Double.POSITIVE_INFINITY), 1e-12);
        assertEquals(1.0, GaussianBridge.sigma2Brownian(0.5), 0);
        assertEquals(1.0, GaussianBridge.sigma2Ou(0.5, Double.POSITIVE_INFINITY), 0);
        // the discrete OU chain tends to the continuous 2v·sinh(T/v) as γ → 0
        assertEquals(GaussianBridge.sigma2Ou(1.5, 1), GaussianBridge.sigma2Discrete(constant(30_000, 1.5 / 30_000), 1), 1e-3);
        // docs/method.md §2.1 table: 2D (N = 20, γ = 0.01, v ≈ 49): a = 0.9959, ε = 0.400
        assertEquals(0.9959, GaussianBridge.contraction(constant(20, 0.01), 49, 0, 20), 1e-4);
        assertEquals(0.400, GaussianBridge.sigma2Discrete(constant(20, 0.01), 49), 1e-3);
        // MNIST (N = 30, ramp 1e−5 → 0.1, v = 1): T = 1.50015, a = 0.211, ε = 4.67, continuous 4.26
        double[] mnist = symmetricRamp(30, 1e-5, 0.1);
        assertEquals(1.50015, sum(mnist), 1e-9);
        assertEquals(0.211, GaussianBridge.contraction(mnist, 1, 0, 30), 1e-3);
        assertEquals(4.67, GaussianBridge.sigma2Discrete(mnist, 1), 0.01);
        assertEquals(4.26, GaussianBridge.sigma2Ou(1.50015, 1), 0.01);
        // CelebA (N = 50, v = 0.5): a = 0.0046, ε = 113, continuous 74.2
        double[] celeba = symmetricRamp(50, 1e-5, 0.1);
        assertEquals(0.0046, GaussianBridge.contraction(celeba, 0.5, 0, 50), 1e-4);
        assertEquals(113, GaussianBridge.sigma2Discrete(celeba, 0.5), 1);
        assertEquals(74.2, GaussianBridge.sigma2Ou(2.50025, 0.5), 0.1);
        assertThrows(IllegalArgumentException.class, () -> GaussianBridge.sigma2Discrete(constant(4, 2), 1));   // γ ≥ v
    }

    @Test void brownianMarginalsMatchTheContinuousFormula() {
        int n = 20;
        double[] g = constant(n, 1.0 / (2 * n));
        double[] v = GaussianBridge.marginalVariances(g, Double.POSITIVE_INFINITY, 1, 1, GOLDEN);
        for (int k = 0; k <= n; k++) {
            double t = (double) k / n;
            assertEquals((1 - t) * (1 - t) + t * t + Math.sqrt(5) * t * (1 - t), v[k], 1e-12, "k = " + k);
        }
        double[][] mu = GaussianBridge.marginalMeans(g, Double.POSITIVE_INFINITY, new double[]{0}, new double[]{-0.1}, new double[]{0.1});
        assertEquals(-0.1, mu[0][0], 1e-15);
        assertEquals(0.0, mu[n / 2][0], 1e-15);
        assertEquals(0.1, mu[n][0], 1e-15);
    }

    @Test void ouBridgeWeightsAreTheReferenceChainsConditionalLaw() {
        // Covariances of (X_0, ..., X_N) under the reference chain, propagated step by step (X_0 − m of variance 1),
        // then the regression of X_k on (X_0, X_N) by a 2 × 2 solve: it must give c0, cN and τ².
        double[] g = symmetricRamp(12, 0.02, 0.3);
        double v = 0.8;
        int n = g.length;
        GaussianBridge.BridgeWeights w = GaussianBridge.bridgeWeights(g, v);
        for (int k = 0; k <= n; k++) {
            double var0 = 1, cov0k = 1, varK = 1;
            for (int j = 0; j < k; j++) {
                double f = 1 - g[j] / v;
                cov0k *= f;
                varK = f * f * varK + 2 * g[j];
            }
            double covKN = varK, cov0N = cov0k, varN = varK;
            for (int j = k; j < n; j++) {
                double f = 1 - g[j] / v;
                covKN *= f;
                cov0N *= f;
                varN = f * f * varN + 2 * g[j];
            }
            double[][] s = {{var0, cov0N}, {cov0N, varN}};
            double[] coef = Matrices.apply(Matrices.inverse(s), new double[]{cov0k, covKN});
            double resid = varK - (coef[0] * cov0k + coef[1] * covKN);
            assertEquals(coef[0], w.c0()[k], 1e-12, "c0 at k = " + k);
            assertEquals(coef[1], w.cN()[k], 1e-12, "cN at k = " + k);
            assertEquals(resid, w.tau2()[k], 1e-12, "τ² at k = " + k);
        }
    }

    @Test void matrixMarginalsAgreeWithIsotropicOnes() {
        double[] g = symmetricRamp(10, 0.01, 0.1);
        double c = GaussianBridge.crossCovariance(2, 0.5, GaussianBridge.sigma2Discrete(g, 1));
        double[] iso = GaussianBridge.marginalVariances(g, 1, 2, 0.5, c);
        double[][][] full = GaussianBridge.marginalCovariances(g, 1, Matrices.scaledIdentity(2, 2), Matrices.scaledIdentity(2, 0.5), Matrices.scaledIdentity(2, c));
        for (int k = 0; k <= g.length; k++) assertClose(Matrices.scaledIdentity(2, iso[k]), full[k], 1e-12, "Σ_" + k);
        assertEquals(2, iso[0], 1e-12);
        assertEquals(0.5, iso[g.length], 1e-12);
    }

    static double[] constant(int n, double gamma) {
        double[] g = new double[n];
        java.util.Arrays.fill(g, gamma);
        return g;
    }

    /** The reference code's schedule: linspace(min, max, N/2) then its mirror. */
    static double[] symmetricRamp(int n, double min, double max) {
        int half = n / 2;
        double[] g = new double[2 * half];
        for (int i = 0; i < half; i++) {
            g[i] = half == 1 ? min : min + (max - min) * i / (half - 1);
            g[2 * half - 1 - i] = g[i];
        }
        return g;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s;
    }

    private static double[][] joint(double[][] A, double[][] B, double[][] C) {
        int d = A.length;
        double[][] j = new double[2 * d][2 * d];
        for (int i = 0; i < d; i++) for (int k = 0; k < d; k++) {
            j[i][k] = A[i][k];
            j[d + i][d + k] = B[i][k];
            j[i][d + k] = C[i][k];
            j[d + i][k] = C[k][i];
        }
        return j;
    }
}
