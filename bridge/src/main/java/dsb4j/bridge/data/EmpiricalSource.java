package dsb4j.bridge.data;

import dsb4j.engine.random.Rng;

/**
 * The empirical law of a fixed set of points: draws rows uniformly with replacement. For images (MNIST
 * rows) and for any data set given as a file.
 */
public final class EmpiricalSource implements DataSource {
    private final String name;
    private final Points points;

    public EmpiricalSource(String name, Points points) {
        if (points.n() < 1) throw new IllegalArgumentException("EmpiricalSource '" + name + "': no points to sample from");
        this.name = name;
        this.points = points;
    }

    @Override public String name() { return name; }

    @Override public int dim() { return points.d(); }

    /** The underlying set (not a copy: do not modify). */
    public Points points() { return points; }

    public int size() { return points.n(); }

    @Override public Points sample(int n, Rng rng) {
        if (n < 0) throw new IllegalArgumentException(name + ".sample: n must be >= 0, got " + n);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = rng.nextInt(points.n());
        return points.select(rows);
    }

    @Override public String toString() { return "EmpiricalSource(" + name + ", " + points + ")"; }
}
