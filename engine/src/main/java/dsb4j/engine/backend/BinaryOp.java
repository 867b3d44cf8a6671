package dsb4j.engine.backend;

import java.util.function.DoubleBinaryOperator;

/** Elementwise binary op codes with their scalar definitions. GE and EQ (1 or 0) exist for backward rules. */
public enum BinaryOp {
    ADD((a, b) -> a + b),
    SUB((a, b) -> a - b),
    MUL((a, b) -> a * b),
    DIV((a, b) -> a / b),
    MAX((a, b) -> a >= b ? a : b),
    MIN((a, b) -> a <= b ? a : b),
    GE((a, b) -> a >= b ? 1.0 : 0.0),
    EQ((a, b) -> a == b ? 1.0 : 0.0);

    private final DoubleBinaryOperator f;

    BinaryOp(DoubleBinaryOperator f) { this.f = f; }

    public double apply(double a, double b) { return f.applyAsDouble(a, b); }
}
