package dsb4j.nn.layers;

import dsb4j.engine.Tensor;
import dsb4j.engine.random.Rng;

/**
 * Inverted dropout: in training, zeroes each element with probability p and scales the rest by 1/(1−p);
 * the identity in eval mode or when p = 0. The mask comes from this layer's own generator.
 */
public final class Dropout extends Layer {
    private final double p;
    private final Rng rng;

    public Dropout(double p, Rng rng) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1), got " + p);
        this.p = p;
        this.rng = rng;
    }

    public double p() { return p; }

    @Override public Tensor forward(Tensor x) {
        if (!training() || p == 0) return x;
        // keep where u ≥ p: step(u − p) is 1 there (u = p has probability zero); a constant, so no graph.
        Tensor u = Tensor.rand(x.backend(), x.dtype(), rng, x.dims()).sub(p);
        return x.mul(u.positiveMask()).mul(1.0 / (1 - p));
    }
}
