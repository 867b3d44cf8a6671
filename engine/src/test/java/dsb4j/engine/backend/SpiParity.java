package dsb4j.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The SPI contract's runner, for any backend against the scalar oracle (the contract suites and the CUDA parity
 * suites use it; the data, views, sentinels and op parameters are {@link ParityFixtures}'): sizes around the warp
 * width, both dtypes, and one runner that applies an SPI call to the same storages on the scalar oracle and on the
 * backend under test and compares a whole storage, so that elements a kernel must not touch are checked too.
 */
public class SpiParity extends ParityFixtures {
    protected SpiParity() {}

    public static final int W = 32;                         // the warp: the GPU's natural width
    public static final int[] SIZES = {0, 1, W - 1, W, W + 1, 2 * W + 3, 1000, 1023, 4097};
    public static final double SENTINEL = SENTINEL_VALUE;
    public static final Backend SCALAR = Backends.scalar();
    public static final DType[] DTYPES = {DType.F32, DType.F64};

    public static double[] data(Rng rng, int n) { return doubles(rng, n); }

    public static double[] sentinels(int n) { return sentinelDoubles(n); }

    public static double[] abs(double[] a) {
        double[] b = a.clone();
        for (int i = 0; i < b.length; i++) b[i] = Math.abs(b[i]);
        return b;
    }

    public static Storage store(Backend b, DType t, double[] data) {
        if (t == DType.F64) return b.fromDoubles(data);
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
        return b.fromFloats(f);
    }

    /** Every element of a storage, as double. */
    public static double[] all(Storage s) {
        return s.backend().toDoubles(s, Layout.contiguous(Shape.of(s.size())));
    }

    /** Shapes for elementwise work: a scalar, the size list, matrices both ways, rank 3 and 5, and a rank-10 layout that merges. */
    public static List<Shape> elementwiseShapes() {
        List<Shape> s = new ArrayList<>();
        s.add(Shape.SCALAR);
        for (int n : SIZES) s.add(Shape.of(n));
        s.add(Shape.of(3, 2 * W + 3));
        s.add(Shape.of(W + 1, 3));
        s.add(Shape.of(0, 5));
        s.add(Shape.of(4, 5, W + 1));
        s.add(Shape.of(2, 3, 1, 4, 5));
        s.add(Shape.of(1, 2, 1, 3, 1, 1, 2, 1, 1, 2));
        return s;
    }

    /** Each input view into a packed output, and a packed input into each output view. */
    public static List<View[]> pairs(Shape s) {
        List<View[]> cases = new ArrayList<>();
        List<View> ins = inputs(s), outs = outputs(s);
        for (View in : ins) cases.add(new View[]{in, outs.get(0)});
        for (View out : outs.subList(1, outs.size())) cases.add(new View[]{ins.get(0), out});
        return cases;
    }

    /** Per-element tolerance from the element's index and the oracle's value. */
    @FunctionalInterface
    public interface Tol {
        double of(int i, double expected);
    }

    /** Bit-for-bit (NaN equals NaN; 0.0 and -0.0 differ). */
    public static final Tol EXACT = (i, e) -> -1;

    public static Tol relative(double rtol, DType t) {
        double floor = t == DType.F32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
        return (i, e) -> rtol * Math.abs(e) + floor;
    }

    /** The SPI call under test, applied to storages of one backend. */
    @FunctionalInterface
    public interface Call {
        void run(Backend b, Storage[] s);
    }

    /**
     * Makes the storages (dtype {@code types[i]}, contents {@code contents[i]}) on the scalar backend and on
     * {@code target}, runs {@code call} on both, and compares storage {@code out} element by element.
     */
    public static void check(String what, Backend target, DType[] types, double[][] contents, int out, Call call, Tol tol) {
        Storage[] host = new Storage[contents.length], dev = new Storage[contents.length];
        for (int i = 0; i < contents.length; i++) {
            host[i] = store(SCALAR, types[i], contents[i]);
            dev[i] = store(target, types[i], contents[i]);
        }
        call.run(SCALAR, host);
        try {
            call.run(target, dev);
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": " + e, e);
        }
        assertStorage(what, all(host[out]), all(dev[out]), tol);
        for (Storage s : dev) if (s instanceof AutoCloseable c) close(c);
    }

    /**
     * Where the oracle left the sentinel the backend must have too; every other element must agree within the
     * tolerance (exactly for {@link #EXACT}), NaN only where the oracle has NaN, infinities exactly.
     */
    public static void assertStorage(String what, double[] expected, double[] actual, Tol tol) {
        assertEquals(expected.length, actual.length, what + ": storage sizes");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.compare(e, a) == 0) continue;
            if (e == SENTINEL || a == SENTINEL)
                fail(what + ": element " + i + (e == SENTINEL ? " must stay unwritten" : " was not written") + " (expected " + e + ", got " + a + ")");
            double t = tol.of(i, e);
            if (t < 0 || Double.isNaN(e) || Double.isNaN(a) || Double.isInfinite(e) || !(Math.abs(e - a) <= t))
                fail(what + ": element " + i + " expected " + e + ", got " + a + (t < 0 ? " (exact)" : " (|diff| " + Math.abs(e - a) + " > tol " + t + ")"));
        }
    }

    /** Gives a device buffer back (heap storages are not closeable). */
    public static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
