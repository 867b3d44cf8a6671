package dsb4j.examples;

import dsb4j.bridge.data.DataSet;
import dsb4j.bridge.io.DataFiles;
import dsb4j.bridge.train.Budget;
import dsb4j.bridge.train.LrDecay;
import dsb4j.bridge.train.OwnData;
import dsb4j.bridge.train.Method;
import dsb4j.bridge.train.NetworkSpec;
import dsb4j.bridge.train.PriorVariance;
import dsb4j.bridge.train.Presets;
import dsb4j.bridge.train.TrainConfig;
import dsb4j.engine.backend.Device;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of `dsb train` (shared with `dsb bench`): a preset's defaults, each overridable. */
final class TrainOptions {
    @Option(names = "--preset", description = "Preset (see `dsb presets`); excludes --data. Default: moons.")
    String preset;
    @Option(names = "--data", paramLabel = "FILE|DIR", description = "Train on your own data: the data end (index 0), which generation "
            + "carries to. A point cloud (.npy float32/float64 (n, d), or .csv with a header line) or images (a folder of PNG/JPEG "
            + "files of one size, or an .npy of float32/uint8 (n, H, W) or (n, C, H, W), C = 1 or 3). 10 %% of the items are held out "
            + "for the metrics. Excludes --preset.")
    Path data;
    @Option(names = "--prior", paramLabel = "FILE|DIR", description = "With --data: a second data set of the same shape at the prior "
            + "end (index N); generation then transports it to the data end. Default: a Gaussian (N(0, I) in standardised units "
            + "for points; the reference's adaptive N(m·1, I) for images).")
    Path prior;
    @Option(names = "--columns", split = ",", paramLabel = "NAME", description = "With a .csv: the columns to use, by header name "
            + "(e.g. x,y,z). Default: all columns.")
    java.util.List<String> columns;
    @Option(names = "--no-standardise", description = "With --data: train in the data's own units (points), or only clamp to the "
            + "images' range, instead of standardising (per-coordinate mean and sd for points, each image channel onto [-1, 1]).")
    boolean noStandardise;
    @Option(names = "--budget", defaultValue = "quick", description = "quick (minutes on 2 cores), reference (the reference code's budget) or paper (the 2-D benchmark presets: "
                    + "the published DSB runs' budget). Default: ${DEFAULT-VALUE}.")
    String budget;
    @Option(names = "--out", description = "Output folder. Default: runs/<preset, or the --data file or folder name>-<yyyyMMdd-HHmmss>.")
    Path out;
    @Option(names = "--method", description = "dsb (mean matching on simulated trajectories, the paper's), dsbm (bridge matching "
            + "on the reference's bridges between the chains' ends, DSBM-IPF) or dsbm-imf (the same, started from data and prior "
            + "drawn independently, DSBM-IMF). Default: the preset's (dsbm for mnist, dsbm-imf for the 2-D benchmark presets "
            + "normal-to-moons, normal-to-8gaussians, normal-to-scurve and moons-to-8gaussians, dsb for the others).")
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
    @Option(names = "--cache-times", description = "DSB: transitions kept of each simulated chain, at random per chain (1 … N), or all. "
            + "Default: the preset's (all; 1 at the paper budget).")
    String cacheTimes;
    @Option(names = "--ema", description = "EMA rate of the simulating weights (0 = off). Default: the preset's.")
    Double ema;
    @Option(names = "--clip", description = "Global gradient-norm clip (0 = off). Default: the preset's.")
    Double clip;
    @Option(names = "--prior-variance", description = "2-D toys: the adaptive Gaussian prior's variance, diagonal (each coordinate's own, "
            + "the default) or pooled (one for all coordinates, the reference code's).")
    String priorVariance;
    @Option(names = "--prior-points", description = "2-D toys: the data points the adaptive prior's mean and variance are fitted to "
            + "(the reference code's: 100). Default: the preset's (10,000).")
    Integer priorPoints;
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

