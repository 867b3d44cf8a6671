package dsb4j.engine.autograd;

/**
 * A scope in which ops record nothing (simulation, sampling, target computation, optimiser updates):
 * {@code try (var ignored = NoGrad.enter()) { ... }}. Nestable; per thread.
 */
public final class NoGrad implements AutoCloseable {
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private NoGrad() {}

    public static NoGrad enter() {
        DEPTH.get()[0]++;
        return new NoGrad();
    }

    public static boolean active() { return DEPTH.get()[0] > 0; }

    @Override public void close() { DEPTH.get()[0]--; }
}
