package dsb4j.bridge.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The readers' guard before a large allocation: a user's data set that does not fit the heap must end in one
 * line that says how much is needed, how much is free and how to give Java more, never in an
 * {@link OutOfMemoryError} (which may strike another thread, or leave the JVM half-broken).
 */
public final class HeapCheck {
    private HeapCheck() {}

    /** Share of the free heap an allocation may take: the rest is headroom for the caller's own work. */
    static final double USABLE = 0.75;

    /** Below this nothing is checked: small arrays cannot matter and the check has a cost (a gc on failure). */
    private static final long SMALL = 16L << 20;

    /**
     * Refuses an allocation of {@code bytes} that would not fit into 75 % of the free heap. {@code what} says
     * what is stored, e.g. "800,000,000 values". The first failure triggers one gc and a second look, since the
     * "used" heap counts garbage that a collection would free.
     */
    public static void require(Path file, long bytes, String what) throws IOException {
        if (bytes < SMALL || bytes <= free() * USABLE) return;
        System.gc();
        long free = free();
        if (bytes <= free * USABLE) return;
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        // enough for what is used now, the new array and the headroom, rounded up to whole gigabytes
        long suggestGb = (long) Math.ceil((used + bytes / USABLE) / (double) (1L << 30)) + 1;
        throw new IOException(String.format(Locale.ROOT,
                "%s: needs %s of heap for %s, %s free; give Java more memory with DSB_JAVA_OPTS=-Xmx%dg",
                file, size(bytes), what, size(free), suggestGb));
    }

    /** Heap that may still be allocated: the maximum heap minus what is in use. */
    static long free() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /** Bytes as "3.2 GB" or "740.0 MB" (decimal units, as disk sizes are shown). */
    static String size(long bytes) {
        return bytes >= 1_000_000_000L
                ? String.format(Locale.ROOT, "%.1f GB", bytes / 1e9)
                : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** A count with thousands separators, e.g. 800,000,000. */
    static String count(long n) { return String.format(Locale.ROOT, "%,d", n); }

    /** The bytes of {@code values} floats, refusing counts no Java array can hold. */
    static long floatBytes(Path file, long values, String shape) throws IOException {
        if (values > Integer.MAX_VALUE - 8)
            throw new IOException(file + ": " + shape + " holds " + count(values) + " values, more than the "
                    + count(Integer.MAX_VALUE - 8) + " one Java array can hold");
        return Math.multiplyExact(values, (long) Float.BYTES);
    }
}
