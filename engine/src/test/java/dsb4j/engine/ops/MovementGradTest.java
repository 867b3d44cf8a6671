package dsb4j.engine.ops;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Shape;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dsb4j.engine.GradCheck.*;
import static org.junit.jupiter.api.Assertions.*;

/** Views and copies: reshape, permute, transpose, broadcast, slice, unsqueeze, contiguous, concat, stack, pad, cast. */
class MovementGradTest {

    static Arguments c(String name, Function<Tensor, Tensor> f, Tensor x) { return Arguments.of(name, f, x); }

    static Stream<Arguments> singleInput() {
        return Stream.of(
                c("reshape", x -> x.reshape(4, 6), normal(1, 2, 3, 4)),
                c("reshape with -1", x -> x.reshape(-1, 3), normal(1, 2, 3, 4)),
                c("reshape of a transposed view (copies)", x -> x.reshape(12), normal(1, 4, 3).t()),
                c("reshape of a sliced view (copies)", x -> x.reshape(2, 3), normal(1, 3, 4).slice(1, 0, 4, 2)),
                c("permute", x -> x.permute(2, 0, 1), normal(2, 2, 3, 4)),
                c("permute, negative axes", x -> x.permute(-1, -3, -2), normal(2, 2, 3, 4)),
                c("transpose", x -> x.transpose(0, 2), normal(3, 2, 3, 4)),
                c("t", Tensor::t, normal(3, 3, 5)),
                c("broadcastTo, new leading axes", x -> x.broadcastTo(2, 3, 4), normal(4, 4)),
                c("broadcastTo, size-1 axes", x -> x.broadcastTo(2, 3, 4), normal(4, 2, 1, 4)),
                c("broadcastTo, both", x -> x.broadcastTo(5, 2, 3, 4), normal(4, 3, 1)),
                c("slice", x -> x.slice(1, 1, 3), normal(5, 2, 4, 3)),
                c("slice with step", x -> x.slice(1, 0, 7, 3), normal(5, 2, 7, 3)),
                c("slice with step, negative axis", x -> x.slice(-1, 1, 6, 2), normal(5, 3, 6)),
                c("slice of a slice", x -> x.slice(0, 1, 6, 2).slice(1, 2, 5), normal(5, 6, 5)),
                c("unsqueeze", x -> x.unsqueeze(1), normal(6, 3, 4)),
                c("unsqueeze at the end", x -> x.unsqueeze(-1), normal(6, 3, 4)),
                c("contiguous of a transposed view", Tensor::contiguous, normal(7, 4, 3).t()),
                c("contiguous of a contiguous tensor", Tensor::contiguous, normal(7, 3, 4)),
                c("pad", x -> x.pad(new int[]{1, 0, 2}, new int[]{0, 2, 1}), normal(8, 2, 3, 2)),
                c("pad of a transposed view", x -> x.pad(new int[]{1, 1}, new int[]{2, 0}), normal(8, 4, 3).t()),
                c("stack with itself", x -> Tensor.stack(1, x, x.mul(2.0)), normal(9, 2, 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleInput")
    void gradient(String name, Function<Tensor, Tensor> f, Tensor x) {
        check(name, f, x);
    }

    static Stream<Arguments> concats() {
        return Stream.of(
                Arguments.of("axis 0", 0, new Tensor[]{normal(1, 1, 3), normal(2, 3, 3), normal(3, 2, 3)}),
                Arguments.of("axis 1", 1, new Tensor[]{normal(1, 2, 2), normal(2, 2, 1)}),
                Arguments.of("axis -1 of rank 3", -1, new Tensor[]{normal(1, 2, 3, 1), normal(2, 2, 3, 4)}),
                Arguments.of("views", 1, new Tensor[]{normal(1, 3, 2).t(), normal(2, 2, 6).slice(1, 0, 6, 3),
                        normal(3, 1, 1).broadcastTo(2, 2)}));
    }

    @ParameterizedTest(name = "concat {0}")
    @MethodSource("concats")
    void concatGradient(String name, int axis, Tensor[] parts) {
        check("concat " + name, xs -> Tensor.concat(axis, xs), parts);
    }

    @Test
    void stackGradient() {
        check("stack axis 0", xs -> Tensor.stack(0, xs), normal(1, 2, 3), normal(2, 2, 3), normal(3, 2, 3));
        check("stack axis 2", xs -> Tensor.stack(2, xs), normal(1, 2, 3), normal(2, 3, 2).t());
        check("stack axis -1", xs -> Tensor.stack(-1, xs), normal(1, 4), normal(2, 4));
    }

    @Test
    void concatWithAnInputThatNeedsNoGradient() {
        Tensor a = normal(1, 2, 3).requiringGrad(), b = normal(2, 2, 2);
        Gradients g = Tensor.concat(1, a, b).square().sum().backward();
        assertArrayEquals(a.mul(2.0).toDoubles(), g.get(a).toDoubles(), 1e-12);
        assertNull(g.get(b));
    }

    @Test
    void forwardValues() {
        Tensor x = Tensor.of(B, new double[]{0, 1, 2, 3, 4, 5}, 2, 3);
        assertArrayEquals(new double[]{0, 3, 1, 4, 2, 5}, x.t().toDoubles());
        assertArrayEquals(new double[]{0, 2, 3, 5}, x.slice(1, 0, 3, 2).toDoubles());
        assertArrayEquals(new double[]{3, 4, 5, 3, 4, 5}, x.slice(0, 1, 2).broadcastTo(2, 3).toDoubles());
        assertArrayEquals(new double[]{0, 0, 0, 0, 0, 0, 1, 2, 0, 3, 4, 5},
                x.pad(new int[]{1, 1}, new int[]{0, 0}).toDoubles());
        assertEquals(Shape.of(3, 4), x.pad(new int[]{1, 1}, new int[]{0, 0}).shape());
        assertArrayEquals(new double[]{0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5}, Tensor.concat(1, x, x).reshape(12).toDoubles());
        assertArrayEquals(new double[]{0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5}, Tensor.stack(2, x, x).reshape(12).toDoubles());
        assertEquals(Shape.of(2, 2, 3), Tensor.stack(0, x, x).shape());
        assertEquals(Shape.of(2, 1, 3), x.unsqueeze(1).shape());
        assertArrayEquals(new double[]{0, 3, 1, 4, 2, 5}, x.t().reshape(6).toDoubles());
        assertTrue(x.t().contiguous().layout().isContiguous());
        assertSame(x, x.contiguous());
    }

    @Test
    void emptyTensorsFlowThroughForwardAndBackward() {
        Tensor empty = normal(1, 0, 3).requiringGrad(), x = normal(2, 2, 3).requiringGrad();
        Tensor c = Tensor.concat(0, empty, x);
        assertEquals(Shape.of(2, 3), c.shape());
        Gradients g = c.exp().mul(x.slice(0, 1, 1).sum(true, 0).add(1.0)).sum().backward();   // times sum(empty) + 1 = 1
        assertEquals(Shape.of(0, 3), g.get(empty).shape());
        assertArrayEquals(x.exp().toDoubles(), g.get(x).toDoubles(), 1e-12);

        Tensor s = empty.sum(false, 0);
        assertArrayEquals(new double[3], s.toDoubles(), 0);
        assertEquals(Shape.of(0, 3), s.mul(normal(3, 3)).sum().backward().get(empty).shape());

        Tensor a = normal(4, 3, 0).requiringGrad(), b = normal(5, 0, 2).requiringGrad();
        Gradients gm = a.matmul(b).add(1.0).square().sum().backward();
        assertEquals(Shape.of(3, 0), gm.get(a).shape());
        assertEquals(Shape.of(0, 2), gm.get(b).shape());
        assertEquals(Shape.of(2, 0), x.slice(1, 2, 2).shape());
        assertEquals(Shape.of(2, 3), x.slice(1, 2, 2).pad(new int[]{0, 1}, new int[]{0, 2}).shape());
    }

    @Test
    void toAnotherBackendAndBack() {
        dsb4j.engine.backend.Backend cpu = dsb4j.engine.backend.Backends.cpu(1);
        check("to(cpu).exp().to(scalar)", x -> x.to(cpu).exp().mul(x.to(cpu)).to(B), normal(1, 3, 4));
    }

    @Test
    void castBackwardConvertsTheGradientBack() {
        // F64 → F32 → F64 is not differentiable exactly; the gradient is w rounded to float, in F64.
        Tensor x = normal(1, 3, 4).requiringGrad();
        Tensor y = x.to(DType.F32);
        assertEquals(DType.F32, y.dtype());
        assertEquals(x.shape(), y.shape());
        Tensor w = normal(2, 3, 4);
        Tensor g = y.to(DType.F64).mul(w).sum().backward().get(x);
        assertEquals(DType.F64, g.dtype());
        assertEquals(x.shape(), g.shape());
        assertArrayEquals(w.toDoubles(), g.toDoubles(), 1e-6);

        Tensor xf = Tensor.randn(B, DType.F32, new Rng(3), 2, 2).requiringGrad();
        Tensor gf = xf.to(DType.F64).square().sum().backward().get(xf);
        assertEquals(DType.F32, gf.dtype());
        assertArrayEquals(xf.mul(2.0).toDoubles(), gf.toDoubles(), 1e-6);
        assertSame(x, x.to(DType.F64));
    }
}
