package dsb4j.nn.models;

import dsb4j.engine.Tensor;
import dsb4j.engine.ops.Functional;
import dsb4j.engine.tensor.ShapeException;
import dsb4j.nn.Init;
import dsb4j.nn.layers.GroupNorm;
import dsb4j.nn.layers.Layer;
import dsb4j.nn.layers.PointwiseConv1d;

/**
 * Multi-head self-attention over the spatial positions of [n, c, h, w], with a residual connection; the
 * guided-diffusion block (norm, qkv, proj_out — zero-initialised) including its head layout: qkv [n, 3c, T]
 * is split into heads first, then each head's channels into q, k, v (the "legacy" order).
 */
public final class AttentionBlock extends Layer {
    private final int channels, heads;
    private final GroupNorm norm;
    private final PointwiseConv1d qkv, projOut;

    public AttentionBlock(Init init, int channels, int heads, int groups) {
        if (channels % heads != 0) throw new IllegalArgumentException("AttentionBlock: " + channels + " channels for " + heads + " heads");
        this.channels = channels;
        this.heads = heads;
        norm = child("norm", new GroupNorm(init, groups, channels));
        qkv = child("qkv", new PointwiseConv1d(init, channels, 3 * channels, false));
        projOut = child("proj_out", new PointwiseConv1d(init, channels, channels, true));
    }

    @Override public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != channels)
            throw new ShapeException("AttentionBlock(" + channels + ")", "input " + x.shape() + " (want [n, " + channels + ", h, w])");
        int n = x.dim(0), t = x.dim(2) * x.dim(3), d = channels / heads;
        Tensor flat = x.reshape(n, channels, t);
        Tensor all = qkv.forward(norm.forward(flat)).reshape(n * heads, 3 * d, t);
        double s = 1 / Math.sqrt(Math.sqrt(d));                              // split between q and k, as the reference
        Tensor q = all.slice(1, 0, d).mul(s), k = all.slice(1, d, 2 * d).mul(s), v = all.slice(1, 2 * d, 3 * d);
        Tensor w = Functional.softmax(q.transpose(1, 2).matmul(k), -1);    // [n·heads, T(query), T(key)]
        Tensor a = v.matmul(w.transpose(1, 2)).reshape(n, channels, t);     // [n·heads, d, T] → [n, c, T]
        return flat.add(projOut.forward(a)).reshape(x.dims());
    }
}