    /** The preset's (or the user's data's) defaults with the user's overrides, validated. */
    TrainConfig configure() {
        checkDataOptions();
        TrainConfig c;
        try {
            Budget b = Budget.parse(budget);
            c = data != null ? ownData().defaults(b) : Presets.named(preset == null ? "moons" : preset).defaults(b);
            c.device = Device.parse(device);
            if (method != null) c.method = Method.parse(method);
            if (c.method.bridgeMatching()) c.cacheTimes = TrainConfig.ALL_TIMES;   // bridge caches draw their own times
            if (lrSchedule != null) c.lrSchedule = LrDecay.parse(lrSchedule);
            if (priorVariance != null) c.priorVariance = PriorVariance.parse(adaptivePriorOption(c, "--prior-variance", priorVariance));
            if (priorPoints != null) c.priorPoints = adaptivePriorOption(c, "--prior-points", priorPoints);
            if (unet != null) c.network = new NetworkSpec.UNet(NetworkSpec.Size.parse(unet));
        } catch (IllegalArgumentException e) {
            throw new Main.UsageError(e.getMessage());
        }
        c.seed = seed;
        if (dim != null && c.preset instanceof OwnData)
            throw new Main.UsageError("--dim applies to the gaussian preset; with --data the dimension is the data's (" + c.dim + ")");
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
        if (cacheTimes != null) c.cacheTimes = cacheTimes(c);
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
            c.parameterisation = dsb4j.bridge.drift.DriftNet.Parameterisation.valueOf(parameterisation.toUpperCase());
        }
        if (unet != null && !c.preset.images())
            throw new Main.UsageError("--unet applies to images, not to the points of " + c.preset.name());
        if ((dataDir != null || priorDataDir != null) && !Presets.IMAGES.contains(c.preset))
            throw new Main.UsageError("--data-dir and --prior-data-dir apply to the image presets mnist and mnist-to-fashion"
                    + (c.preset instanceof OwnData ? "; your own images go with --data and --prior" : ", not to " + c.preset.name()));
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

    /**
     * The user's data sets read from --data (and --prior), standardised unless --no-standardise; any problem with the
     * files is a usage error (exit 2) naming the option and the file.
     */
    private OwnData ownData() {
        if (preset != null) throw new Main.UsageError("--preset and --data exclude each other: a run bridges a preset or your data");
        DataSet d = read("--data", data), p = prior == null ? null : read("--prior", prior);
        try {
            return OwnData.of(d, p, !noStandardise);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageError(e.getMessage());
        }
    }

    private DataSet read(String option, Path file) {
        try {
            return DataFiles.read(file, option.equals("--data") || file.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv") ? columns : null);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new Main.UsageError(option + " " + e.getMessage());
        } catch (OutOfMemoryError e) {
            throw new Main.UsageError(option + " " + file + ": does not fit the Java heap; give Java more memory with DSB_JAVA_OPTS=-Xmx8g");
        }
    }

    /** --cache-times as a count, {@link TrainConfig#ALL_TIMES} for "all"; bridge matching keeps no transitions. */
    private int cacheTimes(TrainConfig c) {
        if (c.method.bridgeMatching())
            throw new Main.UsageError("--cache-times applies to --method dsb (bridge matching draws one time per chain anyway)");
        if (cacheTimes.equals("all")) return TrainConfig.ALL_TIMES;
        int times;
        try {
            times = Integer.parseInt(cacheTimes);
        } catch (NumberFormatException e) {
            times = 0;
        }
        if (times < 1) throw new Main.UsageError("--cache-times must be a count of steps (1 … N) or all, got '" + cacheTimes + "'");
        return times;   // above N: validate() names N
    }

    /** Options that only make sense with --data, given without it. */
    void checkDataOptions() {
        if (data == null && (prior != null || columns != null || noStandardise))
            throw new Main.UsageError("--prior, --columns and --no-standardise go with --data");
    }

    /** {@code value}, when the run's prior is one fitted to the data (the 2-D toys); else the option is refused. */
    private static <T> T adaptivePriorOption(TrainConfig c, String option, T value) {
        if (!c.preset.adaptivePrior())
            throw new IllegalArgumentException(option + " applies to the 2-D toys' adaptive prior, not to " + c.preset.name());
        return value;
    }
}
