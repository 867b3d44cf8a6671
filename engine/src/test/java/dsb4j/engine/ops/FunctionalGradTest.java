package dsb4j.engine.ops;

import dsb4j.engine.Tensor;
import dsb4j.engine.tensor.ShapeException;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dsb4j.engine.GradCheck.*;
import static org.junit.jupiter.api.Assertions.*;

/** The composites: softmax, logSoftmax, silu, gelu, groupNorm, groupNormSilu, layerNorm, mse. */
class FunctionalGradTest {

    static Arguments c(String name, Function<Tensor, Tensor> f, Tensor x) { return Arguments.of(name, f, x); }

    static Stream<Arguments> composites() {
        return Stream.of(
                c("softmax axis 0", x -> Functional.softmax(x, 0), normal(1, 3, 4)),
                c("softmax axis 1", x -> Functional.softmax(x, 1), normal(1, 3, 4)),
                c("softmax axis -1 of rank 3", x -> Functional.softmax(x, -1), normal(1, 2, 3, 4)),
                c("softmax axis 1 of rank 3, permuted", x -> Functional.softmax(x, 1), normal(1, 4, 2, 3).permute(1, 2, 0)),
                c("softmax of large logits", x -> Functional.softmax(x.mul(40.0), 1), normal(1, 3, 4)),
                c("logSoftmax axis 0", x -> Functional.logSoftmax(x, 0), normal(2, 3, 4)),
                c("logSoftmax axis -1", x -> Functional.logSoftmax(x, -1), normal(2, 2, 3, 4)),
                c("silu", Functional::silu, normal(3, 3, 4)),
                c("silu of a transposed view", Functional::silu, normal(3, 4, 3).t()),
                c("gelu", Functional::gelu, normal(4, 3, 4)),
                c("groupNorm 1 group", x -> Functional.groupNorm(x, 1, 1e-5), normal(5, 2, 4, 2, 3)),
                c("groupNorm 2 groups", x -> Functional.groupNorm(x, 2, 1e-5), normal(5, 2, 4, 2, 3)),
                c("groupNorm 4 groups", x -> Functional.groupNorm(x, 4, 1e-5), normal(5, 2, 4, 2, 3)),
                c("groupNorm rank 2", x -> Functional.groupNorm(x, 3, 1e-5), normal(5, 2, 6)),
                c("groupNorm of a permuted view", x -> Functional.groupNorm(x, 2, 1e-5), normal(6, 2, 3, 2, 4).permute(0, 3, 1, 2)),
                c("layerNorm", x -> Functional.layerNorm(x, 1e-5), normal(7, 3, 5)),
                c("layerNorm rank 3", x -> Functional.layerNorm(x, 1e-5), normal(7, 2, 2, 4)),
                c("layerNorm of a transposed view", x -> Functional.layerNorm(x, 1e-5), normal(7, 5, 3).t()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("composites")
    void gradient(String name, Function<Tensor, Tensor> f, Tensor x) {
        check(name, f, x);
    }

    @Test
    void mseGradient() {
        check("mse", xs -> Functional.mse(xs[0], xs[1]), normal(1, 3, 4), normal(2, 3, 4));
        check("mse of views", xs -> Functional.mse(xs[0], xs[1]), normal(1, 4, 3).t(), normal(2, 3, 8).slice(1, 0, 8, 2));
    }

    /** The fused norm-modulate-activate op, with respect to x, the scale and the shift (per channel and per image). */
    @Test
    void groupNormSiluGradient() {
        check("groupNormSilu, per-image scale and shift", xs -> Functional.groupNormSilu(xs[0], 2, 1e-5, xs[1], xs[2]),
                normal(11, 3, 4, 2, 3), normal(12, 3, 4), normal(13, 3, 4));
        check("groupNormSilu, per-channel, rank 3", xs -> Functional.groupNormSilu(xs[0], 3, 1e-5, xs[1], xs[2]),
                normal(14, 2, 6, 5), normal(15, 6), normal(16, 6));
        check("groupNormSilu of a permuted view", xs -> Functional.groupNormSilu(xs[0], 1, 1e-5, xs[1], xs[2]),
                normal(17, 2, 3, 2, 4).permute(0, 3, 1, 2), normal(18, 2, 4), normal(19, 4));
    }

    /** Its values are those of the composite silu(groupNorm(x)·scale + shift). */
    @Test
    void groupNormSiluValues() {
        Tensor x = normal(21, 3, 4, 3, 5).mul(2.0).add(0.5), scale = normal(22, 3, 4), shift = normal(23, 4);
        Tensor composite = Functional.silu(Functional.groupNorm(x, 2, 1e-5).mul(scale.reshape(3, 4, 1, 1)).add(shift.reshape(1, 4, 1, 1)));
        assertArrayEquals(composite.toDoubles(), Functional.groupNormSilu(x, 2, 1e-5, scale, shift).toDoubles(), 1e-12);
        assertThrows(ShapeException.class, () -> Functional.groupNormSilu(x, 3, 1e-5, scale, shift));
        assertThrows(ShapeException.class, () -> Functional.groupNormSilu(x, 2, 1e-5, normal(24, 3, 5), shift));
    }

    @Test
    void softmaxValues() {
        Tensor x = normal(1, 3, 4).mul(30.0);
        Tensor p = Functional.softmax(x, 1);
        double[] pv = p.toDoubles(), xv = x.toDoubles();
        for (int i = 0; i < 3; i++) {
            double z = 0, s = 0;
            for (int j = 0; j < 4; j++) z += Math.exp(xv[i * 4 + j]);
            for (int j = 0; j < 4; j++) {
                assertEquals(Math.exp(xv[i * 4 + j]) / z, pv[i * 4 + j], 1e-12);
                s += pv[i * 4 + j];
            }
            assertEquals(1.0, s, 1e-12);
        }
        assertArrayEquals(p.log().toDoubles(), Functional.logSoftmax(x, 1).toDoubles(), 1e-9);
        // Stability: logits far beyond exp's range.
        Tensor big = Tensor.of(B, new double[]{1000, 1001, -1000}, 1, 3);
        for (double v : Functional.softmax(big, 1).toDoubles()) assertTrue(Double.isFinite(v));
        for (double v : Functional.logSoftmax(big, 1).toDoubles()) assertTrue(Double.isFinite(v));
    }

    @Test
    void activationValues() {
        double[] xs = {-2.5, -0.3, 0, 0.4, 3};
        Tensor x = Tensor.of(B, xs, 5);
        double[] silu = Functional.silu(x).toDoubles(), gelu = Functional.gelu(x).toDoubles();
        for (int i = 0; i < xs.length; i++) {
            double v = xs[i];
            assertEquals(v / (1 + Math.exp(-v)), silu[i], 1e-12);
            assertEquals(0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))), gelu[i], 1e-12);
        }
    }

