package dsb4j.nn.models;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.ShapeException;
import dsb4j.nn.Init;
import dsb4j.nn.Module;
import dsb4j.nn.layers.Activation;
import dsb4j.nn.layers.SinusoidalEmbedding;
import java.util.Arrays;

/**
 * A plain MLP drift for vector states in any dimension (the Gaussian experiments; DSBM uses 256-256 with
 * SiLU and the time concatenated). The time enters either as one extra input {@code scale·t}
 * ({@link TimeInput#CONCAT}) or as a {@code timeDim}-wide sinusoid of {@code scale·t} concatenated to x
 * ({@link TimeInput#SINUSOID}). Layers: "net.layers.0" … with the activation between them.
 */
public final class MlpDrift extends Module implements TimeConditioned {
    public enum TimeInput { CONCAT, SINUSOID }

    /** {@code timeDim} matters for SINUSOID only. */
    public record Config(int dim, int[] hidden, Activation activation, TimeInput time, int timeDim, double timeScale) {
        public Config {
            if (dim < 1) throw new IllegalArgumentException("MlpDrift: dim must be positive, got " + dim);
            hidden = hidden.clone();
            for (int h : hidden) if (h < 1) throw new IllegalArgumentException("MlpDrift: bad hidden widths " + Arrays.toString(hidden));
            if (time == TimeInput.SINUSOID && timeDim < 2) throw new IllegalArgumentException("MlpDrift: timeDim must be at least 2");
        }

        /** DSBM's Gaussian-benchmark network shape: SiLU, time concatenated as is. */
        public static Config of(int dim, int... hidden) {
            return of(dim, hidden, 1.0);
        }

        /** The same with the time concatenated as {@code timeScale}·t (e.g. 1/N: a step index as a time in [0, 1)). */
        public static Config of(int dim, int[] hidden, double timeScale) {
            return new Config(dim, hidden, Activation.SILU, TimeInput.CONCAT, 1, timeScale);
        }

        @Override public int[] hidden() { return hidden.clone(); }
    }

    private final Backend backend;
    private final DType dtype;
    private final Config config;
    private final Mlp net;
    private final SinusoidalEmbedding embedding;

    public MlpDrift(Backend backend, DType dtype, Rng rng, int dim, int[] hidden) {
        this(backend, dtype, rng, Config.of(dim, hidden));
    }

    public MlpDrift(Backend backend, DType dtype, Rng rng, Config config) {
        this.backend = backend;
        this.dtype = dtype;
        this.config = config;
        int timeWidth = config.time() == TimeInput.CONCAT ? 1 : config.timeDim();
        embedding = config.time() == TimeInput.SINUSOID
                ? new SinusoidalEmbedding(config.timeDim(), SinusoidalEmbedding.Style.COS_SIN, config.timeScale()) : null;
        int[] widths = Arrays.copyOf(config.hidden(), config.hidden().length + 1);
        widths[widths.length - 1] = config.dim();
        net = child("net", new Mlp(new Init(backend, dtype, rng), config.dim() + timeWidth, widths, config.activation().layer()));
    }

    public Config config() { return config; }

    @Override public Tensor forward(Tensor x, Tensor t) {
        int d = config.dim();
        if (x.rank() != 2 || x.dim(1) != d || t.rank() != 1 || t.dim(0) != x.dim(0))
            throw new ShapeException("MlpDrift(d=" + d + ")", "inputs x " + x.shape() + " and t " + t.shape() + " (want [B, " + d + "] and [B])");
        Tensor tin = embedding != null ? embedding.forward(t) : t.reshape(t.dim(0), 1).mul(config.timeScale());
        return net.forward(Tensor.concat(1, x, tin));
    }

    @Override public MlpDrift replicate() { return new MlpDrift(backend, dtype, new Rng(0), config); }
}
