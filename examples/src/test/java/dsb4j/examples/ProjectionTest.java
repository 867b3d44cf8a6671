package dsb4j.examples;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.Points;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Principal components of the target: the known stretch directions come back, and the variance shares add up. */
class ProjectionTest {

    static double[] unit(double... v) {
        double n = 0;
        for (double x : v) n += x * x;
        double[] u = v.clone();
        for (int i = 0; i < u.length; i++) u[i] /= Math.sqrt(n);
        return u;
    }

    static double cos(double[] a, double[] b) {
        double s = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return s / Math.sqrt(na * nb);
    }

    /** n points around {@code offset}: sd 10 along u, sd 3 along v, sd 0.3 noise in every coordinate. */
    static Points stretched(int n, double[] u, double[] v, double offset, long seed) {
        int d = u.length;
        Random r = new Random(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            double a = 10 * r.nextGaussian(), b = 3 * r.nextGaussian();
            for (int j = 0; j < d; j++) x[i * d + j] = (float) (offset + a * u[j] + b * v[j] + 0.3 * r.nextGaussian());
        }
        return new Points(n, d, x);
    }

    @Test void theStretchDirectionsComeBackInOrder() {
        double[] u = unit(1, 2, -1, 0.5, 3), v = unit(2, -1, 0, 0, 0);       // orthogonal
        assertEquals(0, cos(u, v), 1e-12);
        Projection p = Projection.principal(stretched(4000, u, v, 5, 1));
        assertTrue(Math.abs(cos(p.axes()[0], u)) > 0.99, "PC1 along u: cos " + cos(p.axes()[0], u));
        assertTrue(Math.abs(cos(p.axes()[1], v)) > 0.99, "PC2 along v: cos " + cos(p.axes()[1], v));
        assertEquals(0, cos(p.axes()[0], p.axes()[1]), 1e-9);
        double sum = p.percent()[0] + p.percent()[1];
        assertTrue(sum <= 100 && sum > 98, "100 + 9 of 109.45 units of variance: " + sum);
        assertTrue(p.percent()[0] > 85 && p.percent()[0] < 95, "PC1 holds 100 of 109.45: " + p.percent()[0]);
        assertTrue(p.axisTitle(0).matches("PC1 \\(\\d+\\.\\d % of variance\\)"), p.axisTitle(0));
    }

    @Test void applyCentresOnTheTargetMean() {
        double[] u = unit(0, 0, 1), v = unit(1, 0, 0);
        Points target = stretched(3000, u, v, 7, 2);
        Projection p = Projection.principal(target);
        Points y = p.apply(target);
        assertEquals(2, y.d());
        assertEquals(0, y.mean()[0], 1e-3);
        assertEquals(0, y.mean()[1], 1e-3);
        double total = 0;
        for (double s : target.variance()) total += s;
        assertEquals(p.percent()[0], 100 * y.variance()[0] / total, 1e-3, "the share is the projected variance");
        // a point one unit along PC1 from the mean lands at (1, 0)
        double[] m = target.mean();
        float[] one = new float[3];
        for (int j = 0; j < 3; j++) one[j] = (float) (m[j] + p.axes()[0][j]);
        Points q = p.apply(new Points(1, 3, one));
        assertEquals(1, q.get(0, 0), 1e-4);
        assertEquals(0, q.get(0, 1), 1e-4);
        assertThrows(IllegalArgumentException.class, () -> p.apply(new Points(1, 2, new float[2])));
    }

    @Test void iterationForLargeDimensionsAgreesWithTheFullDecomposition() {
        int d = 40;
        double[] u = new double[d], v = new double[d];
        for (int j = 0; j < d; j++) {
            u[j] = Math.sin(j + 1.0);
            v[j] = j % 2 == 0 ? 1 : -1;
        }
        double s = 0, n = 0;                                                    // make v ⟂ u (Gram–Schmidt)
        for (int j = 0; j < d; j++) { s += u[j] * v[j]; n += u[j] * u[j]; }
        for (int j = 0; j < d; j++) v[j] -= s / n * u[j];
        Points target = stretched(2000, unit(u), unit(v), -2, 3);                // ≤ 2,000 rows: iteration uses them all
        Projection exact = Projection.principal(target, Integer.MAX_VALUE), iterated = Projection.principal(target, 10);
        for (int k = 0; k < 2; k++) {
            double c = cos(exact.axes()[k], iterated.axes()[k]);
            assertTrue(Math.abs(c) > 0.9999, "axis " + k + ": cos " + c);
            assertEquals(exact.percent()[k], iterated.percent()[k], 1e-6 * 100);
        }
        assertTrue(iterated.percent()[0] + iterated.percent()[1] <= 100);
    }

    @Test void constantOrOneDimensionalTargets() {
        Projection flat = Projection.principal(new Points(5, 3, new float[15]));
        assertEquals(0, flat.percent()[0]);
        assertEquals(0, flat.percent()[1]);
        Projection flatIterated = Projection.principal(new Points(5, 3, new float[15]), 1);
        assertEquals(0, flatIterated.percent()[0]);
        assertTrue(Float.isFinite(flatIterated.apply(new Points(1, 3, new float[]{1, 2, 3})).get(0, 0)));
        var e = assertThrows(IllegalArgumentException.class, () -> Projection.principal(new Points(5, 1, new float[5])));
        assertEquals(1, e.getMessage().lines().count());
    }
}
