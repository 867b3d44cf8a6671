package dsb4j.engine;

import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.autograd.Node;
import dsb4j.engine.autograd.Tape;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.ops.*;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import dsb4j.engine.tensor.ShapeException;

/**
 * An n-dimensional array: a backend's storage seen through a layout, plus the graph node that produced it
 * when gradients are recorded. Immutable from the outside: every op returns a new tensor (views share storage).
 * The methods here are thin entry points; the ops and their backward rules live in {@code dsb4j.engine.ops}.
 */
public final class Tensor {
    private final Storage storage;
    private final Layout layout;
    private final Node node;

    private Tensor(Storage storage, Layout layout, Node node) {
        if (layout.extent() > storage.size())
            throw new ShapeException("tensor", layout + " reaches past a storage of " + storage.size() + " elements");
        this.storage = storage;
        this.layout = layout;
        this.node = node;
    }

    // ---- construction -------------------------------------------------------------------------------

    /** A tensor over existing storage (no copy). */
    public static Tensor wrap(Storage storage, Layout layout) { return new Tensor(storage, layout, null); }

    /** A fresh zero-filled contiguous tensor. */
    public static Tensor zeros(Backend b, DType dtype, int... dims) {
        Shape s = Shape.of(dims);
        return wrap(b.allocate(dtype, s.numel()), Layout.contiguous(s));
    }

    public static Tensor zeros(DType dtype, int... dims) { return zeros(Backends.current(), dtype, dims); }

    public static Tensor full(Backend b, DType dtype, double value, int... dims) {
        Tensor t = zeros(b, dtype, dims);
        if (value != 0) b.fill(t.storage, t.layout, value);
        return t;
    }

    public static Tensor of(Backend b, float[] data, int... dims) {
        Shape s = checkCount(data.length, dims);
        return wrap(b.fromFloats(data), Layout.contiguous(s));
    }

    public static Tensor of(Backend b, double[] data, int... dims) {
        Shape s = checkCount(data.length, dims);
        return wrap(b.fromDoubles(data), Layout.contiguous(s));
    }

    public static Tensor of(float[] data, int... dims) { return of(Backends.current(), data, dims); }

    public static Tensor of(double[] data, int... dims) { return of(Backends.current(), data, dims); }

    public static Tensor scalar(Backend b, DType dtype, double value) { return full(b, dtype, value); }

    /** N(0, 1) draws; the generator advances by one seed. */
    public static Tensor randn(Backend b, DType dtype, Rng rng, int... dims) { return Random.normal(b, dtype, rng, dims); }

    /** U[0, 1) draws; the generator advances by one seed. */
    public static Tensor rand(Backend b, DType dtype, Rng rng, int... dims) { return Random.uniform(b, dtype, rng, dims); }

    private static Shape checkCount(int n, int[] dims) {
        Shape s = Shape.of(dims);
        if (s.numel() != n) throw new ShapeException("of", n + " values do not fill shape " + s);
        return s;
    }

    public Tensor zerosLike() { return zeros(backend(), dtype(), shape().dims()); }
    public Tensor onesLike() { return full(backend(), dtype(), 1.0, shape().dims()); }
    /** A tensor of this one's backend and dtype. */
    public Tensor full(double value, int... dims) { return full(backend(), dtype(), value, dims); }

    // ---- accessors ----------------------------------------------------------------------------------

    public Storage storage() { return storage; }
    public Layout layout() { return layout; }
    public Shape shape() { return layout.shape(); }
    public int[] dims() { return layout.shape().dims(); }
    public int dim(int axis) { return layout.shape().dim(axis); }
    public int rank() { return layout.rank(); }
    public int numel() { return layout.numel(); }
    public DType dtype() { return storage.dtype(); }
    public Backend backend() { return storage.backend(); }

    /** Host copy in row-major order. */
    public double[] toDoubles() { return backend().toDoubles(storage, layout); }
    public float[] toFloats() { return backend().toFloats(storage, layout); }

    /** The single value of a one-element tensor. */
    public double item() {
        if (numel() != 1) throw new ShapeException("item", "needs one element, got shape " + shape());
        return toDoubles()[0];
    }

    // ---- autograd -----------------------------------------------------------------------------------

    public Node node() { return node; }
    public boolean requiresGrad() { return node != null; }

    /** The same data as a new leaf whose gradient backward() reports. */
    public Tensor requiringGrad() { return new Tensor(storage, layout, Node.leaf()); }

    /** The same data cut from the graph. */
    public Tensor detach() { return node == null ? this : new Tensor(storage, layout, null); }

    /** Used by the tape to attach the op that made this tensor. */
    public Tensor withNode(Node n) { return new Tensor(storage, layout, n); }

    /** Reverse mode from this scalar. */
    public Gradients backward() { return Tape.backward(this); }

