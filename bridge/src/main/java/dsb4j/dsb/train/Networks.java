package dsb4j.dsb.train;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.Module;
import dsb4j.nn.models.Mlp2d;
import dsb4j.nn.models.MlpDrift;
import dsb4j.nn.models.UNet;
import dsb4j.nn.models.UNetConfig;
import java.util.List;

/** Builds the drift network a configuration names, initialised from an explicit generator. */
public final class Networks {
    private Networks() {}

    /** The U-Nets "unet" can be: {@link UNetConfig#tiny28()}, {@link UNetConfig#small28()}, {@link UNetConfig#reference28()}. */
    public static final List<String> UNETS = List.of("small28", "reference28", "tiny28");

    public static Module create(TrainConfig c, Backend backend, DType dtype, Rng rng) {
        return switch (c.network) {
            case "mlp2d" -> new Mlp2d(backend, dtype, rng, c.dim);
            case "mlp" -> new MlpDrift(backend, dtype, rng, c.dim, c.hidden);
            case "unet" -> new UNet(backend, dtype, rng, unetConfig(c.unet));
            default -> throw new IllegalArgumentException("unknown network '" + c.network + "' (known: mlp2d, mlp, unet)");
        };
    }

    public static UNetConfig unetConfig(String name) {
        if (!UNETS.contains(name)) throw new IllegalArgumentException("unknown U-Net '" + name + "' (known: " + UNETS + ")");
        return UNetConfig.named(name);
    }
}
