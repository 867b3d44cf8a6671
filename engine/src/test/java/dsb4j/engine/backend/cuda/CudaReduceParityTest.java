package dsb4j.engine.backend.cuda;

import static dsb4j.engine.backend.SpiParity.*;

import dsb4j.engine.backend.GemmShape;
import dsb4j.engine.backend.ReduceOp;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * reduce over every axis subset (both kernel shapes: a block per output and a thread per output) and the
 * strided batched GEMM (cuBLAS and the plain kernel: every transpose, odd sizes, k = 0, shared and
 * accumulated batch entries, padded leading dimensions, offsets, alpha and beta) against the scalar backend.
 */
class CudaReduceGemmParityTest {

    static java.util.stream.Stream<String> targets() { return CudaTargets.names(); }

    static java.util.stream.Stream<String> gemmTargets() { return CudaTargets.namesWithPlainGemm(); }

    static List<Shape> reduceShapes() {
        return List.of(Shape.of(0), Shape.of(1), Shape.of(W - 1), Shape.of(W + 1), Shape.of(4097), Shape.of(3, 2 * W + 3),
                Shape.of(2 * W + 3, 3), Shape.of(1000, 3), Shape.of(67, 1023), Shape.of(4, 5, W + 1), Shape.of(2, 3, 4, 5),
                Shape.of(0, 5));
    }

    @ParameterizedTest @MethodSource("targets")
    void reduceEveryAxisSubsetAndView(String target) {
        CudaBackend cuda = CudaTargets.backend(target);
        Rng rng = new Rng(21);
        for (DType t : DTYPES)
            for (ReduceOp op : ReduceOp.values())
                for (Shape s : reduceShapes()) {
                    List<View> views = new ArrayList<>(outputs(s));
                    if (s.rank() >= 1 && s.numel() > 0) views.add(inputs(s).get(views.size() + 1));   // broadcast-first
                    for (int mask = 0; mask < 1 << s.rank(); mask++)
                        for (View v : views) reduce(cuda, t, op, s, mask, v, rng);
                }
    }

    static void reduce(CudaBackend cuda, DType t, ReduceOp op, Shape s, int mask, View in, Rng rng) {
        boolean[] red = new boolean[s.rank()];
        int[] keep = s.dims();
        for (int a = 0; a < red.length; a++) if ((mask >> a & 1) == 1) { red[a] = true; keep[a] = 1; }
        int nOut = Shape.of(keep).numel();
        double[] x = data(rng, in.storageSize());
        // Sums may add in another order (a tree per block): allow for that relative to the sum of magnitudes.
        double[] magnitude = new double[nOut + 3];
        if (op == ReduceOp.SUM) {
            Storage xs = SCALAR.fromDoubles(abs(x)), m = SCALAR.allocate(DType.F64, nOut + 3);
            SCALAR.reduce(ReduceOp.SUM, xs, in.layout(), red, m);
            magnitude = all(m);
        }
        double[] mag = magnitude;
        Tol tol = op == ReduceOp.MAX ? EXACT
                : (i, e) -> (t == DType.F32 ? 1.2e-7 * Math.abs(e) : 0) + 1e-13 * mag[i] + Double.MIN_NORMAL;
        check("reduce " + op + " " + t + " " + s + " mask " + Integer.toBinaryString(mask) + " " + in, cuda, new DType[]{t, t},
                new double[][]{x, sentinels(nOut + 3)}, 1, (b, st) -> b.reduce(op, st[0], in.layout(), red, st[1]), tol);
    }

    /** A GEMM case: its shape, scalars and operand offsets. */
    record Case(GemmShape g, double alpha, double beta, int aOff, int bOff, int cOff) {
        @Override public String toString() { return g + " alpha " + alpha + " beta " + beta + " offsets " + aOff + "/" + bOff + "/" + cOff; }
    }

