package dsb4j.engine.backend;

import static dsb4j.engine.backend.SpiParity.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The backend SPI's contract that every backend ({@link BackendTargets}: scalar, the CPU on one and two threads, the
 * CUDA emulator, a GPU where present) meets against the scalar oracle with the same tolerances: allocate, the four
 * transfers (strided views included), the counter-based random fills (the same numbers as CounterRandom), the fused
 * SDE step, the fused Adam update, im2col and col2im, the
 * fused group norm with its gradient, reduce over every axis subset (each target with its tolerance table), unary (every op with the one parameter table, each target with its tolerance
 * table: exact on scalar, the CPU's float kernels, a device's double math), the strided batched GEMM (on CUDA: cuBLAS and the plain kernel; every
 * transpose, odd sizes, k = 0, shared and accumulated batch entries, padded leading dimensions, offsets, alpha and
 * beta, within (k + 2)·batch roundings of |α|·|A|·|B| + |β|·|C|), and binary, copy and fill: every op code, both dtypes, sizes around the warp
 * width, strided, offset, transposed and broadcast views, Java's special-value rules, bit for bit. Per-backend suites (cpu/*ParityTest, cuda/Cuda*ParityTest) hold what a backend
 * does with its own precision.
 */
class SpiContractTest {

    static java.util.stream.Stream<String> targets() { return BackendTargets.names(); }

    @ParameterizedTest @MethodSource("targets")
    void allocateIsZeroFilled(String target) {
        Backend backend = BackendTargets.backend(target);
        for (DType t : DTYPES)
            for (int n : SIZES) {
                Storage s = backend.allocate(t, n);
                assertEquals(t, s.dtype());
                assertEquals(n, s.size());
                assertStorage("allocate " + t + " " + n, new double[n], all(s), EXACT);
                if (s instanceof AutoCloseable c) close(c);
            }
    }

    @ParameterizedTest @MethodSource("targets")
    void transfersRoundTripAndGatherViews(String target) {
        Backend backend = BackendTargets.backend(target);
        Rng rng = new Rng(31);
        for (int n : SIZES) {
            double[] d = data(rng, n);
            float[] f = new float[n];
            for (int i = 0; i < n; i++) f[i] = (float) d[i];
            Storage sf = backend.fromFloats(f), sd = backend.fromDoubles(d);
            Layout l = Layout.contiguous(Shape.of(n));
            assertArrayEquals(f, backend.toFloats(sf, l), "F32 round trip of " + n);
            assertArrayEquals(d, backend.toDoubles(sd, l), "F64 round trip of " + n);
            float[] narrowed = new float[n];
            double[] widened = new double[n];
            for (int i = 0; i < n; i++) { narrowed[i] = (float) d[i]; widened[i] = f[i]; }
            assertArrayEquals(narrowed, backend.toFloats(sd, l), "F64 storage read as floats");
            assertArrayEquals(widened, backend.toDoubles(sf, l), "F32 storage read as doubles");
        }
        for (DType t : DTYPES)
            for (Shape s : memoryShapes())
                for (View v : inputs(s)) {
                    double[] x = data(rng, v.storageSize());
                    Storage host = store(SCALAR, t, x), dev = store(backend, t, x);
                    assertArrayEquals(SCALAR.toDoubles(host, v.layout()), backend.toDoubles(dev, v.layout()), "toDoubles " + t + " " + v);
                    assertArrayEquals(SCALAR.toFloats(host, v.layout()), backend.toFloats(dev, v.layout()), "toFloats " + t + " " + v);
                }
    }

    @ParameterizedTest @MethodSource("targets")
    void randomFillsReproduceCounterRandom(String target) {
        Backend backend = BackendTargets.backend(target);
        boolean host = target.equals("scalar") || target.startsWith("cpu");
        for (DType t : DTYPES)
            for (int n : randomSizes())
                for (long seed : new long[]{0, 42, -7, Long.MIN_VALUE, 0x9E3779B97F4A7C15L}) {
                    check("uniform " + t + " n " + n + " seed " + seed, backend, new DType[]{t}, new double[][]{sentinels(n)}, 0,
                            (b, s) -> b.randomUniform(s[0], seed), EXACT);
                    // The host backends draw bit for bit alike; Box–Muller's log, cos and sqrt come from CUDA's math
                    // library on a device: a few ulps from the JDK's
                    check("normal " + t + " n " + n + " seed " + seed, backend, new DType[]{t}, new double[][]{sentinels(n)}, 0,
                            (b, s) -> b.randomNormal(s[0], seed),
                            host ? EXACT : t == DType.F32 ? relative(1.2e-7, t) : (i, e) -> 1e-14 + 1e-14 * Math.abs(e));
                }
    }

