package dsb4j.nn.models;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.ShapeException;
import dsb4j.nn.Init;
import dsb4j.nn.Module;
import dsb4j.nn.layers.Activation;
import dsb4j.nn.layers.Layer;
import dsb4j.nn.layers.SinusoidalEmbedding;

/**
 * The reference 2-D drift network (ScoreNetwork, bridge/models/basic/basic.py), layer for layer:
 * t → 16-dim sinusoid (sin then cos) → MLP 16→16→32 ("t_encoder"); x → MLP d→16→32 ("x_encoder");
 * [x_emb, t_emb] (64) → MLP 64→128→128→d ("net"); LeakyReLU(0.01) between layers, none at the ends.
 * 26,498 parameters for d = 2; the names match the reference's state dict. A {@code width} w other than the
 * reference's 128 scales every layer alike (encoders to w/8 then w/4, the net w/2 → w → w → d), for points of
 * higher dimension.
 */
public final class Mlp2d extends Module implements TimeConditioned {
    private final Backend backend;
    private final DType dtype;
    private final int dim, width;
    private final Mlp net, tEncoder, xEncoder;
    private final SinusoidalEmbedding timeEmbedding = new SinusoidalEmbedding(16, SinusoidalEmbedding.Style.SIN_COS, 1.0);

    /** The reference's network (width 128). */
    public Mlp2d(Backend backend, DType dtype, Rng rng, int dim) { this(backend, dtype, rng, dim, REFERENCE_WIDTH); }

    public static final int REFERENCE_WIDTH = 128;

    public Mlp2d(Backend backend, DType dtype, Rng rng, int dim, int width) {
        if (width < 8 || width % 8 != 0) throw new IllegalArgumentException("Mlp2d: width must be a positive multiple of 8, got " + width);
        this.backend = backend;
        this.dtype = dtype;
        this.dim = dim;
        this.width = width;
        Init init = new Init(backend, dtype, rng);
        Layer act = Activation.LEAKY_RELU.layer();
        int code = width / 4;
        // Registration order follows the reference's __init__ (net, t_encoder, x_encoder).
        net = child("net", new Mlp(init, 2 * code, new int[]{width, width, dim}, act));
        tEncoder = child("t_encoder", new Mlp(init, 16, new int[]{width / 8, code}, act));
        xEncoder = child("x_encoder", new Mlp(init, dim, new int[]{width / 8, code}, act));
    }

    public int dim() { return dim; }

    @Override public Tensor forward(Tensor x, Tensor t) {
        if (x.rank() != 2 || x.dim(1) != dim || t.rank() != 1 || t.dim(0) != x.dim(0))
            throw new ShapeException("Mlp2d(d=" + dim + ")", "inputs x " + x.shape() + " and t " + t.shape() + " (want [B, " + dim + "] and [B])");
        return fromSinusoid(x, timeEmbedding.forward(t));
    }

    /**
     * The simulator's case, one time for every row: the sinusoid once, broadcast to the batch; the time encoder after it
     * once too, on the few identical rows that the backend promises to round as in a product of many
     * ({@link Backend#rowsThatRoundAsMany}: one row of a small product may take another path, and round otherwise), its
     * first row broadcast to the batch; so the result is forward's bit for bit. Where the backend promises nothing, or
     * the batch is no larger, the encoder runs on every row.
     */
    @Override public Tensor forwardAt(Tensor x, double t) {
        if (x.rank() != 2 || x.dim(1) != dim) throw new ShapeException("Mlp2d(d=" + dim + ")", "input x " + x.shape() + " (want [B, " + dim + "])");
        int b = x.dim(0), rows = x.backend().rowsThatRoundAsMany();
        Tensor sinusoid = timeEmbedding.forward(Tensor.full(x.backend(), x.dtype(), t, 1));
        if (rows == 0 || b <= rows) return fromSinusoid(x, sinusoid.broadcastTo(b, sinusoid.dim(1)));
        Tensor temb = tEncoder.forward(sinusoid.broadcastTo(rows, sinusoid.dim(1))).slice(0, 0, 1);
        return fromTimeCode(x, temb.broadcastTo(b, temb.dim(1)));
    }

    /** The network after the time sinusoid [B, 16]: both encoders, concatenated, then the net. */
    private Tensor fromSinusoid(Tensor x, Tensor sinusoid) {
        return fromTimeCode(x, tEncoder.forward(sinusoid));
    }

    /** The network after the time encoder [B, w/4]: the state's encoder, concatenated with it, then the net. */
    private Tensor fromTimeCode(Tensor x, Tensor temb) {
        return net.forward(Tensor.concat(1, xEncoder.forward(x), temb));
    }

    @Override public Mlp2d replicate() { return new Mlp2d(backend, dtype, new Rng(0), dim, width); }
}
