package dsb4j.engine.backend.cpu;

import static dsb4j.engine.backend.cpu.Parity.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.GemmShape;
import dsb4j.engine.backend.HeapStorage;
import dsb4j.engine.random.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CpuBackend.gemm's batched dispatch (offsets, batch strides, transposes, beta, row gaps). im2col and col2im (exact:
 * both only move and add floats in the scalar order) over strides, paddings and input views run in
 * {@link dsb4j.engine.backend.SpiContractTest}, on every backend.
 */
class ConvGemmParityTest {

    @BeforeAll static void lanes() { checkLanes("ConvGemmParityTest"); }

    /**
     * Batched GEMM through the backend: operands at offsets with padded leading dimensions, a shared
     * (stride 0) B, C rows with gaps that must stay untouched. Float accumulation: 1e-5 of Σ|a||b|. The last case has
     * many products each too small to split, which two threads run side by side: the bits must not change.
     */
    @Test void batchedGemmDispatch() {
        Rng rng = new Rng(53);
        int[][] mnkBatch = {{1, 1, 1, 3}, {L + 1, 2 * L + 3, L - 1, 3}, {33, 17, 65, 3}, {64, 64, 64, 3}, {117, 121, 119, 12}};
        for (int[] d : mnkBatch) {
            int m = d[0], n = d[1], k = d[2], batch = d[3];
            for (boolean ta : new boolean[]{false, true})
                for (boolean tb : new boolean[]{false, true})
                    for (double beta : new double[]{0, 0.5}) {
                        int lda = (ta ? m : k) + 2, ldb = (tb ? k : n) + 1, ldc = n + 3;
                        int sa = (ta ? k : m) * lda + 1, sc = m * ldc;
                        GemmShape g = new GemmShape(ta, tb, batch, m, n, k, lda, ldb, ldc, sa, 0, sc);
                        float[] a = data(rng, 5 + batch * sa), b = data(rng, 4 + (tb ? n : k) * ldb);
                        float[] c = sentinels(6 + batch * sc);
                        float[] c0 = data(rng, c.length);
                        for (int t = 0; t < batch; t++)          // C's own elements start random, the gaps stay sentinels
                            for (int i = 0; i < m; i++)
                                for (int j = 0; j < n; j++) c[6 + t * sc + i * ldc + j] = c0[6 + t * sc + i * ldc + j];
                        float[] expected = gemm(SCALAR, g, 1.3, a, b, beta, c);
                        float[] scale = scale(g, a, b, beta, c);
                        float[] first = null;
                        for (CpuBackend cpu : CPUS) {
                            float[] got = gemm(cpu, g, 1.3, a, b, beta, c);
                            assertStorage("gemm " + g + " beta " + beta + " threads " + cpu.threads(), expected,
                                    got, (i, e) -> 1e-5 * scale[i] + Float.MIN_NORMAL);
                            if (first == null) first = got;
                            else assertArrayEquals(first, got, "gemm " + g + ": thread counts disagree");
                        }
                    }
        }
    }

    /** A batch whose products all add into one C (batch stride 0) must accumulate in order on any thread count. */
    @Test void sharedOutputAccumulatesInOrder() {
        Rng rng = new Rng(54);
        int m = 117, n = 121, k = 119, batch = 12;
        GemmShape g = new GemmShape(false, false, batch, m, n, k, k, n, n, m * k, k * n, 0);
        float[] a = data(rng, 5 + batch * m * k), b = data(rng, 4 + batch * k * n), c = data(rng, 6 + m * n);
        float[] expected = gemm(SCALAR, g, 1.0, a, b, 1.0, c), scale = scale(g, a, b, 1.0, c);
        float[] first = null;
        for (CpuBackend cpu : CPUS) {
            float[] got = gemm(cpu, g, 1.0, a, b, 1.0, c);
            assertStorage("shared C, threads " + cpu.threads(), expected, got, (i, e) -> 1e-5 * scale[i] + Float.MIN_NORMAL);
            if (first == null) first = got;
            else assertArrayEquals(first, got, "shared C: thread counts disagree");
        }
    }

    static float[] gemm(Backend be, GemmShape g, double alpha, float[] a, float[] b, double beta, float[] c) {
        HeapStorage.F32 cs = f32(be, c);
        be.gemm(g, alpha, f32(be, a), 5, f32(be, b), 4, beta, cs, 6);
        return cs.data;
    }

    /** |alpha|·Σ|a||b| + |beta·c| per element of C, from the scalar GEMM on absolute values. */
    static float[] scale(GemmShape g, float[] a, float[] b, double beta, float[] c) {
        float[] aa = a.clone(), ab = b.clone(), ac = c.clone();
        for (int i = 0; i < aa.length; i++) aa[i] = Math.abs(aa[i]);
        for (int i = 0; i < ab.length; i++) ab[i] = Math.abs(ab[i]);
        for (int i = 0; i < ac.length; i++) ac[i] = ac[i] == SENTINEL ? 0 : Math.abs(ac[i]);
        return gemm(SCALAR, g, 1.3, aa, ab, Math.abs(beta), ac);
    }
}
