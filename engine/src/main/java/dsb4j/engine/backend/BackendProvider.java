package dsb4j.engine.backend;

/**
 * A backend found through {@link java.util.ServiceLoader} (the CUDA backend registers itself this way,
 * a TornadoVM one could later). The host backends are built in.
 */
public interface BackendProvider {
    /** The name users select it by, e.g. "cuda". */
    String name();

    /** Null when usable here, else one line saying why not (no driver, no device, ...). */
    String unavailableReason();

    Backend create(int threads);
}
