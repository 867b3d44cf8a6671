package dsb4j.bridge.train;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.Module;

/** Builds the drift network a configuration names for its states, initialised from an explicit generator. */
public final class Networks {
    private Networks() {}

    public static Module create(TrainConfig c, Backend backend, DType dtype, Rng rng) {
        return c.network.create(c.itemShape(), backend, dtype, rng);
    }
}
