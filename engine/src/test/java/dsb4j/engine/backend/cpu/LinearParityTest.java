package dsb4j.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.NoGrad;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.backend.UnaryOp;
import dsb4j.engine.ops.Linalg;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fused dense layer ({@link Linalg#linear} without gradients: {@link CpuBackend#linear}, bias and activation in the
 * GEMM's epilogue) against the ops it stands for, bit for bit, on one and two threads, on odd sizes and every path of
 * the GEMM (narrow outputs, few rows, blocks split over threads); and the activations it applies per block, whose
 * vector loop and scalar tail must round alike.
 */
class LinearParityTest {

    private static final int[] ROWS = {1, 3, 5, 7, 64, 301, 2000};
    private static final int[] COLS = {1, 2, 3, 16, 17, 33, 128, 130, 300};
    private static final int[] DEPTH = {1, 2, 16, 64, 129, 600};
    private static final UnaryOp[] ACTS = {null, UnaryOp.RELU, UnaryOp.LEAKY_RELU, UnaryOp.SILU};

    @Test void fusedEqualsTheOpsInTurn() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int threads : new int[]{1, 2}) {
            Backend cpu = Backends.cpu(threads);
            int cases = 0;
            for (int m : ROWS) for (int n : COLS) for (int k : DEPTH) {
                if ((long) m * n * k > 40_000_000L || rnd.nextInt(3) != 0) continue;
                UnaryOp act = ACTS[rnd.nextInt(ACTS.length)];
                double slope = act == UnaryOp.LEAKY_RELU ? (rnd.nextBoolean() ? 0.01 : 0.2) : 0;
                boolean bias = rnd.nextInt(4) != 0;
                Rng rng = new Rng(rnd.nextLong());
                Tensor x = Tensor.randn(cpu, DType.F32, rng, m, k);
                Tensor w = Tensor.randn(cpu, DType.F32, rng, n, k).mul(1.0 / Math.sqrt(k));
                Tensor b = bias ? Tensor.randn(cpu, DType.F32, rng, n) : null;
                float[] want, got;
                try (var ignored = NoGrad.enter()) {
                    Tensor y = x.matmul(w.t());
                    if (b != null) y = y.add(b);
                    if (act == UnaryOp.RELU) y = y.relu();
                    if (act == UnaryOp.LEAKY_RELU) y = y.leakyRelu(slope);
                    if (act == UnaryOp.SILU) y = dsb4j.engine.ops.Functional.silu(y);
                    want = y.toFloats();
                    got = Linalg.linear(x, w, b, act, slope).toFloats();
                }
                assertArrayEquals(want, got, "m=" + m + " n=" + n + " k=" + k + " act=" + act + " bias=" + bias + " threads=" + threads);
                cases++;
            }
            assertTrue(cases > 20, "too few cases: " + cases);
        }
    }

    /** With a gradient to record, linear is the composition itself: its backward pass reaches every input. */
    @Test void recordsTheCompositionWhenGradientsAreNeeded() {
        Backend cpu = Backends.cpu(1);
        Rng rng = new Rng(3);
        Tensor x = Tensor.randn(cpu, DType.F32, rng, 9, 5);
        Tensor w = Tensor.randn(cpu, DType.F32, rng, 4, 5).requiringGrad();
        Tensor b = Tensor.randn(cpu, DType.F32, rng, 4).requiringGrad();
        Tensor y = Linalg.linear(x, w, b, UnaryOp.LEAKY_RELU, 0.1);
        assertTrue(y.requiresGrad());
        var g = y.sum().backward();
        assertEquals(20, g.get(w).numel());
        assertEquals(4, g.get(b).numel());
        try (var ignored = NoGrad.enter()) {
            assertFalse(Linalg.linear(x, w, b, UnaryOp.LEAKY_RELU, 0.1).requiresGrad());
        }
    }

    /** Each activation applied per block: the vector loop and the scalar tail give the same bits on every value. */
    @Test void blockActivationsRoundAlikeInEveryLane() {
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1e-30f, -1e-30f,
                1e30f, -1e30f, 88.8f, -88.8f, 0.5f, -0.5f, -3f, 20f, -20f};
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 64 * 16 + 7;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i < special.length ? special[i] : (float) (rnd.nextGaussian() * Math.exp(rnd.nextDouble(-8, 8)));
        int checked = 0;
        for (UnaryOp op : UnaryOp.values()) {
            if (!FusedKernels.inEpilogue(op)) continue;
            for (double p : new double[]{0.01, 0.2}) {
                float[] body = new float[n];
                UnaryKernels.contiguous(op, p, x, 0, body, 0, n);
                for (int i = 0; i < n; i++) {                  // the body is vector lanes but for the last n mod L
                    float tail = UnaryKernels.scalar(op, x[i], p);
                    assertEquals(Float.floatToIntBits(body[i]), Float.floatToIntBits(tail),      // any NaN alike
                            op + " p=" + p + " at x=" + x[i] + ": vector " + body[i] + ", scalar " + tail);
                }
                checked++;
            }
        }
        assertEquals(6, checked, "ReLU, LeakyReLU and SiLU at two slopes");
    }
}
