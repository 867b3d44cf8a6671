package dsb4j.nn.layers;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.ops.Functional;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.ShapeException;
import dsb4j.nn.GradCheck;
import dsb4j.nn.Init;
import dsb4j.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each layer's output shape, parameter count and names, and its values against a direct computation. */
class LayersTest {
    private static final Backend B = Backends.scalar();
    private final Init init = new Init(B, DType.F64, new Rng(5));

    @Test void linearComputesXWtPlusB() {
        Linear l = new Linear(init, 3, 2);
        assertEquals(3 * 2 + 2, l.parameterCount());
        assertEquals(List.of("weight", "bias"), l.parameters().stream().map(Parameter::name).toList());
        double[] w = l.weight().value().toDoubles(), b = l.bias().value().toDoubles();
        double[] x = {1, -2, 0.5, 3, 0, -1};
        double[] y = l.forward(Tensor.of(B, x, 2, 3)).toDoubles();
        for (int i = 0; i < 2; i++)
            for (int o = 0; o < 2; o++) {
                double want = b[o];
                for (int k = 0; k < 3; k++) want += x[i * 3 + k] * w[o * 3 + k];
                assertEquals(want, y[i * 2 + o], 1e-12);
            }
        assertArrayEquals(new int[]{4, 5, 2}, l.forward(Tensor.zeros(B, DType.F64, 4, 5, 3)).dims());
        assertEquals(6, new Linear(init, 3, 2, false).parameterCount());
        var e = assertThrows(ShapeException.class, () -> l.forward(Tensor.zeros(B, DType.F64, 2, 4)));
        assertTrue(e.getMessage().contains("Linear(3 -> 2)") && e.getMessage().contains("[2, 4]"), e.getMessage());
    }

    @Test void conv2dShapesAndValues() {
        Conv2d c = new Conv2d(init, 2, 3, 3, 1, 1);
        assertEquals(3 * 2 * 9 + 3, c.parameterCount());
        assertArrayEquals(new int[]{2, 3, 5, 7}, c.forward(Tensor.zeros(B, DType.F64, 2, 2, 5, 7)).dims());
        Conv2d s = new Conv2d(init, 2, 4, 3, 2, 1);
        assertArrayEquals(new int[]{1, 4, 4, 3}, s.forward(Tensor.zeros(B, DType.F64, 1, 2, 7, 6)).dims());
        // a 1x1 convolution is a Linear over channels
        Conv2d one = new Conv2d(init, 2, 1, 1, 1, 0);
        Tensor x = Tensor.randn(B, DType.F64, new Rng(1), 1, 2, 2, 2);
        double[] w = one.parameters().get(0).value().toDoubles(), bias = one.parameters().get(1).value().toDoubles();
        double[] xs = x.toDoubles(), y = one.forward(x).toDoubles();
        for (int p = 0; p < 4; p++) assertEquals(w[0] * xs[p] + w[1] * xs[4 + p] + bias[0], y[p], 1e-12);
        var e = assertThrows(ShapeException.class, () -> c.forward(Tensor.zeros(B, DType.F64, 2, 3, 5, 5)));
        assertTrue(e.getMessage().contains("Conv2d(2 -> 3") && e.getMessage().contains("[2, 3, 5, 5]"), e.getMessage());
    }

    @Test void convolutionsStartAsPyTorchDoes() {
        // kaiming-uniform with a = √5: U(−1/√fan_in, 1/√fan_in), fan_in = in·k·k, for weight and bias
        Conv2d c = new Conv2d(new Init(B, DType.F64, new Rng(8)), 16, 32, 3, 1, 1);
        double bound = 1 / Math.sqrt(16 * 9);
        for (var p : c.parameters()) {
            double max = 0;
            for (double v : p.value().toDoubles()) max = Math.max(max, Math.abs(v));
            assertTrue(max <= bound && max > 0.9 * bound, p.name() + ": largest |value| " + max + " for bound " + bound);
        }
        Conv2d zero = new Conv2d(init, 4, 4, 3, 1, 1, true, true);
        for (var p : zero.parameters()) for (double v : p.value().toDoubles()) assertEquals(0.0, v);
    }

