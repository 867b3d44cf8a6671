package dsb4j.engine.ops;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Tape;
import dsb4j.engine.backend.ConvGeometry;
import dsb4j.engine.tensor.Shape;
import dsb4j.engine.tensor.ShapeException;

/**
 * Convolution and pooling on NCHW tensors. One primitive, im2col (its backward is col2im); conv2d is
 * im2col + a batched matmul, average pooling is im2col + mean, nearest up-sampling is a broadcast.
 */
public final class Conv {
    private Conv() {}

    /** x [n, c, h, w] to columns [n, c·kh·kw, oh·ow]. */
    public static Tensor im2col(Tensor x, int kh, int kw, int stride, int pad) {
        ConvGeometry g = geometry("im2col", x, kh, kw, stride, pad);
        Tensor cols = Raw.empty(x.backend(), x.dtype(), Shape.of(g.n(), g.colRows(), g.colCols()));
        x.backend().im2col(g, x.storage(), x.layout(), cols.storage());
        return Tape.record("im2col", cols, grad -> {
            Tensor gc = Raw.packed(grad);
            Tensor dx = Raw.empty(x.backend(), x.dtype(), x.shape());
            x.backend().col2im(g, gc.storage(), dx.storage());
            return new Tensor[]{dx};
        }, x);
    }

    /** Cross-correlation of x [n, c, h, w] with weight [o, c, kh, kw]; bias [o] or null. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int pad) {
        if (weight.rank() != 4 || x.rank() != 4 || weight.dim(1) != x.dim(1))
            throw new ShapeException("conv2d", "input " + x.shape() + " and weight " + weight.shape() + " (want [n,c,h,w] and [o,c,kh,kw])");
        Raw.sameHome("conv2d", x, weight);
        if (bias != null) Raw.sameHome("conv2d", weight, bias);
        int o = weight.dim(0), kh = weight.dim(2), kw = weight.dim(3);
        ConvGeometry g = geometry("conv2d", x, kh, kw, stride, pad);
        Tensor cols = im2col(x, kh, kw, stride, pad);                          // [n, c·kh·kw, oh·ow]
        Tensor y = weight.reshape(o, g.colRows()).matmul(cols);                 // [n, o, oh·ow]
        y = y.reshape(g.n(), o, g.oh(), g.ow());
        if (bias != null) {
            if (bias.rank() != 1 || bias.dim(0) != o)
                throw new ShapeException("conv2d", "bias " + bias.shape() + " for " + o + " output channels");
            y = y.add(bias.reshape(1, o, 1, 1));
        }
        return y;
    }

    /** Average over k×k windows with stride k (padding counts as zeros, like PyTorch's count_include_pad). */
    public static Tensor avgPool2d(Tensor x, int k) {
        if (x.rank() != 4) throw new ShapeException("avg_pool2d", "needs [n,c,h,w], got " + x.shape());
        int n = x.dim(0), c = x.dim(1);
        ConvGeometry g = geometry("avg_pool2d", x, k, k, k, 0);
        Tensor cols = im2col(x.reshape(n * c, 1, x.dim(2), x.dim(3)), k, k, k, 0);   // [n·c, k·k, oh·ow]
        return cols.mean(false, 1).reshape(n, c, g.oh(), g.ow());
    }

    /** Nearest-neighbour up-sampling by an integer factor on both spatial axes. */
    public static Tensor upsampleNearest(Tensor x, int factor) {
        if (x.rank() != 4 || factor < 1) throw new ShapeException("upsample_nearest", "shape " + x.shape() + " factor " + factor);
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        return x.reshape(n, c, h, 1, w, 1).broadcastTo(n, c, h, factor, w, factor).contiguous()
                .reshape(n, c, h * factor, w * factor);
    }

    private static ConvGeometry geometry(String op, Tensor x, int kh, int kw, int stride, int pad) {
        if (x.rank() != 4) throw new ShapeException(op, "needs [n,c,h,w], got " + x.shape());
        if (kh < 1 || kw < 1 || stride < 1 || pad < 0)
            throw new ShapeException(op, "kernel " + kh + "x" + kw + " stride " + stride + " padding " + pad + " on " + x.shape());
        ConvGeometry g = new ConvGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), kh, kw, stride, pad);
        if (x.dim(2) + 2 * pad < kh || x.dim(3) + 2 * pad < kw)
            throw new ShapeException(op, "kernel " + kh + "x" + kw + " larger than padded input " + x.shape());
        return g;
    }
}
