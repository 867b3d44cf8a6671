package dsb4j.bridge.eval;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.GaussianSource;
import dsb4j.bridge.data.Points;
import dsb4j.engine.random.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Discrete entropic OT on samples, against the Gaussian closed form (an anchor independent of it). */
class SinkhornTest {

    @Test void samplesOfTheGaussianPresetGiveTheGoldenCrossCovariance() {
        // N(−0.1, 1) and N(0.1, 1), σ² = 1 in Janati's convention, so POT's reg = 2σ² = 2
        Points x = GaussianSource.isotropic(1, -0.1, 1).sample(1000, new Rng(1));
        Points y = GaussianSource.isotropic(1, 0.1, 1).sample(1000, new Rng(2));
        Sinkhorn.Result r = Sinkhorn.solve(x, y, 2.0);
        assertTrue(r.marginalError() < 1e-9, "converged: " + r.marginalError() + " after " + r.iterations());
        double c = r.crossCovariance(x, y)[0][0];
        assertEquals(0.618, c, 0.05, "plan cross-covariance");
        // closer still to the closed form at the samples' own variances
        double closed = GaussianBridge.crossCovariance(x.variance()[0], y.variance()[0], 1.0);
        assertEquals(closed, c, 0.03, "against the closed form at the sample variances");
    }

    @Test void planHasUniformMarginals() {
        Points x = GaussianSource.isotropic(2, 0, 1).sample(150, new Rng(3));
        Points y = GaussianSource.isotropic(2, 1, 2).sample(90, new Rng(4));
        Sinkhorn.Result r = Sinkhorn.solve(x, y, 0.5);
        double total = 0;
        for (int i = 0; i < r.n(); i++) {
            double row = 0;
            for (int j = 0; j < r.m(); j++) row += r.at(i, j);
            assertEquals(1.0 / 150, row, 1e-10);
            total += row;
        }
        for (int j = 0; j < r.m(); j++) {
            double col = 0;
            for (int i = 0; i < r.n(); i++) col += r.at(i, j);
            assertEquals(1.0 / 90, col, 1e-12);
        }
        assertEquals(1, total, 1e-9);
    }

    @Test void largeRegularisationDecouplesSmallOneSorts() {
        Points x = GaussianSource.isotropic(1, 0, 1).sample(200, new Rng(5));
        Points y = GaussianSource.isotropic(1, 0, 1).sample(200, new Rng(6));
        double independent = Sinkhorn.solve(x, y, 1e5).crossCovariance(x, y)[0][0];
        assertEquals(0, independent, 1e-3);
        // in 1-D the OT plan pairs sorted samples; shrinking reg moves the plan towards it from below
        float[] xs = x.data().clone(), ys = y.data().clone();
        Arrays.sort(xs);
        Arrays.sort(ys);
        double sorted = cov(xs, ys);
        double mid = Sinkhorn.solve(x, y, 2).crossCovariance(x, y)[0][0];
        Sinkhorn.Result sharp = Sinkhorn.solve(x, y, 0.1, 2_000, 1e-5);
        double near = sharp.crossCovariance(x, y)[0][0];
        assertTrue(independent < mid && mid < near && near < sorted, independent + " < " + mid + " < " + near + " < " + sorted);
        assertEquals(sorted, near, 0.05);
        assertTrue(sharp.transportCost(x, y) < Sinkhorn.solve(x, y, 2).transportCost(x, y));
    }

    @Test void twoDimensionalAnisotropicCase() {
        double[][] A = {{1, 0}, {0, 0.5}}, B = {{1, 0.3}, {0.3, 0.8}};
        Points x = new GaussianSource(new double[]{0, 0}, A).sample(700, new Rng(7));
        Points y = new GaussianSource(new double[]{1, -1}, B).sample(700, new Rng(8));
        double sigma2 = 0.5;
        double[][] want = GaussianBridge.crossCovariance(x.covariance(), y.covariance(), sigma2);
        double[][] got = Sinkhorn.solve(x, y, 2 * sigma2).crossCovariance(x, y);
        MatricesTest.assertClose(want, got, 0.05, "2-D cross-covariance");
    }

    @Test void rejectsBadInput() {
        Points a = new Points(2, 1, new float[]{0, 1}), b = new Points(2, 2, new float[4]);
        assertThrows(IllegalArgumentException.class, () -> Sinkhorn.solve(a, b, 1));
        assertThrows(IllegalArgumentException.class, () -> Sinkhorn.solve(a, a, 0));
    }

    private static double cov(float[] x, float[] y) {
        double mx = 0, my = 0;
        for (int i = 0; i < x.length; i++) { mx += x[i]; my += y[i]; }
        mx /= x.length;
        my /= y.length;
        double s = 0;
        for (int i = 0; i < x.length; i++) s += (x[i] - mx) * (y[i] - my);
        return s / x.length;
    }
}
