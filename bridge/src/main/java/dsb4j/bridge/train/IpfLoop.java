package dsb4j.bridge.train;

import dsb4j.bridge.data.Points;
import dsb4j.bridge.data.Standardisation;
import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.DriftNet;
import dsb4j.bridge.drift.TransitionMap;
import dsb4j.bridge.process.TimeSchedule;
import dsb4j.bridge.sample.Sampler;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.dist.Collective;
import dsb4j.engine.dist.SingleProcess;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.Module;
import dsb4j.nn.optim.Adam;
import dsb4j.nn.optim.Ema;
import java.io.IOException;
import java.util.Map;

/**
 * Iterative proportional fitting: for n = 1…K a backward half-step (fit B^n on forward chains: the reference at
 * n = 1, F^n after) then a forward half-step (fit F^{n+1} on backward chains of B^n from the prior end).
 * DSBM-IMF differs only at n = 1: B^1 is fitted on data and prior drawn independently.
 * After each iteration the backward chain generates samples that are saved and scored. The state is
 * checkpointed after every half-step (and every {@code checkpointEvery} steps) so a killed run resumes.
 * <p>
 * In a job of several ranks every rank runs this loop with the same configuration: the half-steps average their
 * gradients ({@link HalfBridgeTrainer}), the ranks check after each half-step that they hold bit-identical weights
 * ({@link WeightsHash}, recorded as "weights_sha256" in the metrics row), and rank 0 alone evaluates and writes (the
 * other ranks are given no run directory and no listener, and wait for it at their next collective).
 */
public final class IpfLoop {

    /** What the command line shows and draws; every method is optional. */
    public interface Listener {
        default void onProgress(int ipf, Direction dir, int step, int iters, double loss, double itPerS) {}
        default void onRow(Map<String, Object> row) {}
        /** After iteration n: generated samples, fresh data-end draws and a few generation trajectories [m, N+1, d]. */
        default void onIteration(int ipf, Points generated, Points target, Tensor trajectories) {}
    }

    private final TrainConfig config;
    private final Problem problem;
    private final Backend backend;
    private final RunDirectory out;
    private final Listener listener;
    private final TimeSchedule schedule;
    private final DType dtype = DType.F32;
    private final TrainState state;
    private final Collective ranks;

    /** {@code out} null: train in memory, writing no files (no checkpoints, samples or metrics file). */
    public IpfLoop(TrainConfig config, Problem problem, Backend backend, RunDirectory out, Listener listener, TrainState resumed) {
        this(config, problem, backend, out, listener, resumed, SingleProcess.INSTANCE);
    }

    /**
     * As the other constructor, as one rank of the job {@code ranks}, which must have {@code config.ranks} ranks;
     * only rank 0 should be given {@code out} and a listener.
     */
    public IpfLoop(TrainConfig config, Problem problem, Backend backend, RunDirectory out, Listener listener, TrainState resumed,
                   Collective ranks) {
        if (ranks.size() != config.ranks)
            throw new IllegalArgumentException("the configuration is for " + config.ranks + " rank" + (config.ranks == 1 ? "" : "s")
                    + ", this job has " + ranks.size());
        this.ranks = ranks;
        this.config = config;
        this.problem = problem;
        this.backend = backend;
        this.out = out;
        this.listener = listener == null ? new Listener() {} : listener;
        this.schedule = problem.reference().schedule();
        this.state = resumed != null ? resumed : new TrainState();
        if (resumed != null) lastCheckpoint = position(resumed);
        // refuse a cache that cannot fit before anything is trained (the message says how to shrink it)
        config.halfStep().cacheSize(config.dim, config.steps).checkFits();
    }

    public TrainState state() { return state; }

    /** Where the last checkpoint written (or resumed from) stands, e.g. "IPF 2, forward half-step, step 0"; null if none. */
    public String lastCheckpoint() { return lastCheckpoint; }

    private volatile String lastCheckpoint;

    private static String position(TrainState s) {
        return "IPF " + s.ipf + ", " + s.direction.word() + " half-step, step " + s.step;
    }

