package dsb4j.bench;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.backend.ConvByColumns;
import dsb4j.engine.backend.ConvGeometry;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * One 3×3 "same" convolution of the U-Nets (batch 32) through the CPU backend: forward, input gradient and weight
 * gradient, each 2·n·c·o·9·h·w floating-point operations (GFLOP/s = that / seconds per op; compare with
 * {@link FmaPeakBench}). "shape" is c×o×size: the levels of small28 (32 channels at 28², 64 at 14² and 7²).
 * "path": {@code backend} is what the CPU backend runs (the direct kernels for the machine's 32 or 16 vector
 * registers; the weight gradient of the smaller planes goes to im2col + GEMM), {@code columns} runs the im2col + GEMM
 * default ({@link ConvByColumns}) for comparison. The other direct kernels:
 * {@code -jvmArgsAppend "... -Ddsb4j.conv.kernels=32"} (or {@code 16}).
 * <pre>  java -jar bench/target/benchmarks.jar ConvBench -p threads=1</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseParallelGC"})
@State(Scope.Benchmark)
public class ConvBench {
    @Param({"32x32x28", "64x64x14", "64x64x7"}) String shape;
    @Param({"1", "2"}) int threads;
    @Param({"backend", "columns"}) String path;
    static final int BATCH = 32;

    Backend b;
    ConvGeometry g;
    int o;
    Storage x, w, dy, y, dx, dw;
    Layout xl;

    @Setup public void setup() {
        String[] p = shape.split("x");
        int c = Integer.parseInt(p[0]), size = Integer.parseInt(p[2]);
        o = Integer.parseInt(p[1]);
        b = Backends.cpu(threads);
        g = new ConvGeometry(BATCH, c, size, size, 3, 3, 1, 1);
        Rng rng = new Rng(3);
        x = b.fromFloats(normal(rng, BATCH * c * size * size));
        w = b.fromFloats(normal(rng, o * c * 9));
        dy = b.fromFloats(normal(rng, BATCH * o * size * size));
        y = b.allocate(DType.F32, BATCH * o * size * size);
        dx = b.allocate(DType.F32, BATCH * c * size * size);
        dw = b.allocate(DType.F32, o * c * 9);
        xl = Layout.contiguous(Shape.of(BATCH, c, size, size));
        System.out.printf("%nConvBench %s: %.1f MFLOP per op%n", shape, 2.0 * BATCH * c * o * 9 * size * size / 1e6);
    }

    static float[] normal(Rng rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    @Benchmark public Storage forward() {
        if (path.equals("backend")) b.conv2d(g, o, x, xl, w, y);
        else ConvByColumns.forward(b, g, o, x, xl, w, y);
        return y;
    }

    @Benchmark public Storage inputGrad() {
        if (path.equals("backend")) b.conv2dInputGrad(g, o, dy, w, dx);
        else ConvByColumns.inputGrad(b, g, o, dy, w, dx);
        return dx;
    }

    @Benchmark public Storage weightGrad() {
        if (path.equals("backend")) b.conv2dWeightGrad(g, o, x, xl, dy, dw);
        else ConvByColumns.weightGrad(b, g, o, x, xl, dy, dw);
        return dw;
    }
}
