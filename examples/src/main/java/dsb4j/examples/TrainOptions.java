package dsb4j.examples;

import dsb4j.dsb.train.LrDecay;
import dsb4j.dsb.train.Method;
import dsb4j.dsb.train.NetworkSpec;
import dsb4j.dsb.train.Presets;
import dsb4j.dsb.train.TrainConfig;
import dsb4j.engine.backend.Device;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of `dsb train` (shared with `dsb bench`): a preset's defaults, each overridable. */
final class TrainOptions {
    @Option(names = "--preset", defaultValue = "moons", description = "Preset (see `dsb presets`). Default: ${DEFAULT-VALUE}.")
    String preset;
    @Option(names = "--budget", defaultValue = "quick", description = "quick (minutes on 2 cores) or reference (the reference code's budget). Default: ${DEFAULT-VALUE}.")
    String budget;
    @Option(names = "--out", description = "Output folder. Default: runs/<preset>-<yyyyMMdd-HHmmss>.")
    Path out;
    @Option(names = "--method", description = "dsb (mean matching on simulated trajectories, the paper's), dsbm (bridge matching "
            + "on the reference's bridges between the chains' ends, DSBM-IPF) or dsbm-imf (the same, started from data and prior "
            + "drawn independently, DSBM-IMF). Default: the preset's (dsbm for mnist, dsbm-imf for the 2-D benchmark presets "
            + "normal-to-moons, normal-to-8gaussians and moons-to-8gaussians, dsb for the others).")
    String method;
    @Option(names = "--ipf-iters", description = "K: IPF iterations. Default: the preset's.")
    Integer ipfIters;
    @Option(names = "--iters", description = "I: optimiser steps per half-step. Default: the preset's.")
    Integer iters;
    @Option(names = "--batch", description = "Minibatch size. Default: the preset's.")
    Integer batch;
    @Option(names = "--steps", description = "N: time steps (even). Default: the preset's.")
    Integer steps;
    @Option(names = "--lr", description = "Adam learning rate. Default: the preset's.")
    Double lr;
    @Option(names = "--lr-schedule", description = "constant, or cosine decay to lr/100 within each half-step. Default: the preset's.")
    String lrSchedule;
    @Option(names = "--seed", defaultValue = "42", description = "Seed of every random draw. Default: ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or auto (CUDA when present, else cpu). Default: ${DEFAULT-VALUE}.")
    String device;
    @Option(names = "--threads", description = "CPU worker threads. Default: available cores.")
    Integer threads;
    @Option(names = "--dim", description = "Dimension (gaussian preset). Default: the preset's.")
    Integer dim;
    @Option(names = "--cache-trajectories", description = "Trajectories per cache build. Default: the preset's.")
    Integer cacheTrajectories;
    @Option(names = "--cache-refresh", description = "R: optimiser steps between cache builds. Default: the preset's.")
    Integer cacheRefresh;
    @Option(names = "--ema", description = "EMA rate of the simulating weights (0 = off). Default: the preset's.")
    Double ema;
    @Option(names = "--clip", description = "Global gradient-norm clip (0 = off). Default: the preset's.")
    Double clip;
    @Option(names = "--warm-start", description = "Keep networks between half-steps instead of re-initialising them.")
    Boolean warmStart;
    @Option(names = "--eval-samples", description = "Samples generated per IPF iteration for the metrics. Default: the preset's.")
    Integer evalSamples;
    @Option(names = "--data-dir", description = "Image presets: a folder with the four MNIST IDX files (train-images-idx3-ubyte[.gz], "
            + "train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte). Default: the 10,000 digits shipped with dsb4j.")
    Path dataDir;
    @Option(names = "--prior-data-dir", description = "mnist-to-fashion: a folder with the four Fashion-MNIST IDX files (prior end). "
            + "Default: /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist).")
    Path priorDataDir;
    @Option(names = "--unet", description = "Image presets: tiny28 (16 channels, the quick budget's), small28 (32) or reference28 (the reference's 64). Default: the budget's.")
    String unet;
    @Option(names = "--parameterisation", description = "What the network outputs: mean (the kernel mean; the reference's choice for images) "
            + "or increment (mean minus state). Default: the preset's.")
    String parameterisation;
    @Option(names = "--mlp", split = ",", paramLabel = "WIDTH",
            description = "Vector presets: the general MLP drift net (SiLU, time concatenated) with these hidden widths, e.g. 256,256,256, "
                    + "instead of the preset's network. Default: the preset's.")
    int[] mlp;
    @Option(names = "--checkpoint-every", description = "Also checkpoint every this many steps inside a half-step (0 = only at half-step ends). Default: the preset's.")
    Integer checkpointEvery;

