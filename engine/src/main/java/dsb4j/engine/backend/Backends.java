package dsb4j.engine.backend;

import dsb4j.engine.backend.cpu.CpuBackend;
import dsb4j.engine.backend.scalar.ScalarBackend;
import java.util.ServiceLoader;

/**
 * Backend selection: {@code scalar}, {@code cpu}, {@code auto} and any {@link BackendProvider} (e.g. {@code cuda}).
 * The current backend is where tensor factories without an explicit backend allocate; it starts as
 * {@code cpu}, or {@code scalar} when the system property {@code dsb4j.scalar=true} forces the plain path
 * ({@link CpuBackend#scalarForced()}, the one place that reads it).
 */
public final class Backends {
    private Backends() {}

    private static final ScalarBackend SCALAR = new ScalarBackend();
    private static volatile Backend current;

    public static Backend scalar() { return SCALAR; }

    private static final java.util.concurrent.ConcurrentHashMap<Integer, CpuBackend> CPU = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The Vector API backend on {@code threads} worker threads: one shared instance (and thread pool) per
     * thread count, so tensors made by different callers asking for the same count can be combined.
     */
    public static Backend cpu(int threads) { return CPU.computeIfAbsent(threads, CpuBackend::new); }

    public static Backend current() {
        Backend b = current;
        if (b == null) {
            synchronized (Backends.class) {
                if (current == null) current = CpuBackend.scalarForced() ? SCALAR : cpu(defaultThreads());
                b = current;
            }
        }
        return b;
    }

    public static void setCurrent(Backend b) { current = b; }

    public static int defaultThreads() {
        return Integer.getInteger("dsb4j.threads", Runtime.getRuntime().availableProcessors());
    }

    /**
     * The backend named {@code name}. {@code auto} picks the first available provider (CUDA when present)
     * and otherwise cpu; {@code report} receives one line saying what it picked and why.
     * An unavailable named backend throws {@link IllegalStateException} with the reason.
     */
    public static Backend select(String name, int threads, java.util.function.Consumer<String> report) {
        switch (name) {
            case "scalar": return SCALAR;
            case "cpu": return cpu(threads);
            case "auto": {
                for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
                    String why = p.unavailableReason();
                    if (why == null) {
                        report.accept("device auto: picked " + p.name());
                        return p.create(threads);
                    }
                    report.accept("device auto: " + p.name() + " unavailable (" + why + "), using cpu with " + threads + " threads");
                    return cpu(threads);
                }
                report.accept("device auto: no GPU backend installed, using cpu with " + threads + " threads");
                return cpu(threads);
            }
            default: {
                for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
                    if (!p.name().equals(name)) continue;
                    String why = p.unavailableReason();
                    if (why != null) throw new IllegalStateException("device " + name + " unavailable: " + why);
                    return p.create(threads);
                }
                throw new IllegalStateException("unknown device '" + name + "' (known: scalar, cpu, auto"
                        + (name.equals("cuda") ? "; the cuda backend's provider is not on the class path" : "") + ")");
            }
        }
    }
}
