package dsb4j.engine.backend.cpu;

import dsb4j.engine.backend.AdamStep;
import dsb4j.engine.backend.BinaryOp;
import dsb4j.engine.backend.ConvGeometry;
import dsb4j.engine.backend.GemmShape;
import dsb4j.engine.backend.GroupNormShape;
import dsb4j.engine.backend.HeapStorage;
import dsb4j.engine.backend.ReduceOp;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.backend.UnaryOp;
import dsb4j.engine.backend.scalar.ScalarBackend;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import jdk.incubator.vector.FloatVector;

/**
 * The default host backend: Vector API kernels for F32 over heap arrays, fork-join over rows for large work.
 * Whatever has no fast kernel (F64, mixed dtypes) falls through to the scalar definition it extends, which
 * is also what the parity tests compare against. Strided views are walked row by row: an innermost axis
 * of stride 1 or 0 (broadcast) is vectorised; a transposed input is first gathered into the output
 * (blocked) so the vector loop can run in place. The kernels live in small package-private classes, one
 * family each, every vector loop beside its scalar twin.
 */
public class CpuBackend extends ScalarBackend {
    /**
     * {@code -Ddsb4j.scalar=true} sends every method down the plain scalar path (read once, at class load). This is
     * the one reader of the property: {@link dsb4j.engine.backend.Backends} and the rest ask {@link #scalarForced()}.
     */
    static final boolean FORCE_SCALAR = Boolean.getBoolean("dsb4j.scalar");

    private final int threads;
    private final ForkJoinPool forkJoin;
    /** On a thread inside {@link #onThisThread}: when its ops run on it alone (null elsewhere). */
    private static final ThreadLocal<BooleanSupplier> ALONE = new ThreadLocal<>();
    /** Scratch buffers per calling thread: [slot · 2 + (F64 ? 1 : 0)], grown on demand and kept. */
    private final ThreadLocal<HeapStorage[]> scratch = ThreadLocal.withInitial(() -> new HeapStorage[2 * SCRATCH_SLOTS]);
    private static final int SCRATCH_SLOTS = 4;

    public CpuBackend(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.threads = threads;
        this.forkJoin = threads == 1 ? null : new ForkJoinPool(threads);
    }

    @Override public String name() { return "cpu"; }
    @Override public int threads() { return threads; }

    @Override public Storage scratch(DType dtype, int n, int slot) {
        if (slot < 0 || slot >= SCRATCH_SLOTS) throw new IllegalArgumentException("scratch slot " + slot + " (0.." + (SCRATCH_SLOTS - 1) + ")");
        HeapStorage[] mine = scratch.get();
        int i = slot * 2 + (dtype == DType.F64 ? 1 : 0);
        if (mine[i] == null || mine[i].size() < n) mine[i] = HeapStorage.allocate(this, dtype, n);
        return mine[i];
    }

    /** The pool that ops split over; null when single-threaded, or while {@link #onThisThread} keeps them here. */
    ForkJoinPool pool() {
        BooleanSupplier alone = forkJoin == null ? null : ALONE.get();
        return alone != null && alone.getAsBoolean() ? null : forkJoin;
    }

    @Override public int rowsThatRoundAsMany() { return Sgemm.ROWS_AS_MANY; }

    @Override public <T> T onThisThread(BooleanSupplier alone, Supplier<T> work) {
        BooleanSupplier outer = ALONE.get();
        ALONE.set(alone);
        try {
            return work.get();
        } finally {
            ALONE.set(outer);
        }
    }

    /** Floats per vector register in use (16 with AVX-512; less under -XX:MaxVectorSize). */
    public static int lanes() { return FloatVector.SPECIES_PREFERRED.length(); }

    /**
     * Whether the fast kernels are switched off by {@code -Ddsb4j.scalar=true}: the single owner of that switch (the
     * current backend then starts as {@code scalar}, and this backend's methods take the scalar definition).
     */
    public static boolean scalarForced() { return FORCE_SCALAR; }

