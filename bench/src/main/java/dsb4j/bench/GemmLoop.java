package dsb4j.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import dsb4j.engine.backend.cpu.Sgemm;

/**
 * SGEMM (C = A·B, n x n, row-major, 1 thread) and the FMA peak timed by this thread's CPU time as well as by the
 * clock: on a machine shared with other jobs the clock also counts the time the thread waited for the core, its CPU
 * time does not (what it cannot remove is the other job's use of the caches). The twin of
 * {@code bench/scripts/numpy_gemm.py}, which times OpenBLAS the same way; {@code bench/scripts/speed-report.sh}
 * runs both.
 * <pre>  taskset -c 1 java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dsb4j.bench.GemmLoop 256 512 1024</pre>
 * Prints the {@link MachineInfo} line, then per size (and "peak" for the FMA peak of {@link FmaPeakBench}):
 * {@code gemmloop N wall-best W wall-median W' cpu-best C cpu-median C' GFLOP/s (n=10)}, over 10 samples of
 * about 0.3 s after 2 s of warm-up.
 */
public final class GemmLoop {

    private GemmLoop() {
    }

    public static void main(String[] args) {
        System.out.println(MachineInfo.line(1));
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (String arg : args.length == 0 ? new String[] {"peak", "256", "512", "1024"} : args) {
            Runnable op;
            double flop;
            if (arg.equals("peak")) {
                FmaPeakBench p = new FmaPeakBench();
                p.seed = new float[FmaPeakBench.S.length()];
                for (int i = 0; i < p.seed.length; i++) p.seed[i] = 0.001f * i;
                float[] sink = new float[1];
                op = () -> sink[0] += p.fma();
                flop = 2.0 * FmaPeakBench.CHAINS * FmaPeakBench.S.length() * FmaPeakBench.ITERS;
            } else {
                int n = Integer.parseInt(arg);
                float[] a = new float[n * n];
                float[] b = new float[n * n];
                float[] c = new float[n * n];
                java.util.Random r = new java.util.Random(1);
                for (int i = 0; i < a.length; i++) {
                    a[i] = r.nextFloat() - 0.5f;
                    b[i] = r.nextFloat() - 0.5f;
                }
                op = () -> Sgemm.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n, null);
                flop = 2.0 * n * n * n;
            }
            long end = System.nanoTime() + 2_000_000_000L;
            int calls = 0;
            while (System.nanoTime() < end || calls < 3) {
                op.run();
                calls++;
            }
            double[] wall = new double[10];
            double[] cpu = new double[10];
            for (int s = 0; s < 10; s++) {
                long u0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                int k = 0;
                do {
                    op.run();
                    k++;
                } while (System.nanoTime() - t0 < 300_000_000L);
                wall[s] = flop * k / (System.nanoTime() - t0);
                cpu[s] = flop * k / (mx.getCurrentThreadCpuTime() - u0);
            }
            java.util.Arrays.sort(wall);
            java.util.Arrays.sort(cpu);
            System.out.printf(java.util.Locale.ROOT,
                    "gemmloop %s wall-best %.1f wall-median %.1f cpu-best %.1f cpu-median %.1f GFLOP/s (n=10)%n",
                    arg, wall[9], wall[5], cpu[9], cpu[5]);
        }
    }
}
