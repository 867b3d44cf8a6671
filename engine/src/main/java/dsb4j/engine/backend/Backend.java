package dsb4j.engine.backend;

import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The backend SPI: buffers, layouts and op codes, never graph nodes (autodiff sits above it).
 * Inputs come as (storage, layout) pairs and may be strided or broadcast (stride 0); outputs are
 * written through their layout. Shapes are checked above this interface, so implementations may trust them.
 * A device backend (CUDA, or TornadoVM later) implements the same methods over device buffers; transfers
 * happen only in {@link #fromFloats}, {@link #fromDoubles}, {@link #toDoubles} and {@link #toFloats}.
 */
public interface Backend {

    String name();

    /** A zero-filled buffer of {@code n} elements. */
    Storage allocate(DType dtype, int n);

    /**
     * A buffer of {@code n} elements whose contents are undefined, for an output that the next operation
     * overwrites entirely (a device spares the fill: one launch less per op). The default zero-fills.
     */
    default Storage allocateUninitialized(DType dtype, int n) { return allocate(dtype, n); }

    /**
     * A buffer of at least {@code n} elements for transient use on the calling thread, contents undefined. The
     * backend may hand the same buffer to that thread's next call with the same slot, so it must not outlive the
     * operation that asked for it. It spares the garbage collector the largest short-lived arrays (convolution
     * columns: k·k times the input). The default allocates a fresh buffer.
     */
    default Storage scratch(DType dtype, int n, int slot) { return allocate(dtype, n); }

    Storage fromFloats(float[] data);

    Storage fromDoubles(double[] data);

    /** Elements of the view in row-major logical order, converted to double (host copy). */
    double[] toDoubles(Storage s, Layout l);

    /** Elements of the view in row-major logical order, converted to float (host copy). */
    float[] toFloats(Storage s, Layout l);

    /** dst[view] = src[view], same shape; converts dtype when the storages differ. */
    void copy(Storage src, Layout srcLayout, Storage dst, Layout dstLayout);

    void fill(Storage dst, Layout dstLayout, double value);

    /** out = op(x, param) elementwise; x's layout has out's shape (broadcast views allowed). */
    void unary(UnaryOp op, double param, Storage x, Layout xl, Storage out, Layout ol);

    /** out = op(a, b) elementwise; a and b are already broadcast to out's shape. */
    void binary(BinaryOp op, Storage a, Layout al, Storage b, Layout bl, Storage out, Layout ol);

    /**
     * Reduces x over the axes where {@code reduced[axis]} is true into the contiguous {@code out},
     * whose shape is x's with those axes of size 1.
     */
    void reduce(ReduceOp op, Storage x, Layout xl, boolean[] reduced, Storage out);

    /** Strided batched GEMM (see {@link GemmShape}); beta == 0 overwrites C without reading it. */
    void gemm(GemmShape g, double alpha, Storage a, int aOff, Storage b, int bOff, double beta, Storage c, int cOff);

    /**
     * A dense layer's forward pass outside autograd: y [m, n] (contiguous, overwritten) = act(x·wᵀ + bias) for
     * x [m, k] and w [n, k] (row-major from their offsets), bias [n] from {@code biasOff} (null: none) and the
     * activation {@code act} with its parameter (null: none). It must give the bits of the three ops it stands for
     * (gemm, broadcast add, unary), which is what the default runs; a backend fuses them to spare two passes over y.
     */
    default void linear(int m, int n, int k, Storage x, int xOff, Storage w, int wOff, Storage bias, int biasOff,
                        UnaryOp act, double param, Storage y) {
        gemm(GemmShape.of(false, true, m, n, k), 1.0, x, xOff, w, wOff, 0.0, y, 0);
        Layout out = Layout.contiguous(Shape.of(m, n));
        if (bias != null) binary(BinaryOp.ADD, y, out, bias, new Layout(Shape.of(m, n), new int[]{0, 1}, biasOff), y, out);
        if (act != null) unary(act, param, y, out, y, out);
    }

    /** cols [c·kh·kw, n, oh·ow] (contiguous, overwritten) from x [n, c, h, w] (any layout); padding reads zero. */
    void im2col(ConvGeometry g, Storage x, Layout xl, Storage cols);

    /** The adjoint of im2col: adds each column entry into dx [n, c, h, w] (contiguous). */
    void col2im(ConvGeometry g, Storage cols, Storage dx);

    /**
     * y [n, o, oh, ow] (contiguous, overwritten) = the cross-correlation of x [n, c, h, w] (any layout) with the
     * weight w [o, c·kh·kw] (contiguous). The default is im2col and one GEMM for the batch ({@link ConvByColumns}).
     */
    default void conv2d(ConvGeometry g, int o, Storage x, Layout xl, Storage w, Storage y) {
        ConvByColumns.forward(this, g, o, x, xl, w, y);
    }

    /** dx [n, c, h, w] (contiguous, overwritten): the gradient of {@link #conv2d} with respect to x, for dy [n, o, oh, ow]. */
    default void conv2dInputGrad(ConvGeometry g, int o, Storage dy, Storage w, Storage dx) {
        ConvByColumns.inputGrad(this, g, o, dy, w, dx);
    }

    /** dw [o, c·kh·kw] (contiguous, overwritten): the gradient of {@link #conv2d} with respect to the weight. */
    default void conv2dWeightGrad(ConvGeometry g, int o, Storage x, Layout xl, Storage dy, Storage dw) {
        ConvByColumns.weightGrad(this, g, o, x, xl, dy, dw);
    }

    /**
     * Group normalisation, a per-(image, channel) affine map and SiLU in one op (the U-Net's "GroupNorm, scale-shift,
     * SiLU"): for x [n, c, area] (contiguous) normalised over each image's groups of c/groups channels,
     * y = silu(x̂·a + b) with x̂ = (x − mean)·rstd, rstd = 1/√(var + eps) and a, b [n, c] (contiguous). stats
     * [2, n·groups] receives every group's mean and rstd for the gradient. All outputs are overwritten. The default
     * composes the other primitives ({@link GroupNormSiluByOps}).
     */
    default void groupNormSilu(GroupNormShape s, Storage x, Storage a, Storage b, Storage y, Storage stats) {
        GroupNormSiluByOps.forward(this, s, x, a, b, y, stats);
    }

    /** The gradients of {@link #groupNormSilu} for dy [n, c, area]: dx [n, c, area], da and db [n, c] (overwritten). */
    default void groupNormSiluGrad(GroupNormShape s, Storage x, Storage stats, Storage a, Storage b, Storage dy,
                                   Storage dx, Storage da, Storage db) {
        GroupNormSiluByOps.grad(this, s, x, stats, a, b, dy, dx, da, db);
    }

    /** Fills out[0..n) with N(0, 1) draws from the counter-based generator: element i depends only on (seed, i). */
    void randomNormal(Storage out, long seed);

    /** Fills out with U[0, 1) draws from the counter-based generator. */
    void randomUniform(Storage out, long seed);

    /** The fused Euler–Maruyama step out = x + gamma·drift + sqrt(2·gamma)·noise over contiguous buffers. */
    void sdeStep(Storage x, Storage drift, Storage noise, double gamma, Storage out);

    /**
     * One fused Adam update of {@code n} contiguous elements, for optimisers on backends where a dozen tensor
     * ops would each cost a launch: with g' = g + λ·p, m ← β1·m + (1−β1)·g', v ← β2·v + (1−β2)·g'² (both in
     * place), out[0..n) = p − stepSize·m / (√v·invSqrtBc2 + ε). The definition (the scalar backend, and every
     * backend on F64) computes in double, each stored value rounded once to the storage's dtype, the new moments
     * entering {@code out} unrounded; the CPU backend computes F32 in float (its vector kernel, no FMA), within a
     * few float roundings of that.
     */
    void adamStep(AdamStep c, int n, Storage p, int pOff, Storage g, int gOff, Storage m, int mOff, Storage v, int vOff, Storage out);

    /**
     * Gives {@code s} back now (see {@link BufferScope}); using it afterwards is an error. Heap backends leave
     * their arrays to the garbage collector: the default does nothing.
     */
    default void release(Storage s) {}

    /** Waits until all queued work is done (a no-op on the host). */
    default void sync() {}

    /** Number of worker threads this backend uses (1 for device backends' host side). */
    default int threads() { return 1; }

    /**
     * Whether two threads may use this backend at once, each on its own tensors (the heap backends: yes; a device,
     * whose context and queue belong to one thread: no).
     */
    default boolean concurrentCallers() { return false; }

    /**
     * A number of rows R such that each row of x·w or x·wᵀ (x row-major, as in {@link #linear} and a matmul) over R rows,
     * or a multiple of R, rounds exactly as the same row does in any larger product: a caller may then compute a product
     * of identical rows once, on R of them, instead of on many. 0 where the backend does not promise it (a device's
     * library may pick its kernel by size).
     */
    default int rowsThatRoundAsMany() { return 0; }

    /**
     * Runs {@code work} with this thread's ops kept on this thread, not split over the backend's workers, whenever
     * {@code alone} says so (asked op by op): for two callers sharing the cores, such as a cache built while training
     * steps run, which would otherwise contend for the same workers. The results are those of any thread count. The
     * default just runs it.
     */
    default <T> T onThisThread(BooleanSupplier alone, Supplier<T> work) { return work.get(); }
}
