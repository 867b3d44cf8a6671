package dsb4j.engine.backend.cpu;

import static dsb4j.engine.backend.cpu.Parity.*;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.BinaryOp;
import dsb4j.engine.backend.HeapStorage;
import dsb4j.engine.backend.SpiParity;
import dsb4j.engine.backend.UnaryOp;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import jdk.incubator.vector.FloatVector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CpuBackend.unary and .binary on special values in the vector body and the tail, the JIT-compiled kernels, and
 * sigmoid's lanes and tails. unary and binary through every size (around the lane count, big ones on the fork-join
 * path) and view run in {@link dsb4j.engine.backend.SpiContractTest}, on every backend, unary with the CPU's tolerance
 * table.
 */
class ElementwiseParityTest {

    @BeforeAll static void lanes() { checkLanes("ElementwiseParityTest"); }

    /** The CPU's unary tolerance table ({@link SpiParity#cpuUnaryTol}) on float values. */
    static Tolerance unaryTolerance(UnaryOp op, double p) {
        SpiParity.Tol tol = SpiParity.cpuUnaryTol(op, p);
        return (i, e) -> tol.of(i, e);
    }

    static float[] runUnary(Backend b, UnaryOp op, double p, float[] x, View in, View out) {
        HeapStorage.F32 xs = f32(b, x), os = f32(b, sentinels(out.storageSize()));
        b.unary(op, p, xs, in.layout(), os, out.layout());
        return os.data;
    }

    static float[] runBinary(Backend be, BinaryOp op, float[] a, View va, float[] b, View vb, View out) {
        HeapStorage.F32 as = f32(be, a), bs = f32(be, b), os = f32(be, sentinels(out.storageSize()));
        be.binary(op, as, va.layout(), bs, vb.layout(), os, out.layout());
        return os.data;
    }

    /** NaN, infinities, signed zeros and overflow through every op: the definitions' special cases. */
    @Test void specialValues() {
        float[] x = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 88.8f, -88.8f, 100f, -100f,
                1e-30f, -1e-30f, 1e30f, -1e30f, 0.5f, -0.5f, 3f, -3f, 20f, -20f};
        int n = 4 * L + x.length;                    // the specials both in the vector body and in the tail
        float[] in = new float[n];
        for (int i = 0; i < n; i++) in[i] = x[i % x.length];
        Layout l = Layout.contiguous(Shape.of(n));
        View v = new View("specials", l, n);
        for (UnaryOp op : UnaryOp.values()) {
            double p = param(op);
            float[] expected = runUnary(SCALAR, op, p, in, v, v);
            for (CpuBackend cpu : CPUS)
                assertStorage(op + " on special values", expected, runUnary(cpu, op, p, in, v, v), unaryTolerance(op, p));
        }
        float[] b = new float[n];
        for (int i = 0; i < n; i++) b[i] = x[(i * 7 + 3) % x.length];
        for (BinaryOp op : BinaryOp.values()) {
            float[] expected = runBinary(SCALAR, op, in, v, b, v, v);
            for (CpuBackend cpu : CPUS) assertStorage(op + " on special values", expected, runBinary(cpu, op, in, v, b, v, v), EXACT);
        }
    }

    /**
     * Runs every op until the JIT has compiled the kernels (the interpreter's Vector API fallback is the
     * exact Math call, so only compiled code exercises the SVML intrinsics), then compares again.
     */
    @Test void compiledKernelsStillMatch() {
        Rng rng = new Rng(13);
        int n = 4097;
        Layout l = Layout.contiguous(Shape.of(n));
        View v = new View("hot", l, n);
        CpuBackend cpu = CPUS.get(0);
        float[] x = data(rng, n), xPos = x.clone(), y = data(rng, n);
        for (int i = 0; i < n; i++) xPos[i] = Math.abs(x[i]);
        HeapStorage.F32 out = f32(cpu, new float[n]);
        double worst = 0;
        UnaryOp worstOp = null;
        for (UnaryOp op : UnaryOp.values()) {
            float[] in = positive(op) ? xPos : x;
            HeapStorage.F32 xs = f32(cpu, in);
            for (int rep = 0; rep < 300; rep++) cpu.unary(op, param(op), xs, l, out, l);
            float[] expected = runUnary(SCALAR, op, param(op), in, v, v);
            assertStorage(op + " after JIT warm-up", expected, out.data, unaryTolerance(op, param(op)));
            if (op == UnaryOp.ADD_SCALAR) continue;      // p rounded to float: cancellation, not kernel error
            double w = 0;
            for (int i = 0; i < n; i++) if (expected[i] != 0) w = Math.max(w, Math.abs((out.data[i] - expected[i]) / expected[i]));
            if (w > worst) { worst = w; worstOp = op; }
        }
        HeapStorage.F32 as = f32(cpu, x), bs = f32(cpu, y);
        for (BinaryOp op : BinaryOp.values()) {
            for (int rep = 0; rep < 300; rep++) cpu.binary(op, as, l, bs, l, out, l);
            assertStorage(op + " after JIT warm-up", runBinary(SCALAR, op, x, v, y, v, v), out.data, EXACT);
        }
        // Nonzero shows the intrinsics ran (the interpreter's fallback is exact): about 1 ulp, 1.2e-7.
        System.out.printf("compiled unary kernels: worst relative difference to the scalar definition %.3g (%s)%n", worst, worstOp);
    }

    /**
     * SIGMOID runs its own float exp (not Math.exp) in the vector loop and the scalar tail: the two must agree
     * bit for bit, or results would depend on where rows and thread shares start. The input is read once from
     * offset 0 and once from offset 1 (every element lands once in a lane, once in a tail), with the special
     * values and the edge of the exp's range among random ones; each is also within 1e-6 of the definition.
     */
    @Test void sigmoidSameBitsInLanesAndTails() {
        Rng rng = new Rng(13);
        int n = Math.max(8 * FloatVector.SPECIES_PREFERRED.length(), 64) + 7;
        float[] x = data(rng, n + 1);
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -87.33654f, 87.33654f,
                -87.4f, 87.4f, -103f, 103f, 1e-30f, -1e-30f, 30f, -30f, 17.3f, -17.3f};
        for (int i = 0; i < special.length; i++) x[2 * i + 1] = special[i];
        for (int i = 0; i < n + 1; i += 5) x[i] *= 40;
        for (CpuBackend cpu : CPUS) {
            HeapStorage.F32 in = f32(cpu, x);
            float[][] outs = new float[2][];
            for (int shift = 0; shift < 2; shift++) {
                HeapStorage.F32 out = f32(cpu, new float[n]);
                cpu.unary(UnaryOp.SIGMOID, 0, in, new Layout(Shape.of(n), new int[]{1}, shift), out, Layout.contiguous(Shape.of(n)));
                outs[shift] = out.data;
            }
            for (int i = 0; i + 1 < n; i++) {
                assertEquals(Float.floatToRawIntBits(outs[0][i + 1]), Float.floatToRawIntBits(outs[1][i]),
                        "sigmoid(" + x[i + 1] + ") at two alignments");
                double exact = 1 / (1 + Math.exp(-(double) x[i + 1]));
                if (Float.isNaN(x[i + 1])) assertTrue(Float.isNaN(outs[0][i + 1]));
                else assertEquals(exact, outs[0][i + 1], 1e-6 * exact + 1e-38, "sigmoid(" + x[i + 1] + ")");
            }
        }
    }
}
