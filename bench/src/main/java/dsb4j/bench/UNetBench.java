package dsb4j.bench;

import dsb4j.bridge.cache.TrajectoryCache;
import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.DriftNet;
import dsb4j.bridge.process.TimeSchedule;
import dsb4j.bridge.sample.Sampler;
import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.models.UNet;
import dsb4j.nn.models.UNetConfig;
import dsb4j.nn.optim.Adam;
import dsb4j.nn.optim.GradClip;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * The costs behind the mnist preset's budget, on the CPU with the default 32-channel U-Net (UNetConfig.small28):
 * <ul>
 *   <li>{@code trainStep}: one DSB training iteration — U-Net forward on a minibatch of states [B, 1, 28, 28] with
 *   per-row step indices, mean-matching loss, backward, gradient clip 1.0, Adam — at batch 32 and 128;</li>
 *   <li>{@code cacheBuild}: one trajectory-cache build with a network (N = 30 steps, 2 U-Net evaluations per
 *   step and trajectory: the target needs the map at the state before and after), 32 trajectories;</li>
 *   <li>{@code sample}: generation, the backward chain over N = 30 steps; reported as images per second
 *   (operations per invocation = the batch).</li>
 * </ul>
 * Run: {@code java -jar bench/target/benchmarks.jar UNetBench -rf json} (about 10 minutes on 2 cores;
 * {@code -p threads=2 -p batch=32} to narrow). Batch 128 training needs about 4 GB of heap.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx8g",
        "-XX:+UseParallelGC"})
public class UNetBench {
    static final int STEPS = 30, SAMPLE_BATCH = 64;

    static TimeSchedule schedule() { return TimeSchedule.of(TimeSchedule.Kind.LINEAR, STEPS, 1e-5, 0.1); }

    @State(Scope.Benchmark)
    public static class Train {
        @Param({"2"}) int threads;
        @Param({"32", "128"}) int batch;
        UNet net;
        Adam adam;
        Tensor x, t, target;

        @Setup public void setup() {
            Backend b = Backends.cpu(threads);
            Rng rng = new Rng(1);
            net = new UNet(b, DType.F32, new Rng(0), UNetConfig.small28());
            adam = new Adam(net.parameters(), 1e-3);
            x = Tensor.randn(b, DType.F32, rng, batch, 1, 28, 28);
            target = Tensor.randn(b, DType.F32, rng, batch, 1, 28, 28).mul(0.3);
            float[] steps = new float[batch];
            for (int i = 0; i < batch; i++) steps[i] = rng.nextInt(STEPS);
            t = Tensor.of(b, steps, batch);
        }

        double step() {
            // the mean parameterisation of the preset: prediction = net(x, t) − x
            Tensor loss = net.forward(x, t).sub(x).sub(target).square().mean();
            Gradients g = GradClip.clipGlobalNorm(loss.backward(), net.parameters(), 1.0);
            adam.step(g);
            return loss.item();
        }
    }

    @State(Scope.Benchmark)
    public static class Chains {
        @Param({"2"}) int threads;
        @Param({"32"}) int trajectories;
        Backend b;
        DriftNet forward, backward;
        Tensor start;

        @Setup public void setup() {
            b = Backends.cpu(threads);
            // untrained nets cost the same as trained ones
            forward = new DriftNet(new UNet(b, DType.F32, new Rng(2), UNetConfig.small28()), Direction.FORWARD, DriftNet.Parameterisation.MEAN);
            backward = new DriftNet(new UNet(b, DType.F32, new Rng(3), UNetConfig.small28()), Direction.BACKWARD, DriftNet.Parameterisation.MEAN);
            start = Tensor.randn(b, DType.F32, new Rng(4), SAMPLE_BATCH, 1, 28, 28);
        }
    }

    /** One training iteration of the 32-channel U-Net. */
    @Benchmark public double trainStep(Train s) { return s.step(); }

    /** One cache build: 32 trajectories × 30 steps × 2 U-Net evaluations, with the shuffle. */
    @Benchmark public int cacheBuild(Chains s) {
        Rng rng = new Rng(5);
        TrajectoryCache c = TrajectoryCache.build(s.forward, schedule(), n -> Tensor.randn(s.b, DType.F32, rng, n, 1, 28, 28).mul(0.5),
                s.trajectories, s.trajectories, rng);
        return c.rows();
    }

    /** Generation of a batch of 64 images over 30 steps; the score is time per image (ops = images). */
    @Benchmark @OperationsPerInvocation(SAMPLE_BATCH) @BenchmarkMode(Mode.Throughput) @OutputTimeUnit(TimeUnit.SECONDS)
    public float[] sample(Chains s) {
        return new Sampler(s.backward, schedule()).run(s.start, new Rng(6)).toFloats();
    }
}
