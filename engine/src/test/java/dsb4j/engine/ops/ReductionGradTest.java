package dsb4j.engine.ops;

import dsb4j.engine.Tensor;
import dsb4j.engine.tensor.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dsb4j.engine.GradCheck.*;
import static org.junit.jupiter.api.Assertions.*;

/** Sum, mean and max over every axis and axis set of a rank-3 tensor, with and without kept dimensions. */
class ReductionGradTest {

    static final int[] DIMS = {2, 3, 4};

    static List<int[]> axisSets() {
        return List.of(new int[]{0}, new int[]{1}, new int[]{2}, new int[]{-1}, new int[]{0, 1}, new int[]{0, 2},
                new int[]{2, 1}, new int[]{0, 1, 2}, new int[]{});
    }

    static Stream<Arguments> cases() {
        return Stream.of("sum", "mean", "max").flatMap(op -> axisSets().stream()
                .flatMap(axes -> Stream.of(true, false).map(keep -> Arguments.of(op, axes, keep))));
    }

    static Tensor reduce(String op, Tensor x, boolean keep, int[] axes) {
        return switch (op) {
            case "sum" -> x.sum(keep, axes);
            case "mean" -> x.mean(keep, axes);
            default -> x.max(keep, axes);
        };
    }

    @ParameterizedTest(name = "{0} axes {1} keepDim {2}")
    @MethodSource("cases")
    void gradient(String op, int[] axes, boolean keep) {
        Tensor x = awayFromKinks(5, DIMS);
        check(op + Arrays.toString(axes) + (keep ? " keep" : ""), t -> reduce(op, t, keep, axes), x);
        // The same on a permuted view: [4, 2, 3] storage seen as [2, 3, 4].
        Tensor p = awayFromKinks(6, 4, 2, 3).permute(1, 2, 0);
        check(op + Arrays.toString(axes) + " on a permuted view", t -> reduce(op, t, keep, axes), p);
    }

    @ParameterizedTest(name = "{0} axes {1} keepDim {2}")
    @MethodSource("cases")
    void forwardMatchesLoops(String op, int[] axes, boolean keep) {
        Tensor x = awayFromKinks(5, DIMS);
        Tensor y = reduce(op, x, keep, axes);
        boolean[] red = new boolean[3];
        if (axes.length == 0) Arrays.fill(red, true);
        for (int a : axes) red[a < 0 ? a + 3 : a] = true;
        int[] kept = DIMS.clone();
        for (int a = 0; a < 3; a++) if (red[a]) kept[a] = 1;
        int[] dropped = Arrays.stream(new int[]{0, 1, 2}).filter(a -> !red[a]).map(a -> DIMS[a]).toArray();
        assertEquals(keep ? Shape.of(kept) : Shape.of(dropped), y.shape());

        double[] v = x.toDoubles(), want = new double[Shape.of(kept).numel()];
        int[] count = new int[want.length];
        Arrays.fill(want, op.equals("max") ? Double.NEGATIVE_INFINITY : 0);
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 4; k++) {
                    int o = ((red[0] ? 0 : i) * kept[1] + (red[1] ? 0 : j)) * kept[2] + (red[2] ? 0 : k);
                    double e = v[(i * 3 + j) * 4 + k];
                    want[o] = op.equals("max") ? Math.max(want[o], e) : want[o] + e;
                    count[o]++;
                }
        if (op.equals("mean")) for (int o = 0; o < want.length; o++) want[o] /= count[o];
        assertArrayEquals(want, y.toDoubles(), 1e-12);
    }

    @Test
    void maxSharesTheGradientAmongTies() {
        Tensor x = Tensor.of(B, new double[]{1, 3, 3, 2, -1, 0}, 2, 3).requiringGrad();
        Tensor g = x.max(false, 1).sum().backward().get(x);
        assertArrayEquals(new double[]{0, 0.5, 0.5, 1, 0, 0}, g.toDoubles(), 0);
    }

    @Test
    void sumToUndoesBroadcasting() {
        Tensor g = uniform(1, -1, 1, 2, 3, 4);
        Tensor s = g.sumTo(Shape.of(3, 1));
        assertEquals(Shape.of(3, 1), s.shape());
        assertArrayEquals(g.sum(true, 0, 2).reshape(3, 1).toDoubles(), s.toDoubles(), 1e-12);
        assertEquals(Shape.SCALAR, g.sumTo(Shape.SCALAR).shape());
        assertEquals(g.sum().item(), g.sumTo(Shape.SCALAR).item(), 1e-12);
        assertSame(g, g.sumTo(Shape.of(2, 3, 4)));
    }

    @Test
    void reductionsOfAScalarShapedTensor() {
        Tensor x = Tensor.of(B, new double[]{0.7});
        check("sum of rank 0", t -> t.sum(), x);
        check("mean of rank 0", t -> t.mean(), x);
        check("max of rank 0", t -> t.max(false), x);
    }
}
