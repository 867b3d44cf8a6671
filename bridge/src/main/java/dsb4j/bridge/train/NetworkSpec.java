package dsb4j.bridge.train;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.Module;
import dsb4j.nn.models.Mlp2d;
import dsb4j.nn.models.MlpDrift;
import dsb4j.nn.models.UNetConfig;
import java.util.Arrays;
import java.util.List;

/**
 * Which drift network a run trains, built for the shape of one state ({@code [d]} for vectors, {@code [C, H, W]} for
 * images). Recorded in config.json as "network" (mlp2d, mlp, unet) with "hidden" for the MLP and "unet" for the U-Net.
 */
public sealed interface NetworkSpec {

    /** The word of config.json's "network" key. */
    String word();

    /** A freshly initialised network for states of shape {@code itemShape}. */
    Module create(int[] itemShape, Backend backend, DType dtype, Rng rng);

    /**
     * The number of parameters for states of {@code itemShape}, computed without building the network, or −1 where
     * only building tells (the U-Net, whose sizes are a few fixed choices). Lets a run refuse a network that would not
     * fit in memory before allocating it.
     */
    long parameters(int[] itemShape);

    /** Weights and biases of dense layers from {@code in} through {@code widths}. */
    private static long dense(long in, int... widths) {
        long n = 0;
        for (int w : widths) {
            n += in * w + w;
            in = w;
        }
        return n;
    }

    /**
     * The reference code's 2-D network (26,498 parameters at d = 2 and width 128): sinusoidal time, separate encoders
     * of state and time, LeakyReLU, any d; other widths scale every layer ({@link Mlp2d}).
     */
    record ReferenceMlp2d(int width) implements NetworkSpec {
        /** The reference's own width. */
        public ReferenceMlp2d() { this(Mlp2d.REFERENCE_WIDTH); }

        public ReferenceMlp2d {
            if (width < 8 || width % 8 != 0) throw new IllegalArgumentException("the mlp2d width must be a positive multiple of 8, got " + width);
        }

        @Override public String word() { return "mlp2d"; }

        @Override public Module create(int[] itemShape, Backend backend, DType dtype, Rng rng) {
            return new Mlp2d(backend, dtype, rng, vectorDim(itemShape, this), width);
        }

        @Override public long parameters(int[] itemShape) {
            int d = vectorDim(itemShape, this), code = width / 4;
            return dense(16, width / 8, code) + dense(d, width / 8, code) + dense(2L * code, width, width, d);
        }

        @Override public String toString() { return width == Mlp2d.REFERENCE_WIDTH ? "mlp2d" : "mlp2d width " + width; }
    }

    /**
     * A plain MLP with these hidden widths, SiLU, the time concatenated to the state as {@code timeScale} × the
     * network's step index (1: the index itself; 1/N: the time in [0, 1) of the published runs' [x, t] input).
     */
    record Mlp(int[] hidden, double timeScale) implements NetworkSpec {
        public Mlp {
            hidden = hidden.clone();
            if (hidden.length == 0 || Arrays.stream(hidden).anyMatch(w -> w < 1))
                throw new IllegalArgumentException("--mlp needs positive hidden widths, got " + Arrays.toString(hidden));
            if (!(timeScale > 0) || Double.isInfinite(timeScale))
                throw new IllegalArgumentException("the mlp's time scale must be positive, got " + timeScale);
        }

        /** The step index as the time input. */
        public Mlp(int[] hidden) { this(hidden, 1.0); }

        @Override public int[] hidden() { return hidden.clone(); }
        @Override public String word() { return "mlp"; }

        @Override public Module create(int[] itemShape, Backend backend, DType dtype, Rng rng) {
            return new MlpDrift(backend, dtype, rng, MlpDrift.Config.of(vectorDim(itemShape, this), hidden, timeScale));
        }

        @Override public long parameters(int[] itemShape) {
            int d = vectorDim(itemShape, this);
            int[] widths = Arrays.copyOf(hidden, hidden.length + 1);
            widths[hidden.length] = d;
            return dense(d + 1L, widths);
        }

        @Override public boolean equals(Object o) { return o instanceof Mlp m && Arrays.equals(m.hidden, hidden) && m.timeScale == timeScale; }
        @Override public int hashCode() { return Arrays.hashCode(hidden) * 31 + Double.hashCode(timeScale); }
        @Override public String toString() { return "mlp " + Arrays.toString(hidden) + (timeScale == 1 ? "" : " time × " + timeScale); }
    }

    /** The guided-diffusion U-Net at one of three sizes, its levels chosen from the image size ({@link UNetConfig#forImage}). */
    record UNet(Size size) implements NetworkSpec {
        @Override public String word() { return "unet"; }

        @Override public Module create(int[] itemShape, Backend backend, DType dtype, Rng rng) {
            return new dsb4j.nn.models.UNet(backend, dtype, rng, config(itemShape));
        }

        @Override public long parameters(int[] itemShape) { return -1; }

        public UNetConfig config(int[] itemShape) {
            if (itemShape.length != 3)
                throw new IllegalArgumentException("the U-Net needs image states [C, H, W], got " + Arrays.toString(itemShape));
            return UNetConfig.forImage(size.word, itemShape[0], itemShape[1], itemShape[2]);
        }

        @Override public String toString() { return "unet " + size.word; }
    }

    /**
     * The U-Net sizes: 16, 32 or 64 channels. The names of the 28×28 nets they generalise (tiny28, small28,
     * reference28) are read as aliases.
     */
    enum Size {
        TINY("tiny"), SMALL("small"), REFERENCE("reference");

        private final String word;

        Size(String word) { this.word = word; }

        public String word() { return word; }

        public static Size parse(String word) {
            String w = word.endsWith("28") ? word.substring(0, word.length() - 2) : word;
            for (Size s : values()) if (s.word.equals(w)) return s;
            throw new IllegalArgumentException("--unet must be one of tiny, small, reference (tiny28, small28, reference28 "
                    + "are the same nets), got '" + word + "'");
        }

        @Override public String toString() { return word; }
    }

    /** The spec config.json's "network" with its "hidden", "time_scale", "width" or "unet" describes. */
    static NetworkSpec parse(String word, List<?> hidden, String unet, int width, double timeScale) {
        return switch (word) {
            case "mlp2d" -> new ReferenceMlp2d(width);
            case "mlp" -> new Mlp(hidden.stream().mapToInt(o -> ((Number) o).intValue()).toArray(), timeScale);
            case "unet" -> new UNet(Size.parse(unet == null ? "small" : unet));
            default -> throw new IllegalArgumentException("unknown network '" + word + "' (known: mlp2d, mlp, unet)");
        };
    }

    private static int vectorDim(int[] itemShape, NetworkSpec spec) {
        if (itemShape.length != 1)
            throw new IllegalArgumentException("the " + spec.word() + " network takes vector states [d], got " + Arrays.toString(itemShape)
                    + "; images take the U-Net");
        return itemShape[0];
    }
}
