package dsb4j.nn.models;

import dsb4j.engine.Tensor;

/**
 * A network of a state and a time: x [B, ...state] and t [B] (same backend and dtype as x; for DSB the
 * step index of the network's own direction, as a float) to an output shaped like x.
 */
public interface TimeConditioned {
    Tensor forward(Tensor x, Tensor t);
}
