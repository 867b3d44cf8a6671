package dsb4j.bridge.data;

import dsb4j.engine.random.Rng;
import java.util.Arrays;

/**
 * N(m, S) in any dimension: x = m + L z with S = L Lᵀ (Cholesky) and z standard normal. Diagonal covariances
 * skip the factorisation. Draws take d normals per point, point after point, from the given generator.
 */
public final class GaussianSource implements DataSource {
    private final double[] mean;
    private final double[][] chol;      // lower factor of a full covariance; null when diagonal
    private final double[] sd;          // per-coordinate standard deviations when diagonal; null otherwise

    /** N(mean, cov); cov must be symmetric positive definite. */
    public GaussianSource(double[] mean, double[][] cov) {
        int d = mean.length;
        if (d < 1) throw new IllegalArgumentException("GaussianSource: the mean needs at least one coordinate");
        if (cov.length != d) throw new IllegalArgumentException("GaussianSource: mean of " + d + " coordinates, covariance with " + cov.length + " rows");
        for (int i = 0; i < d; i++) {
            if (cov[i].length != d)
                throw new IllegalArgumentException("GaussianSource: covariance row " + i + " has " + cov[i].length + " values, want " + d);
            for (int j = 0; j < i; j++) {
                double a = cov[i][j], b = cov[j][i];
                if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.max(Math.abs(a), Math.abs(b))))
                    throw new IllegalArgumentException("GaussianSource: covariance is not symmetric at (" + i + ", " + j + "): " + a + " vs " + b);
            }
        }
        checkMean(mean);
        this.mean = mean.clone();
        if (isDiagonal(cov)) {
            double[] v = new double[d];
            for (int i = 0; i < d; i++) v[i] = cov[i][i];
            sd = standardDeviations(v);
            chol = null;
        } else {
            chol = cholesky(cov);
            sd = null;
        }
    }

    /** A diagonal covariance kept as its d standard deviations (no d × d matrix: images have d in the thousands). */
    private GaussianSource(double[] mean, double[] variances) {
        checkMean(mean);
        this.mean = mean.clone();
        this.sd = standardDeviations(variances);
        this.chol = null;
    }

    private static void checkMean(double[] mean) {
        if (mean.length < 1) throw new IllegalArgumentException("GaussianSource: the mean needs at least one coordinate");
        for (double m : mean) if (!Double.isFinite(m)) throw new IllegalArgumentException("GaussianSource: non-finite mean " + Arrays.toString(mean));
    }

    private static double[] standardDeviations(double[] variances) {
        double[] sd = new double[variances.length];
        for (int i = 0; i < sd.length; i++) {
            if (!(variances[i] > 0) || !Double.isFinite(variances[i]))
                throw new IllegalArgumentException("GaussianSource: variance of coordinate " + i + " must be positive and finite, got " + variances[i]);
            sd[i] = Math.sqrt(variances[i]);
        }
        return sd;
    }

    /** N(mean·1, variance·I) in dimension dim. */
    public static GaussianSource isotropic(int dim, double mean, double variance) {
        if (dim < 1) throw new IllegalArgumentException("GaussianSource.isotropic: dimension must be >= 1, got " + dim);
        double[] m = new double[dim];
        Arrays.fill(m, mean);
        double[] v = new double[dim];
        Arrays.fill(v, variance);
        return diagonal(m, v);
    }

    /** N(mean, variance·I): one variance for every coordinate (the adaptive prior of the toys). */
    public static GaussianSource diagonal(double[] mean, double variance) {
        double[] v = new double[mean.length];
        Arrays.fill(v, variance);
        return diagonal(mean, v);
    }

    /** N(mean, diag(variances)). */
    public static GaussianSource diagonal(double[] mean, double[] variances) {
        if (variances.length != mean.length)
            throw new IllegalArgumentException("GaussianSource.diagonal: mean of " + mean.length + " coordinates, " + variances.length + " variances");
        return new GaussianSource(mean, variances);
    }

    @Override public String name() { return "gaussian"; }

    @Override public int dim() { return mean.length; }

    public double[] mean() { return mean.clone(); }

    /** The d × d covariance (built on request: S = L Lᵀ, or the diagonal). */
    public double[][] covariance() {
        int d = mean.length;
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++) {
                double v;
                if (sd != null) {
                    v = i == j ? sd[i] * sd[i] : 0;
                } else {
                    v = 0;
                    for (int k = 0; k <= j; k++) v += chol[i][k] * chol[j][k];
                }
                c[i][j] = c[j][i] = v;
            }
        return c;
    }

    @Override public Points sample(int n, Rng rng) {
        if (n < 0) throw new IllegalArgumentException("gaussian.sample: n must be >= 0, got " + n);
        int d = mean.length;
        float[] out = new float[n * d];
        double[] z = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) z[j] = rng.nextGaussian();
            for (int j = 0; j < d; j++) {
                double x;
                if (sd != null) {
                    x = mean[j] + sd[j] * z[j];
                } else {
                    x = mean[j];
                    double[] lj = chol[j];
                    for (int k = 0; k <= j; k++) x += lj[k] * z[k];
                }
                out[i * d + j] = (float) x;
            }
        }
        return new Points(n, d, out);
    }

    private static boolean isDiagonal(double[][] c) {
        for (int i = 0; i < c.length; i++) for (int j = 0; j < c.length; j++) if (i != j && c[i][j] != 0) return false;
        return true;
    }

    /** Lower-triangular L with S = L Lᵀ; fails with the pivot where S stops being positive definite. */
    static double[][] cholesky(double[][] s) {
        int d = s.length;
        double[][] l = new double[d][d];
        for (int j = 0; j < d; j++) {
            double diag = s[j][j];
            for (int k = 0; k < j; k++) diag -= l[j][k] * l[j][k];
            if (!(diag > 0) || !Double.isFinite(diag))
                throw new IllegalArgumentException("GaussianSource: covariance (" + d + " × " + d + ") is not positive definite (pivot " + j + " = " + diag + ")");
            l[j][j] = Math.sqrt(diag);
            for (int i = j + 1; i < d; i++) {
                double v = s[i][j];
                for (int k = 0; k < j; k++) v -= l[i][k] * l[j][k];
                l[i][j] = v / l[j][j];
            }
        }
        return l;
    }

    @Override public String toString() { return "GaussianSource(d=" + mean.length + ")"; }
}
