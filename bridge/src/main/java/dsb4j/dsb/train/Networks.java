package dsb4j.dsb.train;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.Module;
import dsb4j.nn.models.Mlp2d;
import dsb4j.nn.models.MlpDrift;

/** Builds the drift network a configuration names, initialised from an explicit generator. */
public final class Networks {
    private Networks() {}

    public static Module create(TrainConfig c, Backend backend, DType dtype, Rng rng) {
        return switch (c.network) {
            case "mlp2d" -> new Mlp2d(backend, dtype, rng, c.dim);
            case "mlp" -> new MlpDrift(backend, dtype, rng, c.dim, c.hidden);
            default -> throw new IllegalArgumentException("unknown network '" + c.network + "' (known: mlp2d, mlp)");
        };
    }
}
