package dsb4j.engine.ops;

import dsb4j.engine.Tensor;
import dsb4j.engine.tensor.Shape;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dsb4j.engine.GradCheck.*;
import static org.junit.jupiter.api.Assertions.*;

/** im2col, conv2d, average pooling and nearest up-sampling: gradients and forward values against plain loops. */
class ConvGradTest {

    static Stream<Arguments> geometries() {
        // kh, kw, stride, pad, with bias
        return Stream.of(
                Arguments.of(3, 3, 1, 0, true),
                Arguments.of(3, 3, 1, 1, true),
                Arguments.of(3, 3, 2, 0, false),
                Arguments.of(3, 3, 2, 1, true),
                Arguments.of(2, 3, 2, 1, false),
                Arguments.of(1, 1, 1, 0, true));
    }

    @ParameterizedTest(name = "k {0}x{1} stride {2} pad {3}")
    @MethodSource("geometries")
    void im2colGradient(int kh, int kw, int stride, int pad, boolean unused) {
        check("im2col", x -> Conv.im2col(x, kh, kw, stride, pad), normal(1, 2, 2, 5, 4));
    }

    @ParameterizedTest(name = "k {0}x{1} stride {2} pad {3} bias {4}")
    @MethodSource("geometries")
    void conv2dGradient(int kh, int kw, int stride, int pad, boolean bias) {
        Tensor x = normal(1, 2, 3, 5, 5), w = normal(2, 4, 3, kh, kw);
        if (bias) check("conv2d", t -> Conv.conv2d(t[0], t[1], t[2], stride, pad), x, w, normal(3, 4));
        else check("conv2d", t -> Conv.conv2d(t[0], t[1], null, stride, pad), x, w);
    }

    @ParameterizedTest(name = "k {0}x{1} stride {2} pad {3} bias {4}")
    @MethodSource("geometries")
    void conv2dMatchesLoops(int kh, int kw, int stride, int pad, boolean bias) {
        Tensor x = normal(1, 2, 3, 5, 5), w = normal(2, 4, 3, kh, kw), b = bias ? normal(3, 4) : null;
        assertConvMatchesLoops(x, w, b, stride, pad);
    }

    @Test
    void conv2dOnAPermutedInput() {
        // NHWC storage seen as NCHW: im2col reads through the strides.
        Tensor x = normal(4, 2, 5, 4, 3).permute(0, 3, 1, 2);
        Tensor w = normal(5, 2, 3, 3, 3);
        assertConvMatchesLoops(x, w, null, 1, 1);
        check("conv2d on a permuted input", t -> Conv.conv2d(t[0], t[1], null, 2, 1), x, w);
        Tensor w1 = normal(6, 3, 3, 1, 1);                 // 1×1: the columns are x itself, regrouped
        assertConvMatchesLoops(x, w1, normal(7, 3), 1, 0);
        check("1x1 conv2d on a permuted input", t -> Conv.conv2d(t[0], t[1], null, 1, 0), x, w1);
    }

    @Test
    void avgPoolGradient() {
        check("avgPool2d k 2", x -> Conv.avgPool2d(x, 2), normal(1, 2, 3, 4, 4));
        check("avgPool2d k 2, odd size", x -> Conv.avgPool2d(x, 2), normal(2, 1, 2, 5, 5));
        check("avgPool2d k 3", x -> Conv.avgPool2d(x, 3), normal(3, 1, 1, 6, 6));
        check("avgPool2d of a permuted view", x -> Conv.avgPool2d(x, 2), normal(4, 2, 4, 4, 3).permute(0, 3, 1, 2));
    }

    @Test
    void avgPoolValues() {
        Tensor x = Tensor.of(B, new double[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 1, 1, 4, 4);
        Tensor y = Conv.avgPool2d(x, 2);
        assertEquals(Shape.of(1, 1, 2, 2), y.shape());
        assertArrayEquals(new double[]{3.5, 5.5, 11.5, 13.5}, y.toDoubles(), 1e-12);
    }

    @Test
    void upsampleGradient() {
        check("upsampleNearest 2", x -> Conv.upsampleNearest(x, 2), normal(1, 2, 3, 2, 3));
        check("upsampleNearest 3 of a transposed view", x -> Conv.upsampleNearest(x, 3), normal(2, 1, 2, 3, 2).transpose(2, 3));
    }

    @Test
    void upsampleValues() {
        Tensor x = Tensor.of(B, new double[]{1, 2, 3, 4}, 1, 1, 2, 2);
        assertArrayEquals(new double[]{1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
                Conv.upsampleNearest(x, 2).toDoubles());
    }

    static void assertConvMatchesLoops(Tensor x, Tensor w, Tensor b, int stride, int pad) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3), o = w.dim(0), kh = w.dim(2), kw = w.dim(3);
        int oh = (h + 2 * pad - kh) / stride + 1, ow = (wd + 2 * pad - kw) / stride + 1;
        Tensor y = Conv.conv2d(x, w, b, stride, pad);
        assertEquals(Shape.of(n, o, oh, ow), y.shape());
        double[] xv = x.toDoubles(), wv = w.toDoubles(), yv = y.toDoubles(), bv = b == null ? new double[o] : b.toDoubles();
        for (int ni = 0; ni < n; ni++)
            for (int oi = 0; oi < o; oi++)
                for (int r = 0; r < oh; r++)
                    for (int q = 0; q < ow; q++) {
                        double s = bv[oi];
                        for (int ci = 0; ci < c; ci++)
                            for (int ky = 0; ky < kh; ky++)
                                for (int kx = 0; kx < kw; kx++) {
                                    int yy = r * stride - pad + ky, xx = q * stride - pad + kx;
                                    if (yy < 0 || yy >= h || xx < 0 || xx >= wd) continue;
                                    s += xv[((ni * c + ci) * h + yy) * wd + xx] * wv[((oi * c + ci) * kh + ky) * kw + kx];
                                }
                        assertEquals(s, yv[((ni * o + oi) * oh + r) * ow + q], 1e-12);
                    }
    }
}
