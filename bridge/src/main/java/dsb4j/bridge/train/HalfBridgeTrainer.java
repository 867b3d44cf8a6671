package dsb4j.bridge.train;

import dsb4j.bridge.cache.BridgeCache;
import dsb4j.bridge.cache.MeanMatchingData;
import dsb4j.bridge.cache.TrajectoryCache;
import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.DriftNet;
import dsb4j.bridge.drift.TransitionMap;
import dsb4j.bridge.process.ReferenceProcess;
import dsb4j.bridge.process.TimeSchedule;
import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.StepScope;
import dsb4j.engine.dist.Collective;
import dsb4j.engine.dist.SingleProcess;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.optim.Adam;
import dsb4j.nn.optim.Ema;
import dsb4j.nn.optim.GradClip;

/**
 * One IPF half-step: fit the network of one direction by mean matching on chains of the frozen other
 * direction — on every transition of those chains (DSB) or on bridges between their ends (DSBM). Caches
 * are rebuilt every R steps from seeds derived from (IPF iteration, direction, build), and each optimiser
 * step's batch is a fixed function of the cache and the step, so a run replays exactly and can resume from
 * any step. On more than one CPU thread each cache is built on a second thread while the optimiser trains on the
 * one before ({@link CachesAhead}), with the same results.
 * <p>
 * In a job of K ranks ({@link Collective}) each rank builds its own caches, from seeds that also depend on its rank,
 * trains on its own batches of B rows, and averages its gradients and loss with the other ranks' before every
 * optimiser step ({@link GradientSync}): every rank then makes the update of the global batch of K·B rows and holds the
 * same weights. With one rank nothing of this happens and the seeds are those of a single process.
 */
public final class HalfBridgeTrainer {

    /** Called after every optimiser step; may checkpoint. */
    public interface StepHook {
        void after(int step, double loss, double itPerS);
    }

    public record Result(double loss, double seconds, double itPerS) {}

    private final HalfStep settings;
    private final ReferenceProcess reference;
    private final TimeSchedule schedule;
    private final Backend backend;
    private final DType dtype;
    private final Collective ranks;

    /** {@code reference}: its time grid for both methods, its bridges for bridge matching. */
    public HalfBridgeTrainer(HalfStep settings, ReferenceProcess reference, Backend backend, DType dtype) {
        this(settings, reference, backend, dtype, SingleProcess.INSTANCE);
    }

    /** As the other constructor, as one rank of the job {@code ranks}. */
    public HalfBridgeTrainer(HalfStep settings, ReferenceProcess reference, Backend backend, DType dtype, Collective ranks) {
        this.ranks = ranks;
        this.settings = settings;
        this.reference = reference;
        this.schedule = reference.schedule();
        this.backend = backend;
        this.dtype = dtype;
    }

    /**
     * Trains {@code net} from step {@code firstStep} to {@code settings.iters()}. {@code sampler} is the frozen map
     * whose chains fill the cache (its EMA copy when EMA is on), {@code start} draws the chains' starting
     * points for a given count and generator.
     */
    public Result train(int ipf, DriftNet net, Ema ema, Adam adam, TransitionMap sampler,
                        StartSampler start, int firstStep, StepHook hook) {
        return train(ipf, net, ema, adam, sampler, start, firstStep, new LossWindow(), hook);
    }

    /**
     * The mean loss of a half-step's last min(100, I) steps, kept in the training state so that a run resumed
     * inside that window reports the same number as an uninterrupted one.
     */
    public static final class LossWindow {
        public double sum;
        public int count;
        /** The loss of the half-step's first step (before any update): the divergence guard's reference. */
        public double first = Double.NaN;

        /** Back to the start of a half-step. */
        public void reset() {
            sum = 0;
            count = 0;
            first = Double.NaN;
        }
    }

    /**
     * A half-step has diverged when a step's loss is non-finite, or exceeds {@value #BLOWUP} times its reference —
     * the larger of its first step's loss and the loss floor (DSB: 2T/N, where a fitted mean-matching loss
     * plateaus; 0 for bridge matching) —, or when the mean loss of its last steps ends above {@value #WORSE} times
     * that reference: training that makes its own loss ten times worse has failed, whatever the number.
     */
    public static final double BLOWUP = 1e4, WORSE = 10;

    public Result train(int ipf, DriftNet net, Ema ema, Adam adam, TransitionMap sampler,
                        StartSampler start, int firstStep, LossWindow lossWindow, StepHook hook) {
        Direction dir = net.direction();
        CacheSource caches = build -> cache(ipf, dir, sampler, start, build, ranks.rank());
        return trainOn(ipf, net, ema, adam, caches, firstStep, lossWindow, hook);
    }

    /**
     * Cache number {@code build} of half-step ({@code ipf}, {@code dir}) as rank {@code rank} of this trainer's job builds
     * it in {@link #train}: chains of {@code sampler} from {@code start}'s points. Any rank can rebuild any other's.
     */
    public MeanMatchingData cache(int ipf, Direction dir, TransitionMap sampler, StartSampler start, int build, int rank) {
        Rng rng = cacheRng(settings.seed(), ipf, dir, build, rank, ranks.size());
        return buildCache(sampler, count -> start.draw(count, rng), rng);
    }

    /**
     * DSBM-IMF's first half-step: bridge matching on the independent coupling of the two ends, each cache's
     * pairs drawn from {@code dataEnd} and {@code priorEnd} with seeds derived like {@link #train}'s.
     */
    public Result trainIndependent(int ipf, DriftNet net, Ema ema, Adam adam, StartSampler dataEnd, StartSampler priorEnd,
                                   int firstStep, LossWindow lossWindow, StepHook hook) {
        Direction dir = net.direction();
        CacheSource caches = build -> {
            Rng rng = cacheRng(ipf, dir, build);
            return BridgeCache.independent(count -> dataEnd.draw(count, rng), count -> priorEnd.draw(count, rng),
                    reference, dir, settings.cacheTrajectories(), settings.simBatch(), rng);
        };
        return trainOn(ipf, net, ema, adam, caches, firstStep, lossWindow, hook);
    }

