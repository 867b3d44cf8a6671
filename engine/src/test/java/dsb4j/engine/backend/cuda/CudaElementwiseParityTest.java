package dsb4j.engine.backend.cuda;

import static dsb4j.engine.backend.SpiParity.*;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dsb4j.engine.backend.BinaryOp;
import dsb4j.engine.backend.UnaryOp;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * unary of the CUDA backend against the scalar backend (its exact double arithmetic: a table of its own): every op code,
 * both dtypes, sizes around the warp width, strided, offset, transposed and broadcast views, Java's special-value rules;
 * misuse. binary, copy and fill, which every backend meets alike, are {@link dsb4j.engine.backend.SpiContractTest}'s.
 */
class CudaElementwiseParityTest {

    static java.util.stream.Stream<String> targets() { return CudaTargets.names(); }

    /** Ops made of IEEE basic operations and comparisons: the device must agree bit for bit. */
    static final Set<UnaryOp> EXACT_UNARY = Set.of(UnaryOp.NEG, UnaryOp.SQRT, UnaryOp.ABS, UnaryOp.RELU, UnaryOp.LEAKY_RELU,
            UnaryOp.SQUARE, UnaryOp.RECIPROCAL, UnaryOp.MUL_SCALAR, UnaryOp.ADD_SCALAR, UnaryOp.STEP, UnaryOp.LEAKY_STEP, UnaryOp.SIGN);

    /**
     * Transcendentals: the device's double math is within a few ulps of the JDK's, then both round to the dtype.
     * SiLU's derivative s·(1 + x·(1 − s)) multiplies exp's ulps by up to |x| (seen on an H200: 3.6e-14 at x ≈ −7).
     */
    static Tol unaryTol(UnaryOp op, DType t) {
        if (EXACT_UNARY.contains(op)) return EXACT;
        return relative(t == DType.F32 ? 1e-6 : op == UnaryOp.SILU_DERIV ? 1e-13 : 1e-14, t);
    }


    @ParameterizedTest @MethodSource("targets")
    void unaryEveryOpDtypeSizeAndView(String target) {
        CudaBackend cuda = CudaTargets.backend(target);
        Rng rng = new Rng(11);
        for (DType t : DTYPES)
            for (UnaryOp op : UnaryOp.values())
                for (Shape s : elementwiseShapes())
                    for (View[] c : pairs(s)) unary(cuda, t, op, param(op), s, c[0], c[1], rng);
    }

    static void unary(CudaBackend cuda, DType t, UnaryOp op, double p, Shape s, View in, View out, Rng rng) {
        double[] x = data(rng, in.storageSize());
        if (positive(op)) x = abs(x);
        check("unary " + op + "(" + p + ") " + t + " " + s + " " + in + " -> " + out, cuda, new DType[]{t, t},
                new double[][]{x, sentinels(out.storageSize())}, 1,
                (b, st) -> b.unary(op, p, st[0], in.layout(), st[1], out.layout()), unaryTol(op, t));
    }

    /** NaN, signed zeros, infinities, subnormals and ±1 through every unary op, and through POW's Java-only cases. */
    @ParameterizedTest @MethodSource("targets")
    void unarySpecialValuesFollowJava(String target) {
        CudaBackend cuda = CudaTargets.backend(target);
        double[] x = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1, -1, 1e-40, -1e-310, 0.5, 750};
        Layout l = Layout.contiguous(Shape.of(x.length));
        for (DType t : DTYPES) {
            for (UnaryOp op : UnaryOp.values())
                check("special unary " + op + " " + t, cuda, new DType[]{t, t}, new double[][]{x, sentinels(x.length)}, 1,
                        (b, s) -> b.unary(op, param(op), s[0], l, s[1], l), unaryTol(op, t));
            for (double p : new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 2, -1})
                check("special pow " + p + " " + t, cuda, new DType[]{t, t}, new double[][]{x, sentinels(x.length)}, 1,
                        (b, s) -> b.unary(UnaryOp.POW, p, s[0], l, s[1], l), relative(t == DType.F32 ? 1e-6 : 1e-14, t));
        }
    }






    /** Misuse is an exception naming the problem, never a device fault. */
    @ParameterizedTest @MethodSource("targets")
    void misuseIsAClearError(String target) {
        CudaBackend cuda = CudaTargets.backend(target);
        Layout l4 = Layout.contiguous(Shape.of(4));
        var host = SCALAR.allocate(DType.F32, 4);
        var dev = cuda.allocate(DType.F32, 4);
        var dev64 = cuda.allocate(DType.F64, 4);
        assertThrows(IllegalArgumentException.class, () -> cuda.unary(UnaryOp.NEG, 0, host, l4, dev, l4));
        assertThrows(IllegalArgumentException.class, () -> cuda.unary(UnaryOp.NEG, 0, dev, l4, dev64, l4));
        Layout tooFar = new Layout(Shape.of(4), new int[]{1}, 1);
        assertThrows(IllegalArgumentException.class, () -> cuda.unary(UnaryOp.NEG, 0, dev, tooFar, dev, l4));
        // nine axes that cannot merge (every stride reversed) exceed the kernels' rank limit of 8
        int[] nine = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        Layout rev = Layout.contiguous(Shape.of(nine)).permute(8, 7, 6, 5, 4, 3, 2, 1, 0);
        var big = cuda.allocate(DType.F32, 512);
        assertThrows(UnsupportedOperationException.class, () -> cuda.unary(UnaryOp.NEG, 0, big, rev, big, Layout.contiguous(Shape.of(nine))));
        dev.close();
        assertThrows(IllegalStateException.class, () -> cuda.fill(dev, l4, 1));
        dev64.close();
        big.close();
    }
}
