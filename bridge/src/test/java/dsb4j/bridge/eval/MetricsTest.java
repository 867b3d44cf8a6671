package dsb4j.bridge.eval;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.GaussianSource;
import dsb4j.bridge.data.Points;
import dsb4j.bridge.data.Toy2d;
import dsb4j.engine.random.Rng;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static Points gaussian(int n, double mx, double my, long seed) {
        return GaussianSource.diagonal(new double[]{mx, my}, 1.0).sample(n, new Rng(seed));
    }

    @Test void identicalSamplesScoreZero() {
        Points a = Toy2d.of("moons").sample(1500, new Rng(1));
        assertEquals(0, Metrics.slicedW2(a, a, 64, new Rng(2)), 1e-12);
        assertEquals(0, Metrics.energyDistance(a, a), 1e-9);
        assertEquals(0, Metrics.mmdRbf(a, a), 2e-3);          // unbiased: O(1/n) below zero
        assertEquals(0, Metrics.meanError(a, a), 0);
        assertEquals(0, Metrics.covError(a, a), 0);
    }

    @Test void slicedW2OfShiftedGaussiansIsShiftOverRootD() {
        // SW2² = E_u (δ·u)² = |δ|²/d for N(0, I) vs N(δ, I)
        double[] delta = {1.5, 0.5};
        double want = Math.sqrt((1.5 * 1.5 + 0.5 * 0.5) / 2);
        assertEquals(want, Metrics.slicedW2(gaussian(4000, 0, 0, 3), gaussian(4000, 1.5, 0.5, 4), 400, new Rng(5)), 0.05);
        // different sizes go through quantile matching
        assertEquals(want, Metrics.slicedW2(gaussian(3000, 0, 0, 6), gaussian(5000, delta[0], delta[1], 7), 400, new Rng(8)), 0.05);
        assertTrue(Metrics.slicedW2(gaussian(4000, 0, 0, 9), gaussian(4000, 0, 0, 10), 200, new Rng(11)) < 0.08);
    }

    @Test void oneDimensionalW2OnQuantileFunctions() {
        // Fx: 0 on (0, 1/2], 1 on (1/2, 1]; Fy: 0, 1, 2 on thirds: squared gaps 1 on (1/3, 1/2] and (2/3, 1]
        assertEquals(1.0 / 6 + 1.0 / 3, Metrics.w2SquaredSorted(new double[]{0, 1}, new double[]{0, 1, 2}), 1e-15);
        assertEquals(1.0 / 6 + 1.0 / 3, Metrics.w2SquaredSorted(new double[]{0, 1, 2}, new double[]{0, 1}), 1e-15);
        assertEquals(0, Metrics.w2SquaredSorted(new double[]{0, 2}, new double[]{0, 0, 2, 2}), 0);
        assertEquals(1, Metrics.w2SquaredSorted(new double[]{1, 2, 3}, new double[]{2, 3, 4}), 1e-15);
        assertEquals(4, Metrics.w2SquaredSorted(new double[]{0}, new double[]{2, 2, 2, 2, 2}), 1e-15);
    }

    @Test void allMetricsAreSymmetric() {
        Points a = gaussian(2500, 0, 0, 12), b = Toy2d.of("8gaussians").sample(1800, new Rng(13));
        assertEquals(Metrics.slicedW2(a, b, 50, new Rng(14)), Metrics.slicedW2(b, a, 50, new Rng(14)), 1e-12);
        assertEquals(Metrics.mmdRbf(a, b), Metrics.mmdRbf(b, a), 1e-12);
        assertEquals(Metrics.energyDistance(a, b), Metrics.energyDistance(b, a), 1e-9);
        assertEquals(Metrics.meanError(a, b), Metrics.meanError(b, a), 1e-12);
        assertEquals(Metrics.covError(a, b), Metrics.covError(b, a), 1e-12);
    }

    @Test void mmdAndEnergyGrowWithTheShift() {
        Points base = gaussian(1000, 0, 0, 15);
        double prevMmd = -1, prevEnergy = -1;
        for (double s : new double[]{0, 0.25, 0.5, 1, 2, 4}) {
            Points other = gaussian(1000, s, 0, 16);
            double mmd = Metrics.mmdRbf(base, other), energy = Metrics.energyDistance(base, other);
            assertTrue(mmd > prevMmd, "MMD at shift " + s + ": " + mmd + " after " + prevMmd);
            assertTrue(energy > prevEnergy, "energy at shift " + s + ": " + energy + " after " + prevEnergy);
            prevMmd = mmd;
            prevEnergy = energy;
        }
        assertEquals(0, Metrics.mmdRbf(base, gaussian(1000, 0, 0, 17)), 5e-3);
    }

    @Test void meanAndCovarianceErrors() {
        Points a = gaussian(500, 0, 0, 18);
        float[] shifted = a.data().clone(), doubled = a.data().clone();
        for (int i = 0; i < a.n(); i++) { shifted[2 * i] += 3; shifted[2 * i + 1] -= 4; }
        for (int k = 0; k < doubled.length; k++) doubled[k] *= 2;
        assertEquals(5, Metrics.meanError(a, new Points(500, 2, shifted)), 1e-5);
        assertEquals(0, Metrics.covError(a, new Points(500, 2, shifted)), 1e-5);
        double f = Math.sqrt(Matrices.frobeniusSq(a.covariance()));
        assertEquals(3 * f, Metrics.covError(a, new Points(500, 2, doubled)), 1e-6);   // Cov(2a) = 4 Cov(a)
    }

    @Test void quadraticMetricsThinDeterministically() {
        assertEquals(Metrics.MAX_POINTS, Metrics.rowCap(2));
        assertTrue(Metrics.rowCap(784) > 1000 && Metrics.rowCap(784) < 1200, "cap at d = 784: " + Metrics.rowCap(784));
        Points big = gaussian(5000, 0, 0, 19);
        assertEquals(Metrics.MAX_POINTS, Metrics.thin(big).n());
        assertArrayEquals(big.row(2500), Metrics.thin(big).row(1000));
        assertEquals(Metrics.mmdRbf(big, gaussian(3000, 1, 0, 20)), Metrics.mmdRbf(big, gaussian(3000, 1, 0, 20)));
    }

    @Test void rejectsMismatchedDimensions() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.mmdRbf(gaussian(10, 0, 0, 1), new Points(10, 3, new float[30])));
        assertTrue(e.getMessage().contains("mmdRbf") && e.getMessage().contains("2 and 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metrics.slicedW2(gaussian(10, 0, 0, 1), gaussian(10, 0, 0, 2), 0, new Rng(1)));
    }
}
