package dsb4j.nn.models;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.ShapeException;
import dsb4j.nn.Init;
import dsb4j.nn.Module;
import dsb4j.nn.ModuleList;
import dsb4j.nn.layers.*;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The guided-diffusion U-Net the reference uses for images (bridge/models/unet), with its parameter names:
 * time_embed (sinusoid of width C → Linear C→4C → SiLU → Linear), input_blocks (a 3×3 conv, then per level
 * {@code resBlocks} residual blocks and a strided-conv down-sampling except at the last level), middle_block
 * (residual, attention, residual), output_blocks (per level from the bottom, resBlocks+1 residual blocks
 * fed the matching skip, and an up-sampling except at the top) and out (GroupNorm, SiLU, zero conv).
 * Input [B, c, H, W] with H and W divisible by 2^(levels−1); output of the same shape.
 */
public final class UNet extends Module implements TimeConditioned {

    /** A block that takes the time embedding too (guided diffusion's TimestepBlock). */
    public interface EmbBlock {
        Tensor forward(Tensor x, Tensor emb);
    }

    private final Backend backend;
    private final DType dtype;
    private final Rng rng;
    private final UNetConfig config;
    private final SinusoidalEmbedding sinusoid;
    private final Sequential timeEmbed;
    private final List<EmbSequential> inputBlocks = new ArrayList<>(), outputBlocks = new ArrayList<>();
    private final EmbSequential middle;
    private final Sequential out;
    private final GroupNorm outNorm;

    public UNet(Backend backend, DType dtype, Rng rng, UNetConfig c) {
        this.backend = backend;
        this.dtype = dtype;
        this.rng = rng;
        this.config = c;
        Init init = new Init(backend, dtype, rng);
        Rng dropoutRng = rng.fork(0x0D20);
        int mc = c.modelChannels(), emb = 4 * mc;
        sinusoid = new SinusoidalEmbedding(mc, SinusoidalEmbedding.Style.COS_SIN, c.timeScale());
        timeEmbed = child("time_embed", new Sequential(new Linear(init, mc, emb), Activation.SILU.layer(), new Linear(init, emb, emb)));

        ModuleList<EmbSequential> in = child("input_blocks", new ModuleList<>());
        inputBlocks.add(in.add(new EmbSequential(new Conv2d(init, c.inChannels(), mc, 3, 1, 1))));
        List<Integer> skipChannels = new ArrayList<>(List.of(mc));
        int ch = mc, ds = 1;
        int[] mult = c.channelMult();
        for (int level = 0; level < mult.length; level++) {
            for (int b = 0; b < c.resBlocks(); b++) {
                EmbSequential s = new EmbSequential(new ResBlock(init, ch, emb, mult[level] * mc, c.groups(), c.dropout(), c.scaleShift(), dropoutRng));
                ch = mult[level] * mc;
                if (c.attentionAt(ds)) s.add(new AttentionBlock(init, ch, c.heads(), c.groups()));
                inputBlocks.add(in.add(s));
                skipChannels.add(ch);
            }
            if (level != mult.length - 1) {
                inputBlocks.add(in.add(new EmbSequential(new Downsample(init, ch, true))));
                skipChannels.add(ch);
                ds *= 2;
            }
        }
        middle = child("middle_block", new EmbSequential(
                new ResBlock(init, ch, emb, ch, c.groups(), c.dropout(), c.scaleShift(), dropoutRng),
                new AttentionBlock(init, ch, c.heads(), c.groups()),
                new ResBlock(init, ch, emb, ch, c.groups(), c.dropout(), c.scaleShift(), dropoutRng)));

        ModuleList<EmbSequential> outs = child("output_blocks", new ModuleList<>());
        for (int level = mult.length - 1; level >= 0; level--) {
            for (int i = 0; i <= c.resBlocks(); i++) {
                int skipCh = skipChannels.remove(skipChannels.size() - 1);
                EmbSequential s = new EmbSequential(new ResBlock(init, ch + skipCh, emb, mc * mult[level], c.groups(), c.dropout(), c.scaleShift(), dropoutRng));
                ch = mc * mult[level];
                if (c.attentionAt(ds)) s.add(new AttentionBlock(init, ch, c.heads(), c.groups()));
                if (level > 0 && i == c.resBlocks()) {
                    s.add(new Upsample(init, ch, true));
                    ds /= 2;
                }
                outputBlocks.add(outs.add(s));
            }
        }
        outNorm = new GroupNorm(init, c.groups(), ch);
        out = child("out", new Sequential(outNorm, Activation.SILU.layer(), new Conv2d(init, ch, c.inChannels(), 3, 1, 1, true, true)));
    }

    public UNetConfig config() { return config; }

    @Override public Tensor forward(Tensor x, Tensor t) {
        int levels = config.channelMult().length, factor = 1 << (levels - 1);
        if (x.rank() != 4 || x.dim(1) != config.inChannels() || t.rank() != 1 || t.dim(0) != x.dim(0))
            throw new ShapeException("UNet", "inputs x " + x.shape() + " and t " + t.shape() + " (want [B, " + config.inChannels() + ", H, W] and [B])");
        if (x.dim(2) % factor != 0 || x.dim(3) % factor != 0)
            throw new ShapeException("UNet", "image " + x.dim(2) + "x" + x.dim(3) + " must be divisible by " + factor + " for " + levels + " levels");
        Tensor emb = timeEmbed.forward(sinusoid.forward(t));
        Deque<Tensor> hs = new ArrayDeque<>();
        Tensor h = x;
        for (EmbSequential b : inputBlocks) {
            h = b.forward(h, emb);
            hs.push(h);
        }
        h = middle.forward(h, emb);
        for (EmbSequential b : outputBlocks) h = b.forward(Tensor.concat(1, h, hs.pop()), emb);
        return out.forward(outNorm.forwardSilu(h), 2, out.size());      // GroupNorm and SiLU fused, then the conv
    }

    @Override public UNet replicate() { return new UNet(backend, dtype, new Rng(rng.seed()), config); }

    /** Children "0", "1", ... each a layer or an {@link EmbBlock} (guided diffusion's TimestepEmbedSequential). */
    static final class EmbSequential extends Module implements EmbBlock {
        private final List<Module> blocks = new ArrayList<>();

        EmbSequential(Module... ms) { for (Module m : ms) add(m); }

        void add(Module m) {
            if (!(m instanceof Layer) && !(m instanceof EmbBlock))
                throw new IllegalArgumentException("EmbSequential takes layers and EmbBlocks, got " + m.getClass().getSimpleName());
            blocks.add(child(Integer.toString(blocks.size()), m));
        }

        @Override public Tensor forward(Tensor x, Tensor emb) {
            for (Module m : blocks) x = m instanceof EmbBlock b ? b.forward(x, emb) : ((Layer) m).forward(x);
            return x;
        }
    }
}
