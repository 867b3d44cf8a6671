package dsb4j.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.backend.HeapStorage;
import dsb4j.engine.backend.ParityFixtures;
import dsb4j.engine.random.Rng;
import java.util.List;
import jdk.incubator.vector.FloatVector;

/**
 * The CPU-vs-scalar parity tests' side of the shared fixtures ({@link ParityFixtures}: data, views, sentinels, op
 * parameters): the lane-count-driven sizes, the CPU backends under test, float storages and comparisons that also
 * check which elements were written.
 */
final class Parity extends ParityFixtures {
    private Parity() {}

    static final int L = FloatVector.SPECIES_PREFERRED.length();
    /** The design's size list around the lane count. */
    static final int[] SIZES = {0, 1, L - 1, L, L + 1, 2 * L + 3, 1000, 1023, 4097};
    /** Written where no kernel may write: any element still equal to it was left alone. */
    static final float SENTINEL = SENTINEL_VALUE;

    static final Backend SCALAR = Backends.scalar();
    /** Single-threaded and two-thread CPU backends (the second splits anything above ~64k elements). */
    static final List<CpuBackend> CPUS = List.of(new CpuBackend(1), new CpuBackend(2));

    /**
     * Prints the lane count, and when the build sets {@code dsb4j.maxVectorBytes} (the forked narrow-vector
     * runs do, beside -XX:MaxVectorSize) asserts the vectors are no wider, so a narrower run visibly ran narrower.
     */
    static void checkLanes(String suite) {
        Integer max = Integer.getInteger("dsb4j.maxVectorBytes");
        System.out.println(suite + ": FloatVector.SPECIES_PREFERRED has " + L + " lanes"
                + (max != null ? " (run limited to " + max + "-byte vectors)" : "")
                + (CpuBackend.scalarForced() ? " (dsb4j.scalar=true: scalar paths forced)" : ""));
        if (max != null) assertTrue(L * Float.BYTES <= max, L + " float lanes exceed the " + max + "-byte limit of this run");
    }

    static float[] data(Rng rng, int n) { return floats(rng, n); }

    static float[] sentinels(int n) { return sentinelFloats(n); }

    static HeapStorage.F32 f32(Backend b, float[] data) { return new HeapStorage.F32(b, data.clone()); }

    /** Per-element tolerance given the expected value and the element's index. */
    @FunctionalInterface
    interface Tolerance {
        double of(int i, float expected);
    }

    static final Tolerance EXACT = (i, e) -> 0;

    /** Relative, with a floor at the smallest normal float: subnormal results carry only a few bits. */
    static Tolerance relative(double rtol) { return (i, e) -> rtol * Math.abs(e) + Float.MIN_NORMAL; }

    /**
     * Compares whole storages: where the oracle left the sentinel the candidate must have left it too,
     * and every written element must agree within the tolerance (NaN only where the oracle has NaN).
     */
    static void assertStorage(String what, float[] expected, float[] actual, Tolerance tol) {
        assertEquals(expected.length, actual.length, what + ": storage sizes");
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], a = actual[i];
            if (e == SENTINEL || a == SENTINEL) {
                if (Float.floatToRawIntBits(e) != Float.floatToRawIntBits(a))
                    fail(what + ": element " + i + (e == SENTINEL ? " must stay unwritten" : " was not written")
                            + " (expected " + e + ", got " + a + ")");
                continue;
            }
            if (Float.isNaN(e) || Float.isNaN(a)) {
                if (Float.isNaN(e) != Float.isNaN(a)) fail(what + ": element " + i + " expected " + e + ", got " + a);
                continue;
            }
            if (e == a) continue;
            double t = tol.of(i, e);
            if (!(Math.abs((double) e - a) <= t))
                fail(what + ": element " + i + " expected " + e + ", got " + a + " (|diff| " + Math.abs((double) e - a)
                        + " > tol " + t + ")");
        }
    }
}
