package dsb4j.nn.layers;

import dsb4j.engine.Tensor;
import dsb4j.engine.ops.Linalg;
import dsb4j.engine.tensor.ShapeException;
import dsb4j.nn.Init;
import dsb4j.nn.Parameter;

/** y = x·Wᵀ + b over the last axis: x [..., in] to [..., out]; weight [out, in], bias [out] (PyTorch's layout). */
public final class Linear extends Layer {
    private final int in, out;
    private final Parameter weight, bias;

    public Linear(Init init, int in, int out) { this(init, in, out, true); }

    public Linear(Init init, int in, int out, boolean withBias) {
        if (in < 1 || out < 1) throw new IllegalArgumentException("Linear: sizes must be positive, got " + in + " -> " + out);
        this.in = in;
        this.out = out;
        weight = param("weight", init.kaimingUniform(in, out, in));
        bias = withBias ? param("bias", init.kaimingUniform(in, out)) : null;
    }

    public int in() { return in; }
    public int out() { return out; }
    public Parameter weight() { return weight; }
    public Parameter bias() { return bias; }

    @Override public Tensor forward(Tensor x) { return forward(x, null); }

    /**
     * This layer followed by {@code activation} (null: none). A ReLU, LeakyReLU or SiLU ({@link Activation}) runs in
     * one op with the product where no gradient is recorded (the same bits as the two layers in turn).
     */
    public Tensor forward(Tensor x, Layer activation) {
        if (x.rank() < 1 || x.dim(-1) != in)
            throw new ShapeException("Linear(" + in + " -> " + out + ")", "input " + x.shape() + " (want [..., " + in + "])");
        int[] d = x.dims();
        Tensor x2 = x.rank() == 2 ? x : x.reshape(-1, in);
        Activation.Fusable f = Activation.fusable(activation);
        Tensor y = Linalg.linear(x2, weight.value(), bias == null ? null : bias.value(), f == null ? null : f.op(), f == null ? 0 : f.param());
        if (activation != null && f == null) y = activation.forward(y);
        if (x.rank() == 2) return y;
        d[d.length - 1] = out;
        return y.reshape(d);
    }
}
