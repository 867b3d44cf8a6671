package dsb4j.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.backend.HeapStorage;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.FloatVector;

/**
 * Shared fixtures of the CPU-vs-scalar parity tests: the lane-count-driven sizes, seeded non-zero data,
 * strided/offset/broadcast views, sentinel-filled outputs and comparisons that also check which
 * elements were written.
 */
final class Parity {
    private Parity() {}

    static final int L = FloatVector.SPECIES_PREFERRED.length();
    /** The design's size list around the lane count. */
    static final int[] SIZES = {0, 1, L - 1, L, L + 1, 2 * L + 3, 1000, 1023, 4097};
    /** Written where no kernel may write: any element still equal to it was left alone. */
    static final float SENTINEL = 12345f;

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

    /** Uniform in ±[0.1, 2]: seeded, never zero, both signs. */
    static float[] data(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            float m = (float) (0.1 + 1.9 * rng.nextDouble());
            a[i] = rng.nextDouble() < 0.5 ? -m : m;
        }
        return a;
    }

    static float[] sentinels(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, SENTINEL);
        return a;
    }

    static HeapStorage.F32 f32(Backend b, float[] data) { return new HeapStorage.F32(b, data.clone()); }

    /** A layout over some storage: the view, and how many elements that storage needs. */
    record View(String name, Layout layout, int storageSize) {
        @Override public String toString() { return name + " " + layout; }
    }

    /** Input views of {@code shape}: packed with an offset, transposed, sliced with step 2, broadcast. */
    static List<View> inputs(Shape shape) {
        List<View> v = new ArrayList<>(outputs(shape));
        int r = shape.rank();
        if (r >= 1 && shape.numel() > 0) {
            int[] one = shape.dims();
            one[r - 1] = 1;                            // [.., 1] broadcast along the last axis (a column)
            v.add(view("broadcast-last", Layout.contiguous(Shape.of(one)).broadcastTo(shape)));
            int[] lead = shape.dims();
            lead[0] = 1;                               // [1, ..] broadcast along the first axis (a bias row)
            v.add(view("broadcast-first", Layout.contiguous(Shape.of(lead)).broadcastTo(shape)));
            v.add(view("scalar", Layout.contiguous(Shape.SCALAR).broadcastTo(shape)));
        }
        return v;
    }

    /** Views an op may write through: packed, packed at an offset, strided (gaps), transposed. */
    static List<View> outputs(Shape shape) {
        List<View> v = new ArrayList<>();
        int r = shape.rank();
        v.add(view("packed", Layout.contiguous(shape)));
        Layout c = Layout.contiguous(shape);
        v.add(new View("offset", new Layout(shape, c.strides(), 7), shape.numel() + 7 + 5));
        if (r >= 1) {
            int[] wide = shape.dims();
            wide[r - 1] = 2 * wide[r - 1] + 1;         // every other element of a wider row, from 1
            v.add(view("step2", Layout.contiguous(Shape.of(wide)).slice(r - 1, 1, wide[r - 1], 2)));
        }
        if (r >= 2) {
            int[] rev = shape.dims();
            int t = rev[r - 1]; rev[r - 1] = rev[r - 2]; rev[r - 2] = t;
            int[] axes = new int[r];
            for (int i = 0; i < r; i++) axes[i] = i;
            axes[r - 1] = r - 2; axes[r - 2] = r - 1;
            v.add(view("transposed", Layout.contiguous(Shape.of(rev)).permute(axes)));
        }
        return v;
    }

    static View view(String name, Layout l) { return new View(name, l, l.extent() + 3); }

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
