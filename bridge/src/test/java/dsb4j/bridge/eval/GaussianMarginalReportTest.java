package dsb4j.bridge.eval;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.engine.random.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class GaussianMarginalReportTest {
    static final int N = 20, D = 3;
    static final double[] GAMMAS = filled(N, 1.0 / (2 * N));   // Brownian, σ² = 2T = 1

    @Test void klOfOneDimensionAgainstTheFormula() {
        // KL(N(0.1, 2) ‖ N(0, 1)) = ½ (2 + 0.01 − 1 − ln 2)
        assertEquals(0.5 * (1.01 - Math.log(2)), GaussianMarginalReport.klToIsotropic(new double[]{0.1}, new double[][]{{2}}, new double[]{0}, 1), 1e-12);
        assertEquals(0, GaussianMarginalReport.klToIsotropic(new double[]{0.3, -1}, new double[][]{{1.5, 0}, {0, 1.5}}, new double[]{0.3, -1}, 1.5), 1e-12);
    }

    @Test void trajectoriesOfTheBridgeItselfSitAtTheEstimatorsFloor() {
        int n = 20_000;
        GaussianMarginalReport r = GaussianMarginalReport.isotropic(bridgeTrajectories(n, 0, new Rng(3)), n, D, GAMMAS, -0.1, 1, 0.1, 1, 1);
        assertEquals(N + 1, r.kl().length);
        assertEquals((D + D * (D + 1) / 2.0) / (2.0 * n), r.floor(), 1e-15);
        // 2n·KL ~ χ²(9) per index: the mean over 21 indices is within 30 % of the floor (about 3 standard deviations)
        assertEquals(r.floor(), r.meanKl(), 0.3 * r.floor(), Arrays.toString(r.kl()));
    }

    @Test void aShiftedPathIsSeenAtEveryIndex() {
        int n = 20_000;
        double shift = 0.1;
        GaussianMarginalReport r = GaussianMarginalReport.isotropic(bridgeTrajectories(n, shift, new Rng(3)), n, D, GAMMAS, -0.1, 1, 0.1, 1, 1);
        double[] var = GaussianBridge.marginalVariances(GAMMAS, Double.POSITIVE_INFINITY, 1, 1, GaussianBridge.crossCovariance(1, 1, 1));
        for (int k = 0; k <= N; k++) {
            double expected = D * shift * shift / (2 * var[k]);          // the mean term of the KL, on top of the floor
            assertTrue(r.kl()[k] > 0.7 * expected, "index " + k + ": " + r.kl()[k] + " vs " + expected);
        }
    }

    /** Paths of the Brownian bridge between ends drawn from the entropic-OT coupling, every state moved by {@code shift}. */
    static float[] bridgeTrajectories(int n, double shift, Rng rng) {
        double c = GaussianBridge.crossCovariance(1, 1, 1);
        GaussianBridge.BridgeWeights w = GaussianBridge.bridgeWeights(GAMMAS, Double.POSITIVE_INFINITY);
        float[] out = new float[n * (N + 1) * D];
        for (int i = 0; i < n; i++) for (int j = 0; j < D; j++) {
            double x0 = -0.1 + rng.nextGaussian();
            double xN = 0.1 + c * (x0 + 0.1) + Math.sqrt(1 - c * c) * rng.nextGaussian();
            for (int k = 0; k <= N; k++)
                out[(i * (N + 1) + k) * D + j] = (float) (w.c0()[k] * x0 + w.cN()[k] * xN + Math.sqrt(w.tau2()[k]) * rng.nextGaussian() + shift);
        }
        return out;
    }

    static double[] filled(int n, double v) {
        double[] out = new double[n];
        Arrays.fill(out, v);
        return out;
    }
}
