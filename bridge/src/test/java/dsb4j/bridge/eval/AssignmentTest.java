package dsb4j.bridge.eval;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.GaussianSource;
import dsb4j.bridge.data.Points;
import dsb4j.engine.random.Rng;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AssignmentTest {

    /** Least Σ cost[i][col_i] over all injective row → column maps, by enumeration. */
    private static double bruteForce(double[][] cost) {
        int n = cost.length, m = n == 0 ? 0 : cost[0].length;
        return search(cost, 0, new boolean[m], 0.0);
    }

    private static double search(double[][] cost, int i, boolean[] used, double sofar) {
        if (i == cost.length) return sofar;
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < used.length; j++) {
            if (used[j]) continue;
            used[j] = true;
            best = Math.min(best, search(cost, i + 1, used, sofar + cost[i][j]));
            used[j] = false;
        }
        return best;
    }

    private static void assertInjective(int[] a, int m) {
        boolean[] seen = new boolean[m];
        for (int j : a) {
            assertTrue(j >= 0 && j < m, "column " + j + " out of range " + m + " in " + Arrays.toString(a));
            assertFalse(seen[j], "column " + j + " assigned twice in " + Arrays.toString(a));
            seen[j] = true;
        }
    }

    private static double[][] randomCost(int n, int m, Rng rng, int kind) {
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++)
            c[i][j] = switch (kind) {
                case 0 -> rng.nextDouble();                      // generic
                case 1 -> rng.nextInt(4);                        // many ties
                default -> 1e3 * (rng.nextDouble() - 0.5);       // negative entries, larger scale
            };
        return c;
    }

    private static Points gaussian(int n, double mx, double my, long seed) {
        return GaussianSource.diagonal(new double[]{mx, my}, 1.0).sample(n, new Rng(seed));
    }

    @Test void matchesBruteForceOnSmallSquareMatrices() {
        for (long seed = 1; seed <= 12; seed++) {
            Rng rng = new Rng(seed);
            for (int n = 1; n <= 7; n++) for (int kind = 0; kind < 3; kind++) {
                double[][] c = randomCost(n, n, rng, kind);
                int[] a = Assignment.solve(c);
                assertEquals(n, a.length);
                assertInjective(a, n);
                double want = bruteForce(c);
                assertEquals(want, Assignment.totalCost(c, a), 1e-9 * Math.max(1, Math.abs(want)),
                        "seed " + seed + ", n " + n + ", kind " + kind);
            }
        }
    }

    @Test void matchesBruteForceWithMoreColumnsThanRows() {
        Rng rng = new Rng(99);
        for (int rep = 0; rep < 20; rep++) for (int n = 1; n <= 5; n++) for (int m = n; m <= 7; m++) {
            double[][] c = randomCost(n, m, rng, rep % 3);
            int[] a = Assignment.solve(c);
            assertInjective(a, m);
            double want = bruteForce(c);
            assertEquals(want, Assignment.totalCost(c, a), 1e-9 * Math.max(1, Math.abs(want)), n + " × " + m);
        }
    }

    @Test void degenerateAndInvalidMatrices() {
        assertArrayEquals(new int[0], Assignment.solve(new double[0][0]));
        assertArrayEquals(new int[]{0}, Assignment.solve(new double[][]{{-3.5}}));
        assertArrayEquals(new int[]{1, 0}, Assignment.solve(new double[][]{{5, 1}, {1, 5}}));
        var tall = assertThrows(IllegalArgumentException.class, () -> Assignment.solve(new double[][]{{1}, {2}}));
        assertTrue(tall.getMessage().contains("2 × 1"), tall.getMessage());
        var ragged = assertThrows(IllegalArgumentException.class, () -> Assignment.solve(new double[][]{{1, 2}, {3}}));
        assertTrue(ragged.getMessage().contains("row 1"), ragged.getMessage());
        var nan = assertThrows(IllegalArgumentException.class, () -> Assignment.solve(new double[][]{{1, 2}, {3, Double.NaN}}));
        assertTrue(nan.getMessage().contains("(1, 1)"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Assignment.solve(new double[][]{{Double.POSITIVE_INFINITY}}));
        assertThrows(IllegalArgumentException.class, () -> Assignment.solve(null));
    }

    @Test void w2OfASetWithItselfShuffledIsZero() {
        Points a = gaussian(400, 0.3, -1, 1);
        int[] perm = new int[a.n()];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        new Rng(2).shuffle(perm);
        Points b = a.select(perm);
        assertEquals(0, Metrics.w2(a, b, 1000), 0);
        assertEquals(0, Metrics.w2(b, a, 1000), 0);
    }

    @Test void w2OfA1dShiftIsTheShiftExactly() {
        // dyadic values: every cost, potential and sum is exact in double, so the optimum is δ² exactly
        Rng rng = new Rng(3);
        int n = 250;
        double delta = 0.75;
        double[][] x = new double[n][1], y = new double[n][1];
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) { x[i][0] = rng.nextInt(1024) / 16.0 - 32; perm[i] = i; }
        rng.shuffle(perm);
        for (int i = 0; i < n; i++) y[i][0] = x[perm[i]][0] + delta;
        assertEquals(delta, Metrics.w2(Points.of(x), Points.of(y), 1000), 0);
        assertEquals(delta, Metrics.w2(Points.of(y), Points.of(x), 1000), 0);
    }

    @Test void w2In1dEqualsTheSortedMatching() {
        Rng rng = new Rng(4);
        int n = 300;
        double[][] x = new double[n][1], y = new double[n][1];
        for (int i = 0; i < n; i++) { x[i][0] = rng.nextGaussian(); y[i][0] = 2 * rng.nextDouble() + 0.5; }
        Points a = Points.of(x), b = Points.of(y);
        double[] sa = a.toDoubles(), sb = b.toDoubles();
        Arrays.sort(sa);
        Arrays.sort(sb);
        double want = Math.sqrt(Metrics.w2SquaredSorted(sa, sb));
        assertEquals(want, Metrics.w2(a, b, 1000), 1e-12 * want);
    }

    @Test void w2OfShiftedGaussiansIsTheShiftUpToSamplingError() {
        // W2(N(0, I), N(δ, I)) = |δ|; two 1000-point clouds add a small positive bias
        double want = Math.hypot(1.5, 0.5);
        double got = Metrics.w2(gaussian(1000, 0, 0, 5), gaussian(1000, 1.5, 0.5, 6), Metrics.W2_MAX_POINTS);
        assertEquals(want, got, 0.06);
        double noise = Metrics.w2(gaussian(1000, 0, 0, 7), gaussian(1000, 0, 0, 8), Metrics.W2_MAX_POINTS);
        assertTrue(noise > 0 && noise < 0.25, "W2 between two samples of one law: " + noise);
        assertTrue(got > noise);
    }

    @Test void w2UsesTheFirstRowsAndIsSymmetric() {
        Points a = gaussian(700, 0, 0, 9), b = gaussian(500, 1, 0, 10);
        double w = Metrics.w2(a, b, 1000);                           // m = 500
        assertEquals(w, Metrics.w2(a.slice(0, 500), b, 1000), 0);
        assertEquals(w, Metrics.w2(b, a, 1000), 1e-12);
        assertEquals(Metrics.w2(a.slice(0, 100), b.slice(0, 100), 1000), Metrics.w2(a, b, 100), 0);
        // a single point each: the distance between them
        Points p = Points.of(new double[][]{{0, 0}}), q = Points.of(new double[][]{{3, 4}});
        assertEquals(5, Metrics.w2(p, q, 1000), 0);
        double d01 = Math.hypot(a.get(0, 0) - (double) b.get(0, 0), a.get(0, 1) - (double) b.get(0, 1));
        assertEquals(d01, Metrics.w2(a, b, 1), 1e-15);            // maxPoints = 1: the first rows only
    }

    @Test void w2RejectsBadInputs() {
        Points two = Points.of(new double[][]{{0, 0}, {1, 1}}), three = Points.of(new double[][]{{0, 0, 0}});
        var e = assertThrows(IllegalArgumentException.class, () -> Metrics.w2(two, three, 1000));
        assertTrue(e.getMessage().contains("Points(2, 2)") && e.getMessage().contains("Points(1, 3)"), e.getMessage());
        var empty = assertThrows(IllegalArgumentException.class, () -> Metrics.w2(two, new Points(0, 2, new float[0]), 1000));
        assertTrue(empty.getMessage().contains("Points(0, 2)"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metrics.w2(two, two, 0));
    }
}
