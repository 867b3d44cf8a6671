package dsb4j.engine.backend;

/** Reductions over a set of axes. Mean is a composite (sum times 1/n). */
public enum ReduceOp {
    SUM(0.0),
    MAX(Double.NEGATIVE_INFINITY);

    private final double identity;

    ReduceOp(double identity) { this.identity = identity; }

    public double identity() { return identity; }

    public double combine(double acc, double x) {
        return this == SUM ? acc + x : Math.max(acc, x);
    }
}
