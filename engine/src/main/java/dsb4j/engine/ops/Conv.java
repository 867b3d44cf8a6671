package dsb4j.engine.ops;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Tape;
import dsb4j.engine.backend.ConvGeometry;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.tensor.Shape;
import dsb4j.engine.tensor.ShapeException;

/**
 * Convolution and pooling on NCHW tensors. conv2d and its two gradients are backend primitives; im2col (its
 * backward is col2im) lays the windows of the whole batch out as columns [c·kh·kw, n, oh·ow], which makes average
 * pooling im2col + mean; nearest up-sampling is a broadcast.
 */
public final class Conv {
    private Conv() {}

    /** x [n, c, h, w] to columns [c·kh·kw, n, oh·ow]: row (ch, ky, kx), then image, then output pixel. */
    public static Tensor im2col(Tensor x, int kh, int kw, int stride, int pad) {
        ConvGeometry g = geometry("im2col", x, kh, kw, stride, pad);
        Tensor cols = Raw.empty(x.backend(), x.dtype(), Shape.of(g.colRows(), g.n(), g.colCols()));
        x.backend().im2col(g, x.storage(), x.layout(), cols.storage());
        return Tape.record("im2col", cols, grad -> new Tensor[]{col2im(Raw.packed(grad).storage(), g, x)}, x);
    }

    /** The adjoint of im2col: dx [n, c, h, w] with every column entry added back where it was read. */
    private static Tensor col2im(Storage cols, ConvGeometry g, Tensor like) {
        Tensor dx = Raw.zeros(like.backend(), like.dtype(), Shape.of(g.n(), g.c(), g.h(), g.w()));
        like.backend().col2im(g, cols, dx.storage());
        return dx;
    }

    /**
     * Cross-correlation of x [n, c, h, w] with weight [o, c, kh, kw]; bias [o] or null. The backend computes the
     * product and both gradients ({@link dsb4j.engine.backend.Backend#conv2d}: im2col and one GEMM for the batch
     * by default, direct kernels where a backend has them).
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int pad) {
        if (weight.rank() != 4 || x.rank() != 4 || weight.dim(1) != x.dim(1))
            throw new ShapeException("conv2d", "input " + x.shape() + " and weight " + weight.shape() + " (want [n,c,h,w] and [o,c,kh,kw])");
        Raw.sameHome("conv2d", x, weight);
        if (bias != null) {
            Raw.sameHome("conv2d", weight, bias);
            if (bias.rank() != 1 || bias.dim(0) != weight.dim(0))
                throw new ShapeException("conv2d", "bias " + bias.shape() + " for " + weight.dim(0) + " output channels");
        }
        int o = weight.dim(0), kh = weight.dim(2), kw = weight.dim(3);
        ConvGeometry g = geometry("conv2d", x, kh, kw, stride, pad);
        Backend b = x.backend();
        Tensor w = Raw.packed(weight.detach()), xd = x.detach();
        Tensor y = Raw.empty(b, x.dtype(), Shape.of(g.n(), o, g.oh(), g.ow()));
        b.conv2d(g, o, xd.storage(), xd.layout(), w.storage(), y.storage());
        y = Tape.record("conv2d", y, gy -> {
            Tensor dy = Raw.packed(gy), dw = null, dx = null;
            if (weight.requiresGrad()) {
                dw = Raw.empty(b, x.dtype(), weight.shape());
                b.conv2dWeightGrad(g, o, xd.storage(), xd.layout(), dy.storage(), dw.storage());
            }
            if (x.requiresGrad()) {
                dx = Raw.empty(b, x.dtype(), Shape.of(g.n(), g.c(), g.h(), g.w()));
                b.conv2dInputGrad(g, o, dy.storage(), w.storage(), dx.storage());
            }
            return new Tensor[]{dx, dw};
        }, x, weight);
        return bias == null ? y : y.add(bias.reshape(1, o, 1, 1));
    }

    /** Average over k×k windows with stride k (padding counts as zeros, like PyTorch's count_include_pad). */
    public static Tensor avgPool2d(Tensor x, int k) {
        if (x.rank() != 4) throw new ShapeException("avg_pool2d", "needs [n,c,h,w], got " + x.shape());
        int n = x.dim(0), c = x.dim(1);
        ConvGeometry g = geometry("avg_pool2d", x, k, k, k, 0);
        Tensor cols = im2col(x.reshape(n * c, 1, x.dim(2), x.dim(3)), k, k, k, 0);   // [k·k, n·c, oh·ow]
        return cols.mean(false, 0).reshape(n, c, g.oh(), g.ow());
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
