package dsb4j.bridge.eval;

import dsb4j.bridge.data.Points;
import java.util.Map;

/**
 * Closed forms of the Schrödinger bridge between two Gaussians (docs/method.md §6), the anchors the learned
 * bridge is tested against.
 *
 * <p>Static entropic OT in Janati's convention: for μ = N(a, A), ν = N(b, B),
 * π_σ = argmin ∫‖x − y‖² dπ + 2σ² KL(π ‖ μ⊗ν) is Gaussian with cross-covariance
 * C_σ = ½(A^{1/2} D A^{−1/2} − σ²I), D = (4 A^{1/2} B A^{1/2} + σ⁴I)^{1/2}. Means do not enter C.
 *
 * <p>The DSB reference chain is X_{k+1} − m = (1 − γ_k/v)(X_k − m) + √(2γ_k)·Z with {@code gammas[k]} the step
 * k → k+1 (v = +∞: Brownian). It is linear-Gaussian, X_j − m = a_{i→j}(X_i − m) + noise of variance s²_{i→j},
 * so its bridge is EOT with σ² = s²_{0→N}/a_{0→N} (= 2T for Brownian), and its time marginals are closed form.
 */
public final class GaussianBridge {
    private GaussianBridge() {}

    // ---- static entropic OT ------------------------------------------------------------------------

    /** C_σ for SPD A, B (d × d) and σ² > 0 (Janati et al. 2020). σ² = 0 gives the OT coupling. */
    public static double[][] crossCovariance(double[][] A, double[][] B, double sigma2) {
        int d = Matrices.checkSquare(A, "crossCovariance");
        if (Matrices.checkSquare(B, "crossCovariance") != d)
            throw new IllegalArgumentException("crossCovariance: A is " + d + " × " + d + ", B is " + B.length + " × " + B.length);
        if (!(sigma2 >= 0) || Double.isInfinite(sigma2)) throw new IllegalArgumentException("crossCovariance: σ² must be finite and >= 0, got " + sigma2);
        double[][] aHalf = Matrices.sqrtSpd(A);
        double[][] aInvHalf = Matrices.invSqrtSpd(A);
        double[][] inner = Matrices.multiply(Matrices.multiply(aHalf, B), aHalf);
        double[][] dSigma = Matrices.sqrtSpd(Matrices.combine(4, inner, 1, Matrices.scaledIdentity(d, sigma2 * sigma2)));
        double[][] c = Matrices.multiply(Matrices.multiply(aHalf, dSigma), aInvHalf);
        return Matrices.combine(0.5, c, -0.5 * sigma2, Matrices.identity(d));
    }

    /** The isotropic case A = varA·I, B = varB·I: C = ½(√(4·varA·varB + σ⁴) − σ²) per coordinate. */
    public static double crossCovariance(double varA, double varB, double sigma2) {
        if (!(varA > 0) || !(varB > 0)) throw new IllegalArgumentException("crossCovariance: variances must be positive, got " + varA + ", " + varB);
        if (!(sigma2 >= 0)) throw new IllegalArgumentException("crossCovariance: σ² must be >= 0, got " + sigma2);
        if (Double.isInfinite(sigma2)) return 0;
        double s4 = sigma2 * sigma2;
        // ½(√(4ab + σ⁴) − σ²) rewritten as 2ab/(√(4ab + σ⁴) + σ²): no cancellation for large σ²
        return 2 * varA * varB / (Math.sqrt(4 * varA * varB + s4) + sigma2);
    }

    /** E[X_1 | X_0 = x] = b + Cᵀ A^{−1}(x − a). */
    public static double[] conditionalMean(double[] a, double[][] A, double[] b, double[][] C, double[] x) {
        double[] dx = new double[x.length];
        for (int i = 0; i < x.length; i++) dx[i] = x[i] - a[i];
        double[] r = Matrices.apply(Matrices.multiply(Matrices.transpose(C), Matrices.inverseSpd(A)), dx);
        for (int i = 0; i < r.length; i++) r[i] += b[i];
        return r;
    }

    /** Cov[X_1 | X_0] = B − Cᵀ A^{−1} C. */
    public static double[][] conditionalCovariance(double[][] A, double[][] B, double[][] C) {
        double[][] ct = Matrices.transpose(C);
        return Matrices.combine(1, B, -1, Matrices.multiply(Matrices.multiply(ct, Matrices.inverseSpd(A)), C));
    }

    // ---- convention conversions (docs/method.md §6.1 table) -------------------------------------------

    /** DSB reference without drift, noise √(2γ_k) per step, T = Σγ: σ² = 2T. */
    public static double sigma2Brownian(double totalTime) { return 2 * totalTime; }

    /** DSB OU reference f = −(x − m)/v in continuous time over [0, T]: σ² = 2v·sinh(T/v). */
    public static double sigma2Ou(double totalTime, double v) {
        return Double.isInfinite(v) ? 2 * totalTime : 2 * v * Math.sinh(totalTime / v);
    }

    /** The discrete chain: σ² = s²_{0→N}/a_{0→N}. */
    public static double sigma2Discrete(double[] gammas, double v) {
        return noiseVariance(gammas, v, 0, gammas.length) / contraction(gammas, v, 0, gammas.length);
    }

    /** a_{i→j} = Π_{k=i}^{j−1} (1 − γ_k/v): how much of X_i − m survives in X_j − m. */
    public static double contraction(double[] gammas, double v, int from, int to) {
        checkSpan(gammas, v, from, to);
        double a = 1;
        for (int k = from; k < to; k++) a *= 1 - gammas[k] / v;
        return a;
    }

