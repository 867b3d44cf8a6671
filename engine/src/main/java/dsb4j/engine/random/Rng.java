package dsb4j.engine.random;

/**
 * A seeded, splittable generator, passed explicitly (never global). {@link #nextSeed()} hands out seeds for
 * the counter-based tensor fills; {@link #fork(long...)} derives an independent child from a key such as
 * (IPF iteration, step), so a run replays exactly whatever happened before.
 */
public final class Rng {
    private final long seed;
    private long counter;

    public Rng(long seed) { this.seed = seed; }

    public long seed() { return seed; }

    /** How many draws this generator has made: with the seed, the whole state (for checkpoints). */
    public long counter() { return counter; }

    public static Rng restore(long seed, long counter) {
        Rng r = new Rng(seed);
        r.counter = counter;
        return r;
    }

    public long nextLong() { return CounterRandom.bits(seed, counter++); }

    /** A fresh seed for one tensor fill. */
    public long nextSeed() { return nextLong(); }

    public double nextDouble() { return CounterRandom.uniform(seed, counter++); }

    public double nextGaussian() { return CounterRandom.normal(seed, counter++); }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        return (int) Math.floorMod(nextLong(), (long) bound);
    }

    /** An independent generator for the given key path; does not advance this one. */
    public Rng fork(long... key) {
        long s = CounterRandom.mix(seed ^ 0x6A09E667F3BCC909L);
        for (long k : key) s = CounterRandom.mix(s + CounterRandom.mix(k + CounterRandom.GOLDEN));
        return new Rng(s);
    }

    /** In-place Fisher–Yates shuffle. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i]; a[i] = a[j]; a[j] = t;
        }
    }
}
