package dsb4j.bridge.data;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.engine.random.Rng;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** GaussianSource and EmpiricalSource. */
class SourcesTest {

    @Test void fullCovarianceGaussianHasItsMoments() {
        double[] m = {1, -2, 0.5};
        double[][] s = {{2, 0.6, -0.3}, {0.6, 1, 0.2}, {-0.3, 0.2, 0.5}};
        GaussianSource g = new GaussianSource(m, s);
        assertEquals(3, g.dim());
        Points p = g.sample(100_000, new Rng(11));
        double[] mean = p.mean();
        double[][] cov = p.covariance();
        for (int i = 0; i < 3; i++) {
            assertEquals(m[i], mean[i], 0.02, "mean " + i);
            for (int j = 0; j < 3; j++) assertEquals(s[i][j], cov[i][j], 0.03, "cov " + i + "," + j);
        }
        assertEquals(p, g.sample(100_000, new Rng(11)));
    }

    @Test void isotropicAndDiagonal() {
        Points p = GaussianSource.isotropic(4, -0.1, 2.0).sample(50_000, new Rng(3));
        for (int j = 0; j < 4; j++) {
            assertEquals(-0.1, p.mean()[j], 0.03);
            assertEquals(2.0, p.variance()[j], 0.05);
        }
        GaussianSource d = GaussianSource.diagonal(new double[]{3, 4}, new double[]{0.25, 9});
        Points q = d.sample(50_000, new Rng(4));
        assertArrayEquals(new double[]{3, 4}, q.mean(), 0.05);
        assertArrayEquals(new double[]{0.25, 9}, q.variance(), 0.15);
        assertEquals(2, GaussianSource.diagonal(new double[]{0, 0}, 1.0).dim());
    }

    @Test void rejectsBadCovariances() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new GaussianSource(new double[]{0, 0}, new double[][]{{1, 2}, {2, 1}}));
        assertTrue(e.getMessage().contains("positive definite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new GaussianSource(new double[]{0, 0}, new double[][]{{1, 0.5}, {0.2, 1}}));
        assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new GaussianSource(new double[]{0}, new double[][]{{1, 0}, {0, 1}}));
        assertThrows(IllegalArgumentException.class, () -> GaussianSource.isotropic(2, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> GaussianSource.isotropic(0, 0, 1));
    }

    @Test void empiricalSourceDrawsRowsWithReplacement() {
        Points set = new Points(4, 2, new float[]{0, 0, 1, 1, 2, 2, 3, 3});
        EmpiricalSource e = new EmpiricalSource("four", set);
        assertEquals(2, e.dim());
        assertEquals("four", e.name());
        Points p = e.sample(400, new Rng(5));
        Set<Float> seen = new HashSet<>();
        for (int i = 0; i < p.n(); i++) {
            assertEquals(p.get(i, 0), p.get(i, 1), "whole rows");
            seen.add(p.get(i, 0));
        }
        assertEquals(Set.of(0f, 1f, 2f, 3f), seen);
        assertEquals(p, e.sample(400, new Rng(5)));
        assertThrows(IllegalArgumentException.class, () -> new EmpiricalSource("none", new Points(0, 2, new float[0])));
    }
}
