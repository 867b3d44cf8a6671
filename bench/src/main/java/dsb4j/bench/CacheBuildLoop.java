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
import dsb4j.engine.autograd.NoGrad;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;

/**
 * One moons cache build at the reference code's size (10,000 trajectories, N = 20, two network evaluations per
 * transition) timed build by build from a cold JVM, next to the 40 network evaluations of 10,000 rows it contains
 * alone: what the simulation, recording and shuffling add to the network, and what the JIT's warm-up costs.
 * <pre>  taskset -c 1 java --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp bench/target/benchmarks.jar dsb4j.bench.CacheBuildLoop [threads] [rounds]</pre>
 * Prints the {@link MachineInfo} line, then per round {@code build B ms, 40 network means M ms}.
 */
public final class CacheBuildLoop {
    private CacheBuildLoop() {}

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        System.out.println(MachineInfo.line(threads));
        TrainConfig config = Presets.defaults("moons", "reference");
        config.threads = threads;
        Problem problem = config.problem();
        TimeSchedule schedule = problem.reference().schedule();
        Backend backend = Backends.cpu(threads);
        Backends.setCurrent(backend);
        DriftNet forward = new DriftNet(Networks.create(config, backend, DType.F32, new Rng(config.seed).fork(1)),
                Direction.FORWARD, config.parameterisation);
        int n = config.cacheTrajectories, steps = schedule.steps();
        for (int round = 0; round < rounds; round++) {
            Rng rng = new Rng(round);
            long t0 = System.nanoTime();
            TrajectoryCache.build(forward, schedule,
                    c -> Points.toTensor(problem.data().sample(c, rng), backend, DType.F32, problem.data().itemShape()), n, n, rng);
            long t1 = System.nanoTime();
            Tensor x = Points.toTensor(problem.data().sample(n, rng), backend, DType.F32, problem.data().itemShape());
            try (var ignored = NoGrad.enter()) {
                for (int j = 0; j < 2 * steps; j++) forward.mean(x, j % steps);
            }
            long t2 = System.nanoTime();
            System.out.printf("build %.1f ms, %d network means %.1f ms%n", (t1 - t0) / 1e6, 2 * steps, (t2 - t1) / 1e6);
        }
    }
}