    private static float[] f32(Storage s) {
        return !FORCE_SCALAR && s instanceof HeapStorage.F32 h ? h.data : null;
    }

    @Override public float[] toFloats(Storage s, Layout l) {
        float[] src = f32(s);
        if (src == null) return super.toFloats(s, l);
        float[] out = new float[l.numel()];
        MoveKernels.copy(src, l, out, Layout.contiguous(l.shape()), pool());
        return out;
    }

    @Override public double[] toDoubles(Storage s, Layout l) {
        float[] src = f32(s);
        return src == null ? super.toDoubles(s, l) : MoveKernels.toDoubles(src, l);
    }

    @Override public void copy(Storage src, Layout sl, Storage dst, Layout dl) {
        float[] s = f32(src), d = f32(dst);
        if (s == null || d == null) super.copy(src, sl, dst, dl);
        else MoveKernels.copy(s, sl, d, dl, pool());
    }

    @Override public void fill(Storage dst, Layout dl, double value) {
        float[] d = f32(dst);
        if (d == null) super.fill(dst, dl, value);
        else MoveKernels.fill(d, dl, (float) value, pool());
    }

    @Override public void unary(UnaryOp op, double param, Storage x, Layout xl, Storage out, Layout ol) {
        float[] xs = f32(x), os = f32(out);
        if (xs == null || os == null) {
            super.unary(op, param, x, xl, out, ol);
            return;
        }
        Walk w = new Walk(ol, xl);
        if (w.innerStride(0) == 1 && w.innerStride(1) > 1 && xs != os) {
            // A strided input (a transpose): gather it into out (blocked), then run the vector loop in place.
            MoveKernels.copy(xs, xl, os, ol, pool());
            xs = os;
            w = new Walk(ol, ol);
        }
        float[] in = xs;
        int oStride = w.innerStride(0), xStride = w.innerStride(1);
        w.run(pool(), (o, xo, unused, n) -> UnaryKernels.row(op, param, in, xo, xStride, os, o, oStride, n));
    }

    @Override public void binary(BinaryOp op, Storage a, Layout al, Storage b, Layout bl, Storage out, Layout ol) {
        float[] as = f32(a), bs = f32(b), os = f32(out);
        if (as == null || bs == null || os == null) {
            super.binary(op, a, al, b, bl, out, ol);
            return;
        }
        Walk w = new Walk(ol, al, bl);
        if (w.innerStride(0) == 1 && as != os && bs != os) {
            // One strided operand (a transpose): gather it into out (blocked), then combine in place.
            if (w.innerStride(1) > 1 && w.innerStride(2) <= 1) {
                MoveKernels.copy(as, al, os, ol, pool());
                as = os;
                al = ol;
                w = new Walk(ol, al, bl);
            } else if (w.innerStride(2) > 1 && w.innerStride(1) <= 1) {
                MoveKernels.copy(bs, bl, os, ol, pool());
                bs = os;
                bl = ol;
                w = new Walk(ol, al, bl);
            }
        }
        float[] fa = as, fb = bs;
        int oStride = w.innerStride(0), aStride = w.innerStride(1), bStride = w.innerStride(2);
        w.run(pool(), (o, ao, bo, n) -> BinaryKernels.row(op, fa, ao, aStride, fb, bo, bStride, os, o, oStride, n));
    }

    @Override public void reduce(ReduceOp op, Storage x, Layout xl, boolean[] reduced, Storage out) {
        float[] xs = f32(x), os = f32(out);
        if (xs == null || os == null) {
            super.reduce(op, x, xl, reduced, out);
        } else if (!ReduceKernels.reduce(op, xs, xl, reduced, os, pool())) {
            // A strided or broadcast innermost axis: pack a copy, whose innermost axis is contiguous.
            Layout packed = Layout.contiguous(xl.shape());
            float[] tmp = new float[xl.numel()];
            MoveKernels.copy(xs, xl, tmp, packed, pool());
            ReduceKernels.reduce(op, tmp, packed, reduced, os, pool());
        }
    }

