package dsb4j.bridge.train;

import dsb4j.bridge.drift.DriftNet.Parameterisation;
import dsb4j.bridge.process.TimeSchedule;
import dsb4j.engine.backend.Device;
import dsb4j.nn.models.Mlp2d;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every setting of a training run, resolved (the preset's defaults plus the user's overrides). Printed at start and
 * saved as config.json, so a run says exactly what it did; {@link #fromMap} reads it back for --resume.
 * A plain data holder with public, typed fields, like a Python dataclass; the parts of the trainer take the
 * settings they use from it ({@link #halfStep()}).
 */
public final class TrainConfig {
    /** What is bridged: a built-in problem or the user's data. */
    public Preset preset = Presets.MOONS;
    public Method method = Method.DSB;
    /** Dimension of the state (2 for toys; --dim for the gaussian preset; C·H·W for images). */
    public int dim = 2;
    /** K: IPF iterations. */
    public int ipfIters = 8;
    /** I: optimiser steps per half-step. */
    public int iters = 1000;
    /** The minibatch of one optimiser step (each rank's, with several ranks). */
    public int batch = 512;
    /** N: time steps (even). */
    public int steps = 20;
    public TimeSchedule.Kind schedule = TimeSchedule.Kind.CONSTANT;
    public double gammaMin = 0.01, gammaMax = 0.01;
    public double lr = 1e-3;
    public LrDecay lrSchedule = LrDecay.CONSTANT;
    public long seed = 42;
    public Parameterisation parameterisation = Parameterisation.INCREMENT;
    /** EMA rate of the weights used to simulate; 0 turns EMA off. */
    public double emaRate = 0;
    /** Global gradient-norm clip; 0 turns clipping off. */
    public double gradClip = 0;
    /**
     * The 2-D toys' adaptive prior: one pooled variance (the reference code's) or one per coordinate. Only where
     * {@link Preset#adaptivePrior()}; configs written before it existed read as POOLED, what those runs used.
     */
    public PriorVariance priorVariance = PriorVariance.POOLED;
    /** The data points that adaptive prior is fitted to; configs without the key read as 100, what those runs used. */
    public int priorPoints = REFERENCE_PRIOR_POINTS;
    /** The reference code's NAPPROX. */
    public static final int REFERENCE_PRIOR_POINTS = 100;
    /** The most points a prior may be fitted to (the fit draws them all at once). */
    public static final int MAX_PRIOR_POINTS = 10_000_000;
    /** Keep the network between half-steps (true) or re-initialise it (false, the reference for 2D and MNIST). */
    public boolean warmStart = false;
    /** Trajectories per cache build (each rank's, with several ranks) and optimiser steps between builds (R). */
    public int cacheTrajectories = 2560, cacheRefresh = 100;
    /**
     * DSB: the transitions a cache keeps of each simulated chain, drawn at random per chain ({@link #ALL_TIMES}: all N).
     * Recorded in config.json as "cache_times" only where it applies and is not all, so other configs stay as they were.
     */
    public int cacheTimes = ALL_TIMES;
    public static final int ALL_TIMES = 0;
    /** Trajectories simulated at once while building a cache. */
    public int simBatch = 2560;
    public NetworkSpec network = new NetworkSpec.ReferenceMlp2d();
    /** Image presets: a folder with the four MNIST IDX files (data end); null = the 10,000 digits shipped with dsb4j. */
    public Path dataDir = null;
    /** mnist-to-fashion: a folder with the four Fashion-MNIST IDX files (prior end); null = the system package's. */
    public Path priorDataDir = null;
    /** Samples generated after each IPF iteration for samples-ipf{@code <K>}.npy and the metrics. */
    public int evalSamples = 2000;
    /** Chains run at once for those samples (0: all at once; image presets use small chunks). */
    public int evalBatch = 0;
    /** Also checkpoint every this many optimiser steps inside a half-step (0: only at half-step ends). */
    public int checkpointEvery = 0;
    public Device device = Device.CPU;
    public int threads = Runtime.getRuntime().availableProcessors();
    /**
     * K: the processes (MPI ranks) that train together; {@link #batch} and {@link #cacheTrajectories} are each rank's,
     * so a step's global batch is K·batch. Recorded in config.json only when K &gt; 1 (a single process's config stays as
     * it was), and part of the fingerprint: a run resumes with the K it was started with.
     */
    public int ranks = 1;

    /** The shape of one state as a tensor item ({@code [d]}, or {@code [C, H, W]} for images). */
    public int[] itemShape() { return preset.itemShape(this); }

    /** The time grid of the chains. */
    public TimeSchedule timeSchedule() { return TimeSchedule.of(schedule, steps, gammaMin, gammaMax); }

    /** The two ends and the reference process of this run. */
    public Problem problem() { return preset.problem(this); }

    /** What one half-step's trainer uses. */
    public HalfStep halfStep() {
        TimeSchedule s = timeSchedule();
        double floor = method.bridgeMatching() ? 0 : 2 * s.total() / s.steps();
        return new HalfStep(method, iters, batch, lrSchedule.schedule(lr, iters), gradClip, cacheTrajectories, cacheRefresh, simBatch, cacheTimes, seed, floor);
    }

    /** The learning rate of optimiser step {@code step} of a half-step. */
    public dsb4j.nn.optim.LrSchedule learningRates() { return lrSchedule.schedule(lr, iters); }

    public TrainConfig copy() { return fromMap(toMap()); }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>(preset.toMap());
        m.put("method", method.word());
        m.put("dim", dim);
        // absent means pooled, what every run before the choice existed used: their configs and fingerprints stay as they were
        if (preset.adaptivePrior() && priorVariance != PriorVariance.POOLED) m.put("prior_variance", priorVariance.word());
        if (preset.adaptivePrior() && priorPoints != REFERENCE_PRIOR_POINTS) m.put("prior_points", priorPoints);
        m.put("ipf_iters", ipfIters);
        m.put("iters", iters);
        m.put("batch", batch);
        m.put("steps", steps);
        m.put("schedule", schedule.name().toLowerCase());
        m.put("gamma_min", gammaMin);
        m.put("gamma_max", gammaMax);
        m.put("lr", lr);
        m.put("lr_schedule", lrSchedule.word());
        m.put("seed", seed);
        m.put("parameterisation", parameterisation.name().toLowerCase());
        m.put("ema_rate", emaRate);
        m.put("grad_clip", gradClip);
        m.put("warm_start", warmStart);
        m.put("cache_trajectories", cacheTrajectories);
        m.put("cache_refresh", cacheRefresh);
        m.put("sim_batch", simBatch);
        if (!method.bridgeMatching() && cacheTimes != ALL_TIMES) m.put("cache_times", cacheTimes);
        m.put("network", network.word());
        // each network's own settings only where they apply, so the other configs stay as they were
        if (network instanceof NetworkSpec.Mlp mlp) m.put("hidden", Arrays.stream(mlp.hidden()).boxed().toList());
        if (network instanceof NetworkSpec.Mlp mlp && mlp.timeScale() != 1) m.put("time_scale", mlp.timeScale());
        if (network instanceof NetworkSpec.ReferenceMlp2d r && r.width() != Mlp2d.REFERENCE_WIDTH) m.put("width", r.width());
        if (network instanceof NetworkSpec.UNet unet) m.put("unet", unet.size().word());
        if (dataDir != null) m.put("data_dir", dataDir.toString());
        if (priorDataDir != null) m.put("prior_data_dir", priorDataDir.toString());
        if (evalBatch > 0) m.put("eval_batch", evalBatch);
        m.put("eval_samples", evalSamples);
        m.put("checkpoint_every", checkpointEvery);
        m.put("device", device.word());
        m.put("threads", threads);
        if (ranks > 1) m.put("ranks", ranks);
        return m;
    }

    /** The configuration config.json holds; a missing or mistyped key is an IllegalArgumentException naming it. */
    public static TrainConfig fromMap(Map<String, Object> m) {
        TrainConfig c = new TrainConfig();
        c.preset = Presets.fromConfig(m);
        c.method = Method.parse(string(m, "method", "dsb"));
        c.dim = num(m, "dim").intValue();
        c.priorVariance = PriorVariance.parse(string(m, "prior_variance", "pooled"));
        c.priorPoints = m.containsKey("prior_points") ? num(m, "prior_points").intValue() : REFERENCE_PRIOR_POINTS;
        c.ipfIters = num(m, "ipf_iters").intValue();
        c.iters = num(m, "iters").intValue();
        c.batch = num(m, "batch").intValue();
        c.steps = num(m, "steps").intValue();
        c.schedule = TimeSchedule.Kind.valueOf(string(m, "schedule", null).toUpperCase());
        c.gammaMin = num(m, "gamma_min").doubleValue();
        c.gammaMax = num(m, "gamma_max").doubleValue();
        c.lr = num(m, "lr").doubleValue();
        c.lrSchedule = LrDecay.parse(string(m, "lr_schedule", "constant"));
        c.seed = num(m, "seed").longValue();
        c.parameterisation = Parameterisation.valueOf(string(m, "parameterisation", null).toUpperCase());
        c.emaRate = num(m, "ema_rate").doubleValue();
        c.gradClip = num(m, "grad_clip").doubleValue();
        if (!(m.get("warm_start") instanceof Boolean w)) throw new IllegalArgumentException("config: 'warm_start' missing or not true/false");
        c.warmStart = w;
        c.cacheTrajectories = num(m, "cache_trajectories").intValue();
        c.cacheRefresh = num(m, "cache_refresh").intValue();
        c.simBatch = num(m, "sim_batch").intValue();
        c.cacheTimes = m.containsKey("cache_times") ? num(m, "cache_times").intValue() : ALL_TIMES;
        c.network = NetworkSpec.parse(string(m, "network", null), m.get("hidden") instanceof List<?> l ? l : List.of(256, 256),
                m.get("unet") instanceof String s ? s : null, m.get("width") instanceof Number width ? width.intValue() : Mlp2d.REFERENCE_WIDTH,
                m.containsKey("time_scale") ? num(m, "time_scale").doubleValue() : 1.0);
        c.dataDir = m.get("data_dir") instanceof String s ? Path.of(s) : null;
        c.priorDataDir = m.get("prior_data_dir") instanceof String s ? Path.of(s) : null;
        c.evalSamples = num(m, "eval_samples").intValue();
        c.evalBatch = m.containsKey("eval_batch") ? num(m, "eval_batch").intValue() : 0;
        c.checkpointEvery = num(m, "checkpoint_every").intValue();
        c.device = Device.parse(string(m, "device", "cpu"));
        c.threads = num(m, "threads").intValue();
        c.ranks = m.containsKey("ranks") ? num(m, "ranks").intValue() : 1;
        return c;
    }

    private static Number num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) throw new IllegalArgumentException("config: '" + key + "' missing or not a number");
        return n;
    }

    private static String string(Map<String, Object> m, String key, String fallback) {
        Object v = m.getOrDefault(key, fallback);
        if (!(v instanceof String s)) throw new IllegalArgumentException("config: '" + key + "' missing or not a string");
        return s;
    }

    /**
     * Why runs of {@code this} and {@code other} simulate different chains (data, prior, reference, time grid),
     * or null when they simulate the same one and their networks can be averaged into one ensemble.
     */
    public String chainMismatch(TrainConfig other) {
        record Setting(String name, Object mine, Object theirs) {}
        for (Setting s : List.of(new Setting("preset", preset.toMap(), other.preset.toMap()), new Setting("dim", dim, other.dim),
                new Setting("steps", steps, other.steps), new Setting("schedule", schedule, other.schedule),
                new Setting("gamma_min", gammaMin, other.gammaMin), new Setting("gamma_max", gammaMax, other.gammaMax),
                new Setting("data_dir", dataDir, other.dataDir), new Setting("prior_data_dir", priorDataDir, other.priorDataDir)))
            if (!Objects.equals(s.mine(), s.theirs())) {
                boolean named = s.name().equals("preset") && !preset.name().equals(other.preset.name());   // else the data differ: show them
                return s.name() + " " + (named ? preset.name() : s.mine()) + " vs " + (named ? other.preset.name() : s.theirs());
            }
        return null;
    }

    /** The most time steps a chain may have (a chain of the papers has 20 to 50). */
    public static final int MAX_STEPS = 100_000;
    /** The most CPU threads (a fork-join pool takes at most 32,767; more than a few per core only slows down). */
    public static final int MAX_THREADS = 1024;

    /**
     * A SHA-256 of every setting that decides what the run computes (all but --threads and --device, which may
     * change on --resume), including what is bridged: the preset or the data files' identity.
     */
    public String fingerprint() {
        Map<String, Object> m = toMap();
        m.remove("threads");
        m.remove("device");
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(dsb4j.engine.io.Json.write(sorted(m)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(h);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Maps with their keys sorted, at every depth: one text for one configuration, whatever order it was built in. */
    private static Object sorted(Object o) {
        if (o instanceof Map<?, ?> m) {
            java.util.TreeMap<String, Object> t = new java.util.TreeMap<>();
            for (var e : m.entrySet()) t.put(String.valueOf(e.getKey()), sorted(e.getValue()));
            return t;
        }
        if (o instanceof List<?> l) return l.stream().map(TrainConfig::sorted).toList();
        return o;
    }

    /** The first setting (config.json key) in which {@code other} differs from this, with both values; null if none. */
    public String firstDifference(TrainConfig other) {
        Map<String, Object> a = toMap(), b = other.toMap();
        for (String k : List.of("threads", "device")) { a.remove(k); b.remove(k); }
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys)
            if (!Objects.equals(a.get(k), b.get(k)))
                return "'" + k + "': " + abbreviate(a.get(k)) + " vs " + abbreviate(b.get(k));
        return null;
    }

    private static String abbreviate(Object v) {
        String s = v == null ? "absent" : dsb4j.engine.io.Json.write(v);
        return s.length() > 80 ? s.substring(0, 77) + "…" : s;
    }

    /** Checks the settings that would otherwise fail deep inside training; messages name the option. */
    public void validate() {
        if (steps < 2 || steps % 2 != 0 || steps > MAX_STEPS)
            throw new IllegalArgumentException("--steps must be even, at least 2 and at most " + MAX_STEPS + ", got " + steps);
        if (ipfIters < 1) throw new IllegalArgumentException("--ipf-iters must be at least 1, got " + ipfIters);
        if (iters < 1) throw new IllegalArgumentException("--iters must be at least 1, got " + iters);
        if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("--lr must be positive, got " + lr);
        if (dim < 1) throw new IllegalArgumentException("--dim must be at least 1, got " + dim);
        if (ranks < 1) throw new IllegalArgumentException("ranks must be at least 1, got " + ranks);
        if (threads < 1 || threads > MAX_THREADS) throw new IllegalArgumentException("--threads must be between 1 and " + MAX_THREADS + ", got " + threads);
        if (!(gradClip >= 0) || Double.isInfinite(gradClip)) throw new IllegalArgumentException("--clip must be 0 (off) or a positive norm, got " + gradClip);
        if (checkpointEvery < 0) throw new IllegalArgumentException("--checkpoint-every must be 0 (off) or positive, got " + checkpointEvery);
        if (!(gammaMin > 0) || !(gammaMax >= gammaMin) || Double.isInfinite(gammaMax))
            throw new IllegalArgumentException("the step sizes must satisfy 0 < gamma_min <= gamma_max, got " + gammaMin + " and " + gammaMax);
        if (cacheTrajectories < 1 || cacheRefresh < 1 || simBatch < 1)
            throw new IllegalArgumentException("cache sizes must be positive");
        if (cacheTimes != ALL_TIMES && (cacheTimes < 1 || cacheTimes > steps))
            throw new IllegalArgumentException("--cache-times must be between 1 and N = " + steps + " (or all), got " + cacheTimes);
        if (!(emaRate >= 0 && emaRate < 1)) throw new IllegalArgumentException("--ema must be in [0, 1), got " + emaRate);
        if (evalSamples < 2) throw new IllegalArgumentException("--eval-samples must be at least 2, got " + evalSamples);
        if (evalBatch < 0) throw new IllegalArgumentException("eval batch must be >= 0, got " + evalBatch);
        if (priorPoints < 2 || priorPoints > MAX_PRIOR_POINTS)
            throw new IllegalArgumentException("--prior-points must be between 2 and " + MAX_PRIOR_POINTS + ", got " + priorPoints);
        int[] shape = itemShape();
        if (network instanceof NetworkSpec.UNet != (shape.length == 3))
            throw new IllegalArgumentException("the " + network.word() + " network does not fit states of shape " + Arrays.toString(shape)
                    + (shape.length == 3 ? "; images take the U-Net" : "; the U-Net takes images"));
    }
}
