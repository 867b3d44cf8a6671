package dsb4j.examples;

import dsb4j.bridge.data.Points;
import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.DriftNet;
import dsb4j.bridge.sample.Sampler;
import dsb4j.bridge.train.*;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.io.Json;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.Module;
import dsb4j.nn.optim.Adam;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Time a preset's training: I optimiser steps of a backward half-step on caches built by a forward network "
                + "(it_per_s: a cold JVM's first; it_per_s_warm: the same again, as PyTorch's twin times it after its warm-up), "
                + "then the same without cache builds, then generation. Prints one JSON line.")
final class BenchCommand implements Callable<Integer> {
    @Mixin TrainOptions train;      // the same options as `dsb train`

    @Override public Integer call() throws Exception {
        TrainConfig c = train.configure();
        Backend backend = CliSupport.backend(c);
        Problem problem = c.problem();
        var reference = problem.reference();
        var schedule = reference.schedule();
        Rng rng = new Rng(c.seed);
        DriftNet forward = new DriftNet(Networks.create(c, backend, DType.F32, rng.fork(1)), Direction.FORWARD, c.parameterisation);
        HalfBridgeTrainer.StartSampler data = (n, r) -> Points.toTensor(problem.data().sample(n, r), backend, DType.F32, problem.data().itemShape());

        double withCache = timeHalfStep(c, reference, backend, forward, data, rng.fork(2));
        double warm = timeHalfStep(c, reference, backend, forward, data, rng.fork(2));      // the JIT has compiled now
        TrainConfig noRefresh = c.copy();
        noRefresh.cacheRefresh = Integer.MAX_VALUE;           // one build before the clock's second reading
        double noCache = timeHalfStepWithoutBuild(noRefresh, reference, backend, forward, data, rng.fork(3));

        Module bm = Networks.create(c, backend, DType.F32, rng.fork(4));
        Sampler gen = new Sampler(new DriftNet(bm, Direction.BACKWARD, c.parameterisation), schedule);
        Tensor start = Points.toTensor(problem.prior().sample(c.evalSamples, rng.fork(5)), backend, DType.F32, problem.prior().itemShape());
        gen.run(start, rng.fork(6));                          // warm-up
        long t0 = System.nanoTime();
        gen.run(start, rng.fork(7));
        double samplesPerS = c.evalSamples / ((System.nanoTime() - t0) / 1e9);

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preset", c.preset.name());
        m.put("method", c.method.word());
        m.put("iters", c.iters);
        m.put("batch", c.batch);
        m.put("steps", c.steps);
        m.put("it_per_s", withCache);
        m.put("it_per_s_warm", warm);
        m.put("it_per_s_no_cache", noCache);
        m.put("samples_per_s", samplesPerS);
        m.put("threads", backend.threads());
        m.put("device", backend.name());
        System.out.println(Json.write(m));
        return 0;
    }

    private static double timeHalfStep(TrainConfig c, dsb4j.bridge.process.ReferenceProcess s, Backend b, DriftNet sampler,
                                       HalfBridgeTrainer.StartSampler start, Rng rng) {
        Module m = Networks.create(c, b, DType.F32, rng);
        DriftNet net = new DriftNet(m, Direction.BACKWARD, c.parameterisation);
        Adam adam = new Adam(m.parameters(), c.lr, 0.9, 0.999, 1e-8, 0);
        return new HalfBridgeTrainer(c.halfStep(), s, b, DType.F32).train(2, net, null, adam, sampler, start, 0, null).itPerS();
    }

    /** Steps per second after the single cache build (the clock starts at the first optimiser step). */
    private static double timeHalfStepWithoutBuild(TrainConfig c, dsb4j.bridge.process.ReferenceProcess s, Backend b, DriftNet sampler,
                                                   HalfBridgeTrainer.StartSampler start, Rng rng) {
        Module m = Networks.create(c, b, DType.F32, rng);
        DriftNet net = new DriftNet(m, Direction.BACKWARD, c.parameterisation);
        Adam adam = new Adam(m.parameters(), c.lr, 0.9, 0.999, 1e-8, 0);
        long[] first = new long[1];
        new HalfBridgeTrainer(c.halfStep(), s, b, DType.F32).train(2, net, null, adam, sampler, start, 0, (step, loss, r) -> {
            if (step == 0) first[0] = System.nanoTime();
        });
        return (c.iters - 1) / ((System.nanoTime() - first[0]) / 1e9);
    }
}
