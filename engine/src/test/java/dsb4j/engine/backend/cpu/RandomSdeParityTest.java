package dsb4j.engine.backend.cpu;

import static dsb4j.engine.backend.cpu.Parity.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.HeapStorage;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fused SDE step's F64 buffers go through the scalar definition unchanged. The counter-based random fills
 * (bit-identical on the host backends at every thread count) and the fused SDE step against the scalar backend, on
 * every backend, are {@link dsb4j.engine.backend.SpiContractTest}'s.
 */
class RandomSdeParityTest {

    @BeforeAll static void lanes() { checkLanes("RandomSdeParityTest"); }

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
