package dsb4j.engine.backend.cuda;

import static dsb4j.engine.backend.SpiParity.*;

import dsb4j.engine.backend.AdamStep;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused Adam update against the scalar backend, held to the device's exact double arithmetic (the CPU's float
 * kernel has its own suite, cpu/AdamStepParityTest). The rest of the SPI, on every backend, is
 * {@link dsb4j.engine.backend.SpiContractTest}'s.
 */
class CudaMiscParityTest {

    static java.util.stream.Stream<String> targets() { return CudaTargets.names(); }



    /** The fused Adam update: parameter, moments (in place) and new value exactly as the scalar oracle, offsets included. */
    @ParameterizedTest @MethodSource("targets")
    void adamStepIsExact(String target) {
        CudaBackend cuda = CudaTargets.backend(target);
        Rng rng = new Rng(34);
        AdamStep c = new AdamStep(0.9, 0.999, 1e-8, 0.01, 1e-3 / (1 - 0.9 * 0.9), 1 / Math.sqrt(1 - 0.999 * 0.999));
        for (DType t : DTYPES)
            for (int n : SIZES) {
                double[] v = data(rng, n + 1);
                for (int i = 0; i < v.length; i++) v[i] = Math.abs(v[i]);          // a second moment is never negative
                double[][] in = {data(rng, n + 3), data(rng, n + 1), data(rng, n + 2), v, sentinels(n)};
                for (int out : new int[]{2, 3, 4})                                    // m, v and the new value
                    check("adamStep " + t + " n " + n + " storage " + out, cuda, new DType[]{t, t, t, t, t}, in, out,
                            (b, s) -> b.adamStep(c, n, s[0], 3, s[1], 1, s[2], 2, s[3], 1, s[4]), EXACT);
            }
    }
}
