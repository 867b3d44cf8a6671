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
    private final Conv2d skip;

    public ResBlock(Init init, int channels, int embChannels, int out, int groups, double dropout, boolean scaleShift, Rng dropoutRng) {
        this.channels = channels;
        this.out = out;
        this.scaleShift = scaleShift;
        inLayers = child("in_layers", new Sequential(new GroupNorm(init, groups, channels), Activation.SILU.layer(),
                new Conv2d(init, channels, out, 3, 1, 1)));
        embLayers = child("emb_layers", new Sequential(Activation.SILU.layer(), new Linear(init, embChannels, scaleShift ? 2 * out : out)));
        outLayers = child("out_layers", new Sequential(new GroupNorm(init, groups, out), Activation.SILU.layer(),
                new Dropout(dropout, dropoutRng), new Conv2d(init, out, out, 3, 1, 1, true, true)));
        skip = out == channels ? null : child("skip_connection", new Conv2d(init, channels, out, 1, 1, 0));
    }

    @Override public Tensor forward(Tensor x, Tensor emb) {
        if (x.rank() != 4 || x.dim(1) != channels)
            throw new ShapeException("ResBlock(" + channels + " -> " + out + ")", "input " + x.shape() + " (want [n, " + channels + ", h, w])");
        Tensor h = inLayers.forward(x);
        Tensor e = embLayers.forward(emb);
        e = e.reshape(e.dim(0), e.dim(1), 1, 1);
        if (scaleShift) {
            Tensor scale = e.slice(1, 0, out), shift = e.slice(1, out, 2 * out);
            h = outLayers.forward(h, 0, 1).mul(scale.add(1.0)).add(shift);
            h = outLayers.forward(h, 1, outLayers.size());
        } else {
            h = outLayers.forward(h.add(e));
        }
        return (skip == null ? x : skip.forward(x)).add(h);
    }
}