    /**
     * Runs IPF from where the state stands to the end. A diverged half-step ({@link HalfBridgeTrainer#BLOWUP}) stops
     * the run with a {@link DivergenceException} before anything of that half-step is checkpointed; its message says
     * which checkpoint is kept, if any.
     */
    public void run() throws IOException {
        try {
            loop();
        } catch (DivergenceException e) {
            throw new DivergenceException(e.getMessage() + "; " + (lastCheckpoint == null ? "no checkpoint was written yet"
                    : "the last checkpoint (" + lastCheckpoint + ") is kept") + " — lower --lr or enable gradient clipping (--clip)");
        }
    }

    private void loop() throws IOException {
        HalfBridgeTrainer trainer = new HalfBridgeTrainer(config.halfStep(), problem.reference(), backend, dtype, ranks);
        for (int n = state.ipf; n <= config.ipfIters; n++) {
            for (Direction dir : new Direction[]{Direction.BACKWARD, Direction.FORWARD}) {
                if (n == state.ipf && dir == Direction.BACKWARD && state.direction == Direction.FORWARD) continue;
                int first = state.step;
                if (first == 0) state.beginHalfStep(n, dir, config, backend, dtype);
                DriftNet net = state.net(dir);
                final int ipf = n;
                HalfBridgeTrainer.StepHook hook = (step, loss, itPerS) -> {
                    listener.onProgress(ipf, dir, step, config.iters, loss, itPerS);
                    if (config.checkpointEvery > 0 && (step + 1) % config.checkpointEvery == 0 && step + 1 < config.iters) {
                        state.at(ipf, dir, step + 1);
                        save();
                    }
                };
                HalfBridgeTrainer.Result r;
                if (n == 1 && dir == Direction.BACKWARD && config.method == Method.DSBM_IMF) {
                    // DSBM-IMF starts from data and prior drawn independently instead of the reference's chains
                    r = trainer.trainIndependent(n, net, state.ema(dir), state.adam, this::dataStart, this::priorStart, first,
                            state.lossWindow, hook);
                } else {
                    TransitionMap sampler = dir == Direction.BACKWARD
                            ? (n == 1 ? problem.reference() : state.simulator(Direction.FORWARD))
                            : state.simulator(Direction.BACKWARD);
                    HalfBridgeTrainer.StartSampler start = dir == Direction.BACKWARD ? this::dataStart : this::priorStart;
                    r = trainer.train(n, net, state.ema(dir), state.adam, sampler, start, first, state.lossWindow, hook);
                }
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                row.put("ipf", n);
                row.put("direction", dir.word());
                row.put("loss", r.loss());
                if (!config.method.bridgeMatching()) row.put("loss_floor", 2 * schedule.total() / schedule.steps());
                row.put("seconds", r.seconds());
                row.put("it_per_s", r.itPerS());
                String hash = null;
                if (ranks.size() > 1) {
                    hash = WeightsHash.of(state, dir);
                    WeightsHash.checkRanksAgree(ranks, hash, "after IPF iteration " + n + "'s " + dir.word() + " half-step");
                }
                if (dir == Direction.FORWARD && ranks.isRoot()) row.putAll(evaluate(n));
                if (hash != null) row.put("weights_sha256", hash);
                state.metrics.add(row);
                if (out != null) out.appendMetrics(row);
                listener.onRow(row);
                if (dir == Direction.BACKWARD) state.at(n, Direction.FORWARD, 0);
                else state.at(n + 1, Direction.BACKWARD, 0);
                save();
            }
        }
        if (ranks.size() > 1) ranks.barrier("the end of training (rank 0's last evaluation and checkpoint)");
    }

    private void save() {
        if (out == null) return;                                 // in memory: the caller keeps the state
        try {
            Checkpointer.save(out.checkpointDir(), config, state);
            lastCheckpoint = position(state);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not write the checkpoint in " + out.checkpointDir() + " (" + e.getMessage()
                    + "); the previous checkpoint" + (lastCheckpoint == null ? "" : " (" + lastCheckpoint + ")") + " is intact", e);
        }
    }