    @Test
    void normalisationStatistics() {
        Tensor y = Functional.groupNorm(normal(1, 2, 4, 3, 3).mul(3.0).add(2.0), 2, 1e-5);
        // Each (sample, group) block of 2 channels × 9 pixels = 18 contiguous values has mean 0 and variance ≈ 1.
        double[] v = y.toDoubles();
        for (int blk = 0; blk < 4; blk++) assertMoments(v, blk * 18, 18);
        double[] l = Functional.layerNorm(normal(2, 3, 7).mul(0.5).sub(1.0), 1e-5).toDoubles();
        for (int r = 0; r < 3; r++) assertMoments(l, r * 7, 7);
        assertEquals(0.0, Functional.mse(normal(3, 2, 2), normal(3, 2, 2)).item(), 0);
        Tensor a = Tensor.of(B, new double[]{1, 2, 3}, 3), b = Tensor.of(B, new double[]{0, 4, 3}, 3);
        assertEquals(5.0 / 3, Functional.mse(a, b).item(), 1e-12);
    }

    private static void assertMoments(double[] v, int from, int n) {
        double m = 0, q = 0;
        for (int i = from; i < from + n; i++) m += v[i];
        m /= n;
        for (int i = from; i < from + n; i++) q += (v[i] - m) * (v[i] - m);
        assertEquals(0.0, m, 1e-12);
        assertEquals(1.0, q / n, 1e-3);
    }
}
