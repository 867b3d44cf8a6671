package dsb4j.engine.backend.cpu;

import static dsb4j.engine.backend.cpu.Parity.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.ConvGeometry;
import dsb4j.engine.backend.GemmShape;
import dsb4j.engine.backend.HeapStorage;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * im2col and col2im (exact: both only move and add floats in the scalar order) over strides, paddings and
 * input views; and CpuBackend.gemm's batched dispatch (offsets, batch strides, transposes, beta, row gaps).
 */
class ConvGemmParityTest {

    @BeforeAll static void lanes() { checkLanes("ConvGemmParityTest"); }

    static final List<ConvGeometry> GEOMETRIES = List.of(
            new ConvGeometry(2, 3, 5, 7, 3, 3, 1, 1),
            new ConvGeometry(1, 2, 8, 8, 3, 3, 2, 1),
            new ConvGeometry(2, 1, L + 1, 2 * L + 3, 2, 2, 2, 0),
            new ConvGeometry(1, 3, 6, 5, 1, 1, 1, 0),
            new ConvGeometry(1, 2, 4, 4, 3, 3, 1, 2),          // padding wider than the kernel's reach
            new ConvGeometry(2, 2, 6, 9, 5, 5, 1, 2),          // "same" 5×5: two edge columns each side
            new ConvGeometry(2, 2, 3, 1, 5, 5, 1, 2),          // "same" but the window is wider than the image
            new ConvGeometry(1, 1, 5, 5, 5, 5, 1, 0),
            new ConvGeometry(2, 2, 7, 9, 3, 2, 3, 1),          // stride 3, non-square kernel
            new ConvGeometry(1, 2, 2 * L + 3, 1000, 3, 3, 1, 1),
            new ConvGeometry(4, 8, 32, 32, 3, 3, 1, 1));       // ~300k columns: the fork-join path

    /** NCHW packed, at an offset, NHWC storage seen as NCHW, and every other column of a wider image. */
    static List<View> views(ConvGeometry g) {
        Shape s = Shape.of(g.n(), g.c(), g.h(), g.w());
        List<View> v = new ArrayList<>(outputs(s).subList(0, 3));
        v.add(view("nhwc", Layout.contiguous(Shape.of(g.n(), g.h(), g.w(), g.c())).permute(0, 3, 1, 2)));
        return v;
    }

    @Test void im2colMatches() {
        Rng rng = new Rng(51);
        for (ConvGeometry g : GEOMETRIES) {
            int total = g.n() * g.colRows() * g.colCols();
            for (View v : views(g)) {
                float[] x = data(rng, v.storageSize());
                float[] expected = im2col(SCALAR, g, x, v, total);
                for (CpuBackend cpu : CPUS)
                    assertStorage("im2col " + g + " x " + v + " threads " + cpu.threads(), expected, im2col(cpu, g, x, v, total), EXACT);
            }
        }
    }

    static float[] im2col(Backend b, ConvGeometry g, float[] x, View v, int total) {
        HeapStorage.F32 cols = f32(b, sentinels(total + 5));
        b.im2col(g, f32(b, x), v.layout(), cols);
        return cols.data;
    }

    @Test void col2imMatches() {
        Rng rng = new Rng(52);
        for (ConvGeometry g : GEOMETRIES) {
            float[] cols = data(rng, g.n() * g.colRows() * g.colCols());
            float[] dx = data(rng, g.n() * g.c() * g.h() * g.w());      // col2im adds into what is there
            float[] expected = col2im(SCALAR, g, cols, dx);
            for (CpuBackend cpu : CPUS)
                assertStorage("col2im " + g + " threads " + cpu.threads(), expected, col2im(cpu, g, cols, dx), EXACT);
        }
    }

    static float[] col2im(Backend b, ConvGeometry g, float[] cols, float[] dx) {
        HeapStorage.F32 d = f32(b, dx);
        b.col2im(g, f32(b, cols), d);
        return d.data;
    }

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
