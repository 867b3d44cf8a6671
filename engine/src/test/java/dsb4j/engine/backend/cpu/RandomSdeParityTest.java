package dsb4j.engine.backend.cpu;

import static dsb4j.engine.backend.cpu.Parity.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.HeapStorage;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Counter-based random fills (bit-identical on every backend and thread count) and the fused SDE step. */
class RandomSdeParityTest {

    @BeforeAll static void lanes() { checkLanes("RandomSdeParityTest"); }

    static final int[] RANDOM_SIZES = {0, 1, L - 1, L, L + 1, 2 * L + 3, 1000, 1023, 4097, 100_003};

    @Test void randomFillsAreBitIdentical() {
        Rng rng = new Rng(41);
        for (int n : RANDOM_SIZES) {
            long seed = rng.nextSeed();
            for (DType t : DType.values()) {
                double[] normal = fill(SCALAR, t, n, seed, true), uniform = fill(SCALAR, t, n, seed, false);
                for (CpuBackend cpu : CPUS) {
                    assertArrayEquals(normal, fill(cpu, t, n, seed, true), "normal " + t + " n=" + n + " threads " + cpu.threads());
                    assertArrayEquals(uniform, fill(cpu, t, n, seed, false), "uniform " + t + " n=" + n + " threads " + cpu.threads());
                }
            }
        }
    }

    static double[] fill(Backend b, DType t, int n, long seed, boolean normal) {
        Storage s = b.allocate(t, n);
        if (normal) b.randomNormal(s, seed);
        else b.randomUniform(s, seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = ((HeapStorage) s).get(i);
        return out;
    }

    static final int[] SDE_SIZES = {0, 1, L - 1, L, L + 1, 2 * L + 3, 1000, 1023, 4097, 70_001};

    @Test void sdeStepMatches() {
        Rng rng = new Rng(42);
        for (int n : SDE_SIZES) {
            for (double gamma : new double[]{1e-3, 0.05, 0.7}) {
                float[] x = data(rng, n), f = data(rng, n), z = data(rng, n);
                float[] expected = step(SCALAR, x, f, z, gamma, false);
                double s = Math.sqrt(2 * gamma);
                // Two roundings of terms of size |x|, γ|f|, s|z| (γ and s are rounded to float too).
                Tolerance tol = (i, e) -> 1e-6 * (Math.abs(x[i]) + gamma * Math.abs(f[i]) + s * Math.abs(z[i])) + Float.MIN_NORMAL;
                for (CpuBackend cpu : CPUS) {
                    String what = "sdeStep n=" + n + " gamma=" + gamma + " threads " + cpu.threads();
                    assertStorage(what, expected, step(cpu, x, f, z, gamma, false), tol);
                    assertStorage(what + " in place", expected, step(cpu, x, f, z, gamma, true), tol);
                }
            }
        }
    }

    /** out = x + γf + sqrt(2γ)z, into a fresh buffer or over x itself. */
    static float[] step(Backend b, float[] x, float[] f, float[] z, double gamma, boolean inPlace) {
        HeapStorage.F32 xs = f32(b, x), out = inPlace ? xs : f32(b, sentinels(x.length));
        b.sdeStep(xs, f32(b, f), f32(b, z), gamma, out);
        return out.data;
    }

    /** F64 buffers go through the scalar definition unchanged. */
    @Test void sdeStepF64FallsBack() {
        Rng rng = new Rng(43);
        int n = 2 * L + 3;
        double[] x = new double[n], f = new double[n], z = new double[n];
        for (int i = 0; i < n; i++) { x[i] = rng.nextGaussian(); f[i] = rng.nextGaussian(); z[i] = rng.nextGaussian(); }
        double[] expected = stepF64(SCALAR, x, f, z);
        for (CpuBackend cpu : CPUS) assertArrayEquals(expected, stepF64(cpu, x, f, z));
    }

    static double[] stepF64(Backend b, double[] x, double[] f, double[] z) {
        HeapStorage.F64 out = (HeapStorage.F64) b.allocate(DType.F64, x.length);
        b.sdeStep(b.fromDoubles(x), b.fromDoubles(f), b.fromDoubles(z), 0.3, out);
        return out.data;
    }
}
