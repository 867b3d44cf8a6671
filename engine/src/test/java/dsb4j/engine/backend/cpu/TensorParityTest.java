package dsb4j.engine.backend.cpu;

import static dsb4j.engine.backend.cpu.Parity.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.ops.Conv;
import dsb4j.engine.ops.Functional;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end through Tensor ops and autodiff: the same small networks, losses and gradients on the scalar
 * and the CPU backends agree to float accuracy (1e-4 of the largest magnitude, after a dozen ops).
 */
class TensorParityTest {

    @BeforeAll static void lanes() { checkLanes("TensorParityTest"); }

    /** A two-layer MLP with a tanh, a softmax head and an MSE term; returns [loss, y, dW1, db1, dW2, db2]. */
    static List<double[]> mlp(Backend be) {
        Rng rng = new Rng(61);
        int batch = 37, in = 5, hidden = 2 * L + 3, out = 3;
        Tensor x = Tensor.randn(be, DType.F32, rng, batch, in);
        Tensor w1 = Tensor.randn(be, DType.F32, rng, in, hidden).mul(0.5).requiringGrad();
        Tensor b1 = Tensor.randn(be, DType.F32, rng, hidden).mul(0.1).requiringGrad();
        Tensor w2 = Tensor.randn(be, DType.F32, rng, hidden, out).mul(0.3).requiringGrad();
        Tensor b2 = Tensor.randn(be, DType.F32, rng, out).requiringGrad();
        Tensor target = Tensor.rand(be, DType.F32, rng, batch, out);

        Tensor h = x.matmul(w1).add(b1).tanh();
        Tensor y = h.matmul(w2).add(b2);
        Tensor p = Functional.softmax(y, -1);
        Tensor loss = Functional.mse(p, target).add(y.sum().mul(1e-3)).add(Functional.silu(h).mean());
        Gradients g = loss.backward();
        List<double[]> r = new ArrayList<>();
        r.add(loss.toDoubles());
        r.add(y.toDoubles());
        for (Tensor t : List.of(w1, b1, w2, b2)) r.add(g.get(t).toDoubles());
        return r;
    }

    /** conv2d + bias + leaky ReLU + group norm + average pooling + transposed matmul; returns [loss, dx, dw]. */
    static List<double[]> convNet(Backend be) {
        Rng rng = new Rng(62);
        Tensor x = Tensor.randn(be, DType.F32, rng, 2, 3, 8, 8).requiringGrad();
        Tensor w = Tensor.randn(be, DType.F32, rng, 4, 3, 3, 3).mul(0.2).requiringGrad();
        Tensor b = Tensor.randn(be, DType.F32, rng, 4);
        Tensor y = Conv.conv2d(x, w, b, 1, 1).leakyRelu(0.1);
        y = Functional.groupNorm(y, 2, 1e-5);
        y = Conv.avgPool2d(y, 2);                                   // [2, 4, 4, 4]
        Tensor flat = y.reshape(2, 64);
        Tensor loss = flat.matmul(flat.t()).square().mean().add(flat.max(false, 1).sum());
        Gradients g = loss.backward();
        return List.of(loss.toDoubles(), g.get(x).toDoubles(), g.get(w).toDoubles());
    }

    @Test void mlpForwardAndBackward() { compare("mlp", mlp(SCALAR), CPUS); }

    @Test void convNetForwardAndBackward() { compare("conv net", convNet(SCALAR), CPUS); }

    static void compare(String what, List<double[]> expected, List<CpuBackend> cpus) {
        for (CpuBackend cpu : cpus) {
            List<double[]> got = what.equals("mlp") ? mlp(cpu) : convNet(cpu);
            for (int t = 0; t < expected.size(); t++) {
                double[] e = expected.get(t), a = got.get(t);
                assertEquals(e.length, a.length, what + " result " + t + " length");
                double scale = 0;
                for (double v : e) scale = Math.max(scale, Math.abs(v));
                for (int i = 0; i < e.length; i++) {
                    double diff = Math.abs(e[i] - a[i]);
                    int fi = i, ft = t;
                    assertTrue(diff <= 1e-4 * scale, () -> what + " result " + ft + " element " + fi + ": scalar " + e[fi]
                            + ", cpu " + a[fi] + " (threads " + cpu.threads() + ")");
                }
            }
        }
    }
}
