package dsb4j.engine;

import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.autograd.NoGrad;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.ops.Functional;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * End to end: recover y = A x + b (A 3×4, b 3) from 256 noise-free samples with plain gradient descent
 * (learning rate 1, 150 steps) through matmul, add, mse and backward(). Must reach MSE &lt; 1e-6 and
 * max |A − A_true|, max |b − b_true| &lt; 1e-3 on the scalar backend in F64 and the CPU backend in F32.
 */
class LinearFitTest {

    static final int N = 256, IN = 4, OUT = 3, STEPS = 150;
    static final double LR = 1.0;

    static Stream<Arguments> backends() {
        return Stream.of(Arguments.of("scalar F64", Backends.scalar(), DType.F64),
                Arguments.of("cpu(2) F32", Backends.cpu(2), DType.F32));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void gradientDescentRecoversTheMap(String label, Backend be, DType dtype) {
        Rng rng = new Rng(2024);
        double[] a = new double[OUT * IN], bias = new double[OUT];
        for (int i = 0; i < a.length; i++) a[i] = 2 * rng.nextDouble() - 1;
        for (int i = 0; i < OUT; i++) bias[i] = 2 * rng.nextDouble() - 1;
        double[] x = new double[N * IN], y = new double[N * OUT];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian();
        for (int n = 0; n < N; n++)
            for (int o = 0; o < OUT; o++) {
                double s = bias[o];
                for (int i = 0; i < IN; i++) s += a[o * IN + i] * x[n * IN + i];
                y[n * OUT + o] = s;
            }
        Tensor xs = make(be, dtype, x, N, IN), ys = make(be, dtype, y, N, OUT);

        // W holds Aᵀ [4, 3], so that pred = X W + b; both start at zero.
        Tensor w = Tensor.zeros(be, dtype, IN, OUT).requiringGrad(), b = Tensor.zeros(be, dtype, OUT).requiringGrad();
        double loss = Double.NaN;
        for (int step = 0; step < STEPS; step++) {
            Tensor l = Functional.mse(xs.matmul(w).add(b), ys);
            loss = l.item();
            Gradients g = l.backward();
            try (var ignored = NoGrad.enter()) {
                w = w.sub(g.get(w).mul(LR)).requiringGrad();
                b = b.sub(g.get(b).mul(LR)).requiringGrad();
            }
        }
        double finalLoss = Functional.mse(xs.matmul(w).add(b), ys).item();
        assertTrue(finalLoss < 1e-6, label + ": MSE " + finalLoss + " after " + STEPS + " steps (previous " + loss + ")");
        double[] wv = w.toDoubles(), bv = b.toDoubles();
        double errA = 0, errB = 0;
        for (int o = 0; o < OUT; o++) {
            for (int i = 0; i < IN; i++) errA = Math.max(errA, Math.abs(wv[i * OUT + o] - a[o * IN + i]));
            errB = Math.max(errB, Math.abs(bv[o] - bias[o]));
        }
        assertTrue(errA < 1e-3, label + ": max |A - A_true| = " + errA);
        assertTrue(errB < 1e-3, label + ": max |b - b_true| = " + errB);
    }

    static Tensor make(Backend be, DType dtype, double[] v, int... dims) {
        if (dtype == DType.F64) return Tensor.of(be, v, dims);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return Tensor.of(be, f, dims);
    }
}