    // ---- elementwise (ops.Elementwise) --------------------------------------------------------------

    public Tensor add(Tensor o) { return Elementwise.add(this, o); }
    public Tensor sub(Tensor o) { return Elementwise.sub(this, o); }
    public Tensor mul(Tensor o) { return Elementwise.mul(this, o); }
    public Tensor div(Tensor o) { return Elementwise.div(this, o); }
    public Tensor maximum(Tensor o) { return Elementwise.maximum(this, o); }
    public Tensor minimum(Tensor o) { return Elementwise.minimum(this, o); }
    public Tensor add(double c) { return Elementwise.addScalar(this, c); }
    public Tensor sub(double c) { return Elementwise.addScalar(this, -c); }
    public Tensor mul(double c) { return Elementwise.mulScalar(this, c); }
    public Tensor div(double c) { return Elementwise.mulScalar(this, 1.0 / c); }
    public Tensor pow(double p) { return Elementwise.pow(this, p); }
    public Tensor neg() { return Elementwise.neg(this); }
    public Tensor exp() { return Elementwise.exp(this); }
    public Tensor log() { return Elementwise.log(this); }
    public Tensor sqrt() { return Elementwise.sqrt(this); }
    public Tensor abs() { return Elementwise.abs(this); }
    public Tensor sin() { return Elementwise.sin(this); }
    public Tensor cos() { return Elementwise.cos(this); }
    public Tensor tanh() { return Elementwise.tanh(this); }
    public Tensor sigmoid() { return Elementwise.sigmoid(this); }
    public Tensor relu() { return Elementwise.relu(this); }
    public Tensor leakyRelu(double slope) { return Elementwise.leakyRelu(this, slope); }
    public Tensor square() { return Elementwise.square(this); }
    public Tensor reciprocal() { return Elementwise.reciprocal(this); }
    /** 1 where an element is positive, 0 elsewhere (NaN too), in this dtype: a constant mask, with no graph. */
    public Tensor positiveMask() { return Elementwise.positiveMask(this); }
    /**
     * Multiplies the elements of this view by {@code c} in place, recording nothing: only for buffers that no recorded
     * graph reads again (the gradients of a finished backward pass, say).
     */
    public void scaleInPlace(double c) { Elementwise.scaleInPlace(this, c); }

    // ---- reductions (ops.Reductions) ----------------------------------------------------------------

    public Tensor sum() { return Reductions.sum(this, false); }
    public Tensor mean() { return Reductions.mean(this, false); }
    public Tensor sum(boolean keepDim, int... axes) { return Reductions.sum(this, keepDim, axes); }
    public Tensor mean(boolean keepDim, int... axes) { return Reductions.mean(this, keepDim, axes); }
    public Tensor max(boolean keepDim, int... axes) { return Reductions.max(this, keepDim, axes); }
    /** Sums this gradient-shaped tensor down to {@code target}, undoing a broadcast. */
    public Tensor sumTo(Shape target) { return Reductions.sumTo(this, target); }

    // ---- linear algebra and movement (ops.Linalg, ops.Movement) --------------------------------------

    public Tensor matmul(Tensor o) { return Linalg.matmul(this, o); }
    public Tensor reshape(int... dims) { return Movement.reshape(this, dims); }
    public Tensor permute(int... axes) { return Movement.permute(this, axes); }
    public Tensor transpose(int a, int b) { return Movement.transpose(this, a, b); }
    /** The transpose of a matrix (the last two axes swapped). */
    public Tensor t() { return Movement.transpose(this, -2, -1); }
    public Tensor broadcastTo(int... dims) { return Movement.broadcastTo(this, Shape.of(dims)); }
    public Tensor slice(int axis, int start, int end) { return Movement.slice(this, axis, start, end, 1); }
    public Tensor slice(int axis, int start, int end, int step) { return Movement.slice(this, axis, start, end, step); }
    public Tensor unsqueeze(int axis) { return Movement.unsqueeze(this, axis); }
    public Tensor contiguous() { return Movement.contiguous(this); }
    /** A fresh contiguous copy that shares no storage with this tensor and carries no graph. */
    public Tensor copy() { return Movement.copy(this); }
    /** Zero padding: {@code before[i]} and {@code after[i]} elements on axis i. */
    public Tensor pad(int[] before, int[] after) { return Movement.pad(this, before, after); }
    public Tensor to(DType dtype) { return Movement.cast(this, dtype); }
    public Tensor to(Backend b) { return Movement.toBackend(this, b); }

    public static Tensor concat(int axis, Tensor... ts) { return Movement.concat(axis, ts); }
    public static Tensor stack(int axis, Tensor... ts) { return Movement.stack(axis, ts); }

    @Override public String toString() {
        return "Tensor" + shape() + " " + dtype() + " on " + backend().name() + (requiresGrad() ? " (grad)" : "");
    }
}
