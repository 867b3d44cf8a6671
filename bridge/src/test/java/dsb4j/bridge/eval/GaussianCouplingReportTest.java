package dsb4j.bridge.eval;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.GaussianSource;
import dsb4j.bridge.data.Points;
import dsb4j.engine.random.Rng;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GaussianCouplingReportTest {
    private static final int D = 3;

    /** Pairs drawn from the exact optimal coupling of the gaussian preset (σ² = 1): cross-covariance 0.618·I. */
    private static Points optimalPairs(int n, double c, long seed) {
        double[] mean = new double[2 * D];
        double[][] cov = new double[2 * D][2 * D];
        for (int j = 0; j < D; j++) {
            mean[j] = -0.1;
            mean[D + j] = 0.1;
            cov[j][j] = cov[D + j][D + j] = 1;
            cov[j][D + j] = cov[D + j][j] = c;
        }
        return new GaussianSource(mean, cov).sample(n, new Rng(seed));
    }

    @Test void theOptimalCouplingScoresNearZeroError() {
        Map<String, Object> m = GaussianBridge.couplingReport(optimalPairs(20_000, 0.618034, 1), D, -0.1, 1, 0.1, 1, 1.0);
        assertEquals(-0.1, (double) m.get("mean_data"), 0.02);
        assertEquals(0.1, (double) m.get("mean_prior"), 0.02);
        assertEquals(1, (double) m.get("var_data"), 0.03);
        assertEquals(1, (double) m.get("var_prior"), 0.03);
        assertEquals(0.618, (double) m.get("cross_cov"), 0.02);
        assertEquals((Math.sqrt(5) - 1) / 2, (double) m.get("cross_cov_target"), 1e-12);
        assertTrue((double) m.get("cross_cov_error") < 0.03, m.toString());
        assertTrue((double) m.get("cross_cov_frobenius") < 0.05, m.toString());
        assertTrue((double) m.get("mean_data_error") < 0.03, m.toString());
        for (String k : new String[]{"mean_data", "mean_prior", "var_data", "var_prior", "cross_cov", "cross_cov_target", "cross_cov_error"})
            assertTrue(m.containsKey(k), k);
    }

    @Test void anIndependentCouplingMissesByTheWholeTarget() {
        GaussianCouplingReport r = GaussianCouplingReport.isotropic(optimalPairs(20_000, 0, 2), D, -0.1, 1, 0.1, 1, 1.0);
        assertEquals(0, r.crossCovDiagonalMean(), 0.03);
        assertEquals(0.618, r.crossCovError(), 0.04);
        assertEquals(0.618 * Math.sqrt(D), r.crossCovFrobeniusError(), 0.06);
        assertEquals(D, r.meanData().length);
        assertEquals(D, r.crossCov().length);
    }

    @Test void offDiagonalErrorsAreReportedApartFromTheDiagonal() {
        double c = (Math.sqrt(5) - 1) / 2;
        double[][] cross = Matrices.scaledIdentity(D, c);
        cross[0][2] += 0.07;                 // one cross term off by 0.07, the diagonal off by at most 0.02
        cross[1][1] -= 0.02;
        cross[2][0] -= 0.03;
        double[] mean = {-0.1, -0.1, -0.1}, var = {1, 0.94, 1.01};
        GaussianCouplingReport r = new GaussianCouplingReport(mean, mean.clone(), var, var.clone(), cross,
                Matrices.scaledIdentity(D, c), -0.1, 0.1, 1, 1);
        assertEquals(0.02, r.crossCovError(), 1e-12);
        assertEquals(0.07, r.crossCovOffDiagonalError(), 1e-12);
        assertEquals(0.07, r.crossCovMaxError(), 1e-12);
        Map<String, Object> m = r.toMap();
        assertEquals(0.07, (double) m.get("cross_cov_offdiag_error"), 1e-12);
        assertEquals(0.07, (double) m.get("cross_cov_max_error"), 1e-12);
        assertEquals(0.06, (double) m.get("var_data_error"), 1e-12);     // the worst coordinate's variance
        assertEquals(0.0, new GaussianCouplingReport(new double[]{0}, new double[]{0}, new double[]{1}, new double[]{1},
                new double[][]{{0.5}}, new double[][]{{0.6}}, 0, 0, 1, 1).crossCovOffDiagonalError());
    }

    @Test void optimalPairsHaveSmallOffDiagonalErrors() {
        Map<String, Object> m = GaussianBridge.couplingReport(optimalPairs(20_000, 0.618034, 1), D, -0.1, 1, 0.1, 1, 1.0);
        assertTrue((double) m.get("cross_cov_offdiag_error") < 0.03, m.toString());
        assertEquals(Math.max((double) m.get("cross_cov_error"), (double) m.get("cross_cov_offdiag_error")),
                (double) m.get("cross_cov_max_error"), 1e-15);
    }

    @Test void unknownExpectedMomentsAreLeftOut() {
        GaussianCouplingReport r = GaussianCouplingReport.of(optimalPairs(100, 0.5, 3), D, Matrices.scaledIdentity(D, 0.5),
                Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        assertFalse(r.toMap().containsKey("mean_data_error"));
        assertTrue(r.toMap().containsKey("cross_cov_error"));
    }

    @Test void rejectsPairsOfTheWrongWidth() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> GaussianBridge.couplingReport(new Points(5, 5, new float[25]), D, 0, 1, 0, 1, 1));
        assertTrue(e.getMessage().contains("(5, 5)") && e.getMessage().contains("dimension 3"), e.getMessage());
    }
}
