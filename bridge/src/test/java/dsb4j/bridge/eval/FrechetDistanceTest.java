package dsb4j.bridge.eval;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.GaussianSource;
import dsb4j.bridge.data.Points;
import dsb4j.engine.random.Rng;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    @Test void aSetIsAtDistanceZeroFromItself() {
        Points p = GaussianSource.isotropic(20, 0.3, 2.0).sample(500, new Rng(1));
        assertEquals(0, FrechetDistance.between(p, p), 1e-8);
    }

    @Test void matchesTheClosedFormForDiagonalGaussians() {
        // FD(N(a, diag s²), N(b, diag t²)) = Σ (a−b)² + Σ (s−t)²: with the sample moments plugged in exactly
        double[][] s1 = {{4, 0}, {0, 1}}, s2 = {{1, 0}, {0, 9}};
        var r = FrechetDistance.of(new FrechetDistance.Moments(new double[]{1, 2}, s1, 10),
                new FrechetDistance.Moments(new double[]{0, 0}, s2, 10));
        assertEquals(1 + 4 + (2 - 1) * (2 - 1) + (1 - 3) * (1 - 3), r.value(), 1e-9);
        assertEquals(5, r.meanTerm(), 1e-12);
    }

    @Test void matchesTheClosedFormForCommutingFullCovariances() {
        // S1 = R diag(4, 1) Rᵀ, S2 = R diag(1, 1) Rᵀ share eigenvectors: FD = Σ (√λ1 − √λ2)² = 1
        double c = Math.cos(0.7), s = Math.sin(0.7);
        double[][] r = {{c, -s}, {s, c}};
        double[][] s1 = Matrices.multiply(Matrices.multiply(r, new double[][]{{4, 0}, {0, 1}}), Matrices.transpose(r));
        double[][] s2 = Matrices.multiply(Matrices.multiply(r, new double[][]{{1, 0}, {0, 1}}), Matrices.transpose(r));
        var m = new double[]{0, 0};
        assertEquals(1, FrechetDistance.of(new FrechetDistance.Moments(m, s1, 2), new FrechetDistance.Moments(m, s2, 2)).value(), 1e-9);
    }

    @Test void growsWithThePerturbation() {
        Points p = GaussianSource.isotropic(10, 0, 1).sample(2000, new Rng(2));
        Points q = GaussianSource.isotropic(10, 0, 1).sample(2000, new Rng(3));
        double base = FrechetDistance.between(p, q);
        double previous = base;
        for (double eps : new double[]{0.3, 0.6, 1.2}) {
            float[] x = q.data().clone();
            Rng rng = new Rng(4);
            for (int i = 0; i < x.length; i++) x[i] += (float) (eps * rng.nextGaussian() + 0.5 * eps);
            double fd = FrechetDistance.between(p, new Points(q.n(), q.d(), x));
            assertTrue(fd > previous, "eps " + eps + ": " + fd + " after " + previous);
            previous = fd;
        }
        assertTrue(base < 0.1, "two samples of one law: " + base);
    }

    @Test void singularCovariancesAreFine() {
        // the second coordinate is constant (a dead feature): covariance rank 1
        Points a = Points.of(new double[][]{{0, 1}, {1, 1}, {2, 1}, {3, 1}});
        Points b = Points.of(new double[][]{{0, 1}, {2, 1}, {4, 1}, {6, 1}});
        double fd = FrechetDistance.between(a, b);
        // means 1.5 vs 3; standard deviations s and 2s with s² = 5/3: FD = 2.25 + (2s − s)² = 2.25 + 5/3
        assertEquals(2.25 + 5.0 / 3, fd, 1e-9);
    }
}
