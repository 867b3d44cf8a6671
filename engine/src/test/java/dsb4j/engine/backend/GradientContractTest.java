package dsb4j.engine.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.ops.Conv;
import dsb4j.engine.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gradient contract of every backend ({@link BackendTargets}: scalar, the CPU on one and two threads, the CUDA
 * emulator, a GPU where present): gradient checks through Tensor ops in float64, central differences with
 * h = 1e-6 against reverse mode, |analytic − numeric| ≤ 1e-5 + 1e-3·|numeric|, and the analytic gradients
 * against the same graph on the scalar backend. Graphs: an MLP layer on a transposed input view, a
 * convolution with bias and average pooling, and broadcasting both ways through reductions.
 */
class GradientContractTest {

    static java.util.stream.Stream<String> targets() { return BackendTargets.names(); }

    @FunctionalInterface
    interface Loss {
        Tensor of(Tensor[] leaves);
    }

    static final Loss MLP = t -> {
        Tensor x = t[0].t();                                          // [5, 3] as a transposed view of [3, 5]
        Tensor y = x.matmul(t[1]).add(t[2]).tanh();                   // bias [4] broadcast over rows
        return y.mul(y).sum().add(y.sigmoid().mean()).add(y.max(false, 1).sum());
    };

    static final Loss CONV = t -> {
        Tensor y = Conv.conv2d(t[0], t[1], t[2], 1, 1).tanh();       // [1, 3, 4, 4]
        return y.square().mean().add(Conv.avgPool2d(y, 2).sum());
    };

    static final Loss BROADCAST = t -> {
        Tensor p = t[0].mul(t[1]);                                    // [4, 1, 3] * [1, 5, 3] -> [4, 5, 3]
        Tensor s = p.exp().sum(true, 0, 2).log();                     // [1, 5, 1]
        return s.mean().add(p.slice(2, 0, 3, 2).sum(false, 1).square().sum());
    };

    @ParameterizedTest @MethodSource("targets")
    void mlpLayerOnATransposedView(String target) {
        check(BackendTargets.backend(target), MLP, new int[][]{{3, 5}, {3, 4}, {4}}, 51);
    }

    @ParameterizedTest @MethodSource("targets")
    void convolutionWithBiasAndPooling(String target) {
        check(BackendTargets.backend(target), CONV, new int[][]{{1, 2, 4, 4}, {3, 2, 3, 3}, {3}}, 52);
    }

    @ParameterizedTest @MethodSource("targets")
    void broadcastingBothWaysThroughReductions(String target) {
        check(BackendTargets.backend(target), BROADCAST, new int[][]{{4, 1, 3}, {1, 5, 3}}, 53);
    }

    static void check(Backend backend, Loss loss, int[][] shapes, long seed) {
        Rng rng = new Rng(seed);
        double[][] values = new double[shapes.length][];
        for (int i = 0; i < shapes.length; i++) {
            int n = 1;
            for (int d : shapes[i]) n *= d;
            values[i] = ParityFixtures.doubles(rng, n);
            for (int j = 0; j < n; j++) values[i][j] *= 0.5;          // keep tanh and exp away from saturation
        }
        double[][] onTarget = analytic(backend, loss, values, shapes);
        double[][] onHost = analytic(Backends.scalar(), loss, values, shapes);
        double h = 1e-6;
        for (int i = 0; i < shapes.length; i++)
            for (int j = 0; j < values[i].length; j++) {
                double keep = values[i][j];
                values[i][j] = keep + h;
                double up = eval(backend, loss, values, shapes);
                values[i][j] = keep - h;
                double down = eval(backend, loss, values, shapes);
                values[i][j] = keep;
                double numeric = (up - down) / (2 * h), a = onTarget[i][j];
                assertTrue(Math.abs(a - numeric) <= 1e-5 + 1e-3 * Math.abs(numeric),
                        "leaf " + i + " element " + j + ": analytic " + a + ", numeric " + numeric);
                assertEquals(onHost[i][j], a, 1e-10 * (1 + Math.abs(onHost[i][j])), "leaf " + i + " element " + j + " vs the scalar backend");
            }
    }

    static double[][] analytic(Backend b, Loss loss, double[][] values, int[][] shapes) {
        Tensor[] leaves = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) leaves[i] = Tensor.of(b, values[i], shapes[i]).requiringGrad();
        Gradients g = loss.of(leaves).backward();
        double[][] out = new double[shapes.length][];
        for (int i = 0; i < shapes.length; i++) out[i] = g.get(leaves[i]).toDoubles();
        return out;
    }

    static double eval(Backend b, Loss loss, double[][] values, int[][] shapes) {
        Tensor[] leaves = new Tensor[shapes.length];
        for (int i = 0; i < shapes.length; i++) leaves[i] = Tensor.of(b, values[i], shapes[i]);
        return loss.of(leaves).item();
    }
}