    /**
     * Generates with B^n, saves samples-ipf<n>.npy and scores them; also encodes data with F^{n+1}. Samples, metrics
     * and plots are in the user's units. The chains start from fresh prior-end draws, or, for the user's data with a
     * data set at the prior end, from that set's held-out items; the targets are fresh data-end draws or the held-out
     * items of the data end.
     */
    private Map<String, Object> evaluate(int n) throws IOException {
        Rng rng = new Rng(config.seed).fork(n, 7);
        Standardisation units = config.preset.units();
        Problem.HeldOut held = problem.heldOut();
        Points heldPrior = held == null || held.prior() == null ? null : units.toModel(held.prior());
        int m = heldPrior != null ? heldPrior.n() : config.evalSamples;
        Sampler generate = new Sampler(state.simulator(Direction.BACKWARD), schedule);
        Tensor generated = heldPrior != null ? run(generate, heldPrior, rng) : run(generate, this::priorStart, m, rng, rng);
        Points gen = units.toUser(Points.of(generated));
        if (out != null) out.writeNpy(out.samples(n), Points.toTensor(gen, backend, dtype, config.itemShape()));
        Points target = held != null ? held.data() : problem.data().sample(m, rng.fork(1));
        Map<String, Object> metrics = config.preset.score(config, gen, target, rng.fork(2), 0);
        // The other end: how close the forward chain F^{n+1} brings data to the prior end.
        Sampler encode = new Sampler(state.simulator(Direction.FORWARD), schedule);
        Points encoded = held != null ? Points.of(run(encode, units.toModel(held.data()), rng.fork(3)))
                : Points.of(run(encode, this::dataStart, m, rng.fork(3), rng.fork(4)));
        Points priorEnd = held != null && held.prior() != null ? held.prior()
                : units.toUser(problem.prior().sample(encoded.n(), rng.fork(5)));
        metrics.put("prior_sw2", Evaluation.slicedW2(units.toUser(encoded), priorEnd, rng.fork(6)));
        if (config.preset.closedFormCoupling())
            metrics.putAll(config.preset.couplingScore(config, generate.pairs(priorStart(m, rng.fork(8)), rng.fork(9)), schedule));
        int shown = Math.min(24, m);
        Tensor starts = heldPrior != null ? Points.toTensor(heldPrior.slice(0, shown), backend, dtype, problem.prior().itemShape())
                : priorStart(shown, rng.fork(10));
        Tensor traj = generate.trajectories(starts, rng.fork(11));
        if (!units.isIdentity()) traj = Tensor.of(backend, units.toUser(Points.of(traj.reshape(-1, config.dim))).data(), traj.dims());
        listener.onIteration(n, gen, target, traj);
        return metrics;
    }

    /**
     * {@code sampler.run} from {@code m} starting points; with {@code evalBatch} > 0 (image presets) in chunks of
     * that many chains, each with its own forked generators, so that memory and time per chain stay those of a
     * small batch. Without chunking the call is exactly the unchunked one.
     */
    private Tensor run(Sampler sampler, HalfBridgeTrainer.StartSampler start, int m, Rng startRng, Rng runRng) {
        int chunk = config.evalBatch;
        if (chunk <= 0 || m <= chunk) return sampler.run(start.draw(m, startRng), runRng);
        Tensor[] parts = new Tensor[(m + chunk - 1) / chunk];
        for (int k = 0; k < parts.length; k++) {
            int count = Math.min(chunk, m - k * chunk);
            parts[k] = sampler.run(start.draw(count, startRng.fork(k, 0)), runRng.fork(k, 1));
        }
        return Tensor.concat(0, parts);
    }

    /** {@code sampler.run} from the given starting points (model units), in chunks as above. */
    private Tensor run(Sampler sampler, Points starts, Rng runRng) {
        int chunk = config.evalBatch, m = starts.n();
        int[] shape = problem.prior().itemShape();
        if (chunk <= 0 || m <= chunk) return sampler.run(Points.toTensor(starts, backend, dtype, shape), runRng);
        Tensor[] parts = new Tensor[(m + chunk - 1) / chunk];
        for (int k = 0; k < parts.length; k++)
            parts[k] = sampler.run(Points.toTensor(starts.slice(k * chunk, Math.min(m, (k + 1) * chunk)), backend, dtype, shape), runRng.fork(k, 1));
        return Tensor.concat(0, parts);
    }

    private Tensor dataStart(int count, Rng rng) {
        return Points.toTensor(problem.data().sample(count, rng), backend, dtype, problem.data().itemShape());
    }

    private Tensor priorStart(int count, Rng rng) {
        return Points.toTensor(problem.prior().sample(count, rng), backend, dtype, problem.prior().itemShape());
    }
}