    /** The generator of a half-step's cache number {@code build}: a function of (seed, IPF iteration, direction, build, rank). */
    private Rng cacheRng(int ipf, Direction dir, int build) {
        return cacheRng(settings.seed(), ipf, dir, build, ranks.rank(), ranks.size());
    }

    /**
     * The generator of cache number {@code build} of half-step ({@code ipf}, {@code dir}) on rank {@code rank} of
     * {@code size}: a single process's (size 1) is that of the runs before distributed training existed; each rank of a
     * larger job has its own, so that any rank can rebuild another's cache and batches.
     */
    public static Rng cacheRng(long seed, int ipf, Direction dir, int build, int rank, int size) {
        Rng r = new Rng(seed);
        return size == 1 ? r.fork(ipf, dir.ordinal(), 1, build) : r.fork(ipf, dir.ordinal(), 1, build, rank);
    }

    /** The cache a half-step uses from step {@code build}·R on (R = the settings's cache refresh). */
    @FunctionalInterface
    public interface CacheSource {
        MeanMatchingData build(int build);
    }

    /**
     * The half-step's loop over caches from {@code caches}: chains of a frozen map ({@link #train}) or any other
     * source of training rows, e.g. pairs of a given coupling.
     */
    public Result trainOn(int ipf, DriftNet net, Ema ema, Adam adam, CacheSource caches, int firstStep,
                          LossWindow lossWindow, StepHook hook) {
        Direction dir = net.direction();
        int refresh = settings.cacheRefresh();
        long t0 = System.nanoTime();
        MeanMatchingData cache = null;
        int window = Math.min(100, settings.iters());
        try (CachesAhead ahead = new CachesAhead(caches, backend, (settings.iters() - 1) / refresh)) {
            for (int i = firstStep; i < settings.iters(); i++) {
                if (cache == null || i % refresh == 0) cache = ahead.get(i / refresh);
                MeanMatchingData rows = cache;
                int at = i;
                double value = ahead.step(() -> step(ipf, dir, net, ema, adam, rows, at));
                if (i == 0) lossWindow.first = value;
                double reference = Math.max(lossWindow.first, settings.lossFloor());
                if (!Double.isFinite(value) || value > BLOWUP * reference)   // the update is done, but only in memory
                    throw new DivergenceException(String.format("loss %s at IPF iteration %d, %s half-step, step %d%s", value, ipf, dir.word(), i,
                            Double.isFinite(value) ? String.format(" (%.0f× its reference %.3g, the first step's or the floor)", value / reference, reference) : ""));
                if (i >= settings.iters() - window) { lossWindow.sum += value; lossWindow.count++; }
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (hook != null) hook.after(i, value, (i + 1 - firstStep) / Math.max(seconds, 1e-9));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int done = settings.iters() - firstStep;
        double reference = Math.max(lossWindow.first, settings.lossFloor());
        if (lossWindow.count > 0 && lossWindow.sum / lossWindow.count > WORSE * reference)
            throw new DivergenceException(String.format("the %s half-step of IPF iteration %d ended at loss %.3g, %.0f× its reference %.3g "
                    + "(the first step's loss or the floor)", dir.word(), ipf, lossWindow.sum / lossWindow.count,
                    lossWindow.sum / lossWindow.count / reference, reference));
        return new Result(lossWindow.count == 0 ? Double.NaN : lossWindow.sum / lossWindow.count, seconds, done / Math.max(seconds, 1e-9));
    }

    /** Optimiser step {@code i} on its batch of {@code cache}; returns the step's loss (the ranks' mean). */
    private double step(int ipf, Direction dir, DriftNet net, Ema ema, Adam adam, MeanMatchingData cache, int i) {
        try (StepScope step = StepScope.open(net.module(), adam, ema)) {   // a device reuses this step's memory in the next
            MeanMatchingData.Batch b = cache.batch(i % settings.cacheRefresh(), settings.batch(), backend, dtype);
            Tensor loss = net.meanIncrement(b.states(), b.steps()).sub(b.targets()).square().mean();
            Gradients grads = loss.backward();
            double global = ranks.size() == 1 ? Double.NaN : GradientSync.allReduceMean(ranks, grads, net.module().parameters(), loss,
                    "the all-reduce of the gradients of IPF iteration " + ipf + ", " + dir.word() + " half-step, step " + i);
            adam.setLr(settings.learningRates().lr(i));
            if (settings.gradClip() > 0) grads = GradClip.clipGlobalNorm(grads, net.module().parameters(), settings.gradClip());
            adam.step(grads);
            if (ema != null) ema.update();
            return ranks.size() == 1 ? loss.item() : global;  // read last: a device queues the whole step first
        }
    }

    private MeanMatchingData buildCache(TransitionMap sampler, java.util.function.IntFunction<Tensor> start, Rng rng) {
        return settings.method().bridgeMatching()
                ? BridgeCache.build(sampler, reference, start, settings.cacheTrajectories(), settings.simBatch(), rng)
                : TrajectoryCache.build(sampler, schedule, start, settings.cacheTrajectories(), settings.timesKept(schedule.steps()),
                        settings.simBatch(), rng);
    }

    /** Draws {@code count} starting points [count, ...state] of the simulated chains. */
    @FunctionalInterface
    public interface StartSampler {
        Tensor draw(int count, Rng rng);
    }
}
