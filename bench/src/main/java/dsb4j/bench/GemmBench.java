package dsb4j.bench;

import dsb4j.engine.backend.cpu.Sgemm;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Single-precision GEMM C = A·B (row-major, packed operands) on the Vector API kernel, on 1 and 2 threads.
 * GFLOP/s = 2·m·n·k / (seconds per op): the "shape" parameter is m×n×k, squares plus the skinny shapes of
 * the 2-D drift net at batch 512 (with transposes: "t" marks op(A) = Aᵀ, as in weight gradients).
 * Compare with the FP32 FMA peak of {@link FmaPeakBench}. Each fork prints what it ran on (CPU model, ISA the JVM
 * uses, vector width, threads, register block): {@link MachineInfo}. {@code bench/scripts/speed-report.sh} runs it
 * beside OpenBLAS and the FMA peak, with and without {@code -XX:UseAVX=2}.
 * <pre>  java -jar bench/target/benchmarks.jar GemmBench -rf json
 *  java -jar bench/target/benchmarks.jar GemmBench -p threads=1 -jvmArgsAppend "--add-modules jdk.incubator.vector -XX:UseAVX=2"</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class GemmBench {

    @Param({"256x256x256", "512x512x512", "1024x1024x1024", "255x257x253", "512x128x128", "512x2x128", "t128x128x512"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    int m, n, k;
    boolean transA;
    float[] a, b, c;
    ForkJoinPool pool;

    @Setup public void setup() {
        transA = shape.startsWith("t");
        String[] p = shape.replace("t", "").split("x");
        m = Integer.parseInt(p[0]);
        n = Integer.parseInt(p[1]);
        k = Integer.parseInt(p[2]);
        java.util.Random r = new java.util.Random(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        pool = threads == 1 ? null : new ForkJoinPool(threads);
        System.out.println("\n" + MachineInfo.line(threads) + "; shape " + shape + " (" + 2.0 * m * n * k / 1e9
                + " GFLOP per op)");
    }

    @TearDown public void tearDown() { if (pool != null) pool.shutdown(); }

    @Benchmark public void sgemm(Blackhole bh) {
        Sgemm.gemm(transA, false, m, n, k, 1f, a, 0, transA ? m : k, b, 0, n, 0f, c, 0, n, pool);
        bh.consume(c);
    }
}
