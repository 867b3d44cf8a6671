package dsb4j.engine.ops;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Tape;
import dsb4j.engine.backend.BinaryOp;
import dsb4j.engine.backend.ReduceOp;
import dsb4j.engine.tensor.Shape;
import dsb4j.engine.tensor.ShapeException;

/** Sum, mean and max over any set of axes (all axes when none are given), with or without kept dimensions. */
public final class Reductions {
    private Reductions() {}

    public static Tensor sum(Tensor x, boolean keepDim, int... axes) {
        boolean[] red = mask("sum", x.shape(), axes);
        Tensor y = raw(ReduceOp.SUM, x, red, keepDim);
        Shape xs = x.shape(), kept = keptShape(xs, red);
        return Tape.record("sum", y, g -> new Tensor[]{g.reshape(kept.dims()).broadcastTo(xs.dims())}, x);
    }

    public static Tensor mean(Tensor x, boolean keepDim, int... axes) {
        boolean[] red = mask("mean", x.shape(), axes);
        int count = 1;
        for (int a = 0; a < red.length; a++) if (red[a]) count *= x.dim(a);
        return sum(x, keepDim, axes).mul(1.0 / Math.max(count, 1));
    }

    /** Max over axes; the gradient is shared equally among tied maxima. */
    public static Tensor max(Tensor x, boolean keepDim, int... axes) {
        boolean[] red = mask("max", x.shape(), axes);
        if (x.numel() == 0) throw new ShapeException("max", "empty tensor of shape " + x.shape());
        Tensor kept = raw(ReduceOp.MAX, x, red, true);
        Shape xs = x.shape(), ks = kept.shape();
        Tensor y = keepDim ? kept : kept.reshape(dropped(xs, red));
        Tensor xv = x.detach();
        return Tape.record("max", y, g -> {
            Tensor hit = Raw.binary("max", BinaryOp.EQ, xv, kept);
            Tensor share = hit.div(raw(ReduceOp.SUM, hit, red, true));
            return new Tensor[]{share.mul(g.reshape(ks.dims()))};
        }, x);
    }

    /** Sums a tensor down to {@code target}, the inverse of broadcasting {@code target} to this shape. */
    public static Tensor sumTo(Tensor g, Shape target) {
        Shape s = g.shape();
        if (s.equals(target)) return g;
        int shift = s.rank() - target.rank();
        if (shift < 0) throw new ShapeException("sum_to", "cannot reduce " + s + " to " + target);
        int[] axes = new int[s.rank()];
        int n = 0;
        for (int i = 0; i < s.rank(); i++) {
            if (i < shift) axes[n++] = i;
            else if (target.dim(i - shift) == 1 && s.dim(i) != 1) axes[n++] = i;
            else if (target.dim(i - shift) != s.dim(i)) throw new ShapeException("sum_to", "cannot reduce " + s + " to " + target);
        }
        Tensor r = n == 0 ? g : sum(g, true, java.util.Arrays.copyOf(axes, n));
        return r.reshape(target.dims());
    }

    private static Tensor raw(ReduceOp op, Tensor x, boolean[] red, boolean keepDim) {
        Shape kept = keptShape(x.shape(), red);
        Tensor out = Raw.empty(x.backend(), x.dtype(), kept);
        x.backend().reduce(op, x.storage(), x.layout(), red, out.storage());
        return keepDim ? out : Tensor.wrap(out.storage(), out.layout().reshapeView(Shape.of(dropped(x.shape(), red))));
    }

    static boolean[] mask(String op, Shape s, int[] axes) {
        boolean[] red = new boolean[s.rank()];
        if (axes.length == 0) java.util.Arrays.fill(red, true);
        for (int a : axes) {
            int ax = s.axis(op, a);
            if (red[ax] && axes.length > 0) throw new ShapeException(op, "axis " + a + " repeated for shape " + s);
            red[ax] = true;
        }
        return red;
    }

    private static Shape keptShape(Shape s, boolean[] red) {
        int[] d = s.dims();
        for (int i = 0; i < d.length; i++) if (red[i]) d[i] = 1;
        return Shape.of(d);
    }

    private static int[] dropped(Shape s, boolean[] red) {
        int n = 0;
        for (boolean r : red) if (!r) n++;
        int[] d = new int[n];
        for (int i = 0, j = 0; i < red.length; i++) if (!red[i]) d[j++] = s.dim(i);
        return d;
    }
}
