package dsb4j.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.*;

/**
 * The single-precision FMA peak of one core through the Vector API: independent accumulator chains (enough to cover
 * the FMA latency on every pipe: 4 cycles x 2 pipes needs 8), no memory traffic. {@link #CHAINS} is 16 where the
 * preferred species is 512 bits (AVX-512, 32 registers) and 8 otherwise, so that on AVX2 (16 registers) the chains,
 * the multiplier and the addend (10 registers) stay in registers. Timed by CPU time on the Zen 4 development machine
 * under -XX:UseAVX=2: 8 chains 114-116 GFLOP/s, 10 chains 108-115, 12 chains 100-101, 16 (the old loop) spilled.
 * GFLOP/s = 2 · CHAINS · lanes · {@link #ITERS} / (seconds per op). The ceiling the GEMM and convolution figures are
 * compared with. Each fork prints what it ran on ({@link MachineInfo}).
 * <pre>  java -jar bench/target/benchmarks.jar FmaPeakBench
 *  java -jar bench/target/benchmarks.jar FmaPeakBench -jvmArgsAppend "--add-modules jdk.incubator.vector -XX:UseAVX=2"</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class FmaPeakBench {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Loop trips per op: 2 · CHAINS · lanes · ITERS floating-point operations. */
    public static final int ITERS = 10_000_000;
    /** Independent accumulators: 16 with 512-bit vectors, 8 with narrower ones (16 registers on AVX2). */
    public static final int CHAINS = S.vectorBitSize() >= 512 ? 16 : 8;

    float[] seed;

    @Setup public void setup() {
        seed = new float[S.length()];
        for (int i = 0; i < seed.length; i++) seed[i] = 0.001f * i;
        System.out.println("\n" + MachineInfo.line(1));
        System.out.println("FmaPeakBench: " + S.length() + " lanes, " + CHAINS + " chains; GFLOP/s = "
                + 2L * CHAINS * S.length() * ITERS / 1e6 + " / (ms per op)");
    }

    @Benchmark public float fma() {
        return CHAINS == 16 ? fma16() : fma8();
    }

    private float fma16() {
        FloatVector m = FloatVector.fromArray(S, seed, 0), c = FloatVector.broadcast(S, 0.999f);
        FloatVector a0 = m, a1 = m.add(1), a2 = m.add(2), a3 = m.add(3), a4 = m.add(4), a5 = m.add(5), a6 = m.add(6), a7 = m.add(7);
        FloatVector a8 = m.add(8), a9 = m.add(9), a10 = m.add(10), a11 = m.add(11), a12 = m.add(12), a13 = m.add(13), a14 = m.add(14), a15 = m.add(15);
        for (int i = 0; i < ITERS; i++) {
            a0 = a0.fma(c, m); a1 = a1.fma(c, m); a2 = a2.fma(c, m); a3 = a3.fma(c, m);
            a4 = a4.fma(c, m); a5 = a5.fma(c, m); a6 = a6.fma(c, m); a7 = a7.fma(c, m);
            a8 = a8.fma(c, m); a9 = a9.fma(c, m); a10 = a10.fma(c, m); a11 = a11.fma(c, m);
            a12 = a12.fma(c, m); a13 = a13.fma(c, m); a14 = a14.fma(c, m); a15 = a15.fma(c, m);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7)
                .add(a8).add(a9).add(a10).add(a11).add(a12).add(a13).add(a14).add(a15).reduceLanes(VectorOperators.ADD);
    }

    private float fma8() {
        FloatVector m = FloatVector.fromArray(S, seed, 0), c = FloatVector.broadcast(S, 0.999f);
        FloatVector a0 = m, a1 = m.add(1), a2 = m.add(2), a3 = m.add(3), a4 = m.add(4), a5 = m.add(5), a6 = m.add(6), a7 = m.add(7);
        for (int i = 0; i < ITERS; i++) {
            a0 = a0.fma(c, m); a1 = a1.fma(c, m); a2 = a2.fma(c, m); a3 = a3.fma(c, m);
            a4 = a4.fma(c, m); a5 = a5.fma(c, m); a6 = a6.fma(c, m); a7 = a7.fma(c, m);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(VectorOperators.ADD);
    }
}
