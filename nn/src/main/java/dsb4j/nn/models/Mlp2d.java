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
 * 26,498 parameters for d = 2; the names match the reference's state dict.
 */
public final class Mlp2d extends Module implements TimeConditioned {
    private final Backend backend;
    private final DType dtype;
    private final int dim;
    private final Mlp net, tEncoder, xEncoder;
    private final SinusoidalEmbedding timeEmbedding = new SinusoidalEmbedding(16, SinusoidalEmbedding.Style.SIN_COS, 1.0);

    public Mlp2d(Backend backend, DType dtype, Rng rng, int dim) {
        this.backend = backend;
        this.dtype = dtype;
        this.dim = dim;
        Init init = new Init(backend, dtype, rng);
        Layer act = Activation.LEAKY_RELU.layer();
        // Registration order follows the reference's __init__ (net, t_encoder, x_encoder).
        net = child("net", new Mlp(init, 64, new int[]{128, 128, dim}, act));
        tEncoder = child("t_encoder", new Mlp(init, 16, new int[]{16, 32}, act));
        xEncoder = child("x_encoder", new Mlp(init, dim, new int[]{16, 32}, act));
    }

    public int dim() { return dim; }

    @Override public Tensor forward(Tensor x, Tensor t) {
        if (x.rank() != 2 || x.dim(1) != dim || t.rank() != 1 || t.dim(0) != x.dim(0))
            throw new ShapeException("Mlp2d(d=" + dim + ")", "inputs x " + x.shape() + " and t " + t.shape() + " (want [B, " + dim + "] and [B])");
        Tensor temb = tEncoder.forward(timeEmbedding.forward(t));
        Tensor xemb = xEncoder.forward(x);
        return net.forward(Tensor.concat(1, xemb, temb));
    }

    @Override public Mlp2d replicate() { return new Mlp2d(backend, dtype, new Rng(0), dim); }
}
