package dsb4j.engine.backend;

import java.util.function.DoubleBinaryOperator;

/**
 * Elementwise unary op codes. Each carries its scalar definition {@code f(x, p)} (p: the op's parameter,
 * e.g. the slope of leaky ReLU); the scalar backend is exactly these, and faster backends are tested against them.
 * STEP, LEAKY_STEP and SIGN exist for backward rules.
 */
public enum UnaryOp {
    NEG((x, p) -> -x),
    EXP((x, p) -> Math.exp(x)),
    LOG((x, p) -> Math.log(x)),
    SQRT((x, p) -> Math.sqrt(x)),
    ABS((x, p) -> Math.abs(x)),
    SIN((x, p) -> Math.sin(x)),
    COS((x, p) -> Math.cos(x)),
    TANH((x, p) -> Math.tanh(x)),
    SIGMOID((x, p) -> 1.0 / (1.0 + Math.exp(-x))),
    RELU((x, p) -> x > 0 ? x : 0.0),
    LEAKY_RELU((x, p) -> x > 0 ? x : p * x),
    SQUARE((x, p) -> x * x),
    RECIPROCAL((x, p) -> 1.0 / x),
    POW((x, p) -> Math.pow(x, p)),
    MUL_SCALAR((x, p) -> x * p),
    ADD_SCALAR((x, p) -> x + p),
    STEP((x, p) -> x > 0 ? 1.0 : 0.0),
    LEAKY_STEP((x, p) -> x > 0 ? 1.0 : p),
    SIGN((x, p) -> Math.signum(x)),
    /** x·σ(x), one pass instead of sigmoid and a product (the U-Net's activation). */
    SILU((x, p) -> x / (1.0 + Math.exp(-x))),
    /** The derivative of SILU: σ(x)·(1 + x·(1 − σ(x))). */
    SILU_DERIV((x, p) -> {
        double s = 1.0 / (1.0 + Math.exp(-x));
        return s * (1.0 + x * (1.0 - s));
    });

    private final DoubleBinaryOperator f;

    UnaryOp(DoubleBinaryOperator f) { this.f = f; }

    public double apply(double x, double p) { return f.applyAsDouble(x, p); }
}
