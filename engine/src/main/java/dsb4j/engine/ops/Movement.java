package dsb4j.engine.ops;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Tape;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import dsb4j.engine.tensor.ShapeException;

/** Reshape, permute, broadcast and slice (views), plus the copying ones: contiguous, concat, stack, pad, casts. */
public final class Movement {
    private Movement() {}

    public static Tensor reshape(Tensor x, int... dims) {
        Shape target = Shape.of(inferDim(x, dims));
        if (target.equals(x.shape())) return x;
        Layout view = x.layout().reshapeView(target);
        Tensor y = view != null ? Tensor.wrap(x.storage(), view)
                : Tensor.wrap(copyRaw(x).storage(), Layout.contiguous(target));
        int[] back = x.dims();
        return Tape.record("reshape", y, g -> new Tensor[]{g.reshape(back)}, x);
    }

    public static Tensor permute(Tensor x, int... axes) {
        Tensor y = Tensor.wrap(x.storage(), x.layout().permute(axes));
        int[] inverse = new int[axes.length];
        for (int i = 0; i < axes.length; i++) inverse[x.shape().axis(axes[i])] = i;
        return Tape.record("permute", y, g -> new Tensor[]{g.permute(inverse)}, x);
    }

    public static Tensor transpose(Tensor x, int a, int b) {
        int[] axes = new int[x.rank()];
        for (int i = 0; i < axes.length; i++) axes[i] = i;
        int ia = x.shape().axis("transpose", a), ib = x.shape().axis("transpose", b);
        axes[ia] = ib;
        axes[ib] = ia;
        return permute(x, axes);
    }

    public static Tensor broadcastTo(Tensor x, Shape target) {
        if (target.equals(x.shape())) return x;
        Tensor y = Tensor.wrap(x.storage(), x.layout().broadcastTo(target));
        Shape xs = x.shape();
        return Tape.record("broadcast_to", y, g -> new Tensor[]{g.sumTo(xs)}, x);
    }

    public static Tensor unsqueeze(Tensor x, int axis) {
        int r = x.rank();
        int a = axis < 0 ? axis + r + 1 : axis;
        if (a < 0 || a > r) throw new ShapeException("unsqueeze", "axis " + axis + " for shape " + x.shape());
        int[] d = new int[r + 1];
        for (int i = 0, j = 0; i <= r; i++) d[i] = i == a ? 1 : x.dim(j++);
        return reshape(x, d);
    }

    public static Tensor slice(Tensor x, int axis, int start, int end, int step) {
        Layout view = x.layout().slice(axis, start, end, step);
        Tensor y = Tensor.wrap(x.storage(), view);
        Shape xs = x.shape();
        int ax = xs.axis(axis);
        return Tape.record("slice", y, g -> {
            Tensor full = Raw.zeros(g.backend(), g.dtype(), xs);
            g.backend().copy(g.storage(), g.layout(), full.storage(), full.layout().slice(ax, start, end, step));
            return new Tensor[]{full};
        }, x);
    }

    public static Tensor contiguous(Tensor x) {
        if (x.layout().isContiguous()) return x;
        return Tape.record("contiguous", copyRaw(x), g -> new Tensor[]{g}, x);
    }

    public static Tensor concat(int axis, Tensor... ts) {
        if (ts.length == 0) throw new ShapeException("concat", "no tensors");
        Tensor first = ts[0];
        int ax = first.shape().axis("concat", axis);
        int[] d = first.dims();
        int total = 0;
        for (Tensor t : ts) {
            Raw.sameHome("concat", first, t);
            int[] td = t.dims();
            if (td.length != d.length) throw new ShapeException("concat", "shapes " + first.shape() + " and " + t.shape() + " differ in rank");
            for (int i = 0; i < d.length; i++)
                if (i != ax && td[i] != d[i]) throw new ShapeException("concat", "shapes " + first.shape() + " and " + t.shape() + " differ off axis " + axis);
            total += td[ax];
        }
        d[ax] = total;
        Tensor out = Raw.empty(first.backend(), first.dtype(), Shape.of(d));
        int[] starts = new int[ts.length + 1];
        for (int i = 0; i < ts.length; i++) {
            starts[i + 1] = starts[i] + ts[i].dim(ax);
            first.backend().copy(ts[i].storage(), ts[i].layout(), out.storage(), out.layout().slice(ax, starts[i], starts[i + 1], 1));
        }
        return Tape.record("concat", out, g -> {
            Tensor[] grads = new Tensor[ts.length];
            for (int i = 0; i < ts.length; i++) grads[i] = g.slice(ax, starts[i], starts[i + 1]);
            return grads;
        }, ts);
    }

