package dsb4j.bench;

import dsb4j.bridge.cache.TrajectoryCache;
import dsb4j.bridge.data.Points;
import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.DriftNet;
import dsb4j.bridge.process.TimeSchedule;
import dsb4j.bridge.train.Networks;
import dsb4j.bridge.train.Presets;
import dsb4j.bridge.train.Problem;
import dsb4j.bridge.train.TrainConfig;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.backend.StepScope;
import dsb4j.engine.backend.GemmShape;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.backend.UnaryOp;
import dsb4j.engine.backend.cuda.CudaBackend;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import dsb4j.nn.Module;
import dsb4j.nn.models.Mlp2d;
import dsb4j.nn.models.UNet;
import dsb4j.nn.models.UNetConfig;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * Kernel rates of a device backend through the SPI, each beside its ceiling: a device-to-device copy (the
 * memory bandwidth this code reaches), the fused SDE step in GB/s (reads x, drift, noise, writes out: 16 bytes
 * per float), SGEMM in GFLOP/s at large and at the drift networks' skinny shapes, and the cost of one launch.
 * Not JMH: a device queues work, so each figure is a run of launches between two waits ({@link Backend#sync}).
 *
 * Then one training step of each drift network (see {@link #trainSteps}) and one trajectory-cache build of the
 * 2-D preset (see {@link #cacheBuild}).
 * <pre>java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp 'jars/*' dsb4j.bench.GpuBench [device [kernels] [steps] [build]]</pre>
 * Prints one JSON line per figure.
 */
public final class GpuBench {
    private GpuBench() {}

    public static void main(String[] args) {
        Backend b = Backends.select(args.length > 0 ? args[0] : "cuda", 1, System.out::println);
        Backends.setCurrent(b);
        if (b instanceof CudaBackend c) System.out.println("{\"device\": \"" + c.describe().replace("\"", "'") + "\"}");
        List<String> parts = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("kernels", "steps", "build");
        if (parts.contains("kernels")) kernels(b);
        if (parts.contains("build")) cacheBuild(b);
        if (parts.contains("steps")) {
            trainSteps(b, "mlp2d b512", new Mlp2d(b, DType.F32, new Rng(0), 2), 512, 300, 2);
            trainSteps(b, "unet-tiny28 b32", new UNet(b, DType.F32, new Rng(0), UNetConfig.named("tiny28")), 32, 30, 1, 28, 28);
            trainSteps(b, "unet-reference28 b128", new UNet(b, DType.F32, new Rng(0), UNetConfig.named("reference28")), 128, 20, 1, 28, 28);
        }
    }

    /**
     * TrainStepBench's step (forward, MSE, backward, Adam; in a buffer scope) on this backend, timed twice: reading the loss back
     * after every step, as training does (each step waits for the device), and queueing all steps with one wait
     * at the end (the slower of host and device sets the pace). On CUDA also the operations queued per step and
     * the cuMemAlloc calls and collections that the timed steps needed.
     */
    private static void trainSteps(Backend b, String what, Module net, int batch, int steps, int... state) {
        TrainStepBench.Step s = new TrainStepBench.Step() {};
        s.build(b, net, batch, state);
        for (int i = 0; i < Math.max(5, steps / 5); i++) step(s, true);
        CudaBackend c = b instanceof CudaBackend cb ? cb : null;
        long ops = c == null ? 0 : c.queuedOperations(), allocs = c == null ? 0 : c.deviceAllocations(), gcs = c == null ? 0 : c.gcRequests();
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) step(s, true);
        double syncedMs = (System.nanoTime() - t0) / 1e6 / steps;
        long t1 = System.nanoTime();
        for (int i = 0; i < steps; i++) step(s, false);
        b.sync();
        double queuedMs = (System.nanoTime() - t1) / 1e6 / steps;
        System.out.printf(Locale.ROOT, "{\"train_step\": \"%s\", \"ms_per_step\": %.3f, \"ms_per_step_queued\": %.3f", what, syncedMs, queuedMs);
        if (c != null)
            System.out.printf(Locale.ROOT, ", \"ops_per_step\": %d, \"cuMemAlloc_calls\": %d, \"gc_requests\": %d, \"device_mib_live\": %d, \"device_mib_cached\": %d",
                    (c.queuedOperations() - ops) / (2L * steps), c.deviceAllocations() - allocs, c.gcRequests() - gcs,
                    c.bytesInUse() >> 20, c.bytesCached() >> 20);
        System.out.println("}");
    }

    /**
     * One trajectory-cache build of the moons quick preset (2,560 chains of N = 20 steps of a forward Mlp2d, the
     * pairs recorded on the host), as HalfBridgeTrainer makes one every 100 steps: ms per build and, on CUDA,
     * the operations queued and the host's waits for the device per build.
     */
    private static void cacheBuild(Backend b) {
        TrainConfig c = Presets.defaults("moons", "quick");
        Problem problem = c.problem();
        TimeSchedule schedule = problem.reference().schedule();
        DriftNet forward = new DriftNet(Networks.create(c, b, DType.F32, new Rng(1)), Direction.FORWARD, c.parameterisation);
        Rng rng = new Rng(2);
        IntFunction<Tensor> start =
                n -> Points.toTensor(problem.data().sample(n, rng), b, DType.F32, problem.data().itemShape());
        int builds = 10;
        for (int i = 0; i < 3; i++) TrajectoryCache.build(forward, schedule, start, c.cacheTrajectories, c.simBatch, rng);
        CudaBackend cuda = b instanceof CudaBackend cb ? cb : null;
        long ops = cuda == null ? 0 : cuda.queuedOperations(), waits = cuda == null ? 0 : cuda.waits();
        long t0 = System.nanoTime();
        for (int i = 0; i < builds; i++) TrajectoryCache.build(forward, schedule, start, c.cacheTrajectories, c.simBatch, rng);
        System.out.printf(Locale.ROOT, "{\"cache_build\": \"moons quick, %d trajectories x %d steps\", \"ms_per_build\": %.2f",
                c.cacheTrajectories, c.steps, (System.nanoTime() - t0) / 1e6 / builds);
        if (cuda != null)
            System.out.printf(Locale.ROOT, ", \"ops_per_build\": %d, \"waits_per_build\": %d",
                    (cuda.queuedOperations() - ops) / builds, (cuda.waits() - waits) / builds);
        System.out.println("}");
    }

    /** One step in a buffer scope, as HalfBridgeTrainer runs it: its memory is reused by the next one. */
    private static void step(TrainStepBench.Step s, boolean readLoss) {
        try (StepScope step = StepScope.open(s.net, s.adam)) {
            Tensor loss = s.queue();
            if (readLoss) loss.item();
        }
    }

    private static void kernels(Backend b) {
        int big = 1 << 26;                                   // 64 Mi floats, 256 MiB per buffer: far past any cache
        Storage x = random(b, big, 1), drift = random(b, big, 2), noise = random(b, big, 3), out = b.allocate(DType.F32, big);
        Layout flat = Layout.contiguous(Shape.of(big));
        report("copy_GBps", 8.0 * big, time(b, 20, i -> b.copy(x, flat, out, flat)), "bytes read + written");
        report("sde_step_GBps", 16.0 * big, time(b, 20, i -> b.sdeStep(x, drift, noise, 0.01, out)), "x, drift, noise read, out written");

        for (int n : new int[]{2048, 4096, 8192}) {
            Storage a = random(b, n * n, 4), bb = random(b, n * n, 5), c = b.allocate(DType.F32, n * n);
            GemmShape g = GemmShape.of(false, false, n, n, n);
            double s = time(b, n >= 8192 ? 5 : 20, i -> b.gemm(g, 1, a, 0, bb, 0, 0, c, 0));
            System.out.printf(Locale.ROOT, "{\"sgemm\": \"%dx%dx%d\", \"gflops\": %.1f, \"ms\": %.3f}%n", n, n, n, 2.0 * n * n * n / s / 1e9, s * 1e3);
        }
        // the 2-D drift net's layers at batch 512 (m x n x k): launch-bound, so the time per call is the figure
        for (int[] mnk : new int[][]{{512, 128, 128}, {512, 128, 64}, {512, 2, 128}, {4096, 128, 128}}) {
            int m = mnk[0], n = mnk[1], k = mnk[2];
            Storage a = random(b, m * k, 6), bb = random(b, k * n, 7), c = b.allocate(DType.F32, m * n);
            GemmShape g = GemmShape.of(false, true, m, n, k);
            double s = time(b, 2000, i -> b.gemm(g, 1, a, 0, bb, 0, 0, c, 0));
            System.out.printf(Locale.ROOT, "{\"sgemm\": \"%dx%dx%d (B transposed)\", \"us_per_call\": %.2f, \"gflops\": %.1f}%n",
                    m, n, k, s * 1e6, 2.0 * m * n * k / s / 1e9);
        }
        Storage one = random(b, 1024, 8), oneOut = b.allocate(DType.F32, 1024);
        Layout small = Layout.contiguous(Shape.of(1024));
        double launch = time(b, 20000, i -> b.unary(UnaryOp.NEG, 0, one, small, oneOut, small));
        System.out.printf(Locale.ROOT, "{\"launch_us\": %.2f, \"what\": \"one elementwise op on 1,024 floats, queued back to back\"}%n", launch * 1e6);
        long t0 = System.nanoTime();
        for (int i = 0; i < 2000; i++) { b.unary(UnaryOp.NEG, 0, one, small, oneOut, small); b.sync(); }
        System.out.printf(Locale.ROOT, "{\"launch_and_wait_us\": %.2f}%n", (System.nanoTime() - t0) / 2000 / 1e3);
        System.out.flush();
    }

    private static Storage random(Backend b, int n, long seed) {
        Storage s = b.allocate(DType.F32, n);
        b.randomNormal(s, seed);
        return s;
    }

    /** Seconds per call: a few warm-up calls, then {@code reps} calls between two waits. */
    private static double time(Backend b, int reps, IntConsumer call) {
        for (int i = 0; i < Math.min(reps, 3); i++) call.accept(i);
        b.sync();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) call.accept(i);
        b.sync();
        return (System.nanoTime() - t0) / 1e9 / reps;
    }

    private static void report(String key, double bytes, double seconds, String what) {
        System.out.printf(Locale.ROOT, "{\"%s\": %.1f, \"ms\": %.3f, \"what\": \"%s\"}%n", key, bytes / seconds / 1e9, seconds * 1e3, what);
    }
}
