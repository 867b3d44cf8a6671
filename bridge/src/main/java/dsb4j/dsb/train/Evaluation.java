package dsb4j.dsb.train;

import dsb4j.dsb.data.Points;
import dsb4j.dsb.eval.GaussianBridge;
import dsb4j.dsb.eval.Metrics;
import dsb4j.dsb.process.TimeSchedule;
import dsb4j.engine.Tensor;
import dsb4j.engine.random.Rng;
import java.util.LinkedHashMap;
import java.util.Map;

/** The quality metrics logged per IPF iteration (metrics.jsonl keys) and printed by `dsb eval`. */
public final class Evaluation {
    private Evaluation() {}

    static final int PROJECTIONS = 256;

    /**
     * Generated samples against fresh data-end draws: sliced W2, MMD, energy distance, mean and covariance
     * error, in the data's units and (the *_rel keys) relative to the target's standard deviation.
     */
    public static Map<String, Object> score(TrainConfig c, Points generated, Points target, Rng rng) {
        Map<String, Object> m = new LinkedHashMap<>();
        double sd = Math.sqrt(meanVariance(target));
        double sw2 = slicedW2(generated, target, rng);
        m.put("sw2", sw2);
        m.put("sw2_rel", sw2 / sd);
        m.put("mmd", Metrics.mmdRbf(generated, target));
        m.put("energy", Metrics.energyDistance(generated, target));
        m.put("mean_error", Metrics.meanError(generated, target));
        m.put("mean_error_rel", Metrics.meanError(generated, target) / sd);
        m.put("cov_error", Metrics.covError(generated, target));
        m.put("target_sd", sd);
        return m;
    }

    public static double slicedW2(Points a, Points b, Rng rng) { return Metrics.slicedW2(a, b, PROJECTIONS, rng); }

    /** Pairs (n, 2d) of the Gaussian preset, data end first, against the entropic-OT closed form. */
    public static Map<String, Object> gaussianCoupling(TrainConfig c, Tensor pairs, TimeSchedule schedule) {
        double sigma2 = 2 * schedule.total();      // Brownian DSB reference: Janati's σ² = 2T
        return GaussianBridge.couplingReport(Points.of(pairs), c.dim, -0.1, 1.0, 0.1, 1.0, sigma2);
    }

    private static double meanVariance(Points p) {
        double[][] cov = p.covariance();
        double s = 0;
        for (int i = 0; i < cov.length; i++) s += cov[i][i];
        return s / cov.length;
    }
}