    /** The warp- and lane-sized lists, and one long enough for the CPU's fork-join split. */
    static int[] randomSizes() {
        return java.util.stream.IntStream.concat(java.util.stream.IntStream.concat(java.util.Arrays.stream(SIZES),
                java.util.Arrays.stream(LANE_SIZES)), java.util.stream.IntStream.of(100_003)).distinct().toArray();
    }

    /**
     * The fused SDE step out = x + γ·f + √(2γ)·z into a fresh buffer (inputs may be longer than out: only out's
     * elements are computed) and over x itself: exact on the scalar backend, the CPU's F64 and a device (double
     * arithmetic); the CPU's F32 kernel (two FMAs in float) within two roundings of terms of size |x|, γ|f|, √(2γ)|z|.
     */
    @ParameterizedTest @MethodSource("targets")
    void sdeStepMatches(String target) {
        Backend backend = BackendTargets.backend(target);
        Rng rng = new Rng(33);
        for (DType t : DTYPES)
            for (int n : java.util.stream.IntStream.concat(java.util.Arrays.stream(randomSizes()), java.util.stream.IntStream.of(70_001)).toArray())
                for (double gamma : new double[]{1e-3, 0.01, 0.05, 1.0 / 3, 0.5, 0.7}) {
                    double[] x = data(rng, n + 2), f = data(rng, n), z = data(rng, n + 1);
                    double s = Math.sqrt(2 * gamma);
                    Tol tol = target.startsWith("cpu") && t == DType.F32
                            ? (i, e) -> i >= n ? 0 : 1e-6 * (Math.abs(x[i]) + gamma * Math.abs(f[i]) + s * Math.abs(z[i])) + Float.MIN_NORMAL
                            : EXACT;
                    check("sdeStep " + t + " n " + n + " gamma " + gamma, backend, new DType[]{t, t, t, t},
                            new double[][]{x, f, z, sentinels(n)}, 3, (b, st) -> b.sdeStep(st[0], st[1], st[2], gamma, st[3]), tol);
                    check("sdeStep in place " + t + " n " + n + " gamma " + gamma, backend, new DType[]{t, t, t},
                            new double[][]{java.util.Arrays.copyOf(x, n), f, z}, 0, (b, st) -> b.sdeStep(st[0], st[1], st[2], gamma, st[0]), tol);
                }
    }

    /**
     * The fused group norm + affine + SiLU and its gradient (CUDA runs the default composition of primitives): every
     * output against the scalar backend, one and several channels per group, a plane shorter than a warp.
     */
    @ParameterizedTest @MethodSource("targets")
    void groupNormSiluMatchesScalar(String target) {
        Backend backend = BackendTargets.backend(target);
        Rng rng = new Rng(35);
        for (DType t : DTYPES)
            for (int[] k : new int[][]{{2, 4, 2, 9}, {3, 6, 1, 40}, {1, 2, 2, 5}}) {
                GroupNormShape g = new GroupNormShape(k[0], k[1], k[2], k[3], 1e-5);
                int size = g.numel(), nc = g.n() * g.channels(), stats = 2 * g.count();
                double[][] in = {data(rng, size), data(rng, nc), data(rng, nc), data(rng, size), sentinels(size), sentinels(stats),
                        sentinels(size), sentinels(nc), sentinels(nc)};
                DType[] types = {t, t, t, t, t, t, t, t, t};
                Tol tol = (i, e) -> (t == DType.F32 ? 1e-4 : 1e-10) * (1 + Math.abs(e));
                String[] names = {"y", "stats", "dx", "da", "db"};
                for (int out = 4; out < 9; out++)
                    check("groupNormSilu " + names[out - 4] + " " + t + " " + g, backend, types, in, out, (b, s) -> {
                        b.groupNormSilu(g, s[0], s[1], s[2], s[4], s[5]);
                        b.groupNormSiluGrad(g, s[0], s[5], s[1], s[2], s[3], s[6], s[7], s[8]);
                    }, tol);
            }
    }

