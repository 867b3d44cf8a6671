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
        check(x);
        int[] bshape = new int[x.rank()];
        java.util.Arrays.fill(bshape, 1);
        bshape[1] = channels;
        Tensor y = Functional.groupNorm(x, groups, eps);
        return y.mul(weight.value().reshape(bshape)).add(bias.value().reshape(bshape));
    }

    /** silu(forward(x)), as one fused op. */
    public Tensor forwardSilu(Tensor x) {
        check(x);
        return Functional.groupNormSilu(x, groups, eps, weight.value(), bias.value());
    }

    /**
     * silu(forward(x)·(1 + scale) + shift) for scale and shift [n, channels] (a time embedding's scale-shift), as one
     * fused op: the affine map and the modulation fold into one per-(image, channel) scale and shift.
     */
    public Tensor forwardSilu(Tensor x, Tensor scale, Tensor shift) {
        check(x);
        Tensor factor = scale.add(1.0);
        return Functional.groupNormSilu(x, groups, eps, weight.value().mul(factor), bias.value().mul(factor).add(shift));
    }

    private void check(Tensor x) {
        if (x.rank() < 2 || x.dim(1) != channels)
            throw new ShapeException("GroupNorm(" + groups + ", " + channels + ")", "input " + x.shape() + " (want [n, " + channels + ", ...])");
    }
}