    @Test void groupNormNormalisesEachGroupThenScales() {
        GroupNorm g = new GroupNorm(init, 2, 4);
        assertEquals(8, g.parameterCount());
        Tensor x = Tensor.randn(B, DType.F64, new Rng(2), 3, 4, 5, 5).mul(4.0).add(2.0);
        double[] y = g.forward(x).toDoubles();
        int per = 2 * 25;
        for (int grp = 0; grp < 3 * 2; grp++) {
            double mean = 0, sq = 0;
            for (int i = 0; i < per; i++) mean += y[grp * per + i];
            mean /= per;
            for (int i = 0; i < per; i++) sq += (y[grp * per + i] - mean) * (y[grp * per + i] - mean);
            assertEquals(0, mean, 1e-10);
            assertEquals(1, sq / per, 1e-5);          // ε = 1e-5 in the denominator
        }
        assertArrayEquals(new int[]{2, 4, 9}, g.forward(Tensor.randn(B, DType.F64, new Rng(3), 2, 4, 9)).dims());
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(init, 3, 4));
    }

    /** The fused forms equal SiLU after forward, with the scale-shift (h·(1 + s) + b) in between. */
    @Test void groupNormFusedWithSiluMatchesTheComposite() {
        GroupNorm g = new GroupNorm(init, 2, 4);
        Rng rng = new Rng(5);
        GradCheck.jitter(g, rng, 0.3);
        Tensor x = Tensor.randn(B, DType.F64, rng, 3, 4, 2, 5).mul(2.0).add(1.0);
        Tensor scale = Tensor.randn(B, DType.F64, rng, 3, 4), shift = Tensor.randn(B, DType.F64, rng, 3, 4);
        assertArrayEquals(Functional.silu(g.forward(x)).toDoubles(), g.forwardSilu(x).toDoubles(), 1e-12);
        Tensor modulated = Functional.silu(g.forward(x).mul(scale.add(1.0).reshape(3, 4, 1, 1)).add(shift.reshape(3, 4, 1, 1)));
        assertArrayEquals(modulated.toDoubles(), g.forwardSilu(x, scale, shift).toDoubles(), 1e-12);
        GradCheck.check("GroupNorm + SiLU", g, g::forwardSilu, x, rng);
    }

    @Test void activationsMatchTheirDefinitions() {
        Tensor x = Tensor.of(B, new double[]{-2, -0.5, 0.3, 1.7}, 4);
        double[] xs = x.toDoubles();
        double[] relu = Activation.RELU.layer().forward(x).toDoubles(), leaky = Activation.LEAKY_RELU.layer().forward(x).toDoubles();
        double[] silu = Activation.SILU.layer().forward(x).toDoubles(), gelu = Activation.GELU.layer().forward(x).toDoubles();
        double[] leaky2 = Activation.leakyRelu(0.2).forward(x).toDoubles();
        for (int i = 0; i < 4; i++) {
            double v = xs[i];
            assertEquals(Math.max(v, 0), relu[i], 1e-15);
            assertEquals(v > 0 ? v : 0.01 * v, leaky[i], 1e-15);
            assertEquals(v > 0 ? v : 0.2 * v, leaky2[i], 1e-15);
            assertEquals(v / (1 + Math.exp(-v)), silu[i], 1e-15);
            assertEquals(0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))), gelu[i], 1e-15);
        }
        assertEquals(0, Activation.SILU.layer().parameterCount());
        assertEquals(Activation.GELU, Activation.parse("gelu"));
        assertThrows(IllegalArgumentException.class, () -> Activation.parse("swish"));
    }

    @Test void sinusoidsFollowBothReferenceConventions() {
        Tensor t = Tensor.of(B, new double[]{0.0, 3.0}, 2);
        double[] a = new SinusoidalEmbedding(16, SinusoidalEmbedding.Style.SIN_COS, 1.0).forward(t).toDoubles();
        double[] b = new SinusoidalEmbedding(6, SinusoidalEmbedding.Style.COS_SIN, 2.0).forward(t).toDoubles();
        for (int i = 0; i < 8; i++) {
            double f = Math.pow(10000, -i / 7.0);
            assertEquals(Math.sin(3 * f), a[16 + i], 1e-12);
            assertEquals(Math.cos(3 * f), a[16 + 8 + i], 1e-12);
            assertEquals(0, a[i], 1e-12);                      // t = 0: sin half first, then cos
            assertEquals(1, a[8 + i], 1e-12);
        }
        for (int i = 0; i < 3; i++) {
            double f = Math.pow(10000, -i / 3.0);
            assertEquals(Math.cos(6 * f), b[6 + i], 1e-12);
            assertEquals(Math.sin(6 * f), b[6 + 3 + i], 1e-12);
        }
        double[] odd = new SinusoidalEmbedding(5, SinusoidalEmbedding.Style.COS_SIN, 1.0).forward(t).toDoubles();
        assertEquals(10, odd.length);
        assertEquals(0, odd[9]);
    }

    @Test void dropoutKeepsTheMeanInTrainingAndIsTheIdentityInEval() {
        Dropout d = new Dropout(0.25, new Rng(9));
        Tensor x = Tensor.full(B, DType.F64, 2.0, 4000);
        double[] y = d.forward(x).toDoubles();
        int zeros = 0;
        for (double v : y) {
            if (v == 0) zeros++;
            else assertEquals(2.0 / 0.75, v, 1e-12);
        }
        assertEquals(0.25, zeros / 4000.0, 0.03);
        d.train(false);
        assertSame(x, d.forward(x));
        assertSame(x, new Dropout(0, new Rng(1)).forward(x));
    }

    @Test void sequentialNamesByIndexAndUpDownSampleShapes() {
        Sequential s = new Sequential(new Linear(init, 2, 3), Activation.SILU.layer(), new Linear(init, 3, 1));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"), s.parameters().stream().map(Parameter::name).toList());
        assertArrayEquals(new int[]{5, 1}, s.forward(Tensor.zeros(B, DType.F64, 5, 2)).dims());
        Tensor img = Tensor.randn(B, DType.F64, new Rng(4), 2, 3, 7, 6);
        assertArrayEquals(new int[]{2, 3, 14, 12}, new Upsample(init, 3, true).forward(img).dims());
        assertArrayEquals(new int[]{2, 3, 14, 12}, new Upsample(init, 3, false).forward(img).dims());
        assertEquals(3 * 3 * 9 + 3, new Upsample(init, 3, true).parameterCount());
        assertArrayEquals(new int[]{2, 3, 4, 3}, new Downsample(init, 3, true).forward(img).dims());
        assertArrayEquals(new int[]{2, 3, 3, 3}, new Downsample(init, 3, false).forward(img.slice(2, 0, 6)).dims());
        assertEquals("op.weight", new Downsample(init, 3, true).parameters().get(0).name());
        double[] up = new Upsample(init, 3, false).forward(img).toDoubles(), src = img.toDoubles();
        assertEquals(src[7], up[2 * 12 + 2]);                   // (row 1, col 1) → rows 2–3, cols 2–3
        assertEquals(src[7], up[3 * 12 + 3]);
    }

    @Test void eachLayerPassesTheDirectionalGradientCheck() {
        Rng rng = new Rng(31);
        Conv2d conv = new Conv2d(init, 2, 3, 3, 2, 1);
        GradCheck.check("Conv2d", conv, conv::forward, Tensor.randn(B, DType.F64, rng, 2, 2, 5, 5), rng);
        Conv2d pointwise = new Conv2d(init, 3, 2, 1, 1, 0);
        GradCheck.check("Conv2d 1x1", pointwise, pointwise::forward, Tensor.randn(B, DType.F64, rng, 2, 3, 4, 5), rng);
        GroupNorm gn = new GroupNorm(init, 2, 4);
        GradCheck.jitter(gn, rng, 0.3);
        GradCheck.check("GroupNorm", gn, gn::forward, Tensor.randn(B, DType.F64, rng, 2, 4, 3, 3), rng);
        PointwiseConv1d pc = new PointwiseConv1d(init, 3, 5, false);
        GradCheck.check("PointwiseConv1d", pc, pc::forward, Tensor.randn(B, DType.F64, rng, 2, 3, 4), rng);
        Upsample up = new Upsample(init, 2, true);
        GradCheck.check("Upsample", up, up::forward, Tensor.randn(B, DType.F64, rng, 1, 2, 3, 3), rng);
    }
}