    @ParameterizedTest @MethodSource("targets")
    void binaryEveryOpDtypeSizeAndView(String target) {
        Backend backend = BackendTargets.backend(target);
        Rng rng = new Rng(12);
        for (DType t : DTYPES)
            for (BinaryOp op : BinaryOp.values())
                for (Shape s : elementwiseShapes()) {
                    List<View> ins = inputs(s), outs = outputs(s);
                    View packed = ins.get(0);
                    for (View a : ins) binary(backend, t, op, s, a, packed, outs.get(0), rng);
                    for (View b : ins.subList(1, ins.size())) binary(backend, t, op, s, packed, b, outs.get(0), rng);
                    for (View o : outs.subList(1, outs.size())) binary(backend, t, op, s, packed, ins.get(ins.size() > 4 ? 4 : 0), o, rng);
                }
    }

    /** Every pair of special values through every binary op: MAX/MIN/GE/EQ by Java's comparisons, not fmax. */
    @ParameterizedTest @MethodSource("targets")
    void binarySpecialValuesFollowJava(String target) {
        Backend backend = BackendTargets.backend(target);
        double[] v = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1, -1, 1e-40};
        int n = v.length * v.length;
        double[] a = new double[n], b = new double[n];
        for (int i = 0; i < n; i++) { a[i] = v[i / v.length]; b[i] = v[i % v.length]; }
        Layout l = Layout.contiguous(Shape.of(n));
        for (DType t : DTYPES)
            for (BinaryOp op : BinaryOp.values())
                check("special binary " + op + " " + t, backend, new DType[]{t, t, t}, new double[][]{a, b, sentinels(n)}, 2,
                        (k, s) -> k.binary(op, s[0], l, s[1], l, s[2], l), EXACT);
    }

    @ParameterizedTest @MethodSource("targets")
    void copyBetweenViewsAndDtypes(String target) {
        Backend backend = BackendTargets.backend(target);
        Rng rng = new Rng(13);
        for (DType from : DTYPES)
            for (DType to : DTYPES)
                for (Shape s : memoryShapes()) {
                    List<View[]> cases = new ArrayList<>(pairs(s));
                    if (s.rank() >= 2) cases.add(new View[]{inputs(s).get(3), outputs(s).get(3)});     // transposed into transposed
                    for (View[] c : cases) {
                        View in = c[0], out = c[1];
                        check("copy " + from + "->" + to + " " + s + " " + in + " -> " + out, backend, new DType[]{from, to},
                                new double[][]{data(rng, in.storageSize()), sentinels(out.storageSize())}, 1,
                                (b, st) -> b.copy(st[0], in.layout(), st[1], out.layout()), EXACT);
                    }
                }
    }

    /** Shapes for copies, fills and host copies: the unary ones, and one big enough for the CPU's fork-join path. */
    static List<Shape> memoryShapes() {
        List<Shape> s = new ArrayList<>(unaryShapes());
        s.add(Shape.of(300, 333));
        return s;
    }

    @ParameterizedTest @MethodSource("targets")
    void fillEveryView(String target) {
        Backend backend = BackendTargets.backend(target);
        for (DType t : DTYPES)
            for (Shape s : memoryShapes())
                for (View out : outputs(s))
                    for (double v : new double[]{0.0, -0.0, 1.5, -3.25e-3, 0.37, Double.NaN})
                        check("fill " + v + " " + t + " " + s + " " + out, backend, new DType[]{t},
                                new double[][]{sentinels(out.storageSize())}, 0, (b, st) -> b.fill(st[0], out.layout(), v), EXACT);
    }

    static void binary(Backend backend, DType t, BinaryOp op, Shape s, View a, View b, View out, Rng rng) {
        double[] av = data(rng, a.storageSize()), bv = data(rng, b.storageSize());
        if (op == BinaryOp.EQ || op == BinaryOp.GE || op == BinaryOp.MAX)    // some ties, so equality matters
            for (int i = 0; i < Math.min(av.length, bv.length); i += 3) bv[i] = av[i];
        check("binary " + op + " " + t + " " + s + " a " + a + ", b " + b + " -> " + out, backend, new DType[]{t, t, t},
                new double[][]{av, bv, sentinels(out.storageSize())}, 2,
                (k, st) -> k.binary(op, st[0], a.layout(), st[1], b.layout(), st[2], out.layout()), EXACT);
    }

    static java.util.stream.Stream<String> gemmTargets() { return BackendTargets.namesWithPlainGemm(); }

    /** A GEMM case: its shape, scalars and operand offsets. */
    record Case(GemmShape g, double alpha, double beta, int aOff, int bOff, int cOff) {
        @Override public String toString() { return g + " alpha " + alpha + " beta " + beta + " offsets " + aOff + "/" + bOff + "/" + cOff; }
    }

    static List<Case> gemmCases() {
        List<Case> cases = new ArrayList<>();
        int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {W + 1, 17, 2 * W + 1}, {64, 64, 64}, {100, 1, 37}, {1, 100, 37}, {5, 4, 0}};
        for (boolean ta : new boolean[]{false, true})
            for (boolean tb : new boolean[]{false, true})
                for (int[] mnk : sizes) {
                    int m = mnk[0], n = mnk[1], k = mnk[2];
                    cases.add(new Case(GemmShape.of(ta, tb, m, n, k), 1, 0, 0, 0, 0));
                    cases.add(new Case(GemmShape.of(ta, tb, m, n, k), 0.5, -2, 3, 5, 7));
                    // padded leading dimensions, a batch of 3 with gaps between entries
                    int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 2, ldc = n + 1;
                    int sa = (ta ? k : m) * lda + 4, sb = (tb ? n : k) * ldb + 1, sc = m * ldc + 2;
                    cases.add(new Case(new GemmShape(ta, tb, 3, m, n, k, lda, ldb, ldc, sa, sb, sc), 1.25, 0, 1, 2, 3));
                    // one A shared by the batch; then every entry accumulating into one C
                    cases.add(new Case(new GemmShape(ta, tb, 3, m, n, k, lda, ldb, ldc, 0, sb, sc), 1, 1, 0, 0, 0));
                    cases.add(new Case(new GemmShape(ta, tb, 2, m, n, k, lda, ldb, ldc, sa, sb, 0), 1, 1, 0, 0, 0));
                }
        // a leading dimension cuBLAS rejects (one row of A, lda 1 < k): the plain kernel takes it
        cases.add(new Case(new GemmShape(false, false, 1, 1, 4, 5, 1, 4, 4, 0, 0, 0), 1, 0, 0, 0, 0));
        return cases;
    }

    /** Elements an operand's storage needs: the last one it touches plus slack (sentinels beyond C). */
    static int extent(int off, int batch, int stride, int rows, int cols, int ld) {
        if (rows == 0 || cols == 0) return off + 1;
        return off + (batch - 1) * stride + (rows - 1) * ld + cols + 4;
    }

    @ParameterizedTest @MethodSource("gemmTargets")
    void gemmEveryTransposeSizeBatchAndOffset(String target) {
        Backend backend = BackendTargets.backend(target);
        Rng rng = new Rng(22);
        for (DType t : DTYPES)
            for (Case c : gemmCases()) gemm(backend, t, c, rng);
    }

    static void gemm(Backend backend, DType t, Case c, Rng rng) {
        GemmShape g = c.g;
        int na = extent(c.aOff, g.batch(), g.strideA(), g.transA() ? g.k() : g.m(), g.transA() ? g.m() : g.k(), g.lda());
        int nb = extent(c.bOff, g.batch(), g.strideB(), g.transB() ? g.n() : g.k(), g.transB() ? g.k() : g.n(), g.ldb());
        int nc = extent(c.cOff, g.batch(), g.strideC(), g.m(), g.n(), g.ldc());
        double[] a = data(rng, na), b = data(rng, nb);
        double[] cv = c.beta == 0 ? nanFilled(nc) : data(rng, nc);     // beta == 0 must not read C
        // |alpha|·|A|·|B| + |beta|·|C|: the scale of rounding differences (cuBLAS accumulates in the dtype)
        Storage am = SCALAR.fromDoubles(abs(a)), bm = SCALAR.fromDoubles(abs(b)), cm = SCALAR.fromDoubles(c.beta == 0 ? new double[nc] : abs(cv));
        SCALAR.gemm(g, Math.abs(c.alpha), am, c.aOff, bm, c.bOff, Math.abs(c.beta), cm, c.cOff);
        double[] mag = all(cm);
        double eps = t == DType.F32 ? 0x1p-23 : 0x1p-51;
        Tol tol = (i, e) -> (g.k() + 2) * g.batch() * eps * mag[i] + Double.MIN_NORMAL;
        check("gemm " + t + " " + c, backend, new DType[]{t, t, t}, new double[][]{a, b, cv}, 2,
                (k, s) -> k.gemm(g, c.alpha, s[0], c.aOff, s[1], c.bOff, c.beta, s[2], c.cOff), tol);
    }

    static double[] nanFilled(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, Double.NaN);
        return a;
    }


    /**
     * Shapes for unary work: the warp-sized ones ({@link #elementwiseShapes}) and the lane-sized ones of the CPU: the
     * size list around the lane count, matrices both ways, rank 3.
     */
    static List<Shape> unaryShapes() {
        List<Shape> s = new ArrayList<>(elementwiseShapes());
        for (Shape x : laneShapes()) if (!s.contains(x)) s.add(x);
        return s;
    }

    /** The CPU's elementwise shapes: 1-D over the lane-sized list, a few matrices both ways and a rank-3 tensor. */
    static List<Shape> laneShapes() {
        List<Shape> s = new ArrayList<>();
        int l = LANES;
        s.add(Shape.SCALAR);
        for (int n : LANE_SIZES) s.add(Shape.of(n));
        for (int n : new int[]{l - 1, l + 1, 2 * l + 3, 1000}) s.add(Shape.of(3, n));
        s.add(Shape.of(l + 1, 3));
        s.add(Shape.of(1000, 3));
        s.add(Shape.of(0, 5));
        s.add(Shape.of(4, 5, l + 1));
        return s;
    }

    /**
     * binary over the lane-sized shapes and the big matrix (the fork-join path), both dtypes: a in each view with b
     * packed, the reverse, both packed into each output view, and the two broadcasts together (row + column: an outer
     * sum); ties for every op, so that MAX/MIN/GE/EQ see both outcomes. Bit for bit.
     */
    @ParameterizedTest @MethodSource("targets")
    void binaryLaneSizedShapesAndBroadcastPairs(String target) {
        Backend backend = BackendTargets.backend(target);
        Rng rng = new Rng(12);
        for (DType t : DTYPES)
            for (BinaryOp op : BinaryOp.values()) {
                for (Shape s : laneShapes()) for (View[] c : binaryCases(s, false)) binaryWithTies(backend, t, op, s, c, rng);
                Shape big = BIG.get(1);                      // the matrix: its broadcasts are the interesting big cases
                for (View[] c : binaryCases(big, true)) binaryWithTies(backend, t, op, big, c, rng);
            }
    }

    /** The cases of {@link #binaryLaneSizedShapesAndBroadcastPairs}; for a big shape only transposes, broadcasts and step2. */
    static List<View[]> binaryCases(Shape s, boolean big) {
        List<View[]> cases = new ArrayList<>();
        List<View> ins = inputs(s), outs = outputs(s);
        View packed = ins.get(0), out = outs.get(0);
        for (View v : ins) {
            if (big && !(v.name().equals("transposed") || v.name().startsWith("broadcast"))) continue;
            cases.add(new View[]{v, packed, out});
            cases.add(new View[]{packed, v, out});
        }
        for (View o : outs.subList(1, outs.size())) if (!big || o.name().equals("step2")) cases.add(new View[]{packed, packed, o});
        View first = ins.stream().filter(v -> v.name().equals("broadcast-first")).findFirst().orElse(null);
        View last = ins.stream().filter(v -> v.name().equals("broadcast-last")).findFirst().orElse(null);
        if (first != null && last != null) {
            cases.add(new View[]{first, last, out});
            cases.add(new View[]{last, first, out});
        }
        return cases;
    }

    static void binaryWithTies(Backend backend, DType t, BinaryOp op, Shape s, View[] c, Rng rng) {
        View va = c[0], vb = c[1], out = c[2];
        double[] a = data(rng, va.storageSize()), b = data(rng, vb.storageSize());
        for (int i = 0; i < Math.min(a.length, b.length); i += 3) b[i] = a[i];
        check("binary " + op + " " + t + " " + s + " a " + va + " b " + vb + " -> " + out, backend, new DType[]{t, t, t},
                new double[][]{a, b, sentinels(out.storageSize())}, 2,
                (k, st) -> k.binary(op, st[0], va.layout(), st[1], vb.layout(), st[2], out.layout()), EXACT);
    }

    /** Two big ones that take the CPU's fork-join path. */
    static final List<Shape> BIG = List.of(Shape.of(70001), Shape.of(300, 333));

    /**
     * Every unary op code with the parameter of the one table ({@link #param}), both dtypes, every size and view, into
     * sentinels, with the target's tolerance table ({@link #unaryTol}); an integer power on signed inputs and leaky
     * slopes of both signs.
     */
    @ParameterizedTest @MethodSource("targets")
    void unaryEveryOpDtypeSizeAndView(String target) {
        Backend backend = BackendTargets.backend(target);
        Rng rng = new Rng(11);
        for (DType t : DTYPES) {
            for (UnaryOp op : UnaryOp.values()) {
                for (Shape s : unaryShapes()) for (View[] c : pairs(s)) unary(target, backend, t, op, param(op), s, c[0], c[1], rng);
                for (Shape s : BIG) for (View[] c : pairs(s, true)) unary(target, backend, t, op, param(op), s, c[0], c[1], rng);
            }
            Shape s = Shape.of(1023);
            unary(target, backend, t, UnaryOp.POW, 3, s, inputs(s).get(0), outputs(s).get(0), rng);
            unary(target, backend, t, UnaryOp.LEAKY_RELU, -0.2, s, inputs(s).get(0), outputs(s).get(0), rng);
        }
    }

    /** Ops defined only for positive inputs get |x| (a power only when it is not an integer). */
    static void unary(String target, Backend backend, DType t, UnaryOp op, double p, Shape s, View in, View out, Rng rng) {
        double[] x = data(rng, in.storageSize());
        if (positive(op) && op != UnaryOp.POW || op == UnaryOp.POW && p != Math.rint(p)) x = abs(x);
        check("unary " + op + "(" + p + ") " + t + " " + s + " " + in + " -> " + out, backend, new DType[]{t, t},
                new double[][]{x, sentinels(out.storageSize())}, 1,
                (b, st) -> b.unary(op, p, st[0], in.layout(), st[1], out.layout()), unaryTol(target, op, p, t));
    }

    /** NaN, signed zeros, infinities, subnormals and ±1 through every unary op, and through POW's Java-only cases. */
    @ParameterizedTest @MethodSource("targets")
    void unarySpecialValuesFollowJava(String target) {
        Backend backend = BackendTargets.backend(target);
        double[] x = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1, -1, 1e-40, -1e-310, 0.5, 750};
        Layout l = Layout.contiguous(Shape.of(x.length));
        for (DType t : DTYPES) {
            for (UnaryOp op : UnaryOp.values())
                check("special unary " + op + " " + t, backend, new DType[]{t, t}, new double[][]{x, sentinels(x.length)}, 1,
                        (b, s) -> b.unary(op, param(op), s[0], l, s[1], l), unaryTol(target, op, param(op), t));
            for (double p : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 2, -1})
                check("special pow " + p + " " + t, backend, new DType[]{t, t}, new double[][]{x, sentinels(x.length)}, 1,
                        (b, s) -> b.unary(UnaryOp.POW, p, s[0], l, s[1], l), relative(t == DType.F32 ? 1e-6 : 1e-14, t));
        }
    }

    /** Shapes for reductions around the warp width: both CUDA kernel shapes (a block per output, a thread per output). */
    static List<Shape> reduceShapes() {
        return List.of(Shape.of(0), Shape.of(1), Shape.of(W - 1), Shape.of(W + 1), Shape.of(4097), Shape.of(3, 2 * W + 3),
                Shape.of(2 * W + 3, 3), Shape.of(1000, 3), Shape.of(67, 1023), Shape.of(4, 5, W + 1), Shape.of(2, 3, 4, 5),
                Shape.of(0, 5));
    }

    /** SUM and MAX, both dtypes, over every axis subset of each shape, through its output views and a broadcast. */
    @ParameterizedTest @MethodSource("targets")
    void reduceEveryAxisSubsetAndView(String target) {
        Backend backend = BackendTargets.backend(target);
        Rng rng = new Rng(21);
        for (DType t : DTYPES)
            for (ReduceOp op : ReduceOp.values())
                for (Shape s : reduceShapes()) {
                    List<View> views = new ArrayList<>(outputs(s));
                    if (s.rank() >= 1 && s.numel() > 0) views.add(inputs(s).get(views.size() + 1));   // broadcast-first
                    for (int mask = 0; mask < 1 << s.rank(); mask++)
                        for (View v : views) reduce(target, backend, t, op, s, mask, v, rng);
                }
    }

    static final List<Shape> RANK3 = List.of(Shape.of(3, 5, LANES + 1), Shape.of(LANES + 1, 4, 2 * LANES + 3), Shape.of(2, 3, 1023),
            Shape.of(1000, 2, 3), Shape.of(3, 1, 4097), Shape.of(2, 1, 1), Shape.of(0, 3, 4), Shape.of(3, 0, 4));

    /** Packed, offset, two permutations, step-2 slices of the first and last axes, two broadcasts. */
    static List<View> rank3Views(Shape s) {
        List<View> v = new ArrayList<>(inputs(s));
        int[] d = s.dims();
        v.add(view("permuted(2,0,1)", Layout.contiguous(Shape.of(d[1], d[2], d[0])).permute(2, 0, 1)));
        v.add(view("permuted(1,0,2)", Layout.contiguous(Shape.of(d[1], d[0], d[2])).permute(1, 0, 2)));
        v.add(view("step2-first", Layout.contiguous(Shape.of(2 * d[0], d[1], d[2])).slice(0, 0, 2 * d[0], 2)));
        return v;
    }

    /**
     * The host backends (scalar, the CPU on one and two threads): a device's bound for F64 sums, 1e-13·Σ|x|, is below
     * the scalar oracle's own sequential rounding for these sums of thousands of broadcast (equal) terms.
     */
    static java.util.stream.Stream<String> hostTargets() { return BackendTargets.names().filter(n -> n.equals("scalar") || n.startsWith("cpu")); }

    /** SUM and MAX over every axis set of rank-3 inputs (lane-sized) in many views. */
    @ParameterizedTest @MethodSource("hostTargets")
    void reduceEveryAxisSetOfRank3Views(String target) {
        Backend backend = BackendTargets.backend(target);
        Rng rng = new Rng(21);
        for (DType t : DTYPES)
            for (Shape s : RANK3)
                for (View v : rank3Views(s))
                    for (int mask = 0; mask < 1 << 3; mask++)
                        for (ReduceOp op : ReduceOp.values()) reduce(target, backend, t, op, s, mask, v, rng);
    }

    /** The lane-sized size list on the last and the leading axis, through every input view. */
    @ParameterizedTest @MethodSource("hostTargets")
    void reduceSizeListOnLastAndLeadingAxes(String target) {
        Backend backend = BackendTargets.backend(target);
        Rng rng = new Rng(22);
        for (DType t : DTYPES)
            for (int n : LANE_SIZES)
                for (Shape s : List.of(Shape.of(n), Shape.of(3, n), Shape.of(n, 3), Shape.of(n, LANES + 1)))
                    for (View v : inputs(s))
                        for (int mask = 0; mask < 1 << s.rank(); mask++)
                            for (ReduceOp op : ReduceOp.values()) reduce(target, backend, t, op, s, mask, v, rng);
    }

    /** The geometries of the CUDA and CPU suites: strides, paddings (wider than the kernel's reach), non-square kernels,
     * an empty batch, lane-sized planes and one big enough for the CPU's fork-join path. */
    static List<ConvGeometry> geometries() {
        int l = LANES;
        return List.of(new ConvGeometry(2, 3, 7, 5, 3, 3, 1, 1), new ConvGeometry(1, 2, 8, 8, 2, 2, 2, 0),
                new ConvGeometry(2, 1, 5, 6, 3, 1, 1, 0), new ConvGeometry(1, 2, 9, 7, 3, 3, 2, 1),
                new ConvGeometry(3, 4, 6, 6, 1, 1, 1, 0), new ConvGeometry(1, 1, 1, 1, 1, 1, 1, 0),
                new ConvGeometry(2, 2, 4, 4, 3, 3, 1, 2), new ConvGeometry(0, 2, 4, 4, 3, 3, 1, 1),
                new ConvGeometry(2, 3, 5, 7, 3, 3, 1, 1),
                new ConvGeometry(1, 2, 8, 8, 3, 3, 2, 1),
                new ConvGeometry(2, 1, l + 1, 2 * l + 3, 2, 2, 2, 0),
                new ConvGeometry(1, 3, 6, 5, 1, 1, 1, 0),
                new ConvGeometry(1, 2, 4, 4, 3, 3, 1, 2),          // padding wider than the kernel's reach
                new ConvGeometry(2, 2, 6, 9, 5, 5, 1, 2),          // "same" 5×5: two edge columns each side
                new ConvGeometry(2, 2, 3, 1, 5, 5, 1, 2),          // "same" but the window is wider than the image
                new ConvGeometry(1, 1, 5, 5, 5, 5, 1, 0),
                new ConvGeometry(2, 2, 7, 9, 3, 2, 3, 1),          // stride 3, non-square kernel
                new ConvGeometry(1, 2, 2 * l + 3, 1000, 3, 3, 1, 1),
                new ConvGeometry(4, 8, 32, 32, 3, 3, 1, 1));       // ~300k columns: the fork-join path
    }

    /** x [n, c, h, w] packed, at two offsets, every other column of a wider image, stored NHWC and permuted, broadcast over the batch. */
    static List<View> convInputs(ConvGeometry g) {
        Shape s = Shape.of(g.n(), g.c(), g.h(), g.w());
        List<View> v = new ArrayList<>(outputs(s).subList(0, 3));
        v.add(new View("offset-5", new Layout(s, Layout.contiguous(s).strides(), 5), s.numel() + 9));
        v.add(view("nhwc", Layout.contiguous(Shape.of(g.n(), g.h(), g.w(), g.c())).permute(0, 3, 1, 2)));
        v.add(view("batch-broadcast", Layout.contiguous(Shape.of(1, g.c(), g.h(), g.w())).broadcastTo(s)));
        return v;
    }

    /** im2col and col2im move and add in the scalar backend's order, rounding after each add: exact on every backend. */
    @ParameterizedTest @MethodSource("targets")
    void im2colAndCol2imEveryGeometryAndLayout(String target) {
        Backend backend = BackendTargets.backend(target);
        Rng rng = new Rng(32);
        for (DType t : DTYPES)
            for (ConvGeometry g : geometries()) {
                int cols = g.n() * g.colRows() * g.colCols(), img = g.n() * g.c() * g.h() * g.w();
                for (View x : convInputs(g))
                    check("im2col " + t + " " + g + " " + x, backend, new DType[]{t, t},
                            new double[][]{data(rng, x.storageSize()), sentinels(cols + 5)}, 1,
                            (b, s) -> b.im2col(g, s[0], x.layout(), s[1]), EXACT);
                double[] dx = data(rng, img + 3);                  // col2im adds into what is there
                for (int i = img; i < img + 3; i++) dx[i] = SENTINEL;
                check("col2im " + t + " " + g, backend, new DType[]{t, t}, new double[][]{data(rng, cols), dx}, 1,
                        (b, s) -> b.col2im(g, s[0], s[1]), EXACT);
            }
    }

    /**
     * The fused Adam update: m, v (in place) and the new value against the scalar oracle, at sizes around the warp and
     * the lane count, operand offsets, with and without weight decay, each target with its tolerance ({@link #adamTol}).
     */
    @ParameterizedTest @MethodSource("targets")
    void adamStepMatches(String target) {
        Backend backend = BackendTargets.backend(target);
        Rng rng = new Rng(34);
        AdamStep[] steps = {new AdamStep(0.9, 0.999, 1e-8, 0.01, 1e-3 / (1 - 0.9 * 0.9), 1 / Math.sqrt(1 - 0.999 * 0.999)),
                new AdamStep(0.9, 0.999, 1e-8, 0, 1e-3 / (1 - 0.9), 1 / Math.sqrt(1 - 0.999)),            // step 1, no decay
                new AdamStep(0.8, 0.99, 1e-3, 0.1, 0.05 / (1 - Math.pow(0.8, 7)), 1 / Math.sqrt(1 - Math.pow(0.99, 7)))};
        int[][] offsets = {{3, 1, 2, 1}, {0, 0, 0, 0}, {3, 1, 5, 2}};    // of p, g, m and v
        for (DType t : DTYPES)
            for (int n : java.util.stream.IntStream.concat(java.util.Arrays.stream(SIZES), java.util.Arrays.stream(LANE_SIZES)).distinct().toArray())
                for (AdamStep c : steps)
                    for (int[] off : offsets) {
                        double[] v = abs(data(rng, n + off[3] + 2));                  // a second moment is never negative
                        double[][] in = {data(rng, n + off[0] + 2), data(rng, n + off[1] + 2), data(rng, n + off[2] + 2), v, sentinels(n + 3)};
                        for (int out : new int[]{2, 3, 4})                               // m, v and the new value
                            check("adamStep " + t + " n " + n + " decay " + c.weightDecay() + " offsets " + java.util.Arrays.toString(off)
                                    + " storage " + out, backend, new DType[]{t, t, t, t, t}, in, out,
                                    (b, s) -> b.adamStep(c, n, s[0], off[0], s[1], off[1], s[2], off[2], s[3], off[3], s[4]),
                                    adamTol(target, t, c, n, off, in, out));
                    }
    }
}
