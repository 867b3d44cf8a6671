package dsb4j.nn.layers;

import dsb4j.engine.Tensor;
import dsb4j.engine.ops.Functional;
import dsb4j.engine.tensor.ShapeException;
import dsb4j.nn.Init;
import dsb4j.nn.Parameter;

/**
 * Group normalisation of x [n, c, ...] (statistics over c/groups channels and all trailing axes) followed by
 * a per-channel affine map: weight [c] starts at 1, bias [c] at 0, as in PyTorch.
 */
public final class GroupNorm extends Layer {
    private final int groups, channels;
    private final double eps;
    private final Parameter weight, bias;

    public GroupNorm(Init init, int groups, int channels) { this(init, groups, channels, 1e-5); }

    public GroupNorm(Init init, int groups, int channels, double eps) {
        if (groups < 1 || channels % groups != 0)
            throw new IllegalArgumentException("GroupNorm: " + channels + " channels do not split into " + groups + " groups");
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        weight = param("weight", init.ones(channels));
        bias = param("bias", init.zeros(channels));
    }

    @Override public Tensor forward(Tensor x) {
        if (x.rank() < 2 || x.dim(1) != channels)
            throw new ShapeException("GroupNorm(" + groups + ", " + channels + ")", "input " + x.shape() + " (want [n, " + channels + ", ...])");
        int[] bshape = new int[x.rank()];
        java.util.Arrays.fill(bshape, 1);
        bshape[1] = channels;
        Tensor y = Functional.groupNorm(x, groups, eps);
        return y.mul(weight.value().reshape(bshape)).add(bias.value().reshape(bshape));
    }
}
