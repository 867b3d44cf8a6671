package dsb4j.engine.ops;

import dsb4j.engine.Tensor;
import dsb4j.engine.tensor.Shape;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dsb4j.engine.GradCheck.*;
import static org.junit.jupiter.api.Assertions.*;

/** Matrix products: 2-D, batched, a matrix shared by a batch, and transposed, permuted, sliced and broadcast operands. */
class MatmulGradTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                c("2-D", () -> normal(1, 3, 4), () -> normal(2, 4, 5)),
                c("2-D, a transposed", () -> normal(1, 4, 3).t(), () -> normal(2, 4, 5)),
                c("2-D, b transposed", () -> normal(1, 3, 4), () -> normal(2, 5, 4).t()),
                c("2-D, both transposed", () -> normal(1, 4, 3).t(), () -> normal(2, 5, 4).t()),
                c("2-D, row times column", () -> normal(1, 1, 4), () -> normal(2, 4, 1)),
                c("2-D, outer product", () -> normal(1, 3, 1), () -> normal(2, 1, 5)),
                c("2-D, transposed vectors", () -> normal(1, 4, 1).t(), () -> normal(2, 1, 4).t()),
                c("2-D, a column-sliced", () -> normal(1, 3, 8).slice(1, 1, 8, 2), () -> normal(2, 4, 5)),
                c("2-D, b row-sliced", () -> normal(1, 3, 4), () -> normal(2, 9, 5).slice(0, 2, 6)),
                c("2-D, a broadcast row", () -> normal(1, 1, 4).broadcastTo(3, 4), () -> normal(2, 4, 5)),
                c("3-D batched", () -> normal(1, 2, 3, 4), () -> normal(2, 2, 4, 5)),
                c("3-D, a transposed", () -> normal(1, 2, 4, 3).transpose(1, 2), () -> normal(2, 2, 4, 5)),
                c("3-D, b transposed", () -> normal(1, 2, 3, 4), () -> normal(2, 2, 5, 4).transpose(-1, -2)),
                c("3-D, batch axis not outermost", () -> normal(1, 3, 2, 4).permute(1, 0, 2), () -> normal(2, 4, 2, 5).permute(1, 0, 2)),
                c("3-D, batch-sliced", () -> normal(1, 5, 3, 4).slice(0, 1, 5, 2), () -> normal(2, 2, 4, 5)),
                c("3-D, broadcast over the batch", () -> normal(1, 3, 4).broadcastTo(2, 3, 4), () -> normal(2, 2, 4, 5)),
                c("2-D x 3-D", () -> normal(1, 3, 4), () -> normal(2, 2, 4, 5)),
                c("2-D transposed x 3-D transposed", () -> normal(1, 4, 3).t(), () -> normal(2, 2, 5, 4).transpose(1, 2)),
                c("3-D x 2-D", () -> normal(1, 2, 3, 4), () -> normal(2, 4, 5)),
                c("3-D x 2-D transposed", () -> normal(1, 2, 3, 4), () -> normal(2, 5, 4).t()),
                c("3-D with batch 1 x 2-D", () -> normal(1, 1, 3, 4), () -> normal(2, 4, 5)));
    }

    static Arguments c(String name, Supplier<Tensor> a, Supplier<Tensor> b) { return Arguments.of(name, a.get(), b.get()); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradient(String name, Tensor a, Tensor b) {
        check("matmul " + name, xs -> xs[0].matmul(xs[1]), a, b);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardMatchesLoops(String name, Tensor a, Tensor b) {
        Tensor y = a.matmul(b);
        int m = a.dim(-2), k = a.dim(-1), n = b.dim(-1);
        int batch = Math.max(a.rank() == 3 ? a.dim(0) : 1, b.rank() == 3 ? b.dim(0) : 1);
        boolean batched = a.rank() == 3 || b.rank() == 3;
        assertEquals(batched ? Shape.of(batch, m, n) : Shape.of(m, n), y.shape(), name);
        double[] av = a.toDoubles(), bv = b.toDoubles(), yv = y.toDoubles();
        int sa = a.rank() == 3 ? m * k : 0, sb = b.rank() == 3 ? k * n : 0;
        for (int t = 0; t < batch; t++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += av[t * sa + i * k + p] * bv[t * sb + p * n + j];
                    assertEquals(s, yv[(t * m + i) * n + j], 1e-12, name + " at " + t + "," + i + "," + j);
                }
    }

    @Test
    void emptyInnerDimensionGivesZeros() {
        Tensor y = normal(1, 3, 0).matmul(normal(2, 0, 2));
        assertEquals(Shape.of(3, 2), y.shape());
        assertArrayEquals(new double[6], y.toDoubles(), 0);
    }

    @Test
    void weightSharedAcrossTheBatchAccumulates() {
        // d/dW sum(x_b W) = sum_b x_bᵀ 1: the 2-D operand's gradient sums over the batch.
        Tensor x = normal(3, 4, 2, 3), w = normal(4, 3, 5).requiringGrad();
        Tensor g = x.matmul(w).sum().backward().get(w);
        double[] xv = x.toDoubles(), gv = g.toDoubles();
        for (int p = 0; p < 3; p++) {
            double s = 0;
            for (int b = 0; b < 4; b++) for (int i = 0; i < 2; i++) s += xv[(b * 2 + i) * 3 + p];
            for (int j = 0; j < 5; j++) assertEquals(s, gv[p * 5 + j], 1e-12);
        }
    }
}
