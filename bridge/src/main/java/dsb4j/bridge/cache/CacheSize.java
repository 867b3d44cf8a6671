package dsb4j.bridge.cache;

/**
 * What a half-step's cache will hold, known before it is built: the memory line printed at start and the
 * refusal of a cache that cannot fit the heap come from here.
 */
public record CacheSize(String name, long bytes, String layout) {

    /** DSB's {@link TrajectoryCache}: the kept transitions of each chain (state and target, d floats each) plus the step. */
    public static CacheSize trajectories(int trajectories, int times, int dim) {
        return new CacheSize("trajectory cache", (long) trajectories * times * (2L * dim + 1) * Float.BYTES,
                String.format("%d trajectories × %d %s × 2 × %d floats", trajectories, times, times == 1 ? "step" : "steps", dim));
    }

    /** DSBM's {@link BridgeCache}: the two ends of each chain. */
    public static CacheSize bridges(int trajectories, int dim) {
        return new CacheSize("bridge cache", 2L * trajectories * dim * Float.BYTES,
                String.format("the two ends of %d trajectories × %d floats", trajectories, dim));
    }

    /** Refuses a cache that would not fit the heap, with a message that says how to shrink it. */
    public void checkFits() {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > free * 0.8)
            throw new IllegalStateException(String.format("%s needs %.1f MB (%s) but only %.1f MB of heap is free: "
                    + "lower --cache-trajectories, or raise the heap with DSB_JAVA_OPTS=-Xmx...", name, bytes / 1e6, layout, free / 1e6));
    }

    @Override public String toString() { return String.format("%s: %s (%.1f MB)", name, layout, bytes / 1e6); }
}
