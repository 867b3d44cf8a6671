package dsb4j.dsb.train;

import dsb4j.dsb.drift.DriftNet.Parameterisation;
import dsb4j.dsb.process.TimeSchedule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every setting of a training run, resolved (preset defaults plus the user's overrides). Printed at start and
 * saved as config.json, so a run says exactly what it did; {@link #fromMap} reads it back for --resume.
 * A plain data holder with public fields, like a Python dataclass.
 */
public final class TrainConfig {
    public String preset = "moons";
    /**
     * Training targets: DSB's mean matching on simulated trajectories, or DSBM's bridge matching on the reference's
     * bridges between the chains' ends — started from the reference's own coupling (dsbm: DSBM-IPF) or from data
     * and prior drawn independently (dsbm-imf: DSBM-IMF, whose every coupling has both marginals right).
     */
    public String method = DSB;
    public static final String DSB = "dsb", DSBM = "dsbm", DSBM_IMF = "dsbm-imf";
    public static final java.util.List<String> METHODS = java.util.List.of(DSB, DSBM, DSBM_IMF);

    /** Whether the half-steps fit bridges between chain ends (both DSBM variants) rather than DSB's trajectories. */
    public boolean bridgeMatching() { return method.equals(DSBM) || method.equals(DSBM_IMF); }
    /** Dimension of the state (2 for toys; --dim for the gaussian preset). */
    public int dim = 2;
    /** K: IPF iterations. */
    public int ipfIters = 8;
    /** I: optimiser steps per half-step. */
    public int iters = 1000;
    public int batch = 512;
    /** N: time steps (even). */
    public int steps = 20;
    public TimeSchedule.Kind schedule = TimeSchedule.Kind.CONSTANT;
    public double gammaMin = 0.01, gammaMax = 0.01;
    public double lr = 1e-3;
    /** Learning rate within a half-step: constant, or cosine decay from lr to lr/100 (fresh every half-step). */
    public String lrSchedule = "constant";
    public long seed = 42;
    public Parameterisation parameterisation = Parameterisation.INCREMENT;
    /** EMA rate of the weights used to simulate; 0 turns EMA off. */
    public double emaRate = 0;
    /** Global gradient-norm clip; 0 turns clipping off. */
    public double gradClip = 0;
    /** Keep the network between half-steps (true) or re-initialise it (false, the reference for 2D and MNIST). */
    public boolean warmStart = false;
    /** Trajectories per cache build and optimiser steps between builds (R). */
    public int cacheTrajectories = 2560, cacheRefresh = 100;
    /** Trajectories simulated at once while building a cache. */
    public int simBatch = 2560;
    /** Network: mlp2d (the reference 2D net), mlp (hidden widths below, SiLU), unet. */
    public String network = "mlp2d";
    public int[] hidden = {256, 256};
    /** The U-Net of the network "unet": small28 (32 channels), reference28 (the reference's 64 channels), tiny28 (tests). */
    public String unet = "small28";
    /** Image presets: a folder with the four MNIST IDX files (data end); null = the 10,000 digits shipped with dsb4j. */
    public String dataDir = null;
    /** mnist-to-fashion: a folder with the four Fashion-MNIST IDX files (prior end); null = the system package's. */
    public String priorDataDir = null;
    /** Samples generated after each IPF iteration for samples-ipf<K>.npy and the metrics. */
    public int evalSamples = 2000;
    /** Chains run at once for those samples (0: all at once; image presets use small chunks). */
    public int evalBatch = 0;
    /** Also checkpoint every this many optimiser steps inside a half-step (0: only at half-step ends). */
    public int checkpointEvery = 0;
    public String device = "cpu";
    public int threads = Runtime.getRuntime().availableProcessors();

    /** The learning rate of optimiser step {@code step} of a half-step. */
    public dsb4j.nn.optim.LrSchedule learningRates() {
        return lrSchedule.equals("cosine") ? dsb4j.nn.optim.LrSchedule.cosine(lr, lr / 100, iters)
                : dsb4j.nn.optim.LrSchedule.constant(lr);
    }

    public TrainConfig copy() { return fromMap(toMap()); }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preset", preset);
        m.put("method", method);
        m.put("dim", dim);
        m.put("ipf_iters", ipfIters);
        m.put("iters", iters);
        m.put("batch", batch);
        m.put("steps", steps);
        m.put("schedule", schedule.name().toLowerCase());
        m.put("gamma_min", gammaMin);
        m.put("gamma_max", gammaMax);
        m.put("lr", lr);
        m.put("lr_schedule", lrSchedule);
        m.put("seed", seed);
        m.put("parameterisation", parameterisation.name().toLowerCase());
        m.put("ema_rate", emaRate);
        m.put("grad_clip", gradClip);
        m.put("warm_start", warmStart);
        m.put("cache_trajectories", cacheTrajectories);
        m.put("cache_refresh", cacheRefresh);
        m.put("sim_batch", simBatch);
        m.put("network", network);
        m.put("hidden", java.util.Arrays.stream(hidden).boxed().toList());
        // image settings only where they apply, so the other presets' config.json stays as it was
        if (network.equals("unet")) m.put("unet", unet);
        if (dataDir != null) m.put("data_dir", dataDir);
        if (priorDataDir != null) m.put("prior_data_dir", priorDataDir);
        if (evalBatch > 0) m.put("eval_batch", evalBatch);
        m.put("eval_samples", evalSamples);
        m.put("checkpoint_every", checkpointEvery);
        m.put("device", device);
        m.put("threads", threads);
        return m;
    }

    public static TrainConfig fromMap(Map<String, Object> m) {
        TrainConfig c = new TrainConfig();
        c.preset = (String) m.get("preset");
        c.method = (String) m.getOrDefault("method", DSB);
        c.dim = num(m, "dim").intValue();
        c.ipfIters = num(m, "ipf_iters").intValue();
        c.iters = num(m, "iters").intValue();
        c.batch = num(m, "batch").intValue();
        c.steps = num(m, "steps").intValue();
        c.schedule = TimeSchedule.Kind.valueOf(((String) m.get("schedule")).toUpperCase());
        c.gammaMin = num(m, "gamma_min").doubleValue();
        c.gammaMax = num(m, "gamma_max").doubleValue();
        c.lr = num(m, "lr").doubleValue();
        c.lrSchedule = (String) m.getOrDefault("lr_schedule", "constant");
        c.seed = num(m, "seed").longValue();
        c.parameterisation = Parameterisation.valueOf(((String) m.get("parameterisation")).toUpperCase());
        c.emaRate = num(m, "ema_rate").doubleValue();
        c.gradClip = num(m, "grad_clip").doubleValue();
        c.warmStart = (Boolean) m.get("warm_start");
        c.cacheTrajectories = num(m, "cache_trajectories").intValue();
        c.cacheRefresh = num(m, "cache_refresh").intValue();
        c.simBatch = num(m, "sim_batch").intValue();
        c.network = (String) m.get("network");
        c.hidden = ((java.util.List<?>) m.get("hidden")).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
        c.unet = (String) m.getOrDefault("unet", "small28");
        c.dataDir = (String) m.get("data_dir");
        c.priorDataDir = (String) m.get("prior_data_dir");
        c.evalSamples = num(m, "eval_samples").intValue();
        c.evalBatch = m.containsKey("eval_batch") ? num(m, "eval_batch").intValue() : 0;
        c.checkpointEvery = num(m, "checkpoint_every").intValue();
        c.device = (String) m.get("device");
        c.threads = num(m, "threads").intValue();
        return c;
    }

    private static Number num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) throw new IllegalArgumentException("config: '" + key + "' missing or not a number");
        return n;
    }

    /**
     * Why runs of {@code this} and {@code other} simulate different chains (data, prior, reference, time grid),
     * or null when they simulate the same one and their networks can be averaged into one ensemble.
     */
    public String chainMismatch(TrainConfig other) {
        record Setting(String name, Object mine, Object theirs) {}
        for (Setting s : java.util.List.of(new Setting("preset", preset, other.preset), new Setting("dim", dim, other.dim),
                new Setting("steps", steps, other.steps), new Setting("schedule", schedule, other.schedule),
                new Setting("gamma_min", gammaMin, other.gammaMin), new Setting("gamma_max", gammaMax, other.gammaMax),
                new Setting("data_dir", dataDir, other.dataDir), new Setting("prior_data_dir", priorDataDir, other.priorDataDir)))
            if (!java.util.Objects.equals(s.mine(), s.theirs())) return s.name() + " " + s.mine() + " vs " + s.theirs();
        return null;
    }

    /** Checks the settings that would otherwise fail deep inside training; messages name the option. */
    public void validate() {
        if (!METHODS.contains(method)) throw new IllegalArgumentException("--method must be one of " + String.join(", ", METHODS) + ", got '" + method + "'");
        if (steps < 2 || steps % 2 != 0) throw new IllegalArgumentException("--steps must be even and at least 2, got " + steps);
        if (ipfIters < 1) throw new IllegalArgumentException("--ipf-iters must be at least 1, got " + ipfIters);
        if (iters < 1) throw new IllegalArgumentException("--iters must be at least 1, got " + iters);
        if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        if (!(lr > 0)) throw new IllegalArgumentException("--lr must be positive, got " + lr);
        if (!lrSchedule.equals("constant") && !lrSchedule.equals("cosine"))
            throw new IllegalArgumentException("--lr-schedule must be constant or cosine, got '" + lrSchedule + "'");
        if (dim < 1) throw new IllegalArgumentException("--dim must be at least 1, got " + dim);
        if (threads < 1) throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        if (cacheTrajectories < 1 || cacheRefresh < 1 || simBatch < 1)
            throw new IllegalArgumentException("cache sizes must be positive");
        if (emaRate < 0 || emaRate >= 1) throw new IllegalArgumentException("EMA rate must be in [0, 1), got " + emaRate);
        if (network.equals("unet") && !Networks.UNETS.contains(unet))
            throw new IllegalArgumentException("--unet must be one of " + Networks.UNETS + ", got '" + unet + "'");
        if (evalSamples < 2) throw new IllegalArgumentException("--eval-samples must be at least 2, got " + evalSamples);
        if (evalBatch < 0) throw new IllegalArgumentException("eval batch must be >= 0, got " + evalBatch);
    }
}
