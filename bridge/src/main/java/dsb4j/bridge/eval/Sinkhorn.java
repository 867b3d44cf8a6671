package dsb4j.bridge.eval;

import dsb4j.bridge.data.Points;

/**
 * Discrete entropic OT between two point clouds with uniform weights, in the log domain (stable for any
 * regularisation): minimises ⟨π, M⟩ + reg·Σ π log π over couplings π, with cost M_ij = ‖x_i − y_j‖² — the
 * convention of POT's {@code ot.sinkhorn}, so reg = 2σ² in Janati's convention. An independent check of the
 * Gaussian closed form on samples, and of learned couplings on non-Gaussian data (docs/method.md §6.3, recipe 5).
 *
 * <p>Dual potentials f, g with π_ij = exp((f_i + g_j − M_ij)/reg)/(n·m); each iteration makes one marginal exact,
 * so stopping on the other marginal's L1 error bounds the plan's infeasibility. Memory: the n × m cost matrix.
 */
public final class Sinkhorn {
    private Sinkhorn() {}

    /** The plan (row-major n × m, summing to 1) and how the iteration ended. */
    public record Result(int n, int m, double[] plan, double[] f, double[] g, int iterations, double marginalError) {
        public double at(int i, int j) { return plan[i * m + j]; }

        /** ⟨π, M⟩: the transport part of the objective. */
        public double transportCost(Points x, Points y) {
            double[] cost = costMatrix(x, y);
            double s = 0;
            for (int k = 0; k < plan.length; k++) s += plan[k] * cost[k];
            return s;
        }

        /** Cross-covariance under the plan: Σ π_ij (x_i − x̄)(y_j − ȳ)ᵀ, means taken under the plan's marginals. */
        public double[][] crossCovariance(Points x, Points y) {
            int dx = x.d(), dy = y.d();
            double[] mx = new double[dx], my = new double[dy];
            for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) {
                double p = plan[i * m + j];
                for (int a = 0; a < dx; a++) mx[a] += p * x.data()[i * dx + a];
                for (int b = 0; b < dy; b++) my[b] += p * y.data()[j * dy + b];
            }
            double[][] c = new double[dx][dy];
            for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) {
                double p = plan[i * m + j];
                for (int a = 0; a < dx; a++) {
                    double ea = p * (x.data()[i * dx + a] - mx[a]);
                    for (int b = 0; b < dy; b++) c[a][b] += ea * (y.data()[j * dy + b] - my[b]);
                }
            }
            return c;
        }
    }

    public static Result solve(Points x, Points y, double reg) { return solve(x, y, reg, 10_000, 1e-9); }

    /** Runs until the row marginals' L1 error (checked every 5th pass) is below {@code tol}, or for {@code maxIters} passes. */
    public static Result solve(Points x, Points y, double reg, int maxIters, double tol) {
        if (x.d() != y.d()) throw new IllegalArgumentException("Sinkhorn: points of dimension " + x.d() + " and " + y.d());
        if (x.n() < 1 || y.n() < 1) throw new IllegalArgumentException("Sinkhorn: empty point set " + x + " / " + y);
        if (!(reg > 0) || Double.isInfinite(reg)) throw new IllegalArgumentException("Sinkhorn: reg must be positive and finite, got " + reg);
        int n = x.n(), m = y.n();
        if ((long) n * m > 50_000_000L) throw new IllegalArgumentException("Sinkhorn: " + n + " × " + m + " plan is too large; subsample first");
        double[] cost = costMatrix(x, y);
        double logA = -Math.log(n), logB = -Math.log(m);
        double[] f = new double[n], g = new double[m], row = new double[m], col = new double[n];
        int it = 0;
        double err = Double.POSITIVE_INFINITY;
        while (it < maxIters) {
            it++;
            // f_i = −reg · log Σ_j exp((g_j − M_ij)/reg + log b_j): rows sum to 1/n
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) row[j] = (g[j] - cost[i * m + j]) / reg + logB;
                f[i] = -reg * logSumExp(row, m);
            }
            // g_j likewise: columns sum to 1/m exactly
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < n; i++) col[i] = (f[i] - cost[i * m + j]) / reg + logA;
                g[j] = -reg * logSumExp(col, n);
            }
            // row marginal error of the current plan: as costly as a half-iteration, so every 5th pass
            if (it % 5 != 0 && it < maxIters) continue;
            err = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) row[j] = (f[i] + g[j] - cost[i * m + j]) / reg + logB;
                err += Math.abs(Math.exp(logSumExp(row, m) + logA) - 1.0 / n);
            }
            if (err < tol) break;
        }
        double[] plan = new double[n * m];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++)
            plan[i * m + j] = Math.exp((f[i] + g[j] - cost[i * m + j]) / reg + logA + logB);
        return new Result(n, m, plan, f, g, it, err);
    }

    static double[] costMatrix(Points x, Points y) {
        int n = x.n(), m = y.n(), d = x.d();
        double[] c = new double[n * m];
        float[] xs = x.data(), ys = y.data();
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                double e = (double) xs[i * d + k] - ys[j * d + k];
                s += e * e;
            }
            c[i * m + j] = s;
        }
        return c;
    }

    private static double logSumExp(double[] v, int len) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < len; k++) max = Math.max(max, v[k]);
        if (max == Double.NEGATIVE_INFINITY) return max;
        double s = 0;
        for (int k = 0; k < len; k++) s += Math.exp(v[k] - max);
        return max + Math.log(s);
    }
}
