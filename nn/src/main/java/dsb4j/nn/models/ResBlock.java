package dsb4j.nn.models;

import dsb4j.engine.Tensor;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.ShapeException;
import dsb4j.nn.Init;
import dsb4j.nn.Module;
import dsb4j.nn.layers.*;

/**
 * Guided diffusion's residual block with time conditioning, names included:
 * in_layers = (GroupNorm, SiLU, conv 3×3); emb_layers = (SiLU, Linear to 2·out or out);
 * out_layers = (GroupNorm, SiLU, Dropout, zero-initialised conv 3×3); skip_connection = 1×1 conv when the
 * channel count changes. With scale-shift the embedding modulates the second norm's output as h·(1+s)+b,
 * otherwise it is added before it. The zero conv makes a fresh block the identity on its skip path.
 */
public final class ResBlock extends Module implements UNet.EmbBlock {
    private final int channels, out;
    private final boolean scaleShift;
    private final Sequential inLayers, embLayers, outLayers;
    private final GroupNorm inNorm, outNorm;
    private final Conv2d skip;

    public ResBlock(Init init, int channels, int embChannels, int out, int groups, double dropout, boolean scaleShift, Rng dropoutRng) {
        this.channels = channels;
        this.out = out;
        this.scaleShift = scaleShift;
        inNorm = new GroupNorm(init, groups, channels);
        inLayers = child("in_layers", new Sequential(inNorm, Activation.SILU.layer(), new Conv2d(init, channels, out, 3, 1, 1)));
        embLayers = child("emb_layers", new Sequential(Activation.SILU.layer(), new Linear(init, embChannels, scaleShift ? 2 * out : out)));
        outNorm = new GroupNorm(init, groups, out);
        outLayers = child("out_layers", new Sequential(outNorm, Activation.SILU.layer(),
                new Dropout(dropout, dropoutRng), new Conv2d(init, out, out, 3, 1, 1, true, true)));
        skip = out == channels ? null : child("skip_connection", new Conv2d(init, channels, out, 1, 1, 0));
    }

    @Override public Tensor forward(Tensor x, Tensor emb) {
        if (x.rank() != 4 || x.dim(1) != channels)
            throw new ShapeException("ResBlock(" + channels + " -> " + out + ")", "input " + x.shape() + " (want [n, " + channels + ", h, w])");
        // Each (GroupNorm, SiLU) pair, with the scale-shift between them, runs as one fused op; then the rest of the Sequential.
        Tensor h = inLayers.forward(inNorm.forwardSilu(x), 2, inLayers.size());
        Tensor e = embLayers.forward(emb);
        if (scaleShift) h = outNorm.forwardSilu(h, e.slice(1, 0, out), e.slice(1, out, 2 * out));
        else h = outNorm.forwardSilu(h.add(e.reshape(e.dim(0), e.dim(1), 1, 1)));
        h = outLayers.forward(h, 2, outLayers.size());
        return (skip == null ? x : skip.forward(x)).add(h);
    }
}
