package dsb4j.engine.backend.cuda;

import static dsb4j.engine.backend.SpiParity.*;

import dsb4j.engine.backend.AdamStep;
import dsb4j.engine.backend.ConvGeometry;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rest of the SPI against the scalar backend where the device's arithmetic is held to its own (exact) standard:
 * im2col/col2im over several geometries and input layouts and the fused Adam update. What every backend meets
 * (allocate, transfers, random fills, the fused SDE step, the fused group norm, ...) is {@link dsb4j.engine.backend.SpiContractTest}.
 */
class CudaMiscParityTest {

    static java.util.stream.Stream<String> targets() { return CudaTargets.names(); }



    static List<ConvGeometry> geometries() {
        return List.of(new ConvGeometry(2, 3, 7, 5, 3, 3, 1, 1), new ConvGeometry(1, 2, 8, 8, 2, 2, 2, 0),
                new ConvGeometry(2, 1, 5, 6, 3, 1, 1, 0), new ConvGeometry(1, 2, 9, 7, 3, 3, 2, 1),
                new ConvGeometry(3, 4, 6, 6, 1, 1, 1, 0), new ConvGeometry(1, 1, 1, 1, 1, 1, 1, 0),
                new ConvGeometry(2, 2, 4, 4, 3, 3, 1, 2), new ConvGeometry(0, 2, 4, 4, 3, 3, 1, 1));
    }

    /** x [n, c, h, w] packed, at an offset, stored NHWC and permuted, and broadcast over the batch. */
    static List<View> convInputs(ConvGeometry g) {
        Shape s = Shape.of(g.n(), g.c(), g.h(), g.w());
        Layout nhwc = Layout.contiguous(Shape.of(g.n(), g.h(), g.w(), g.c())).permute(0, 3, 1, 2);
        Layout one = Layout.contiguous(Shape.of(1, g.c(), g.h(), g.w())).broadcastTo(s);
        return List.of(view("packed", Layout.contiguous(s)), new View("offset", new Layout(s, Layout.contiguous(s).strides(), 5), s.numel() + 9),
                view("nhwc", nhwc), view("batch-broadcast", one));
    }

    @ParameterizedTest @MethodSource("targets")
    void im2colAndCol2imEveryGeometryAndLayout(String target) {
        CudaBackend cuda = CudaTargets.backend(target);
        Rng rng = new Rng(32);
        for (DType t : DTYPES)
            for (ConvGeometry g : geometries()) {
                int cols = g.n() * g.colRows() * g.colCols(), img = g.n() * g.c() * g.h() * g.w();
                for (View x : convInputs(g))
                    check("im2col " + t + " " + g + " " + x, cuda, new DType[]{t, t},
                            new double[][]{data(rng, x.storageSize()), sentinels(cols + 3)}, 1,
                            (b, s) -> b.im2col(g, s[0], x.layout(), s[1]), EXACT);
                double[] dx = data(rng, img + 3);
                for (int i = img; i < img + 3; i++) dx[i] = SENTINEL;
                // col2im adds into dx in the scalar backend's order, rounding after each add: exact
                check("col2im " + t + " " + g, cuda, new DType[]{t, t}, new double[][]{data(rng, cols), dx}, 1,
                        (b, s) -> b.col2im(g, s[0], s[1]), EXACT);
            }
    }


    /** The fused Adam update: parameter, moments (in place) and new value exactly as the scalar oracle, offsets included. */
    @ParameterizedTest @MethodSource("targets")
    void adamStepIsExact(String target) {
        CudaBackend cuda = CudaTargets.backend(target);
        Rng rng = new Rng(34);
        AdamStep c = new AdamStep(0.9, 0.999, 1e-8, 0.01, 1e-3 / (1 - 0.9 * 0.9), 1 / Math.sqrt(1 - 0.999 * 0.999));
        for (DType t : DTYPES)
            for (int n : SIZES) {
                double[] v = data(rng, n + 1);
                for (int i = 0; i < v.length; i++) v[i] = Math.abs(v[i]);          // a second moment is never negative
                double[][] in = {data(rng, n + 3), data(rng, n + 1), data(rng, n + 2), v, sentinels(n)};
                for (int out : new int[]{2, 3, 4})                                    // m, v and the new value
                    check("adamStep " + t + " n " + n + " storage " + out, cuda, new DType[]{t, t, t, t, t}, in, out,
                            (b, s) -> b.adamStep(c, n, s[0], 3, s[1], 1, s[2], 2, s[3], 1, s[4]), EXACT);
            }
    }
}