    /** s²_{i→j}: noise variance accumulated from i to j, by s² ← (1 − γ_k/v)² s² + 2γ_k. */
    public static double noiseVariance(double[] gammas, double v, int from, int to) {
        checkSpan(gammas, v, from, to);
        double s2 = 0;
        for (int k = from; k < to; k++) {
            double f = 1 - gammas[k] / v;
            s2 = f * f * s2 + 2 * gammas[k];
        }
        return s2;
    }

    private static void checkSpan(double[] gammas, double v, int from, int to) {
        if (from < 0 || to > gammas.length || from > to)
            throw new IllegalArgumentException("reference chain: steps [" + from + ", " + to + ") of " + gammas.length);
        if (!(v > 0)) throw new IllegalArgumentException("reference chain: v must be positive (or +∞), got " + v);
        for (int k = from; k < to; k++)
            if (!(gammas[k] > 0) || !(gammas[k] < v))
                throw new IllegalArgumentException("reference chain: γ_" + k + " = " + gammas[k] + " must lie in (0, v = " + v + ")");
    }

    // ---- time marginals of the discrete bridge (docs/method.md §6.2) -----------------------------------

    /**
     * The bridge's weights at every index k = 0..N: X_k = m + c0_k (X_0 − m) + cN_k (X_N − m) + noise(tau2_k),
     * with K = s²_{0→k} a_{k→N} / s²_{0→N}, cN = K, c0 = a_{0→k} − K a_{0→N}, τ² = s²_{0→k}(1 − K a_{k→N}).
     */
    public record BridgeWeights(double[] c0, double[] cN, double[] tau2) {}

    public static BridgeWeights bridgeWeights(double[] gammas, double v) {
        int n = gammas.length;
        if (n < 1) throw new IllegalArgumentException("bridgeWeights: no steps");
        double[] c0 = new double[n + 1], cN = new double[n + 1], tau2 = new double[n + 1];
        double a0N = contraction(gammas, v, 0, n), s0N = noiseVariance(gammas, v, 0, n);
        for (int k = 0; k <= n; k++) {
            double a0k = contraction(gammas, v, 0, k), s0k = noiseVariance(gammas, v, 0, k);
            double akN = contraction(gammas, v, k, n);
            double kk = s0k * akN / s0N;
            cN[k] = kk;
            c0[k] = a0k - kk * a0N;
            tau2[k] = s0k * (1 - kk * akN);
        }
        tau2[0] = 0;
        tau2[n] = 0;          // exact at the ends (rounding could leave ±1e-17)
        return new BridgeWeights(c0, cN, tau2);
    }

    /** Σ_k = c0² A + cN² B + c0·cN (C + Cᵀ) + τ² I for k = 0..N; C is the coupling's Cov(X_0, X_N). */
    public static double[][][] marginalCovariances(double[] gammas, double v, double[][] A, double[][] B, double[][] C) {
        int d = Matrices.checkSquare(A, "marginalCovariances");
        if (B.length != d || C.length != d) throw new IllegalArgumentException("marginalCovariances: A, B, C must all be " + d + " × " + d);
        BridgeWeights w = bridgeWeights(gammas, v);
        double[][][] out = new double[gammas.length + 1][d][d];
        for (int k = 0; k <= gammas.length; k++) {
            double p = w.c0()[k], q = w.cN()[k];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++)
                out[k][i][j] = p * p * A[i][j] + q * q * B[i][j] + p * q * (C[i][j] + C[j][i]) + (i == j ? w.tau2()[k] : 0);
        }
        return out;
    }

    /** Isotropic Σ_k per coordinate: c0² varA + cN² varB + 2 c0 cN c + τ². */
    public static double[] marginalVariances(double[] gammas, double v, double varA, double varB, double c) {
        BridgeWeights w = bridgeWeights(gammas, v);
        double[] out = new double[gammas.length + 1];
        for (int k = 0; k < out.length; k++) {
            double p = w.c0()[k], q = w.cN()[k];
            out[k] = p * p * varA + q * q * varB + 2 * p * q * c + w.tau2()[k];
        }
        return out;
    }

    /** μ_k = m + c0 (a − m) + cN (b − m) for k = 0..N; m is the reference's pull point (any value when v = ∞). */
    public static double[][] marginalMeans(double[] gammas, double v, double[] m, double[] a, double[] b) {
        if (a.length != b.length || m.length != a.length)
            throw new IllegalArgumentException("marginalMeans: m, a, b have " + m.length + ", " + a.length + ", " + b.length + " coordinates");
        BridgeWeights w = bridgeWeights(gammas, v);
        double[][] out = new double[gammas.length + 1][a.length];
        for (int k = 0; k < out.length; k++) for (int i = 0; i < a.length; i++)
            out[k][i] = m[i] + w.c0()[k] * (a[i] - m[i]) + w.cN()[k] * (b[i] - m[i]);
        return out;
    }

    // ---- learned couplings against the closed form ----------------------------------------------------

    /**
     * Pairs (n, 2·dim), data end first, of an isotropic problem N(meanData·1, varData·I) ↔ N(meanPrior·1, varPrior·I)
     * against the closed form at σ²: the keys of {@link GaussianCouplingReport#toMap()}.
     */
    public static Map<String, Object> couplingReport(Points pairs, int dim, double meanData, double varData,
                                                     double meanPrior, double varPrior, double sigma2) {
        return GaussianCouplingReport.isotropic(pairs, dim, meanData, varData, meanPrior, varPrior, sigma2).toMap();
    }
}
