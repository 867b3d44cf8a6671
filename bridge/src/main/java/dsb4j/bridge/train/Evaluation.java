package dsb4j.bridge.train;

import dsb4j.bridge.data.ImageData;
import dsb4j.bridge.data.ImageSet;
import dsb4j.bridge.data.Points;
import dsb4j.bridge.eval.GaussianBridge;
import dsb4j.bridge.eval.GaussianMarginalReport;
import dsb4j.bridge.eval.Metrics;
import dsb4j.bridge.images.Classifier;
import dsb4j.bridge.images.Classifiers;
import dsb4j.bridge.images.ImageMetrics;
import dsb4j.bridge.process.TimeSchedule;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.random.Rng;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The quality metrics logged per IPF iteration (metrics.jsonl keys) and printed by `dsb eval`. */
public final class Evaluation {
    private Evaluation() {}

    static final int PROJECTIONS = 256;
    /** The largest dimension whose covariance error is computed. */
    static final int COV_MAX_DIM = 1000;

    /**
     * Generated points against target points: exact W2 on up to {@code w2Points} of each (the "W2 to target" papers
     * report; 1,000 when {@code w2Points} ≤ 0), sliced W2, MMD, energy distance, mean and covariance error, in the
     * data's units and (the *_rel keys) relative to the target's standard deviation.
     */
    public static Map<String, Object> pointScore(Points generated, Points target, Rng rng, int w2Points) {
        if (w2Points <= 0) w2Points = Metrics.W2_MAX_POINTS;
        Map<String, Object> m = new LinkedHashMap<>();
        double sd = Math.sqrt(meanVariance(target));
        double w2 = Metrics.w2(generated, target, w2Points);
        m.put("w2", w2);
        m.put("w2_rel", w2 / sd);
        double sw2 = slicedW2(generated, target, rng);
        m.put("sw2", sw2);
        m.put("sw2_rel", sw2 / sd);
        m.put("mmd", Metrics.mmdRbf(generated, target));
        m.put("energy", Metrics.energyDistance(generated, target));
        m.put("mean_error", Metrics.meanError(generated, target));
        m.put("mean_error_rel", Metrics.meanError(generated, target) / sd);
        // the d × d covariances take 8·d² bytes each: past d = 1,000 the error is left out rather than the heap filled
        if (target.d() <= COV_MAX_DIM) m.put("cov_error", Metrics.covError(generated, target));
        m.put("target_sd", sd);
        return m;
    }

    public static double slicedW2(Points a, Points b, Rng rng) { return Metrics.slicedW2(a, b, PROJECTIONS, rng); }

    /** Points of each set in the exact W2 of the user's point data (the held-out split holds at most 2,000). */
    public static final int OWN_DATA_W2_POINTS = 2000;

    /**
     * Images of any size against held-out images, in pixel space (the user's units): sliced W2, MMD² (on a thinned
     * subset in high dimension, {@link Metrics#mmdRbf}), the error of the mean image, and the first two relative to
     * the target's per-pixel standard deviation. No class-based metric: the LeNet MNIST-FD is for the MNIST presets.
     */
    public static Map<String, Object> pixelScore(Points generated, Points target, Rng rng) {
        Map<String, Object> m = new LinkedHashMap<>();
        double sd = Math.sqrt(meanVariance(target));
        double sw2 = slicedW2(generated, target, rng);
        m.put("sw2", sw2);
        m.put("sw2_rel", sw2 / sd);
        m.put("mmd", Metrics.mmdRbf(generated, target));
        double mean = Metrics.meanError(generated, target);
        m.put("mean_error", mean);
        m.put("mean_error_rel", mean / (sd * Math.sqrt(target.d())));
        m.put("target_sd", sd);
        return m;
    }

    /** Held-out real images the image metrics compare with (the first of the held-out set). */
    public static final int HELD_OUT_IMAGES = 2000;

    /**
     * Generated images against held-out real digits (never the training images): MNIST-FD, class histogram and
     * confidence of the MNIST classifier ({@link ImageMetrics}), plus the cheap generic ones (sliced W2 and the
     * mean error, in pixel units of [−1, 1]). The O(d²) covariance metrics and the quadratic MMD / energy
     * distance are skipped at d = 784.
     */
    public static Map<String, Object> imageScore(TrainConfig c, Points generated, Rng rng) {
        try {
            ImageSet heldOut = ImageData.mnist(c.dataDir).heldOut().head(HELD_OUT_IMAGES);
            Classifier classifier = Classifiers.mnist(Backends.current());
            Map<String, Object> m = ImageMetrics.score(classifier, generated, heldOut.images(), heldOut.name());
            m.put("sw2", slicedW2(generated, heldOut.images(), rng));
            m.put("mean_error", Metrics.meanError(generated, heldOut.images()));
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Pairs (n, 2d) of the Gaussian preset, data end first, against the entropic-OT closed form. */
    public static Map<String, Object> gaussianCoupling(int dim, Tensor pairs, TimeSchedule schedule) {
        double sigma2 = 2 * schedule.total();      // Brownian DSB reference: Janati's σ² = 2T
        return GaussianBridge.couplingReport(Points.of(pairs), dim, -0.1, 1.0, 0.1, 1.0, sigma2);
    }

    /**
     * Trajectories (n, N+1, d) of the gaussian preset (chain order) against the bridge's closed-form time marginals
     * under its Brownian reference with constant γ = 1/(2N): the keys of {@link GaussianMarginalReport#toMap()}.
     */
    public static Map<String, Object> gaussianMarginals(float[] trajectories, int n, int steps, int dim) {
        TimeSchedule s = TimeSchedule.of(TimeSchedule.Kind.CONSTANT, steps, 1.0 / (2 * steps), 1.0 / (2 * steps));
        return GaussianMarginalReport.isotropic(trajectories, n, dim, s.gammas(), -0.1, 1.0, 0.1, 1.0, 2 * s.total()).toMap();
    }

    /** The mean over coordinates of the per-coordinate variance, without the d × d covariance. */
    private static double meanVariance(Points p) {
        double[] v = p.variance();
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

}
