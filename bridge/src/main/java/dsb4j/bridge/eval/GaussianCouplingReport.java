package dsb4j.bridge.eval;

import dsb4j.bridge.data.Points;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How far a learned coupling — pairs (n, 2d), data end X_0 in the first d columns, prior end X_N in the last d —
 * is from the Gaussian closed form: per-coordinate moments of each end, the sample cross-covariance
 * Cov(X_0, X_N) (d × d, unbiased), and its error against the target C_σ: the largest absolute difference on the
 * diagonal, off it, and over all d × d entries, and the Frobenius norm of the whole difference.
 */
public record GaussianCouplingReport(double[] meanData, double[] meanPrior, double[] varData, double[] varPrior,
                                     double[][] crossCov, double[][] target,
                                     double expectedMeanData, double expectedMeanPrior,
                                     double expectedVarData, double expectedVarPrior) {

    /** An isotropic problem N(meanData·1, varData·I) ↔ N(meanPrior·1, varPrior·I) at Janati's σ². */
    public static GaussianCouplingReport isotropic(Points pairs, int dim, double meanData, double varData,
                                                   double meanPrior, double varPrior, double sigma2) {
        double c = GaussianBridge.crossCovariance(varData, varPrior, sigma2);
        return of(pairs, dim, Matrices.scaledIdentity(dim, c), meanData, meanPrior, varData, varPrior);
    }

    /** Against any target cross-covariance; the expected moments are only reported (NaN: not known). */
    public static GaussianCouplingReport of(Points pairs, int dim, double[][] target,
                                            double expectedMeanData, double expectedMeanPrior,
                                            double expectedVarData, double expectedVarPrior) {
        if (dim < 1 || pairs.d() != 2 * dim)
            throw new IllegalArgumentException("GaussianCouplingReport: pairs " + pairs + " do not hold two ends of dimension " + dim);
        if (pairs.n() < 2) throw new IllegalArgumentException("GaussianCouplingReport: needs at least 2 pairs, got " + pairs.n());
        if (target.length != dim || target[0].length != dim)
            throw new IllegalArgumentException("GaussianCouplingReport: target is " + target.length + " × " + target[0].length + ", want " + dim + " × " + dim);
        int n = pairs.n(), w = 2 * dim;
        float[] x = pairs.data();
        double[] mean = pairs.mean();
        double[] var = new double[w];
        double[][] cross = new double[dim][dim];
        double[] e = new double[w];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < w; j++) {
                e[j] = x[i * w + j] - mean[j];
                var[j] += e[j] * e[j];
            }
            for (int a = 0; a < dim; a++) {
                double ea = e[a];
                for (int b = 0; b < dim; b++) cross[a][b] += ea * e[dim + b];
            }
        }
        for (int j = 0; j < w; j++) var[j] /= n - 1;
        for (int a = 0; a < dim; a++) for (int b = 0; b < dim; b++) cross[a][b] /= n - 1;
        return new GaussianCouplingReport(
                java.util.Arrays.copyOfRange(mean, 0, dim), java.util.Arrays.copyOfRange(mean, dim, w),
                java.util.Arrays.copyOfRange(var, 0, dim), java.util.Arrays.copyOfRange(var, dim, w),
                cross, target, expectedMeanData, expectedMeanPrior, expectedVarData, expectedVarPrior);
    }

    /** Mean of the diagonal of Cov(X_0, X_N). */
    public double crossCovDiagonalMean() { return diagMean(crossCov); }

    public double targetDiagonalMean() { return diagMean(target); }

    /** max_j |Cov(X_0, X_N)_jj − C_jj|. */
    public double crossCovError() {
        double m = 0;
        for (int j = 0; j < crossCov.length; j++) m = Math.max(m, Math.abs(crossCov[j][j] - target[j][j]));
        return m;
    }

    /** max_{a ≠ b} |Cov(X_0, X_N)_ab − C_ab| (0 for d = 1). */
    public double crossCovOffDiagonalError() {
        double m = 0;
        for (int a = 0; a < crossCov.length; a++)
            for (int b = 0; b < crossCov.length; b++) if (a != b) m = Math.max(m, Math.abs(crossCov[a][b] - target[a][b]));
        return m;
    }

    /** max_{a, b} |Cov(X_0, X_N)_ab − C_ab|: the larger of the diagonal and off-diagonal errors. */
    public double crossCovMaxError() { return Math.max(crossCovError(), crossCovOffDiagonalError()); }

    /** ‖Cov(X_0, X_N) − C‖_F. */
    public double crossCovFrobeniusError() { return Matrices.frobeniusDistance(crossCov, target); }

    /**
     * Scalars for metrics.jsonl: mean_data, mean_prior, var_data, var_prior (averaged over coordinates),
     * cross_cov (mean diagonal), cross_cov_target, cross_cov_error (max abs over the diagonal),
     * cross_cov_offdiag_error (max abs off it), cross_cov_max_error (max abs over all d × d entries),
     * cross_cov_frobenius, and the largest per-coordinate deviation of each moment from its expected value
     * (mean_data_error, …; only when that value is known).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean_data", average(meanData));
        m.put("mean_prior", average(meanPrior));
        m.put("var_data", average(varData));
        m.put("var_prior", average(varPrior));
        m.put("cross_cov", crossCovDiagonalMean());
        m.put("cross_cov_target", targetDiagonalMean());
        m.put("cross_cov_error", crossCovError());
        m.put("cross_cov_offdiag_error", crossCovOffDiagonalError());
        m.put("cross_cov_max_error", crossCovMaxError());
        m.put("cross_cov_frobenius", crossCovFrobeniusError());
        putError(m, "mean_data_error", meanData, expectedMeanData);
        putError(m, "mean_prior_error", meanPrior, expectedMeanPrior);
        putError(m, "var_data_error", varData, expectedVarData);
        putError(m, "var_prior_error", varPrior, expectedVarPrior);
        return m;
    }

    private static void putError(Map<String, Object> m, String key, double[] values, double expected) {
        if (Double.isNaN(expected)) return;
        double e = 0;
        for (double v : values) e = Math.max(e, Math.abs(v - expected));
        m.put(key, e);
    }

    private static double average(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s / v.length;
    }

    private static double diagMean(double[][] c) {
        double s = 0;
        for (int j = 0; j < c.length; j++) s += c[j][j];
        return s / c.length;
    }
}
