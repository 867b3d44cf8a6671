package dsb4j.dsb.data;

import dsb4j.engine.random.Rng;
import java.util.Arrays;

/**
 * N(m, S) in any dimension: x = m + L z with S = L Lᵀ (Cholesky) and z standard normal. Diagonal covariances
 * skip the factorisation. Draws take d normals per point, point after point, from the given generator.
 */
public final class GaussianSource implements DataSource {
    private final double[] mean;
    private final double[][] cov;
    private final double[][] chol;      // lower factor; null when S is diagonal
    private final double[] sd;          // sqrt of the diagonal when S is diagonal; null otherwise

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
        for (double m : mean) if (!Double.isFinite(m)) throw new IllegalArgumentException("GaussianSource: non-finite mean " + Arrays.toString(mean));
        this.mean = mean.clone();
        this.cov = new double[d][];
        for (int i = 0; i < d; i++) this.cov[i] = cov[i].clone();
        if (isDiagonal(cov)) {
            sd = new double[d];
            for (int i = 0; i < d; i++) {
                if (!(cov[i][i] > 0) || !Double.isFinite(cov[i][i]))
                    throw new IllegalArgumentException("GaussianSource: variance of coordinate " + i + " must be positive and finite, got " + cov[i][i]);
                sd[i] = Math.sqrt(cov[i][i]);
            }
            chol = null;
        } else {
            chol = cholesky(cov);
            sd = null;
        }
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
        double[][] c = new double[mean.length][mean.length];
        for (int i = 0; i < mean.length; i++) c[i][i] = variances[i];
        return new GaussianSource(mean, c);
    }

    @Override public String name() { return "gaussian"; }

    @Override public int dim() { return mean.length; }

    public double[] mean() { return mean.clone(); }

    public double[][] covariance() {
        double[][] c = new double[cov.length][];
        for (int i = 0; i < cov.length; i++) c[i] = cov[i].clone();
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
