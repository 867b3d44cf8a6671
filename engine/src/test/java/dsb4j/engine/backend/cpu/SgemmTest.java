package dsb4j.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Sgemm#gemm} against its reference twin {@link Sgemm#gemmScalar}. */
class SgemmTest {

    private static final int[] SIZES = {0, 1, 2, 15, 16, 17, 33, 63, 64, 65, 127, 128, 129, 257};
    private static final float[] ALPHAS = {1f, -0.75f, 2.5f};
    private static final float[] BETAS = {0f, 1f, 0.5f};

    private static ForkJoinPool pool;

    @BeforeAll
    static void startPool() {
        pool = new ForkJoinPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
    }

    /** One problem: operands with offsets and padded leading dimensions, checked against the oracle. */
    private static void check(SplittableRandom rnd, boolean tA, boolean tB, int m, int n, int k, float alpha,
                              float beta, int padA, int padB, int padC, boolean threaded) {
        int aOff = rnd.nextInt(5);
        int bOff = rnd.nextInt(5);
        int cOff = rnd.nextInt(5);
        int lda = Math.max(1, tA ? m : k) + padA;
        int ldb = Math.max(1, tB ? k : n) + padB;
        int ldc = Math.max(1, n) + padC;
        float[] a = random(rnd, aOff + lda * (tA ? k : m) + 3);
        float[] b = random(rnd, bOff + ldb * (tB ? n : k) + 3);
        float[] c = random(rnd, cOff + ldc * m + 3);
        if (beta == 0f) {
            for (int i = 0; i < m; i++) {
                Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, Float.NaN);
            }
        }
        float[] want = c.clone();
        Sgemm.gemmScalar(tA, tB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, want, cOff, ldc);
        // Error scale per element: |alpha|·|A[i,:]|·|B[:,j]| + |beta·C[i,j]| (Cauchy-Schwarz bounds Σ|a||b|).
        double[] rowNorm = new double[m];
        double[] colNorm = new double[n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double x = a[aOff + (tA ? p * lda + i : i * lda + p)];
                rowNorm[i] += x * x;
            }
        }
        for (int j = 0; j < n; j++) {
            for (int p = 0; p < k; p++) {
                double y = b[bOff + (tB ? j * ldb + p : p * ldb + j)];
                colNorm[j] += y * y;
            }
        }
        float[] aCopy = a.clone();
        float[] bCopy = b.clone();
        float[] got = c.clone();
        Sgemm.gemm(tA, tB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, got, cOff, ldc, threaded ? pool : null);

        String what = String.format("tA=%b tB=%b m=%d n=%d k=%d alpha=%s beta=%s lda=%d ldb=%d ldc=%d pool=%b",
                tA, tB, m, n, k, alpha, beta, lda, ldb, ldc, threaded);
        assertArrayEquals(aCopy, a, "A modified: " + what);
        assertArrayEquals(bCopy, b, "B modified: " + what);
        double rel = 4e-6 * (k + 2);
        for (int idx = 0; idx < got.length; idx++) {
            int rel0 = idx - cOff;
            boolean inside = rel0 >= 0 && rel0 < m * ldc && rel0 % ldc < n;
            if (!inside) {
                if (Float.floatToRawIntBits(got[idx]) != Float.floatToRawIntBits(c[idx])) {
                    fail("wrote outside C at " + idx + ": " + what);
                }
                continue;
            }
            int i = rel0 / ldc;
            int j = rel0 % ldc;
            double scale = Math.abs(alpha) * Math.sqrt(rowNorm[i] * colNorm[j])
                    + (beta == 0f ? 0 : Math.abs(beta * c[idx]));
            double tol = rel * scale + 1e-30;
            if (!(Math.abs(got[idx] - want[idx]) <= tol)) {
                fail(String.format("C[%d,%d] = %s, want %s (tol %.3g): %s", i, j, got[idx],
                        want[idx], tol, what));
            }
        }
    }

    private static float[] random(SplittableRandom rnd, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            float v;
            do {
                v = (float) (rnd.nextDouble() * 2 - 1);
            } while (Math.abs(v) < 1e-3f);
            x[i] = v;
        }
        return x;
    }

    private static int pick(SplittableRandom rnd, int[] xs) {
        return xs[rnd.nextInt(xs.length)];
    }

    @Test
    void randomShapesAllTransposes() {
        SplittableRandom rnd = new SplittableRandom(20240611L);
        for (int trans = 0; trans < 4; trans++) {
            boolean tA = (trans & 1) != 0;
            boolean tB = (trans & 2) != 0;
            for (int it = 0; it < 120; it++) {
                int m = pick(rnd, SIZES);
                int n = pick(rnd, SIZES);
                int k = pick(rnd, SIZES);
                if ((long) m * n * k > 1_200_000L) {
                    // keep the reference loop cheap: one big dimension at a time
                    k = pick(rnd, new int[] {1, 2, 17, 33});
                }
                float alpha = ALPHAS[rnd.nextInt(ALPHAS.length)];
                float beta = BETAS[rnd.nextInt(BETAS.length)];
                boolean padded = rnd.nextBoolean();
                check(rnd, tA, tB, m, n, k, alpha, beta, padded ? 1 + rnd.nextInt(7) : 0,
                        padded ? 1 + rnd.nextInt(7) : 0, padded ? 1 + rnd.nextInt(7) : 0, rnd.nextBoolean());
            }
        }
    }

    @Test
    void everySizePerDimension() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int trans = 0; trans < 4; trans++) {
            boolean tA = (trans & 1) != 0;
            boolean tB = (trans & 2) != 0;
            for (int s : SIZES) {
                check(rnd, tA, tB, s, 33, 17, 1f, 0f, 0, 0, 0, false);
                check(rnd, tA, tB, 17, s, 33, -0.75f, 1f, 2, 0, 3, false);
                check(rnd, tA, tB, 33, 17, s, 2.5f, 0.5f, 0, 5, 0, false);
            }
        }
    }

    @Test
    void largeAndThreaded() {
        SplittableRandom rnd = new SplittableRandom(99);
        // several k blocks (k > 512), several column blocks (n > 256), several packed row blocks of op(A)
        // (m > 1020), narrow and short outputs, and problems big enough (>= 1e7 flops) for the pool
        int[][] shapes = {
            {130, 300, 130}, {40, 70, 1100}, {1100, 20, 40}, {7, 1000, 300}, {1000, 7, 300}, {300, 129, 140},
            {65, 1000, 90}, {1000, 9, 600}, {5, 300, 700},
            {16, 650, 1030}, {32, 1100, 144}, {64, 129, 576},     // conv layers: B read in place, k blocks, column tails
        };
        for (int trans = 0; trans < 4; trans++) {
            boolean tA = (trans & 1) != 0;
            boolean tB = (trans & 2) != 0;
            for (int i = 0; i < shapes.length; i++) {
                int[] s = shapes[i];
                // every shape runs twice with the pool and twice without it over the four transpose combinations
                boolean threaded = (i + trans) % 2 == 0;
                float beta = BETAS[rnd.nextInt(BETAS.length)];
                check(rnd, tA, tB, s[0], s[1], s[2], ALPHAS[rnd.nextInt(ALPHAS.length)], beta, rnd.nextInt(3),
                        rnd.nextInt(3), rnd.nextInt(3), threaded);
            }
        }
    }

    /** The shapes small neural networks hit. */
    @Test
    void networkShapes() {
        SplittableRandom rnd = new SplittableRandom(3);
        int[][] shapes = {{512, 128, 128}, {512, 128, 64}, {512, 2, 128}, {512, 16, 1}, {128, 128, 512}};
        for (int[] s : shapes) {
            for (int trans = 0; trans < 4; trans++) {
                check(rnd, (trans & 1) != 0, (trans & 2) != 0, s[0], s[1], s[2], 1f, BETAS[trans % BETAS.length], 0,
                        0, 0, trans % 2 == 0);
            }
        }
    }

    @Test
    void emptyAndZeroDepth() {
        float[] c = {1f, 2f, 3f, 4f, 5f, 6f, 7f};
        float[] none = new float[0];
        // m == 0 or n == 0: nothing touched
        Sgemm.gemm(false, false, 0, 3, 4, 1f, none, 0, 4, new float[12], 0, 3, 0f, c, 0, 3, pool);
        Sgemm.gemm(false, false, 2, 0, 4, 1f, new float[8], 0, 4, none, 0, 1, 0f, c, 0, 1, null);
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f}, c);
        // k == 0: C = beta·C, A and B never read
        Sgemm.gemm(false, true, 2, 3, 0, 1f, none, 0, 1, none, 0, 1, 0.5f, c, 1, 3, null);
        assertArrayEquals(new float[] {1f, 1f, 1.5f, 2f, 2.5f, 3f, 3.5f}, c);
        float[] nan = {9f, Float.NaN, Float.NaN, Float.NaN, Float.NaN, 9f};
        Sgemm.gemm(true, false, 2, 2, 0, 1f, none, 0, 1, none, 0, 1, 0f, nan, 1, 2, pool);
        assertArrayEquals(new float[] {9f, 0f, 0f, 0f, 0f, 9f}, nan);
    }

    @Test
    void betaZeroIgnoresNaN() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int trans = 0; trans < 4; trans++) {
            check(rnd, (trans & 1) != 0, (trans & 2) != 0, 65, 129, 33, 1f, 0f, 1, 1, 1, false);
            check(rnd, (trans & 1) != 0, (trans & 2) != 0, 1, 1, 1, -0.75f, 0f, 0, 0, 0, false);
            check(rnd, (trans & 1) != 0, (trans & 2) != 0, 129, 2, 257, 2.5f, 0f, 0, 0, 0, true);
        }
    }

    @Test
    void oracleOnAHandExample() {
        // A = [1 2 3; 4 5 6], B = [7 8; 9 10; 11 12] -> AB = [58 64; 139 154]
        float[] a = {1, 2, 3, 4, 5, 6};
        float[] b = {7, 8, 9, 10, 11, 12};
        float[] at = {1, 4, 2, 5, 3, 6};
        float[] bt = {7, 9, 11, 8, 10, 12};
        float[] want = {58, 64, 139, 154};
        for (int trans = 0; trans < 4; trans++) {
            boolean tA = (trans & 1) != 0;
            boolean tB = (trans & 2) != 0;
            float[] c1 = {1, 1, 1, 1};
            float[] c2 = {1, 1, 1, 1};
            Sgemm.gemmScalar(tA, tB, 2, 2, 3, 2f, tA ? at : a, 0, tA ? 2 : 3, tB ? bt : b, 0, tB ? 3 : 2, -1f,
                    c1, 0, 2);
            Sgemm.gemm(tA, tB, 2, 2, 3, 2f, tA ? at : a, 0, tA ? 2 : 3, tB ? bt : b, 0, tB ? 3 : 2, -1f,
                    c2, 0, 2, null);
            for (int i = 0; i < 4; i++) {
                assertEquals(2 * want[i] - 1, c1[i], 0f);
                assertEquals(2 * want[i] - 1, c2[i], 1e-4f);
            }
        }
    }

    @Test
    void repeatedCallsAreStable() {
        // Reuses the per-thread packing buffers across shrinking and growing problems.
        SplittableRandom rnd = new SplittableRandom(5);
        int[] ms = {300, 3, 129, 1, 257};
        for (int m : ms) {
            check(rnd, true, false, m, 200, 300, 1f, 0.5f, 0, 0, 0, true);
            check(rnd, false, true, m, 70, 9, 1f, 1f, 0, 0, 0, false);
        }
    }

    /** Same inputs, same bits: from the first (interpreted) call to the last (compiled) one. */
    @Test
    void repeatableBits() {
        SplittableRandom rnd = new SplittableRandom(17);
        int[][] shapes = {{64, 2, 100}, {3, 70, 90}, {40, 3, 33}, {30, 40, 50}};
        eachTransposeOf(shapes, (tA, tB, m, n, k) -> {
            float[] a = random(rnd, m * k);
            float[] b = random(rnd, k * n);
            float[] first = new float[m * n];
            Sgemm.gemm(tA, tB, m, n, k, 0.5f, a, 0, tA ? m : k, b, 0, tB ? k : n, 0f, first, 0, n, null);
            float[] again = new float[m * n];
            for (int rep = 0; rep < 300; rep++) {
                Sgemm.gemm(tA, tB, m, n, k, 0.5f, a, 0, tA ? m : k, b, 0, tB ? k : n, 0f, again, 0, n, null);
            }
            assertArrayEquals(first, again, "tA=" + tA + " tB=" + tB + " " + m + "x" + n + "x" + k);
        });
    }

    /** A product's shape and transposes, for {@link #eachTransposeOf}. */
    @FunctionalInterface
    private interface Product {
        void check(boolean tA, boolean tB, int m, int n, int k);
    }

    /** {@code p} on every shape {m, n, k} of {@code shapes} with each of the four transpose combinations. */
    private static void eachTransposeOf(int[][] shapes, Product p) {
        for (int[] s : shapes) {
            for (int trans = 0; trans < 4; trans++) {
                p.check((trans & 1) != 0, (trans & 2) != 0, s[0], s[1], s[2]);
            }
        }
    }

    /**
     * The same bits on 1, 2 and 3 threads: shapes whose split leaves a share of fewer columns or rows than the small
     * paths take (n = 129 on 64-column panels) and small products split all the same (3 rows, 2 columns) included,
     * with and without beta and with a bias-and-activation epilogue.
     */
    @Test
    void anyThreadCountGivesTheBitsOfOne() {
        SplittableRandom rnd = new SplittableRandom(29);
        int[][] shapes = {{300, 129, 257}, {301, 65, 200}, {1003, 17, 96}, {97, 1001, 64}, {5, 4000, 300}, {2000, 3, 700},
                {3, 5000, 400}, {20000, 2, 300}};
        ForkJoinPool three = new ForkJoinPool(3);
        try {
            eachTransposeOf(shapes, (tA, tB, m, n, k) -> {
                float[] a = random(rnd, m * k);
                float[] b = random(rnd, k * n);
                float[] c0 = random(rnd, m * n);
                float[] bias = random(rnd, n);
                for (float beta : new float[] {0f, 1.5f}) {
                    Sgemm.Epilogue epi = beta != 0f ? null : (c, off, ldc, rows, col0, cols) -> FusedKernels.biasActivation(
                            c, off, ldc, rows, cols, bias, col0, dsb4j.engine.backend.UnaryOp.LEAKY_RELU, 0.01);
                    float[] one = c0.clone();
                    Sgemm.gemm(tA, tB, m, n, k, 0.5f, a, 0, tA ? m : k, b, 0, tB ? k : n, beta, one, 0, n, null, epi);
                    for (ForkJoinPool p : new ForkJoinPool[] {pool, three}) {
                        float[] split = c0.clone();
                        Sgemm.gemm(tA, tB, m, n, k, 0.5f, a, 0, tA ? m : k, b, 0, tB ? k : n, beta, split, 0, n, p, epi);
                        assertArrayEquals(one, split, p.getParallelism() + " threads, tA=" + tA + " tB=" + tB
                                + " beta=" + beta + " " + m + "x" + n + "x" + k);
                    }
                }
            });
        } finally {
            three.shutdown();
        }
    }

    /**
     * {@link Sgemm#ROWS_AS_MANY} (the CPU backend's rowsThatRoundAsMany): each row of a product of that many rows of a
     * row-major A, or of twice as many, has the bits of the same row inside a product of a thousand, on one thread
     * or two, blocked and narrow outputs, B as is or transposed.
     */
    @Test
    void aFewRowsRoundAsInAProductOfMany() {
        SplittableRandom rnd = new SplittableRandom(31);
        int[][] shapes = {{16, 16}, {16, 32}, {64, 128}, {128, 2}, {2, 16}, {33, 70}};   // {k, n}
        for (int[] s : shapes) {
            int k = s[0];
            int n = s[1];
            for (boolean tB : new boolean[] {false, true}) {
                float[] b = random(rnd, k * n);
                int big = 1003;
                float[] a = random(rnd, big * k);
                float[] many = new float[big * n];
                Sgemm.gemm(false, tB, big, n, k, 1f, a, 0, k, b, 0, tB ? k : n, 0f, many, 0, n, pool);
                for (int rows : new int[] {Sgemm.ROWS_AS_MANY, 2 * Sgemm.ROWS_AS_MANY}) {
                    float[] few = new float[rows * n];
                    Sgemm.gemm(false, tB, rows, n, k, 1f, a, 0, k, b, 0, tB ? k : n, 0f, few, 0, n, null);
                    assertArrayEquals(Arrays.copyOf(many, rows * n), few, rows + " rows, k=" + k + " n=" + n + " tB=" + tB);
                }
            }
        }
    }

    /** An operand that is too short fails the call on whichever thread hits it, and the pool stays usable. */
    @Test
    void threadedFailureSurfaces() {
        SplittableRandom rnd = new SplittableRandom(23);
        int m = 256;
        int n = 256;
        int k = 160;
        float[] a = random(rnd, m * k);
        float[] b = random(rnd, k * n);
        float[] shortC = new float[(m - 1) * n];
        assertThrows(IndexOutOfBoundsException.class,
                () -> Sgemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, shortC, 0, n, pool));
        check(rnd, false, false, m, n, k, 1f, 0.5f, 0, 0, 0, true);
    }

    @Test
    void negativeSizeRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Sgemm.gemm(false, false, -1, 1, 1, 1f, new float[1], 0, 1, new float[1], 0, 1, 0f,
                        new float[1], 0, 1, null));
    }
}
