package dsb4j.bench;

import dsb4j.bridge.cache.BridgeCache;
import dsb4j.bridge.data.Points;
import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.DriftNet;
import dsb4j.bridge.eval.Metrics;
import dsb4j.bridge.eval.Sinkhorn;
import dsb4j.bridge.process.ReferenceProcess;
import dsb4j.bridge.process.TimeSchedule;
import dsb4j.bridge.sample.Sampler;
import dsb4j.bridge.train.HalfBridgeTrainer;
import dsb4j.bridge.train.Networks;
import dsb4j.bridge.train.Presets;
import dsb4j.bridge.train.Problem;
import dsb4j.bridge.train.TrainConfig;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.Module;
import dsb4j.nn.optim.Adam;

/**
 * One half-step on a 2-D benchmark preset without the iterations: the backward network trained by bridge matching
 * on the Schrödinger bridge's own coupling (a discrete Sinkhorn plan between data-end and prior-end samples,
 * reg = 2σ²), with the preset's network and sampler, for 2,000 optimiser steps unless told otherwise. The plan's
 * finite sample (3,000–5,000 points a side) limits it: the presets' IPF runs with 6,000 steps do better. Prints
 * W2 of generation from the prior end and, beside it, W2 between two independent target samples of that size.
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dsb4j.bench.ExactCouplingFit \
 *       normal-to-moons 3000 2000 [2000 [steps=40] [mlp=256,256,256] [out=FILE.npy]]
 *       # preset, points per side of the plan, W2 points [, optimiser steps (2,000), time steps N, an MLP instead of the
 *       # preset's, a file for the generated points]
 * </pre>
 */
public final class ExactCouplingFit {
    private ExactCouplingFit() {}

    public static void main(String[] args) throws java.io.IOException {
        String preset = args.length > 0 ? args[0] : "normal-to-moons";
        int points = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        int w2Points = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        Integer iters = args.length > 3 ? Integer.valueOf(args[3]) : null;
        Backend b = Backends.cpu(Backends.defaultThreads());
        Backends.setCurrent(b);
        TrainConfig c = Presets.defaults(preset, "quick");
        c.iters = iters != null ? iters : 2000;   // the presets' half-step until 6,000, what docs/experiments/exact-coupling.md's figures used
        java.nio.file.Path out = null;
        for (int i = 4; i < args.length; i++) {               // optional overrides: steps=N (σ² = 1 kept), mlp=W1,W2,...
            String[] kv = args[i].split("=", 2);
            switch (kv[0]) {
                case "steps" -> { c.steps = Integer.parseInt(kv[1]); c.gammaMin = c.gammaMax = 1.0 / (2 * c.steps); }
                case "mlp" -> c.network = new dsb4j.bridge.train.NetworkSpec.Mlp(java.util.Arrays.stream(kv[1].split(",")).mapToInt(Integer::parseInt).toArray());
                case "out" -> out = java.nio.file.Path.of(kv[1]);
                default -> throw new IllegalArgumentException("unknown override " + args[i] + " (steps=N, mlp=W1,W2,..., out=FILE.npy)");
            }
        }
        Problem p = c.problem();
        if (!p.reference().isBrownian()) throw new IllegalArgumentException(preset + " has no Brownian reference");
        TimeSchedule schedule = p.reference().schedule();
        Rng rng = new Rng(c.seed).fork(0xCE11);

        Points xs = p.data().sample(points, rng.fork(1)), ys = p.prior().sample(points, rng.fork(2));
        long t0 = System.nanoTime();
        Sinkhorn.Result plan = Sinkhorn.solve(xs, ys, 2 * (2 * schedule.total()), 5000, 1e-7);   // σ² = 2T
        System.out.printf("Sinkhorn plan %d × %d: %d passes, marginal error %.1e, %.1f s%n", points, points,
                plan.iterations(), plan.marginalError(), (System.nanoTime() - t0) / 1e9);
        double[] cdf = plan.plan().clone();
        for (int k = 1; k < cdf.length; k++) cdf[k] += cdf[k - 1];

        Module m = Networks.create(c, b, DType.F32, new Rng(c.seed).fork(1, Direction.BACKWARD.ordinal(), 0));
        DriftNet net = new DriftNet(m, Direction.BACKWARD, c.parameterisation);
        Adam adam = new Adam(m.parameters(), c.lr);
        t0 = System.nanoTime();
        new HalfBridgeTrainer(c.halfStep(), p.reference(), b, DType.F32).trainOn(1, net, null, adam,
                build -> drawPairs(cdf, xs, ys, c.cacheTrajectories, p.reference(), rng.fork(3, (long) build * c.cacheRefresh)),
                0, new HalfBridgeTrainer.LossWindow(), null);
        System.out.printf("one backward half-step on the plan's pairs: %d steps of batch %d, %.1f s%n",
                c.iters, c.batch, (System.nanoTime() - t0) / 1e9);

        Points target = p.data().sample(w2Points, rng.fork(4));
        Tensor start = Points.toTensor(p.prior().sample(w2Points, rng.fork(5)), b, DType.F32);
        Points generated = Points.of(new Sampler(net, schedule).run(start, rng.fork(6)));
        System.out.printf("W2 (%d points) generated vs target: %.3f (mean error %.3f); target vs target: %.3f%n", w2Points,
                Metrics.w2(generated, target, w2Points), Metrics.meanError(generated, target),
                Metrics.w2(p.data().sample(w2Points, rng.fork(7)), target, w2Points));
        if (out != null) dsb4j.bridge.io.Npy.write(out, generated);
    }

    /** {@code n} pairs drawn from the plan (row-major cumulative weights {@code cdf}), as a bridge cache. */
    private static BridgeCache drawPairs(double[] cdf, Points xs, Points ys, int n, ReferenceProcess reference, Rng rng) {
        int m = ys.n();
        int[] rows = new int[n], cols = new int[n];
        for (int i = 0; i < n; i++) {
            int k = java.util.Arrays.binarySearch(cdf, rng.nextDouble() * cdf[cdf.length - 1]);
            if (k < 0) k = -k - 1;
            k = Math.min(k, cdf.length - 1);
            rows[i] = k / m;
            cols[i] = k % m;
        }
        return BridgeCache.fromPairs(xs.select(rows), ys.select(cols), reference, Direction.BACKWARD, rng);
    }
}
