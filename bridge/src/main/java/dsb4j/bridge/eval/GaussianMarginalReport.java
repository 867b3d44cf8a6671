package dsb4j.bridge.eval;

import dsb4j.bridge.data.Points;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The time marginals of a learned Gaussian bridge against the closed form: trajectories (n, N+1, d) in chain order,
 * each index k fitted by a Gaussian (sample mean, unbiased full covariance) and scored by KL(fit ‖ p_k), p_k the
 * Schrödinger bridge's marginal at k ({@link GaussianBridge#marginalMeans}, {@link GaussianBridge#marginalVariances}).
 * The mean over k is DSBM's "mean over the 21 times of KL(p_t ‖ p_t^SB)" (d = 50, N = 20). A fit to n exact samples
 * is not at 0: 2n·KL tends to a χ² with d + d(d+1)/2 degrees of freedom, so its mean (d + d(d+1)/2)/(2n) is
 * reported beside it as the estimator's floor.
 */
public record GaussianMarginalReport(double[] kl, double floor) {

    public double meanKl() { return Arrays.stream(kl).average().orElse(Double.NaN); }

    /** marginal_kl (per index k = 0..N), marginal_kl_mean, marginal_kl_floor. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("marginal_kl", Arrays.stream(kl).boxed().toList());
        m.put("marginal_kl_mean", meanKl());
        m.put("marginal_kl_floor", floor);
        return m;
    }

    /**
     * Trajectories {@code traj} (n × (N+1) × d floats, chain order) of an isotropic problem N(meanData·1, varData·I)
     * ↔ N(meanPrior·1, varPrior·I) under a Brownian reference with steps {@code gammas}, against the bridge at σ².
     */
    public static GaussianMarginalReport isotropic(float[] traj, int n, int dim, double[] gammas, double meanData, double varData,
                                                   double meanPrior, double varPrior, double sigma2) {
        int indices = gammas.length + 1;
        if (n < 2 || dim < 1 || traj.length != (long) n * indices * dim)
            throw new IllegalArgumentException("GaussianMarginalReport: " + traj.length + " floats are not " + n + " trajectories of "
                    + indices + " states × " + dim + " (n ≥ 2)");
        double c = GaussianBridge.crossCovariance(varData, varPrior, sigma2);
        double v = Double.POSITIVE_INFINITY;
        double[][] mu = GaussianBridge.marginalMeans(gammas, v, new double[dim], filled(dim, meanData), filled(dim, meanPrior));
        double[] var = GaussianBridge.marginalVariances(gammas, v, varData, varPrior, c);
        Points paths = new Points(n, indices * dim, traj);              // row i: trajectory i, index k in columns k·d…
        double[] kl = new double[indices];
        for (int k = 0; k < indices; k++) {
            Points states = paths.columns(k * dim, (k + 1) * dim);
            kl[k] = klToIsotropic(states.mean(), states.covariance(), mu[k], var[k]);
        }
        return new GaussianMarginalReport(kl, (dim + dim * (dim + 1) / 2.0) / (2.0 * n));
    }

    /** KL(N(mean, cov) ‖ N(mu, s·I)) = ½ [tr(cov)/s + ‖mu − mean‖²/s − d + d ln s − ln det cov]. */
    static double klToIsotropic(double[] mean, double[][] cov, double[] mu, double s) {
        int d = mean.length;
        double trace = 0, dist = 0, logDet = 0;
        for (int j = 0; j < d; j++) {
            trace += cov[j][j];
            dist += (mu[j] - mean[j]) * (mu[j] - mean[j]);
        }
        for (double lambda : Matrices.eigenSymmetric(cov).values()) {
            if (!(lambda > 0)) return Double.POSITIVE_INFINITY;     // a degenerate fit: no density to compare
            logDet += Math.log(lambda);
        }
        return 0.5 * (trace / s + dist / s - d + d * Math.log(s) - logDet);
    }

    private static double[] filled(int d, double value) {
        double[] out = new double[d];
        Arrays.fill(out, value);
        return out;
    }
}