    @Override public void gemm(GemmShape g, double alpha, Storage a, int aOff, Storage b, int bOff,
                               double beta, Storage c, int cOff) {
        float[] fa = f32(a), fb = f32(b), fc = f32(c);
        if (fa == null || fb == null || fc == null) {
            super.gemm(g, alpha, a, aOff, b, bOff, beta, c, cOff);
            return;
        }
        // Products too small to split (per-image 1×1 convolutions, attention heads) run whole, several at once,
        // unless their outputs overlap (a batch stride of C below one matrix accumulates in order).
        boolean splitEach = Sgemm.worthSplitting(g.m(), g.n(), g.k());
        boolean disjoint = g.strideC() >= (long) (g.m() - 1) * g.ldc() + g.n();
        ForkJoinPool each = splitEach ? pool() : null, across = !splitEach && disjoint ? pool() : null;
        Parallel.forRange(across, g.batch(), gemmWork(g.m(), g.n(), g.k()), (lo, hi) -> {
            for (int t = lo; t < hi; t++) {
                Sgemm.gemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), (float) alpha,
                        fa, aOff + t * g.strideA(), g.lda(), fb, bOff + t * g.strideB(), g.ldb(),
                        (float) beta, fc, cOff + t * g.strideC(), g.ldc(), each);
            }
        });
    }

    @Override public void linear(int m, int n, int k, Storage x, int xOff, Storage w, int wOff, Storage bias, int biasOff,
                                 UnaryOp act, double param, Storage y) {
        float[] fx = f32(x), fw = f32(w), fy = f32(y), fb = bias == null ? null : f32(bias);
        if (fx == null || fw == null || fy == null || (bias != null && fb == null) || scalarForced()) {
            super.linear(m, n, k, x, xOff, w, wOff, bias, biasOff, act, param, y);
            return;
        }
        // ReLU, LeakyReLU and SiLU (their vector loops and scalar tails round alike) are applied per block; any other
        // activation afterwards, over the whole of y as the unary op would, so the bits never depend on where blocks end.
        boolean fused = act == null || FusedKernels.inEpilogue(act);
        UnaryOp inBlock = fused ? act : null;
        Sgemm.Epilogue epi = fb == null && inBlock == null ? null
                : (c, off, ldc, rows, col0, cols) -> FusedKernels.biasActivation(c, off, ldc, rows, cols, fb, biasOff + col0, inBlock, param);
        Sgemm.gemm(false, true, m, n, k, 1f, fx, xOff, k, fw, wOff, k, 0f, fy, 0, n, pool(), epi);
        if (!fused) {
            Layout out = Layout.contiguous(Shape.of(m, n));
            unary(act, param, y, out, y, out);
        }
    }

    /** A product's cost in the element units of {@link Parallel#forRange} (≈ 32 multiply-adds per element pass). */
    private static long gemmWork(int m, int n, int k) {
        return Math.max(1, (long) m * n * k / 32);
    }

    @Override public void im2col(ConvGeometry g, Storage x, Layout xl, Storage cols) {
        float[] xs = f32(x), cs = f32(cols);
        if (xs == null || cs == null) super.im2col(g, x, xl, cols);
        else Im2colKernels.im2col(g, xs, xl, cs, pool());
    }

    @Override public void col2im(ConvGeometry g, Storage cols, Storage dx) {
        float[] cs = f32(cols), ds = f32(dx);
        if (cs == null || ds == null) super.col2im(g, cols, dx);
        else Im2colKernels.col2im(g, cs, ds, pool());
    }

    // Convolutions: 3×3 "same" ones run the direct kernels (the weight gradient only on planes where it is faster);
    // 1×1 ones over packed images are one GEMM per image on the planes in place (no transposing copies in and out of
    // [c, n·L]); the rest take the im2col default.

    @Override public void conv2d(ConvGeometry g, int o, Storage x, Layout xl, Storage w, Storage y) {
        float[] xs = f32(x), ws = f32(w), ys = f32(y);
        if (xs == null || ws == null || ys == null) super.conv2d(g, o, x, xl, w, y);
        else if (DirectConv.applies(g)) DirectConv.forward(g, o, xs, xl, ws, ys, scratchF32(DirectConv.forwardScratch(g)), pool());
        else if (pointwise(g, xl)) gemm(perImage(false, g.n(), o, g.c(), g.h() * g.w()), 1.0, w, 0, x, xl.offset(), 0.0, y, 0);
        else super.conv2d(g, o, x, xl, w, y);
    }

    @Override public void conv2dInputGrad(ConvGeometry g, int o, Storage dy, Storage w, Storage dx) {
        float[] dys = f32(dy), ws = f32(w), dxs = f32(dx);
        if (dys == null || ws == null || dxs == null) super.conv2dInputGrad(g, o, dy, w, dx);
        else if (DirectConv.applies(g)) DirectConv.inputGrad(g, o, dys, ws, dxs, scratchF32(DirectConv.inputGradScratch(g, o)), pool());
        else if (pointwise(g, null)) gemm(perImage(true, g.n(), g.c(), o, g.h() * g.w()), 1.0, w, 0, dy, 0, 0.0, dx, 0);
        else super.conv2dInputGrad(g, o, dy, w, dx);
    }

    @Override public void conv2dWeightGrad(ConvGeometry g, int o, Storage x, Layout xl, Storage dy, Storage dw) {
        float[] xs = f32(x), dys = f32(dy), dws = f32(dw);
        if (xs == null || dys == null || dws == null) {
            super.conv2dWeightGrad(g, o, x, xl, dy, dw);
        } else if (DirectConv.weightGradApplies(g)) {
            DirectConv.weightGrad(g, o, xs, xl, dys, dws, scratchF32(DirectConv.weightGradScratch(g, o)), pool());
        } else if (pointwise(g, xl)) {
            pointwiseWeightGrad(g.n(), o, g.c(), g.h() * g.w(), xs, xl.offset(), dys, dws);
        } else {
            super.conv2dWeightGrad(g, o, x, xl, dy, dw);
        }
    }

    @Override public void groupNormSilu(GroupNormShape s, Storage x, Storage a, Storage b, Storage y, Storage stats) {
        float[] xs = f32(x), as = f32(a), bs = f32(b), ys = f32(y), ss = f32(stats);
        if (xs == null || as == null || bs == null || ys == null || ss == null) super.groupNormSilu(s, x, a, b, y, stats);
        else GroupNormKernels.forward(s, xs, as, bs, ys, ss, pool());
    }

    @Override public void groupNormSiluGrad(GroupNormShape s, Storage x, Storage stats, Storage a, Storage b, Storage dy,
                                            Storage dx, Storage da, Storage db) {
        float[] xs = f32(x), ss = f32(stats), as = f32(a), bs = f32(b), dys = f32(dy), dxs = f32(dx), das = f32(da), dbs = f32(db);
        if (xs == null || ss == null || as == null || bs == null || dys == null || dxs == null || das == null || dbs == null)
            super.groupNormSiluGrad(s, x, stats, a, b, dy, dx, da, db);
        else GroupNormKernels.grad(s, xs, ss, as, bs, dys, dxs, das, dbs, pool());
    }

    /** Images per partial sum of a 1×1 weight gradient: fixed, so the bits do not depend on the thread count. */
    private static final int IMAGES_PER_PARTIAL = 4;

    /**
     * dW [o, c] = Σ over images of dY_img [o, area] · X_img [c, area]ᵀ. Each group of IMAGES_PER_PARTIAL images is
     * accumulated in order into its own partial (groups run in parallel), then the partials are added in order.
     */
    private void pointwiseWeightGrad(int n, int o, int c, int area, float[] x, int xOff, float[] dy, float[] dw) {
        int size = o * c, groups = (n + IMAGES_PER_PARTIAL - 1) / IMAGES_PER_PARTIAL;
        if (groups == 0) {
            Arrays.fill(dw, 0, size, 0f);
            return;
        }
        float[] partials = groups == 1 ? dw : new float[groups * size];
        Parallel.forRange(pool(), groups, IMAGES_PER_PARTIAL * gemmWork(o, c, area), (lo, hi) -> {
            for (int grp = lo; grp < hi; grp++) {
                int end = Math.min(n, (grp + 1) * IMAGES_PER_PARTIAL);
                for (int img = grp * IMAGES_PER_PARTIAL; img < end; img++)
                    Sgemm.gemm(false, true, o, c, area, 1f, dy, img * o * area, area, x, xOff + img * c * area, area,
                            img == grp * IMAGES_PER_PARTIAL ? 0f : 1f, partials, grp * size, c, null);
            }
        });
        if (groups == 1) return;
        System.arraycopy(partials, 0, dw, 0, size);
        for (int grp = 1; grp < groups; grp++)
            for (int i = 0; i < size; i++) dw[i] += partials[grp * size + i];
    }

    /** A 1×1 window with stride 1 and no padding over packed images (xl null: dy, always packed). */
    private static boolean pointwise(ConvGeometry g, Layout xl) {
        return g.kh() == 1 && g.kw() == 1 && g.stride() == 1 && g.pad() == 0 && (xl == null || xl.isContiguous());
    }

    /** Per image, C_img [m, area] = op(W) [m, k] · B_img [k, area]; W shared (batch stride 0), images packed. */
    private static GemmShape perImage(boolean transW, int images, int m, int k, int area) {
        return new GemmShape(transW, false, images, m, area, k, transW ? m : k, area, area, 0, k * area, m * area);
    }

    /** The calling thread's F32 scratch buffer of slot 0 (the direct convolutions' padded planes). */
    private float[] scratchF32(int n) {
        return ((HeapStorage.F32) scratch(DType.F32, n, 0)).data;
    }

    @Override public void randomNormal(Storage out, long seed) {
        if (FORCE_SCALAR) super.randomNormal(out, seed);
        else if (out instanceof HeapStorage.F32 f) RandomKernels.normal(f.data, seed, pool());
        else if (out instanceof HeapStorage.F64 d) RandomKernels.normal(d.data, seed, pool());
        else super.randomNormal(out, seed);
    }

    @Override public void randomUniform(Storage out, long seed) {
        if (FORCE_SCALAR) super.randomUniform(out, seed);
        else if (out instanceof HeapStorage.F32 f) RandomKernels.uniform(f.data, seed, pool());
        else if (out instanceof HeapStorage.F64 d) RandomKernels.uniform(d.data, seed, pool());
        else super.randomUniform(out, seed);
    }

    @Override public void sdeStep(Storage x, Storage drift, Storage noise, double gamma, Storage out) {
        float[] xs = f32(x), fs = f32(drift), zs = f32(noise), os = f32(out);
        if (xs == null || fs == null || zs == null || os == null) super.sdeStep(x, drift, noise, gamma, out);
        else FusedKernels.sdeStep(xs, fs, zs, gamma, os, os.length, pool());
    }

    /**
     * F32: the vector kernel in float (what the optimiser's host path computed before it moved here: the same
     * operations in the same order, one thread); F64 and mixed storages: the scalar definition in double.
     */
    @Override public void adamStep(AdamStep c, int n, Storage p, int pOff, Storage g, int gOff, Storage m, int mOff,
                                   Storage v, int vOff, Storage out) {
        float[] ps = f32(p), gs = f32(g), ms = f32(m), vs = f32(v), os = f32(out);
        if (ps == null || gs == null || ms == null || vs == null || os == null) super.adamStep(c, n, p, pOff, g, gOff, m, mOff, v, vOff, out);
        else FusedKernels.adamStep(c, n, ps, pOff, gs, gOff, ms, mOff, vs, vOff, os);
    }
}
