package dsb4j.nn.layers;

import dsb4j.engine.Tensor;
import dsb4j.engine.ops.Conv;
import dsb4j.engine.tensor.ShapeException;
import dsb4j.nn.Init;

/** Nearest-neighbour ×2 up-sampling of [n, c, h, w], optionally followed by a 3×3 convolution ("conv"). */
public final class Upsample extends Layer {
    private final int channels;
    private final Conv2d conv;

    public Upsample(Init init, int channels, boolean withConv) {
        this.channels = channels;
        this.conv = withConv ? child("conv", new Conv2d(init, channels, channels, 3, 1, 1)) : null;
    }

    @Override public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != channels)
            throw new ShapeException("Upsample(" + channels + ")", "input " + x.shape() + " (want [n, " + channels + ", h, w])");
        Tensor y = Conv.upsampleNearest(x, 2);
        return conv == null ? y : conv.forward(y);
    }
}
