package dsb4j.nn.models;

import dsb4j.engine.Tensor;

/**
 * A network of a state and a time: x [B, ...state] and t [B] (same backend and dtype as x; for DSB the
 * step index of the network's own direction, as a float) to an output shaped like x.
 */
public interface TimeConditioned {
    Tensor forward(Tensor x, Tensor t);

    /**
     * {@link #forward} with the same time {@code t} for every row (a chain's step while simulating). A network may
     * compute what depends on t alone once instead of per row; the result must equal {@code forward(x, full(t))}
     * bit for bit.
     */
    default Tensor forwardAt(Tensor x, double t) {
        return forward(x, Tensor.full(x.backend(), x.dtype(), t, x.dim(0)));
    }
}
