package dsb4j.engine.backend;

import static dsb4j.engine.backend.SpiParity.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The backend SPI's contract that every backend ({@link BackendTargets}: scalar, the CPU on one and two threads, the
 * CUDA emulator, a GPU where present) meets against the scalar oracle with the same tolerances: allocate, the four
 * transfers (strided views included), the counter-based random fills (the same numbers as CounterRandom) and the
 * fused group norm with its gradient. Per-backend suites (cpu/*ParityTest, cuda/Cuda*ParityTest) hold what a backend
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
            for (Shape s : elementwiseShapes())
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
        for (DType t : DTYPES)
            for (int n : SIZES)
                for (long seed : new long[]{0, 42, -7, Long.MIN_VALUE, 0x9E3779B97F4A7C15L}) {
                    check("uniform " + t + " n " + n + " seed " + seed, backend, new DType[]{t}, new double[][]{sentinels(n)}, 0,
                            (b, s) -> b.randomUniform(s[0], seed), EXACT);
                    // Box–Muller's log, cos and sqrt come from CUDA's math library: a few ulps from the JDK's
                    check("normal " + t + " n " + n + " seed " + seed, backend, new DType[]{t}, new double[][]{sentinels(n)}, 0,
                            (b, s) -> b.randomNormal(s[0], seed), t == DType.F32 ? relative(1.2e-7, t) : (i, e) -> 1e-14 + 1e-14 * Math.abs(e));
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
}
