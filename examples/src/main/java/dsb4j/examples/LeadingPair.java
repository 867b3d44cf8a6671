package dsb4j.examples;

import dsb4j.bridge.data.Points;
import dsb4j.bridge.eval.Matrices;
import java.util.Random;

/**
 * The two leading eigenpairs of a set of points' sample covariance, for dimensions where forming it is too slow;
 * {@code total} is the covariance's trace over the same rows, so that the two shares never pass 100 %.
 */
record LeadingPair(double[][] axes, double[] values, double total) {

    /**
     * Orthogonal (block power) iteration Q ← orth(C Q) on the centred points, C q = Xcᵀ (Xc q) / (n − 1) at O(n·d)
     * a product, never the d × d matrix; at most 2,000 evenly spaced rows. A 2 × 2 Rayleigh–Ritz step then orders
     * and rotates the pair. Stops when the Ritz values settle to 1e-9 (a plot needs no more) or after 500 rounds.
     */
    static LeadingPair of(Points target, double[] mean) {
        int d = target.d(), stride = Math.max(1, Math.ceilDiv(target.n(), 2000)), n = Math.ceilDiv(target.n(), stride);
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) x[i][j] = target.data()[i * stride * d + j] - mean[j];
        Random random = new Random(1);
        double[][] q = new double[2][d];
        for (double[] col : q) for (int j = 0; j < d; j++) col[j] = random.nextGaussian();
        orthonormalise(q);
        double[] ritz = {0, 0};
        for (int it = 0; it < 500; it++) {
            double[][] z = {covTimes(x, q[0]), covTimes(x, q[1])};
            double[] next = {dot(q[0], z[0]), dot(q[1], z[1])};
            q = z;
            orthonormalise(q);
            boolean settled = Math.abs(next[0] - ritz[0]) <= 1e-9 * Math.abs(next[0]) && Math.abs(next[1] - ritz[1]) <= 1e-9 * Math.abs(next[0]);
            ritz = next;
            if (settled) break;
        }
        double[][] cq = {covTimes(x, q[0]), covTimes(x, q[1])};
        double[][] h = {{dot(q[0], cq[0]), dot(q[0], cq[1])}, {dot(q[1], cq[0]), dot(q[1], cq[1])}};
        Matrices.Eigen e = Matrices.eigenSymmetric(h);                            // ascending: column 1 leads
        double[][] axes = new double[2][d];
        for (int k = 0; k < 2; k++)
            for (int j = 0; j < d; j++) axes[k][j] = e.vectors()[0][1 - k] * q[0][j] + e.vectors()[1][1 - k] * q[1][j];
        double total = 0;
        for (double[] row : x) total += dot(row, row);
        return new LeadingPair(axes, new double[]{e.values()[1], e.values()[0]}, total / Math.max(1, n - 1));
    }

    private static double[] covTimes(double[][] x, double[] v) {
        int d = v.length;
        double[] out = new double[d];
        for (double[] row : x) {
            double s = dot(row, v);
            for (int j = 0; j < d; j++) out[j] += s * row[j];
        }
        for (int j = 0; j < d; j++) out[j] /= Math.max(1, x.length - 1);
        return out;
    }

    /** Gram–Schmidt on the two columns; a column that vanishes (a rank-one target) becomes any unit vector orthogonal to the first. */
    private static void orthonormalise(double[][] q) {
        if (!normalise(q[0], 0)) {                                               // a constant target: any axes will do
            java.util.Arrays.fill(q[0], 0);
            q[0][0] = 1;
        }
        double p = dot(q[0], q[1]);
        for (int j = 0; j < q[1].length; j++) q[1][j] -= p * q[0][j];
        if (!normalise(q[1], 1e-12)) {
            int at = Math.abs(q[0][0]) < 0.9 ? 0 : 1;
            java.util.Arrays.fill(q[1], 0);
            q[1][at] = 1;
            p = q[0][at];
            for (int j = 0; j < q[1].length; j++) q[1][j] -= p * q[0][j];
            normalise(q[1], 0);
        }
    }

    private static boolean normalise(double[] v, double floor) {
        double norm = Math.sqrt(dot(v, v));
        if (!(norm > floor)) return false;
        for (int j = 0; j < v.length; j++) v[j] /= norm;
        return true;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) s += a[j] * b[j];
        return s;
    }
}
