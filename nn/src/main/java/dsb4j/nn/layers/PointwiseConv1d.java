package dsb4j.nn.layers;

import dsb4j.engine.Tensor;
import dsb4j.engine.tensor.ShapeException;
import dsb4j.nn.Init;
import dsb4j.nn.Parameter;

/**
 * A kernel-size-1 Conv1d on [n, in, T]: the same channel mixing at every position. Weight [out, in, 1] and
 * bias [out], PyTorch's Conv1d layout, so attention blocks keep the reference's parameter shapes.
 */
public final class PointwiseConv1d extends Layer {
    private final int in, out;
    private final Parameter weight, bias;

    public PointwiseConv1d(Init init, int in, int out, boolean zeroInit) {
        this.in = in;
        this.out = out;
        weight = param("weight", zeroInit ? init.zeros(out, in, 1) : init.kaimingUniform(in, out, in, 1));
        bias = param("bias", zeroInit ? init.zeros(out) : init.kaimingUniform(in, out));
    }

    @Override public Tensor forward(Tensor x) {
        if (x.rank() != 3 || x.dim(1) != in)
            throw new ShapeException("PointwiseConv1d(" + in + " -> " + out + ")", "input " + x.shape() + " (want [n, " + in + ", T])");
        Tensor y = weight.value().reshape(out, in).matmul(x);            // [out, in]·[n, in, T] = [n, out, T]
        return y.add(bias.value().reshape(1, out, 1));
    }
}
