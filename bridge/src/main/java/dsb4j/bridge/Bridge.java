package dsb4j.bridge;

import dsb4j.bridge.data.DataSet;
import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.train.Budget;
import dsb4j.bridge.train.IpfLoop;
import dsb4j.bridge.train.MemoryPlan;
import dsb4j.bridge.train.Method;
import dsb4j.bridge.train.NetworkSpec;
import dsb4j.bridge.train.OwnData;
import dsb4j.bridge.train.Problem;
import dsb4j.bridge.train.RunDirectory;
import dsb4j.bridge.train.TrainConfig;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.backend.Device;
import dsb4j.engine.dist.Collective;
import dsb4j.engine.dist.Collectives;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The entry point for training a Schrödinger bridge on your own data from Java: choose the two ends, adjust what you
 * need, train, then use the {@link TrainedBridge}. Everything else — the chain, the network for the data's shape,
 * the training budget, standardisation, the held-out split — has defaults chosen from the data, the same as
 * {@code dsb train --data}.
 * <pre>{@code
 * float[][] source = ..., target = ...;            // two point clouds of one dimension
 * TrainedBridge bridge = Bridge.transport(DataSet.points("source", source), DataSet.points("target", target))
 *         .ipfIterations(3)
 *         .seed(7)
 *         .train(progress -> System.out.println(progress));
 * bridge.save(Path.of("my-bridge"));                 // a run folder: dsb sample --checkpoint my-bridge works too
 * float[][] moved = TrainedBridge.load(Path.of("my-bridge")).transport(source);
 * }</pre>
 * A builder: each setter changes one setting and returns this builder; {@link #config()} exposes every resolved
 * setting for anything the setters do not cover. Not thread-safe.
 * <p>
 * Started by {@code mpirun -np K} (Open MPI), a program that calls {@link #train} trains one bridge on K ranks
 * ({@link Collectives#world()}; see docs/distributed.md): the batch and the cache set here are each rank's, every rank
 * returns the same trained bridge, only rank 0 writes the {@link #output} folder, and the program should call
 * {@link Collectives#closeWorld()} on every rank before it ends.
 */
public final class Bridge {
    private final OwnData problem;
    private TrainConfig config;
    private Path output;
    private Collective ranks;

    private Bridge(OwnData problem) {
        this.problem = problem;
        this.config = problem.defaults(Budget.QUICK);
    }

    /**
     * A bridge from a Gaussian to {@code data}: a generative model of it (N(0, I) in standardised units for points,
     * the reference's adaptive N(m·1, I) for images).
     */
    public static Bridge generative(DataSet data) { return new Bridge(OwnData.of(data, null, true)); }

    /** A bridge that carries {@code from} (the prior end) to {@code to} (the data end); both need one item shape. */
    public static Bridge transport(DataSet from, DataSet to) { return new Bridge(OwnData.of(to, from, true)); }

    /** As the factories, with the standardisation switched off when {@code standardise} is false. */
    public static Bridge of(DataSet data, DataSet prior, boolean standardise) { return new Bridge(OwnData.of(data, prior, standardise)); }

    /** Replaces every setting by the defaults of {@code budget} (call it first: it undoes the other setters). */
    public Bridge budget(Budget budget) {
        config = problem.defaults(budget);
        return this;
    }

    /** What each half-step regresses on. Default: DSBM-IMF for points, DSBM for images. */
    public Bridge method(Method method) { config.method = method; return this; }

    /** K, the number of IPF iterations (each a backward and a forward half-step). */
    public Bridge ipfIterations(int k) { config.ipfIters = k; return this; }

    /** I, the optimiser steps of each half-step. */
    public Bridge iterations(int i) { config.iters = i; return this; }

    /** The minibatch of each optimiser step. */
    public Bridge batch(int b) { config.batch = b; return this; }

    /** N, the time steps of the chain (even); for points the step sizes follow so that σ² = 2T stays 1. */
    public Bridge steps(int n) { problem.setSteps(config, n); return this; }

    /** Adam's learning rate (at the start of each half-step; the default decays it with a cosine). */
    public Bridge learningRate(double lr) { config.lr = lr; return this; }

    /** The seed every random draw of training derives from. */
    public Bridge seed(long seed) { config.seed = seed; return this; }

    /** The drift network (default: the reference MLP widened with d for points, the U-Net sized for the images). */
    public Bridge network(NetworkSpec network) { config.network = network; return this; }

    /** Where to train: the CPU (default), CUDA, or whichever is present. */
    public Bridge device(Device device) { config.device = device; return this; }

    /** CPU worker threads (default: the available cores). */
    public Bridge threads(int threads) { config.threads = threads; return this; }

    /**
     * Also write the run's files into this folder, as {@code dsb train} does: config.json, metrics.jsonl, samples and
     * checkpoints after every half-step (so a long training can be resumed with {@code dsb train --resume}). Without
     * it training writes nothing; {@link TrainedBridge#save} writes the result.
     */
    public Bridge output(Path folder) { output = folder; return this; }

    /**
     * The job to train in (default: {@link Collectives#world()}, this process alone unless mpirun started it as one of
     * several ranks).
     */
    public Bridge ranks(Collective job) { ranks = job; return this; }

    /** Every resolved setting (typed fields), to read or change before {@link #train}. */
    public TrainConfig config() { return config; }

    /** Trains without reporting progress. */
    public TrainedBridge train() { return train(p -> {}); }

    /**
     * Trains the bridge with iterative proportional fitting and returns it.
     *
     * @throws IllegalArgumentException for settings that cannot work (named in the message)
     * @throws IllegalStateException when the run would not fit the Java heap, or a device is unavailable
     * @throws dsb4j.bridge.train.DivergenceException when the loss becomes non-finite
     */
    public TrainedBridge train(TrainingListener listener) {
        Collective job = ranks != null ? ranks : Collectives.world();
        config.ranks = job.size();
        config.validate();
        Backend backend = Backends.select(config.device.word(), config.threads, note -> {});
        Problem p = config.problem();
        MemoryPlan.of(config).checkFits();
        try {
            RunDirectory out = null;
            if (output != null && job.isRoot()) {
                out = new RunDirectory(output);
                out.writeConfig(config);
                out.writeEnds(config, p, backend);
            }
            IpfLoop loop = new IpfLoop(config, p, backend, out, job.isRoot() ? adapter(listener) : null, null, job);
            loop.run();
            return new TrainedBridge(config, loop.state(), backend);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the run's files in " + output + ": " + e.getMessage(), e);
        }
    }

    private IpfLoop.Listener adapter(TrainingListener listener) {
        int k = config.ipfIters;
        return new IpfLoop.Listener() {
            @Override public void onProgress(int ipf, Direction dir, int step, int iters, double loss, double itPerS) {
                listener.onProgress(new TrainingListener.Progress(ipf, k, dir, step + 1, iters, loss));
            }

            @Override public void onRow(Map<String, Object> row) { listener.onHalfStep(row); }
        };
    }
}
