package dsb4j.examples;

import dsb4j.bridge.data.Points;
import dsb4j.bridge.eval.Matrices;

/**
 * A map of d-dimensional points onto the first two principal components of a target set: subtract the target's
 * mean, take the dot products with the two leading eigenvectors of its sample covariance. {@code percent} is the
 * share of the target's total variance (the covariance's trace) that each axis holds.
 */
record Projection(double[] mean, double[][] axes, double[] percent) {

    /**
     * Above this dimension Jacobi's O(d³) sweeps on the full covariance take seconds to minutes, so the two
     * leading eigenvectors come from orthogonal (block power) iteration on the centred points instead.
     */
    static final int EXACT_MAX_D = 200;

    static Projection principal(Points target) { return principal(target, EXACT_MAX_D); }

    /** As {@link #principal(Points)}, with the dimension above which iteration replaces the full decomposition. */
    static Projection principal(Points target, int exactMaxD) {
        int d = target.d();
        if (d < 2 || target.n() < 2)
            throw new IllegalArgumentException("projection: need at least 2 target points of d >= 2, got " + target);
        double[] mean = target.mean();
        double[][] axes = new double[2][];
        double[] values = new double[2];
        double total = 0;
        if (d <= exactMaxD) {
            double[][] cov = target.covariance();
            for (int i = 0; i < d; i++) total += cov[i][i];
            Matrices.Eigen e = Matrices.eigenSymmetric(cov);                     // eigenvalues ascending: the last two lead
            for (int k = 0; k < 2; k++) {
                values[k] = e.values()[d - 1 - k];
                axes[k] = new double[d];
                for (int i = 0; i < d; i++) axes[k][i] = e.vectors()[i][d - 1 - k];
            }
        } else {
            LeadingPair p = LeadingPair.of(target, mean);
            axes = p.axes();
            values = p.values();
            total = p.total();
        }
        double[] percent = new double[2];
        for (int k = 0; k < 2; k++) {
            percent[k] = total > 0 ? 100 * Math.max(0, values[k]) / total : 0;
            orient(axes[k]);
        }
        return new Projection(mean, axes, percent);
    }

    /** (n, 2): each point's coordinates along the two axes. */
    Points apply(Points p) {
        int d = mean.length;
        if (p.d() != d) throw new IllegalArgumentException("projection: fitted on d = " + d + ", applied to " + p);
        float[] out = new float[2 * p.n()];
        for (int i = 0; i < p.n(); i++)
            for (int k = 0; k < 2; k++) {
                double s = 0;
                for (int j = 0; j < d; j++) s += (p.data()[i * d + j] - mean[j]) * axes[k][j];
                out[2 * i + k] = (float) s;
            }
        return new Points(p.n(), 2, out);
    }

    /** "PC1 (72.4 % of variance)" for k = 0. */
    String axisTitle(int k) { return String.format("PC%d (%.1f %% of variance)", k + 1, percent[k]); }

    /** An eigenvector's sign is arbitrary: make its largest entry positive so that pictures do not flip between runs. */
    private static void orient(double[] v) {
        int at = 0;
        for (int i = 1; i < v.length; i++) if (Math.abs(v[i]) > Math.abs(v[at])) at = i;
        if (v[at] < 0) for (int i = 0; i < v.length; i++) v[i] = -v[i];
    }
}
