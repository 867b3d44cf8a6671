package dsb4j.nn.layers;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.UnaryOp;
import dsb4j.engine.ops.Functional;

/** The pointwise nonlinearities the networks use, by name (for configurations) and as layers. */
public enum Activation {
    RELU, SILU,
    /** GELU, tanh approximation (PyTorch's approximate='tanh'). */
    GELU,
    /** LeakyReLU with PyTorch's default slope 0.01 (the reference 2-D network's choice). */
    LEAKY_RELU,
    TANH, IDENTITY;

    public Tensor apply(Tensor x) {
        return switch (this) {
            case RELU -> x.relu();
            case SILU -> Functional.silu(x);
            case GELU -> Functional.gelu(x);
            case LEAKY_RELU -> x.leakyRelu(0.01);
            case TANH -> x.tanh();
            case IDENTITY -> x;
        };
    }

    /** This activation as a parameter-free layer. */
    public Layer layer() { return new Act(this, 0.01); }

    /** LeakyReLU with another slope. */
    public static Layer leakyRelu(double slope) { return new Act(LEAKY_RELU, slope); }

    /** Case-insensitive lookup with a list of the known names in the error. */
    public static Activation parse(String name) {
        for (Activation a : values()) if (a.name().equalsIgnoreCase(name.replace('-', '_'))) return a;
        throw new IllegalArgumentException("unknown activation '" + name + "' (known: relu, silu, gelu, leaky_relu, tanh, identity)");
    }

    /** An activation a dense layer can apply in the same op ({@code Linalg.linear}): the backend's op and parameter. */
    public record Fusable(UnaryOp op, double param) {}

    /** {@code layer} as a {@link Fusable} when it is a ReLU, LeakyReLU or SiLU of this enum, else null. */
    public static Fusable fusable(Layer layer) {
        if (!(layer instanceof Act a)) return null;
        return switch (a.kind) {
            case RELU -> new Fusable(UnaryOp.RELU, 0);
            case LEAKY_RELU -> new Fusable(UnaryOp.LEAKY_RELU, a.slope);
            case SILU -> new Fusable(UnaryOp.SILU, 0);
            default -> null;
        };
    }

    private static final class Act extends Layer {
        private final Activation kind;
        private final double slope;

        Act(Activation kind, double slope) { this.kind = kind; this.slope = slope; }

        @Override public Tensor forward(Tensor x) {
            return kind == LEAKY_RELU ? x.leakyRelu(slope) : kind.apply(x);
        }

        @Override public String toString() { return kind == LEAKY_RELU ? "LeakyReLU(" + slope + ")" : kind.name(); }
    }
}
