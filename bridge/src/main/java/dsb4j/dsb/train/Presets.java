package dsb4j.dsb.train;

import dsb4j.dsb.data.DataSource;
import dsb4j.dsb.data.GaussianSource;
import dsb4j.dsb.data.Points;
import dsb4j.dsb.data.Toy2d;
import dsb4j.dsb.drift.DriftNet.Parameterisation;
import dsb4j.dsb.process.ReferenceProcess;
import dsb4j.dsb.process.TimeSchedule;
import dsb4j.engine.random.Rng;
import java.util.List;

/**
 * Named configurations. Each has a CPU budget that trains in minutes on 2 cores ("quick", the default) and the
 * reference code's budget ("reference", dsb-method.md §2.2). The 2D presets follow the reference conventions:
 * N = 20 constant γ = 0.01 (T = 0.2), an adaptive Gaussian prior (per-coordinate mean and one variance of
 * 100 data points), the 26,498-parameter MLP and the increment parameterisation.
 */
public final class Presets {
    private Presets() {}

    public static final List<String> TOYS = List.of("moons", "circles", "8gaussians", "checkerboard", "swissroll", "scurve");
    public static final List<String> NAMES = List.of("moons", "circles", "8gaussians", "checkerboard", "swissroll", "scurve",
            "moons-to-circles", "gaussian");
    /** Presets of the image issue, listed so users know they are coming. */
    public static final List<String> COMING = List.of("mnist", "mnist-to-fashion");
    public static final List<String> BUDGETS = List.of("quick", "reference");

    public static TrainConfig defaults(String preset, String budget) {
        if (COMING.contains(preset))
            throw new IllegalArgumentException("preset '" + preset + "' is not built yet (image presets arrive with the MNIST work); available: " + NAMES);
        if (!NAMES.contains(preset)) throw new IllegalArgumentException("unknown preset '" + preset + "'; available: " + NAMES);
        if (!BUDGETS.contains(budget)) throw new IllegalArgumentException("unknown budget '" + budget + "'; available: " + BUDGETS);
        boolean reference = budget.equals("reference");
        TrainConfig c = new TrainConfig();
        c.preset = preset;
        if (preset.equals("gaussian")) {
            // DSBM's Gaussian benchmark in DSB units: Brownian reference, constant γ = 1/(2N) ⇒ T = 0.5, σ² = 2T = 1.
            c.dim = 5;
            c.steps = 20;
            c.schedule = TimeSchedule.Kind.CONSTANT;
            c.gammaMin = c.gammaMax = 1.0 / (2 * c.steps);
            c.network = "mlp";
            c.hidden = new int[]{256, 256};
            c.batch = 128;
            c.ipfIters = reference ? 20 : 5;
            c.iters = reference ? 10_000 : 1000;
            c.lr = reference ? 1e-4 : 1e-3;
            c.lrSchedule = reference ? "constant" : "cosine";   // the decay removes most of the fit's noise in a short budget
            c.cacheTrajectories = reference ? 10_000 : 1280;
            c.cacheRefresh = 100;
            c.simBatch = c.cacheTrajectories;
            c.evalSamples = 10_000;
            return c;
        }
        // 2D toys and moons-to-circles: reference §2.2.
        c.dim = 2;
        c.steps = 20;
        c.schedule = TimeSchedule.Kind.CONSTANT;
        c.gammaMin = c.gammaMax = 0.01;
        c.network = "mlp2d";
        c.batch = 512;
        c.parameterisation = Parameterisation.INCREMENT;
        c.ipfIters = reference ? 20 : 12;
        c.iters = reference ? 5000 : 1500;
        c.lr = reference ? 1e-4 : 1e-3;
        c.lrSchedule = reference ? "constant" : "cosine";
        // Our cache holds what R steps consume (R·B pairs = R·B/N trajectories); the reference's holds 10,000.
        c.cacheTrajectories = reference ? 10_000 : c.cacheRefresh * c.batch / c.steps;
        c.simBatch = c.cacheTrajectories;
        c.evalSamples = 2000;
        return c;
    }

    /** The two ends and the reference process of a configuration. */
    public static Problem problem(TrainConfig c) {
        TimeSchedule schedule = TimeSchedule.of(c.schedule, c.steps, c.gammaMin, c.gammaMax);
        if (c.preset.equals("gaussian")) {
            DataSource data = GaussianSource.isotropic(c.dim, -0.1, 1.0);
            DataSource prior = GaussianSource.isotropic(c.dim, 0.1, 1.0);
            return new Problem(data, prior, ReferenceProcess.brownian(schedule), false);
        }
        if (c.preset.equals("moons-to-circles")) {
            // Transport: circles at the data end, moons at the prior end; near-Brownian reference as in the reference code.
            return new Problem(Toy2d.of("circles"), Toy2d.of("moons"), new ReferenceProcess(schedule, new double[]{0}, 1000), false);
        }
        DataSource data = Toy2d.of(c.preset);
        // Adaptive prior: per-coordinate mean and one variance of 100 data points (the reference's final_adaptive).
        Points p = data.sample(100, new Rng(c.seed).fork(0xADA));
        double[] mean = new double[p.d()];
        double var = 0;
        for (int i = 0; i < p.n(); i++) for (int j = 0; j < p.d(); j++) mean[j] += p.data()[i * p.d() + j] / (double) p.n();
        for (int i = 0; i < p.n(); i++) for (int j = 0; j < p.d(); j++) {
            double e = p.data()[i * p.d() + j] - mean[j];
            var += e * e / ((double) p.n() * p.d());
        }
        ReferenceProcess ref = new ReferenceProcess(schedule, mean, var);
        return new Problem(data, GaussianSource.diagonal(mean, var), ref, true);
    }
}