    static List<Case> gemmCases() {
        List<Case> cases = new ArrayList<>();
        int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {W + 1, 17, 2 * W + 1}, {64, 64, 64}, {100, 1, 37}, {1, 100, 37}, {5, 4, 0}};
        for (boolean ta : new boolean[]{false, true})
            for (boolean tb : new boolean[]{false, true})
                for (int[] mnk : sizes) {
                    int m = mnk[0], n = mnk[1], k = mnk[2];
                    cases.add(new Case(GemmShape.of(ta, tb, m, n, k), 1, 0, 0, 0, 0));
                    cases.add(new Case(GemmShape.of(ta, tb, m, n, k), 0.5, -2, 3, 5, 7));
                    // padded leading dimensions, a batch of 3 with gaps between entries
                    int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 2, ldc = n + 1;
                    int sa = (ta ? k : m) * lda + 4, sb = (tb ? n : k) * ldb + 1, sc = m * ldc + 2;
                    cases.add(new Case(new GemmShape(ta, tb, 3, m, n, k, lda, ldb, ldc, sa, sb, sc), 1.25, 0, 1, 2, 3));
                    // one A shared by the batch; then every entry accumulating into one C
                    cases.add(new Case(new GemmShape(ta, tb, 3, m, n, k, lda, ldb, ldc, 0, sb, sc), 1, 1, 0, 0, 0));
                    cases.add(new Case(new GemmShape(ta, tb, 2, m, n, k, lda, ldb, ldc, sa, sb, 0), 1, 1, 0, 0, 0));
                }
        // a leading dimension cuBLAS rejects (one row of A, lda 1 < k): the plain kernel takes it
        cases.add(new Case(new GemmShape(false, false, 1, 1, 4, 5, 1, 4, 4, 0, 0, 0), 1, 0, 0, 0, 0));
        return cases;
    }

    /** Elements an operand's storage needs: the last one it touches plus slack (sentinels beyond C). */
    static int extent(int off, int batch, int stride, int rows, int cols, int ld) {
        if (rows == 0 || cols == 0) return off + 1;
        return off + (batch - 1) * stride + (rows - 1) * ld + cols + 4;
    }

    @ParameterizedTest @MethodSource("gemmTargets")
    void gemmEveryTransposeSizeBatchAndOffset(String target) {
        CudaBackend cuda = CudaTargets.backend(target);
        Rng rng = new Rng(22);
        for (DType t : DTYPES)
            for (Case c : gemmCases()) gemm(cuda, t, c, rng);
    }

    static void gemm(CudaBackend cuda, DType t, Case c, Rng rng) {
        GemmShape g = c.g;
        int na = extent(c.aOff, g.batch(), g.strideA(), g.transA() ? g.k() : g.m(), g.transA() ? g.m() : g.k(), g.lda());
        int nb = extent(c.bOff, g.batch(), g.strideB(), g.transB() ? g.n() : g.k(), g.transB() ? g.k() : g.n(), g.ldb());
        int nc = extent(c.cOff, g.batch(), g.strideC(), g.m(), g.n(), g.ldc());
        double[] a = data(rng, na), b = data(rng, nb);
        double[] cv = c.beta == 0 ? nanFilled(nc) : data(rng, nc);     // beta == 0 must not read C
        // |alpha|·|A|·|B| + |beta|·|C|: the scale of rounding differences (cuBLAS accumulates in the dtype)
        Storage am = SCALAR.fromDoubles(abs(a)), bm = SCALAR.fromDoubles(abs(b)), cm = SCALAR.fromDoubles(c.beta == 0 ? new double[nc] : abs(cv));
        SCALAR.gemm(g, Math.abs(c.alpha), am, c.aOff, bm, c.bOff, Math.abs(c.beta), cm, c.cOff);
        double[] mag = all(cm);
        double eps = t == DType.F32 ? 0x1p-23 : 0x1p-51;
        Tol tol = (i, e) -> (g.k() + 2) * g.batch() * eps * mag[i] + Double.MIN_NORMAL;
        check("gemm " + t + " " + c, cuda, new DType[]{t, t, t}, new double[][]{a, b, cv}, 2,
                (k, s) -> k.gemm(g, c.alpha, s[0], c.aOff, s[1], c.bOff, c.beta, s[2], c.cOff), tol);
    }

    static double[] nanFilled(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }

    /** The reduce kernel shape is a heuristic; on the emulator, check that the tests above reach both. */
    @ParameterizedTest @MethodSource("targets")
    void bothReduceKernelsAreExercised(String target) {
        CudaBackend cuda = CudaTargets.backend(target);
        if (!target.startsWith("emulator")) return;
        long block = CudaEmulator.launchesOf("reduce_block_f32"), thread = CudaEmulator.launchesOf("reduce_thread_f32");
        reduce(cuda, DType.F32, ReduceOp.SUM, Shape.of(4097), 1, view("packed", Layout.contiguous(Shape.of(4097))), new Rng(1));
        reduce(cuda, DType.F32, ReduceOp.SUM, Shape.of(67, 1023), 1, view("packed", Layout.contiguous(Shape.of(67, 1023))), new Rng(1));
        org.junit.jupiter.api.Assertions.assertEquals(block + 1, CudaEmulator.launchesOf("reduce_block_f32"), "block per output for a long contiguous run");
        org.junit.jupiter.api.Assertions.assertEquals(thread + 1, CudaEmulator.launchesOf("reduce_thread_f32"), "thread per output over a leading axis");
    }
}
