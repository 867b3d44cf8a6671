package dsb4j.bridge.eval;

import dsb4j.bridge.data.Points;

/**
 * The Fréchet distance between the Gaussians fitted to two point sets (Dowson &amp; Landau 1982; the formula of
 * FID, Heusel et al. 2017): FD = ‖μ₁ − μ₂‖² + tr(S₁ + S₂ − 2 (S₁^{1/2} S₂ S₁^{1/2})^{1/2}), with unbiased sample
 * covariances. Both square roots come from the symmetric eigen-decomposition of {@link Matrices} with
 * eigenvalues clamped at 0, so singular covariances (dead ReLU features, a collapsed generator) are fine.
 * Meant for feature spaces of tens to a few hundred dimensions.
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /** Mean and covariance of one set, computed once and reused (e.g. the held-out images). */
    public record Moments(double[] mean, double[][] cov, int n) {
        public static Moments of(Points p) {
            if (p.n() < 2) throw new IllegalArgumentException("FrechetDistance: needs at least 2 points, got " + p);
            return new Moments(p.mean(), p.covariance(), p.n());
        }
    }

    /** The distance and its two parts: ‖μ₁ − μ₂‖² and the covariance term. */
    public record Result(double value, double meanTerm, double covTerm) {}

    public static double between(Points a, Points b) { return of(Moments.of(a), Moments.of(b)).value(); }

    public static Result of(Moments a, Moments b) {
        int d = a.mean().length;
        if (b.mean().length != d)
            throw new IllegalArgumentException("FrechetDistance: features of dimension " + d + " and " + b.mean().length);
        double meanTerm = 0;
        for (int j = 0; j < d; j++) {
            double e = a.mean()[j] - b.mean()[j];
            meanTerm += e * e;
        }
        double[][] r1 = psdSqrt(a.cov());
        double[][] m = Matrices.multiply(Matrices.multiply(r1, b.cov()), r1);
        double cross = 0;
        for (double l : Matrices.eigenSymmetric(m).values()) cross += Math.sqrt(Math.max(l, 0));
        double covTerm = trace(a.cov()) + trace(b.cov()) - 2 * cross;
        // rounding can make the covariance term of (nearly) equal sets a tiny negative number
        return new Result(meanTerm + Math.max(covTerm, 0), meanTerm, covTerm);
    }

    /** S^{1/2} of a symmetric positive semi-definite matrix (negative rounding eigenvalues taken as 0). */
    static double[][] psdSqrt(double[][] s) {
        return Matrices.eigenSymmetric(s).apply(x -> Math.sqrt(Math.max(x, 0)));
    }

    private static double trace(double[][] s) {
        double t = 0;
        for (int i = 0; i < s.length; i++) t += s[i][i];
        return t;
    }
}
