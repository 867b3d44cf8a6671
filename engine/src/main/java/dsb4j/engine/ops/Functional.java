package dsb4j.engine.ops;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.NoGrad;
import dsb4j.engine.autograd.Tape;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.GroupNormShape;
import dsb4j.engine.tensor.Shape;
import dsb4j.engine.tensor.ShapeException;

/** Composites built from the primitives (tinygrad style); their gradients come from the primitives', except where a
 * closed form saves passes over memory (silu, groupNorm, groupNormSilu). */
public final class Functional {
    private Functional() {}

    public static Tensor softmax(Tensor x, int axis) {
        Tensor e = x.sub(x.max(true, axis).detach()).exp();   // shift by the max for stability; exact either way
        return e.div(e.sum(true, axis));
    }

    public static Tensor logSoftmax(Tensor x, int axis) {
        Tensor shifted = x.sub(x.max(true, axis).detach());
        return shifted.sub(shifted.exp().sum(true, axis).log());
    }

    public static Tensor silu(Tensor x) { return Elementwise.silu(x); }

    /** GELU, tanh approximation (PyTorch's approximate='tanh'). */
    public static Tensor gelu(Tensor x) {
        Tensor inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
        return x.mul(inner.tanh().add(1.0)).mul(0.5);
    }

    /**
     * Normalises x [n, c, ...] over groups of c/groups channels and all trailing axes (no affine part). One
     * recorded op with the closed-form gradient dx = rstd·(dy − mean(dy) − x̂·mean(dy·x̂)) per group: five passes
     * over the activation instead of the dozen the composite's own backward takes.
     */
    public static Tensor groupNorm(Tensor x, int groups, double eps) {
        if (x.rank() < 2 || groups < 1 || x.dim(1) % groups != 0)
            throw new ShapeException("group_norm", groups + " groups for shape " + x.shape());
        int[] dims = x.dims();
        Tensor xhat, rstd;
        try (var ignored = NoGrad.enter()) {
            Tensor g = x.detach().reshape(dims[0], groups, -1);
            Tensor centered = g.sub(g.mean(true, 2));
            rstd = centered.square().mean(true, 2).add(eps).sqrt().reciprocal();     // [n, groups, 1]
            xhat = centered.mul(rstd);
        }
        return Tape.record("group_norm", xhat.reshape(dims), gy -> {
            Tensor d = gy.reshape(dims[0], groups, -1);
            Tensor dx = d.sub(d.mean(true, 2)).sub(xhat.mul(d.mul(xhat).mean(true, 2))).mul(rstd);
            return new Tensor[]{dx.reshape(dims)};
        }, x);
    }

    /**
     * silu(groupNorm(x)·scale + shift) as one op, the U-Net's "GroupNorm, scale-shift, SiLU": x [n, c, ...],
     * scale and shift broadcastable to [n, c] (per channel, or per image and channel). The backend computes it in
     * one pass per group ({@link dsb4j.engine.backend.Backend#groupNormSilu}) and keeps only x and each group's
     * mean and 1/std for the backward pass, which also runs fused.
     */
    public static Tensor groupNormSilu(Tensor x, int groups, double eps, Tensor scale, Tensor shift) {
        if (x.rank() < 2 || groups < 1 || x.dim(1) % groups != 0)
            throw new ShapeException("group_norm_silu", groups + " groups for shape " + x.shape());
        Raw.sameHome("group_norm_silu", x, scale);
        Raw.sameHome("group_norm_silu", x, shift);
        int n = x.dim(0), c = x.dim(1);
        GroupNormShape s = new GroupNormShape(n, c, groups, n * c == 0 ? 1 : x.numel() / (n * c), eps);
        Tensor a = scale.broadcastTo(n, c), b = shift.broadcastTo(n, c);
        Tensor xd = Raw.packed(x.detach()), ad = Raw.packed(a.detach()), bd = Raw.packed(b.detach());
        Backend be = x.backend();
        Tensor y = Raw.empty(be, x.dtype(), x.shape()), stats = Raw.empty(be, x.dtype(), Shape.of(2, s.count()));
        be.groupNormSilu(s, xd.storage(), ad.storage(), bd.storage(), y.storage(), stats.storage());
        return Tape.record("group_norm_silu", y, gy -> {
            Tensor dy = Raw.packed(gy);
            Tensor dx = Raw.empty(be, x.dtype(), x.shape()), da = Raw.empty(be, x.dtype(), Shape.of(n, c));
            Tensor db = Raw.empty(be, x.dtype(), Shape.of(n, c));
            be.groupNormSiluGrad(s, xd.storage(), stats.storage(), ad.storage(), bd.storage(), dy.storage(),
                    dx.storage(), da.storage(), db.storage());
            return new Tensor[]{dx, da, db};
        }, x, a, b);
    }

    /** Normalises over the last axis (no affine part). */
    public static Tensor layerNorm(Tensor x, double eps) {
        Tensor centered = x.sub(x.mean(true, -1));
        Tensor var = centered.square().mean(true, -1);
        return centered.div(var.add(eps).sqrt());
    }

    /** Mean of squared differences over all elements. */
    public static Tensor mse(Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) throw new ShapeException("mse", "shapes " + a.shape() + " and " + b.shape() + " differ");
        Raw.sameHome("mse", a, b);
        return a.sub(b).square().mean();
    }
}
