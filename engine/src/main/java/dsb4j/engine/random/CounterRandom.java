package dsb4j.engine.random;

/**
 * A counter-based generator: draw i of stream {@code seed} is a pure function of (seed, i), so any backend,
 * any thread split and a GPU kernel produce the same numbers. SplitMix64's finaliser is the hash.
 */
public final class CounterRandom {
    private CounterRandom() {}

    static final long GOLDEN = 0x9E3779B97F4A7C15L;

    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 64 random bits for draw i of stream seed. */
    public static long bits(long seed, long i) {
        return mix(mix(seed) + (i + 1) * GOLDEN);
    }

    /** U[0, 1) with 53 random bits. */
    public static double uniform(long seed, long i) {
        return (bits(seed, i) >>> 11) * 0x1.0p-53;
    }

    /** N(0, 1) by Box–Muller from two independent words of draw i. */
    public static double normal(long seed, long i) {
        long h = bits(seed, i);
        double u1 = ((h >>> 11) + 1) * 0x1.0p-53;             // (0, 1]: log is finite
        double u2 = (mix(h ^ GOLDEN) >>> 11) * 0x1.0p-53;
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
