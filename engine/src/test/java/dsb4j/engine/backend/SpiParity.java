package dsb4j.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jdk.incubator.vector.FloatVector;

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
    public static List<View[]> pairs(Shape s) { return pairs(s, false); }

    /** {@link #pairs(Shape)}, or for a big shape (the fork-join path) the transposed and packed inputs and the step2 output only. */
    public static List<View[]> pairs(Shape s, boolean big) {
        List<View[]> cases = new ArrayList<>();
        List<View> ins = inputs(s), outs = outputs(s);
        for (View in : ins) if (!big || in.name().equals("transposed") || in.name().equals("packed")) cases.add(new View[]{in, outs.get(0)});
        for (View out : outs.subList(1, outs.size())) if (!big || out.name().equals("step2")) cases.add(new View[]{ins.get(0), out});
        return cases;
    }

    /** Floats per vector register of the CPU backend (16 with AVX-512; less under -XX:MaxVectorSize). */
    public static final int LANES = FloatVector.SPECIES_PREFERRED.length();
    /** The size list around the lane count: the CPU's loop bounds and scalar tails. */
    public static final int[] LANE_SIZES = {0, 1, LANES - 1, LANES, LANES + 1, 2 * LANES + 3, 1000, 1023, 4097};

    /**
     * The reduce tolerance of a target: maxima exactly everywhere; sums exactly on the scalar backend and the CPU's F64
     * (the definition), within 1e-6·Σ|x| over each output's inputs on the CPU's F32 (float accumulation, another
     * order), within 1.2e-7·|sum| + 1e-13·Σ|x| on a device (double accumulation, another order: a tree per block).
     */
    public static Tol reduceTol(String target, ReduceOp op, DType t, double[] magnitude) {
        if (op == ReduceOp.MAX || target.equals("scalar") || target.startsWith("cpu") && t == DType.F64) return EXACT;
        if (target.startsWith("cpu")) return (i, e) -> 1e-6 * magnitude[i] + Float.MIN_NORMAL;
        return (i, e) -> (t == DType.F32 ? 1.2e-7 * Math.abs(e) : 0) + 1e-13 * magnitude[i] + Double.MIN_NORMAL;
    }

    /**
     * reduce of x [s] (seeded data seen through {@code in}) over the axes whose bit is set in {@code mask}, on
     * {@code target} against the scalar backend, into an output with 3 sentinels past it, with the target's tolerance.
     */
    public static void reduce(String target, Backend backend, DType t, ReduceOp op, Shape s, int mask, View in, Rng rng) {
        boolean[] red = new boolean[s.rank()];
        int[] keep = s.dims();
        for (int a = 0; a < red.length; a++) if ((mask >> a & 1) == 1) { red[a] = true; keep[a] = 1; }
        int nOut = Shape.of(keep).numel();
        double[] x = data(rng, in.storageSize());
        double[] magnitude = new double[nOut + 3];                     // Σ|x| over each output's inputs
        if (op == ReduceOp.SUM) {
            Storage xs = SCALAR.fromDoubles(abs(x)), m = SCALAR.allocate(DType.F64, nOut + 3);
            SCALAR.reduce(ReduceOp.SUM, xs, in.layout(), red, m);
            magnitude = all(m);
        }
        check("reduce " + op + " " + t + " " + s + " mask " + Integer.toBinaryString(mask) + " " + in, backend, new DType[]{t, t},
                new double[][]{x, sentinels(nOut + 3)}, 1, (b, st) -> b.reduce(op, st[0], in.layout(), red, st[1]),
                reduceTol(target, op, t, magnitude));
    }

    /** Unary ops made of IEEE basic operations and comparisons: a device computing in double agrees bit for bit. */
    public static final Set<UnaryOp> EXACT_UNARY = Set.of(UnaryOp.NEG, UnaryOp.SQRT, UnaryOp.ABS, UnaryOp.RELU, UnaryOp.LEAKY_RELU,
            UnaryOp.SQUARE, UnaryOp.RECIPROCAL, UnaryOp.MUL_SCALAR, UnaryOp.ADD_SCALAR, UnaryOp.STEP, UnaryOp.LEAKY_STEP, UnaryOp.SIGN);

    /**
     * The unary tolerance table of a target: the scalar backend is the definition (exact); the CPU computes F32 in
     * float ({@link #cpuUnaryTol}) and F64 through the definition (exact); a CUDA target computes in double
     * ({@link #deviceUnaryTol}).
     */
    public static Tol unaryTol(String target, UnaryOp op, double p, DType t) {
        if (target.equals("scalar")) return EXACT;
        if (target.startsWith("cpu")) return t == DType.F64 ? EXACT : cpuUnaryTol(op, p);
        return deviceUnaryTol(op, t);
    }

    /**
     * The CPU's F32 kernels: 1e-6 relative (the transcendentals are within 1 ulp, ~1.2e-7, sigmoid within a few).
     * ADD_SCALAR also gets 1e-7·|p| absolute, for p rounded to float before the add (cancellation when x ≈ −p),
     * SILU_DERIV 1e-6 absolute.
     */
    public static Tol cpuUnaryTol(UnaryOp op, double p) {
        return switch (op) {
            case ADD_SCALAR -> (i, e) -> 1e-6 * Math.abs(e) + 1e-7 * Math.abs(p) + Float.MIN_NORMAL;
            case SILU_DERIV -> (i, e) -> 1e-6 * Math.abs(e) + 1e-6;    // crosses zero near x = −1.28 (cancellation); |f| ≤ 1.1
            case SILU -> (i, e) -> 1e-6 * Math.abs(e) + 1e-35;         // σ(x) is 0 below x = −87.3, so x·σ(x) below ~1e-35
            default -> relative(1e-6, DType.F32);
        };
    }

    /**
     * A device's double math: {@link #EXACT_UNARY} bit for bit; transcendentals within a few ulps of the JDK's, then
     * both round to the dtype. SiLU's derivative s·(1 + x·(1 − s)) multiplies exp's ulps by up to |x| (seen on an
     * H200: 3.6e-14 at x ≈ −7).
     */
    public static Tol deviceUnaryTol(UnaryOp op, DType t) {
        if (EXACT_UNARY.contains(op)) return EXACT;
        return relative(t == DType.F32 ? 1e-6 : op == UnaryOp.SILU_DERIV ? 1e-13 : 1e-14, t);
    }


    /**
     * The tolerance of storage {@code out} (2: m, 3: v, 4: the new value) of an adamStep of n elements on a target, for
     * inputs {p, g, m, v, out} read from offsets off: exact on the scalar backend, the CPU's F64 and a device (double
     * arithmetic); the CPU's F32 kernel (float arithmetic) within a few roundings of each term's magnitude: of
     * β1|m| + (1−β1)|g'| for m, of β2·v + (1−β2)·g'² for v, and for the new value p's rounding and 1e-5 of
     * stepSize·(β1|m| + (1−β1)|g'|)/(√v'·r + ε), where |g'| stands for |g| + λ|p|.
     */
    public static Tol adamTol(String target, DType t, AdamStep c, int n, int[] off, double[][] in, int out) {
        if (!(target.startsWith("cpu") && t == DType.F32)) return EXACT;
        double[] p = in[0], g = in[1], m = in[2], v = in[3];
        java.util.function.IntToDoubleFunction grad = i -> Math.abs(g[off[1] + i]) + c.weightDecay() * Math.abs(p[off[0] + i]);
        return switch (out) {
            case 2 -> (i, e) -> i < off[2] || i >= off[2] + n ? 0
                    : 1e-6 * (c.beta1() * Math.abs(m[i]) + (1 - c.beta1()) * grad.applyAsDouble(i - off[2])) + Float.MIN_NORMAL;
            case 3 -> (i, e) -> i < off[3] || i >= off[3] + n ? 0
                    : 1e-6 * (c.beta2() * v[i] + (1 - c.beta2()) * Math.pow(grad.applyAsDouble(i - off[3]), 2)) + Float.MIN_NORMAL;
            default -> (i, e) -> {
                if (i >= n) return 0;
                double w = p[off[0] + i], gi = g[off[1] + i] + c.weightDecay() * w;
                double vNew = c.beta2() * v[off[3] + i] + (1 - c.beta2()) * gi * gi;
                return 1e-6 * Math.abs(w) + 1e-5 * c.stepSize() * (c.beta1() * Math.abs(m[off[2] + i]) + (1 - c.beta1()) * grad.applyAsDouble(i))
                        / (Math.sqrt(vNew) * c.invSqrtBc2() + c.eps()) + Float.MIN_NORMAL;
            };
        };
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
