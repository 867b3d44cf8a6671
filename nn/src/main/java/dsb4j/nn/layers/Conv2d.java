package dsb4j.nn.layers;

import dsb4j.engine.Tensor;
import dsb4j.engine.ops.Conv;
import dsb4j.engine.tensor.ShapeException;
import dsb4j.nn.Init;
import dsb4j.nn.Parameter;

/** 2-D cross-correlation on NCHW: weight [out, in, k, k], bias [out]; square kernel, stride and zero padding. */
public final class Conv2d extends Layer {
    private final int in, out, kernel, stride, padding;
    private final Parameter weight, bias;

    public Conv2d(Init init, int in, int out, int kernel, int stride, int padding) {
        this(init, in, out, kernel, stride, padding, true, false);
    }

    /** {@code zeroInit}: weight and bias start at zero (the U-Net's output convolutions). */
    public Conv2d(Init init, int in, int out, int kernel, int stride, int padding, boolean withBias, boolean zeroInit) {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0)
            throw new IllegalArgumentException("Conv2d: bad geometry in=" + in + " out=" + out + " kernel=" + kernel
                    + " stride=" + stride + " padding=" + padding);
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        int fanIn = in * kernel * kernel;
        weight = param("weight", zeroInit ? init.zeros(out, in, kernel, kernel) : init.kaimingUniform(fanIn, out, in, kernel, kernel));
        bias = withBias ? param("bias", zeroInit ? init.zeros(out) : init.kaimingUniform(fanIn, out)) : null;
    }

    public int in() { return in; }
    public int out() { return out; }

    @Override public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != in)
            throw new ShapeException(this.toString(), "input " + x.shape() + " (want [n, " + in + ", h, w])");
        return Conv.conv2d(x, weight.value(), bias == null ? null : bias.value(), stride, padding);
    }

    @Override public String toString() {
        return "Conv2d(" + in + " -> " + out + ", k=" + kernel + ", stride=" + stride + ", pad=" + padding + ")";
    }
}
