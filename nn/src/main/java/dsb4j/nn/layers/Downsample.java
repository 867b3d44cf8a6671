package dsb4j.nn.layers;

import dsb4j.engine.Tensor;
import dsb4j.engine.ops.Conv;
import dsb4j.engine.tensor.ShapeException;
import dsb4j.nn.Init;

/**
 * ×2 down-sampling of [n, c, h, w]: a learned 3×3 convolution with stride 2 and padding 1 ("op", as in
 * guided diffusion; odd sizes round up: 7 → 4), or 2×2 average pooling (even sizes only).
 */
public final class Downsample extends Layer {
    private final int channels;
    private final Conv2d op;

    public Downsample(Init init, int channels, boolean withConv) {
        this.channels = channels;
        this.op = withConv ? child("op", new Conv2d(init, channels, channels, 3, 2, 1)) : null;
    }

    @Override public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != channels)
            throw new ShapeException("Downsample(" + channels + ")", "input " + x.shape() + " (want [n, " + channels + ", h, w])");
        if (op != null) return op.forward(x);
        if (x.dim(2) % 2 != 0 || x.dim(3) % 2 != 0)
            throw new ShapeException("Downsample(" + channels + ")", "average pooling needs even sizes, got " + x.shape());
        return Conv.avgPool2d(x, 2);
    }
}
