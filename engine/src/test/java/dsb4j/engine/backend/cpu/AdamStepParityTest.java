package dsb4j.engine.backend.cpu;

import static dsb4j.engine.backend.cpu.Parity.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dsb4j.engine.backend.AdamStep;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.HeapStorage;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CPU's fused Adam kernel (F32, float arithmetic) bit for bit against its own scalar twin written out here (so
 * lanes and tail round alike, wherever the vector loop ends), p and g read only, and F64 through the definition
 * unchanged. Against the scalar definition (double), on every backend: {@link dsb4j.engine.backend.SpiContractTest}.
 */
class AdamStepParityTest {

    @BeforeAll static void lanes() { checkLanes("AdamStepParityTest"); }

    /** Offsets of p, g, m and v inside their storages: none, and four different ones. */
    static final int[][] OFFSETS = {{0, 0, 0, 0}, {3, 1, 5, 2}};

    static final AdamStep[] STEPS = {
            new AdamStep(0.9, 0.999, 1e-8, 0, 1e-3 / (1 - 0.9), 1 / Math.sqrt(1 - 0.999)),          // step 1, no decay
            new AdamStep(0.8, 0.99, 1e-3, 0.1, 0.05 / (1 - Math.pow(0.8, 7)), 1 / Math.sqrt(1 - Math.pow(0.99, 7)))};

    /** The inputs of one update: p, g, m and v (v ≥ 0), each with {@code off[k]} leading elements before it. */
    record Inputs(float[] p, float[] g, float[] m, float[] v, int[] off, int n) {
        static Inputs random(Rng rng, int n, int[] off) {
            float[] v = data(rng, n + off[3] + 2);
            for (int i = 0; i < v.length; i++) v[i] = Math.abs(v[i]);
            return new Inputs(data(rng, n + off[0] + 2), data(rng, n + off[1] + 2), data(rng, n + off[2] + 2), v, off, n);
        }
    }

    /** Runs {@code b}'s adamStep on fresh copies: {out (sentinel-filled beyond n), m, v} afterwards. */
    static float[][] run(Backend b, AdamStep c, Inputs in) {
        HeapStorage.F32 p = f32(b, in.p), g = f32(b, in.g), m = f32(b, in.m), v = f32(b, in.v), out = f32(b, sentinels(in.n + 3));
        b.adamStep(c, in.n, p, in.off[0], g, in.off[1], m, in.off[2], v, in.off[3], out);
        assertArrayEquals(in.p, p.data, "p is read only");
        assertArrayEquals(in.g, g.data, "g is read only");
        return new float[][]{out.data, m.data, v.data};
    }

    /** The new value is the twin's, bit for bit, at every size, offset and thread count (p and g read only). */
    @Test void f32IsItsScalarTwin() {
        if (CpuBackend.scalarForced()) return;                      // then the CPU computes the definition in double
        Rng rng = new Rng(44);
        for (int n : SIZES)
            for (int[] off : OFFSETS)
                for (AdamStep c : STEPS) {
                    Inputs in = Inputs.random(rng, n, off);
                    for (CpuBackend cpu : CPUS)
                        assertStorage("adamStep n=" + n + " offsets " + java.util.Arrays.toString(off) + " decay " + c.weightDecay()
                                + " threads " + cpu.threads() + " twin", twin(c, in)[0], run(cpu, c, in)[0], EXACT);
                }
    }

    /** The kernel's scalar twin, written out: float coefficients, the same operations in the same order. */
    static float[][] twin(AdamStep c, Inputs in) {
        float b1 = (float) c.beta1(), c1 = (float) (1 - c.beta1()), b2 = (float) c.beta2(), c2 = (float) (1 - c.beta2());
        float wd = (float) c.weightDecay(), e = (float) c.eps(), s = (float) c.stepSize(), r = (float) c.invSqrtBc2();
        float[] out = sentinels(in.n + 3), m = in.m.clone(), v = in.v.clone();
        int[] o = in.off;
        for (int i = 0; i < in.n; i++) {
            float w = in.p[o[0] + i], gi = in.g[o[1] + i] + w * wd;
            float mi = m[o[2] + i] * b1 + gi * c1, vi = v[o[3] + i] * b2 + gi * gi * c2;
            m[o[2] + i] = mi;
            v[o[3] + i] = vi;
            out[i] = w - mi / ((float) Math.sqrt(vi) * r + e) * s;
        }
        return new float[][]{out, m, v};
    }

    /** The moments too are the twin's, bit for bit. */
    @Test void f32MomentsAreTheTwins() {
        if (CpuBackend.scalarForced()) return;                      // then the CPU computes the definition in double
        Rng rng = new Rng(45);
        for (int n : SIZES) {
            Inputs in = Inputs.random(rng, n, OFFSETS[1]);
            float[][] expected = twin(STEPS[1], in);
            for (CpuBackend cpu : CPUS) {
                float[][] actual = run(cpu, STEPS[1], in);
                assertStorage("adamStep m n=" + n + " threads " + cpu.threads(), expected[1], actual[1], EXACT);
                assertStorage("adamStep v n=" + n + " threads " + cpu.threads(), expected[2], actual[2], EXACT);
            }
        }
    }

    /** F64 buffers go through the scalar definition unchanged. */
    @Test void f64FallsBack() {
        Rng rng = new Rng(46);
        int n = 2 * L + 3;
        double[][] in = new double[4][n];
        for (double[] a : in) for (int i = 0; i < n; i++) a[i] = rng.nextGaussian();
        for (int i = 0; i < n; i++) in[3][i] = Math.abs(in[3][i]);
        double[][] expected = runF64(SCALAR, in);
        for (CpuBackend cpu : CPUS) {
            double[][] actual = runF64(cpu, in);
            for (int k = 0; k < 3; k++) assertArrayEquals(expected[k], actual[k], "F64 " + k + " threads " + cpu.threads());
        }
    }

    static double[][] runF64(Backend b, double[][] in) {
        HeapStorage.F64 m = (HeapStorage.F64) b.fromDoubles(in[2]), v = (HeapStorage.F64) b.fromDoubles(in[3]);
        HeapStorage.F64 out = (HeapStorage.F64) b.allocate(DType.F64, in[0].length);
        b.adamStep(STEPS[1], in[0].length, b.fromDoubles(in[0]), 0, b.fromDoubles(in[1]), 0, m, 0, v, 0, out);
        return new double[][]{out.data, m.data, v.data};
    }
}