    public static Tensor stack(int axis, Tensor... ts) {
        Tensor[] u = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) u[i] = unsqueeze(ts[i], axis);
        return concat(axis, u);
    }

    public static Tensor pad(Tensor x, int[] before, int[] after) {
        int r = x.rank();
        if (before.length != r || after.length != r)
            throw new ShapeException("pad", "needs " + r + " before/after sizes for shape " + x.shape());
        int[] d = x.dims();
        for (int i = 0; i < r; i++) {
            if (before[i] < 0 || after[i] < 0) throw new ShapeException("pad", "negative padding for shape " + x.shape());
            d[i] += before[i] + after[i];
        }
        Tensor out = Raw.zeros(x.backend(), x.dtype(), Shape.of(d));
        Layout inner = out.layout();
        for (int i = 0; i < r; i++) inner = inner.slice(i, before[i], before[i] + x.dim(i), 1);
        x.backend().copy(x.storage(), x.layout(), out.storage(), inner);
        int[] sizes = x.dims();
        return Tape.record("pad", out, g -> {
            Tensor s = g;
            for (int i = 0; i < r; i++) s = s.slice(i, before[i], before[i] + sizes[i]);
            return new Tensor[]{s};
        }, x);
    }

    public static Tensor cast(Tensor x, DType dtype) {
        if (x.dtype() == dtype) return x;
        Tensor out = Raw.empty(x.backend(), dtype, x.shape());
        x.backend().copy(x.storage(), x.layout(), out.storage(), out.layout());
        DType back = x.dtype();
        return Tape.record("cast", out, g -> new Tensor[]{g.to(back)}, x);
    }

    /** A copy on another backend (through the host). */
    public static Tensor toBackend(Tensor x, Backend b) {
        if (x.backend() == b) return x;
        Tensor y = x.dtype() == DType.F32 ? Tensor.of(b, x.toFloats(), x.dims()) : Tensor.of(b, x.toDoubles(), x.dims());
        Backend home = x.backend();
        return Tape.record("to_backend", y, g -> new Tensor[]{g.to(home)}, x);
    }

    /** A fresh contiguous copy of x's elements that shares no storage with x and carries no graph. */
    public static Tensor copy(Tensor x) { return copyRaw(x); }

    static Tensor copyRaw(Tensor x) {
        Tensor out = Raw.empty(x.backend(), x.dtype(), x.shape());
        x.backend().copy(x.storage(), x.layout(), out.storage(), out.layout());
        return out;
    }

    /** Resolves one -1 entry from the element count. */
    private static int[] inferDim(Tensor x, int[] dims) {
        int unknown = -1, known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < -1)
                throw new ShapeException("reshape", "cannot reshape " + x.shape() + " to " + java.util.Arrays.toString(dims));
            if (dims[i] == -1) {
                if (unknown >= 0) throw new ShapeException("reshape", "more than one -1 in " + java.util.Arrays.toString(dims));
                unknown = i;
            } else known *= dims[i];
        }
        if (unknown < 0) return dims;
        if (known == 0 || x.numel() % known != 0)
            throw new ShapeException("reshape", "cannot reshape " + x.shape() + " to " + java.util.Arrays.toString(dims));
        int[] out = dims.clone();
        out[unknown] = x.numel() / known;
        return out;
    }
}
