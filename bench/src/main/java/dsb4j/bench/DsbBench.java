package dsb4j.bench;

import dsb4j.bridge.cache.TrajectoryCache;
import dsb4j.bridge.data.Points;
import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.DriftNet;
import dsb4j.bridge.process.TimeSchedule;
import dsb4j.bridge.train.HalfBridgeTrainer;
import dsb4j.bridge.train.Networks;
import dsb4j.bridge.train.Presets;
import dsb4j.bridge.train.Problem;
import dsb4j.bridge.train.TrainConfig;
import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.optim.Adam;
import dsb4j.nn.optim.LrSchedule;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * The DSB units of work on the moons preset (quick budget: Mlp2d, N = 20, γ = 0.01, batch 512, a cache of
 * 2,560 trajectories rebuilt every 100 steps), and the mean-matching loss on its own. The PyTorch side of the
 * first two is bench/torch/dsb_bench.py (same network, shapes, counts and optimiser); the SDE step kernel is
 * {@link SdeStepBench}.
 * <ul>
 *   <li>{@code trainingStep}: one optimiser step of the backward half-step exactly as
 *       {@link HalfBridgeTrainer} runs it: minibatch {@code i mod R} of 512 rows gathered from a
 *       {@link TrajectoryCache} (built once in setup by a forward Mlp2d network), forward, mean-matching loss,
 *       {@code item()}, backward, cosine learning rate, Adam. The cache build itself is not included.</li>
 *   <li>{@code cacheBuild}: one {@link TrajectoryCache#build} of the quick preset: 2,560 moons points drawn,
 *       20 forward transitions of a DriftNet over Mlp2d (two network evaluations per transition: the mean
 *       and the target's G_j(x')), 51,200 rows stored and shuffled. Time per build; a half-step of I steps
 *       pays I/100 of them.</li>
 *   <li>{@code meanMatchingLoss}: forward and backward of mean((pred − target)²) on [B, d] tensors, pred a
 *       leaf; n = B·d floats (1M and 16M: in and out of cache). Bytes touched per element, F32:
 *       <b>12 B essential</b> (read pred and target, write d pred, the traffic of a fused kernel), so
 *       <b>GB/s = 12·n / seconds per op</b>, to set against the ≈35–40 GB/s a saxpy streams on the development
 *       machine. The op-by-op graph as executed today moves 40 B: forward sub 12 (2 reads, 1 write), square 8,
 *       sum 4; backward square's g·x 8 (g a broadcast scalar) and ·2 8; sub's and the leaf's gradients are
 *       passed through without copies. The four fresh heap arrays are also zeroed by the JVM on allocation
 *       (+16 B), 56 B in all: GB/s of the executed traffic = 56·n / seconds per op.</li>
 * </ul>
 * Run (threads = the CPU backend's pool size):
 * <pre>
 *   java -jar bench/target/benchmarks.jar DsbBench -rf json
 *   java -jar bench/target/benchmarks.jar DsbBench.meanMatchingLoss -p floats=16777216 -p threads=2
 * </pre>
 * Results are returned to JMH (the loss value, the cache, the gradient), so nothing is dead code.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseParallelGC"})
public class DsbBench {

    /** The moons quick preset, its reference schedule and the forward network whose chains fill caches. */
    abstract static class Moons {
        TrainConfig config;
        TimeSchedule schedule;
        Backend backend;
        DriftNet forward;
        HalfBridgeTrainer.StartSampler data;

        void moons(int threads) {
            config = Presets.defaults("moons", "quick");
            config.threads = threads;
            Problem problem = config.problem();
            schedule = problem.reference().schedule();
            backend = Backends.cpu(threads);
            Backends.setCurrent(backend);
            forward = new DriftNet(Networks.create(config, backend, DType.F32, new Rng(config.seed).fork(1)),
                    Direction.FORWARD, config.parameterisation);
            data = (n, r) -> Points.toTensor(problem.data().sample(n, r), backend, DType.F32, problem.data().itemShape());
        }

        /** The cache of build {@code build} of IPF iteration 2's backward half-step, seeded as the trainer seeds it. */
        TrajectoryCache build(int build) {
            Rng rng = new Rng(config.seed).fork(2, Direction.BACKWARD.ordinal(), 1, build);
            return TrajectoryCache.build(forward, schedule, count -> data.draw(count, rng),
                    config.cacheTrajectories, config.simBatch, rng);
        }
    }

    @State(Scope.Thread)
    public static class Training extends Moons {
        @Param({"1", "2"}) int threads;

        TrajectoryCache cache;
        DriftNet net;
        Adam adam;
        LrSchedule lrs;
        int step;

        @Setup public void setup() {
            moons(threads);
            cache = build(0);
            net = new DriftNet(Networks.create(config, backend, DType.F32, new Rng(config.seed).fork(2)),
                    Direction.BACKWARD, config.parameterisation);
            adam = new Adam(net.module().parameters(), config.lr, 0.9, 0.999, 1e-8, 0);
            lrs = config.learningRates();
        }

        /** HalfBridgeTrainer's loop body for step i (EMA and gradient clipping are off in this preset). */
        double step() {
            int i = step;
            step = (step + 1) % config.iters;
            TrajectoryCache.Batch b = cache.batch(i % config.cacheRefresh, config.batch, backend, DType.F32);
            Tensor loss = net.meanIncrement(b.states(), b.steps()).sub(b.targets()).square().mean();
            double value = loss.item();
            if (!Double.isFinite(value)) throw new IllegalStateException("loss became " + value + " at step " + i);
            Gradients grads = loss.backward();
            adam.setLr(lrs.lr(i));
            adam.step(grads);
            return value;
        }
    }

    @State(Scope.Thread)
    public static class CacheBuild extends Moons {
        @Param({"1", "2"}) int threads;
        int build;

        @Setup public void setup() { moons(threads); }
    }

    @State(Scope.Thread)
    public static class Loss {
        @Param({"1", "2"}) int threads;
        /** n = B·d, the floats in each of pred and target. */
        @Param({"1048576", "16777216"}) int floats;
        /** d, the width of a row (2: the toy presets' states). */
        @Param({"2"}) int dim;

        Tensor pred, target;

        @Setup public void setup() {
            if (floats % dim != 0) throw new IllegalArgumentException("floats " + floats + " is not a multiple of dim " + dim);
            Backend backend = Backends.cpu(threads);
            Backends.setCurrent(backend);
            Rng rng = new Rng(3);
            pred = Tensor.randn(backend, DType.F32, rng, floats / dim, dim).requiringGrad();
            target = Tensor.randn(backend, DType.F32, rng, floats / dim, dim);
        }
    }

    /** One optimiser step of the backward half-step on a cached minibatch of 512 (no cache build). */
    @Benchmark public double trainingStep(Training s) { return s.step(); }

    /** One cache build of the quick preset: 2,560 trajectories × N = 20 of the forward network. */
    @Benchmark @Warmup(iterations = 3, time = 2) @Measurement(iterations = 5, time = 2)
    public TrajectoryCache cacheBuild(CacheBuild s) { return s.build(s.build++); }

    /** mean((pred − target)²), forward and backward; returns d loss / d pred. GB/s: see the class comment. */
    @Benchmark @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Tensor meanMatchingLoss(Loss s) {
        Tensor loss = s.pred.sub(s.target).square().mean();
        return loss.backward().get(s.pred);
    }
}