    /** The preset's defaults with the user's overrides, validated. */
    TrainConfig configure() {
        TrainConfig c;
        try {
            c = Presets.defaults(preset, budget);
            c.device = Device.parse(device);
            if (method != null) c.method = Method.parse(method);
            if (lrSchedule != null) c.lrSchedule = LrDecay.parse(lrSchedule);
            if (unet != null) c.network = new NetworkSpec.UNet(NetworkSpec.Size.parse(unet));
        } catch (IllegalArgumentException e) {
            throw new Main.UsageError(e.getMessage());
        }
        c.seed = seed;
        if (dim != null) c.dim = dim;
        if (ipfIters != null) c.ipfIters = ipfIters;
        if (iters != null) c.iters = iters;
        if (batch != null) c.batch = batch;
        if (steps != null) c.preset.setSteps(c, steps);
        if (lr != null) c.lr = lr;
        if (threads != null) c.threads = threads;
        if (cacheTrajectories != null) {
            c.cacheTrajectories = cacheTrajectories;
            // the image presets simulate in small chunks (faster per image on the CPU); the others all at once
            c.simBatch = c.preset.images() ? Math.min(c.simBatch, cacheTrajectories) : cacheTrajectories;
        }
        if (cacheRefresh != null) c.cacheRefresh = cacheRefresh;
        if (ema != null) c.emaRate = ema;
        if (clip != null) c.gradClip = clip;
        if (warmStart != null) c.warmStart = warmStart;
        if (evalSamples != null) c.evalSamples = evalSamples;
        if (checkpointEvery != null) c.checkpointEvery = checkpointEvery;
        if (mlp != null) {
            if (c.preset.images()) throw new Main.UsageError("--mlp applies to vector data, not to the image preset " + c.preset.name());
            try {
                c.network = new NetworkSpec.Mlp(mlp);
            } catch (IllegalArgumentException e) {
                throw new Main.UsageError(e.getMessage());
            }
        }
        if (parameterisation != null) {
            if (!parameterisation.equals("mean") && !parameterisation.equals("increment"))
                throw new Main.UsageError("--parameterisation must be mean or increment, got '" + parameterisation + "'");
            c.parameterisation = dsb4j.dsb.drift.DriftNet.Parameterisation.valueOf(parameterisation.toUpperCase());
        }
        if ((dataDir != null || priorDataDir != null || unet != null) && !c.preset.images())
            throw new Main.UsageError("--data-dir, --prior-data-dir and --unet apply to the image presets " + Presets.IMAGES + ", not to " + c.preset.name());
        if (priorDataDir != null && c.preset != Presets.MNIST_TO_FASHION)
            throw new Main.UsageError("--prior-data-dir applies to mnist-to-fashion only (the prior end of mnist is a Gaussian)");
        if (dataDir != null) {
            if (!java.nio.file.Files.isDirectory(dataDir)) throw new Main.UsageError("--data-dir " + dataDir + ": no such folder");
            c.dataDir = dataDir.toAbsolutePath().normalize();
        }
        if (priorDataDir != null) {
            if (!java.nio.file.Files.isDirectory(priorDataDir))
                throw new Main.UsageError("--prior-data-dir " + priorDataDir + ": no such folder (Fashion-MNIST installs with apt-get install dataset-fashion-mnist)");
            c.priorDataDir = priorDataDir.toAbsolutePath().normalize();
        }
        try {
            c.validate();
        } catch (IllegalArgumentException e) {
            throw new Main.UsageError(e.getMessage());
        }
        return c;
    }
}
