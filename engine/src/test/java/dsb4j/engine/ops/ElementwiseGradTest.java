package dsb4j.engine.ops;

import dsb4j.engine.Tensor;
import dsb4j.engine.tensor.Shape;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dsb4j.engine.GradCheck.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Float64 gradient checks of every elementwise primitive, on contiguous and strided inputs, with broadcasting. */
class ElementwiseGradTest {

    /** How the [3, 4] input of a unary op is laid out. */
    enum Layout {
        CONTIGUOUS, TRANSPOSED, SLICED, BROADCAST;

        Tensor make(Tensor values34) {
            double[] v = values34.toDoubles();
            return switch (this) {
                case CONTIGUOUS -> values34;
                case TRANSPOSED -> {                                // [4, 3] storage seen as [3, 4], strides [1, 3]
                    double[] t = new double[12];
                    for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) t[j * 3 + i] = v[i * 4 + j];
                    yield Tensor.of(B, t, 4, 3).t();
                }
                case SLICED -> {                                    // every other column of [3, 9], from column 1
                    double[] s = new double[27];
                    java.util.Arrays.fill(s, Double.NaN);            // the gaps must never be read
                    for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) s[i * 9 + 1 + 2 * j] = v[i * 4 + j];
                    yield Tensor.of(B, s, 3, 9).slice(1, 1, 9, 2);
                }
                case BROADCAST -> values34.slice(0, 0, 1).broadcastTo(3, 4);   // one row repeated, stride 0
            };
        }
    }

    record Unary(String name, Function<Tensor, Tensor> f, boolean positive) {
        @Override public String toString() { return name; }
    }

    static List<Unary> unaries() {
        return List.of(
                new Unary("neg", Tensor::neg, false),
                new Unary("exp", Tensor::exp, false),
                new Unary("log", Tensor::log, true),
                new Unary("sqrt", Tensor::sqrt, true),
                new Unary("abs", Tensor::abs, false),
                new Unary("sin", Tensor::sin, false),
                new Unary("cos", Tensor::cos, false),
                new Unary("tanh", Tensor::tanh, false),
                new Unary("sigmoid", Tensor::sigmoid, false),
                new Unary("relu", Tensor::relu, false),
                new Unary("leakyRelu(0.1)", x -> x.leakyRelu(0.1), false),
                new Unary("square", Tensor::square, false),
                new Unary("reciprocal", Tensor::reciprocal, true),
                new Unary("reciprocal(negative)", x -> x.neg().reciprocal(), true),
                new Unary("pow(2)", x -> x.pow(2), false),
                new Unary("pow(3)", x -> x.pow(3), false),
                new Unary("pow(0.5)", x -> x.pow(0.5), true),
                new Unary("pow(-1.5)", x -> x.pow(-1.5), true),
                new Unary("add(0.7)", x -> x.add(0.7), false),
                new Unary("sub(0.7)", x -> x.sub(0.7), false),
                new Unary("mul(-2.5)", x -> x.mul(-2.5), false),
                new Unary("div(4)", x -> x.div(4.0), false));
    }

    static Stream<Arguments> unaryCases() {
        return unaries().stream().flatMap(u -> Stream.of(Layout.values()).map(l -> Arguments.of(u, l)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("unaryCases")
    void unaryGradient(Unary op, Layout layout) {
        Tensor values = op.positive() ? uniform(11, 0.3, 2.0, 3, 4) : awayFromKinks(11, 3, 4);
        Tensor x = layout.make(values);
        Tensor expected = layout == Layout.BROADCAST ? values.slice(0, 0, 1).contiguous().broadcastTo(3, 4) : values;
        assertArrayEquals(expected.toDoubles(), x.toDoubles(), op + ": the " + layout + " view holds the intended values");
        check(op.name() + " on " + layout, op.f(), x);
    }

    record Binary(String name, BiFunction<Tensor, Tensor, Tensor> f) {
        @Override public String toString() { return name; }
    }

    static List<Binary> binaries() {
        return List.of(
                new Binary("add", Tensor::add),
                new Binary("sub", Tensor::sub),
                new Binary("mul", Tensor::mul),
                new Binary("div", Tensor::div),
                new Binary("maximum", Tensor::maximum),
                new Binary("minimum", Tensor::minimum));
    }

    /** Shape pairs that broadcast both ways, including rank-0 (scalar-shaped) operands. */
    static List<int[][]> shapePairs() {
        return List.of(
                new int[][]{{3, 4}, {3, 4}},
                new int[][]{{3, 1, 4}, {5, 1}},
                new int[][]{{5, 1}, {3, 1, 4}},
                new int[][]{{2, 1}, {1, 3}},
                new int[][]{{4}, {2, 3, 4}},
                new int[][]{{2, 3, 4}, {3, 1}},
                new int[][]{{2, 3}, {}},
                new int[][]{{}, {2, 3}},
                new int[][]{{}, {}},
                new int[][]{{1, 1}, {2, 3}});
    }

    static Stream<Arguments> binaryCases() {
        return binaries().stream().flatMap(b -> shapePairs().stream()
                .map(p -> Arguments.of(b, Shape.of(p[0]), Shape.of(p[1]))));
    }

    @ParameterizedTest(name = "{0} {1} with {2}")
    @MethodSource("binaryCases")
    void binaryGradient(Binary op, Shape sa, Shape sb) {
        Tensor[] ab = distinctPair(sa.numel() * 31 + sb.numel(), sa, sb);
        check(op.name() + " " + sa + " " + sb, xs -> op.f().apply(xs[0], xs[1]), ab[0], ab[1]);
    }

    /** Strided operands in a broadcasting binary op: a transposed [3, 4] with a sliced [4] and a broadcast column. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("binaries")
    void binaryGradientOnViews(Binary op) {
        Tensor[] ab = distinctPair(7, Shape.of(4, 3), Shape.of(9));
        Tensor a = ab[0].t();                                      // [3, 4], strides [1, 3]
        Tensor b = ab[1].slice(0, 1, 9, 2);                        // [4], stride 2
        check(op.name() + " on views", xs -> op.f().apply(xs[0], xs[1]), a, b);
        Tensor col = ab[1].slice(0, 0, 3).reshape(3, 1).broadcastTo(3, 4);   // stride 0 along the columns
        check(op.name() + " with a broadcast view", xs -> op.f().apply(xs[0], xs[1]), a, col);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("binaries")
    void binaryForwardMatchesDefinition(Binary op) {
        Tensor[] ab = distinctPair(3, Shape.of(3, 1, 4), Shape.of(5, 1));
        Tensor y = op.f().apply(ab[0], ab[1]);
        assertEquals(Shape.of(3, 5, 4), y.shape());
        double[] a = ab[0].toDoubles(), b = ab[1].toDoubles(), v = y.toDoubles();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 5; j++)
                for (int k = 0; k < 4; k++) {
                    double x = a[i * 4 + k], z = b[j];
                    double want = switch (op.name()) {
                        case "add" -> x + z;
                        case "sub" -> x - z;
                        case "mul" -> x * z;
                        case "div" -> x / z;
                        case "maximum" -> Math.max(x, z);
                        default -> Math.min(x, z);
                    };
                    assertEquals(want, v[(i * 5 + j) * 4 + k], 0.0, op + " at " + i + "," + j + "," + k);
                }
    }

    /** Two inputs whose values are all distinct from each other and away from zero (ties would break max/min). */
    static Tensor[] distinctPair(long seed, Shape sa, Shape sb) {
        double[] all = awayFromKinks(seed, sa.numel() + sb.numel()).toDoubles();
        return new Tensor[]{
                Tensor.of(B, java.util.Arrays.copyOfRange(all, 0, sa.numel()), sa.dims()),
                Tensor.of(B, java.util.Arrays.copyOfRange(all, sa.numel(), all.length), sb.dims())};
    }
}
