package dsb4j.bridge.eval;

import java.util.Arrays;

/**
 * Small dense double matrices as {@code double[rows][cols]}: products, and functions of symmetric
 * positive-definite matrices through a symmetric eigen-decomposition (cyclic Jacobi rotations: slow, O(d³) per
 * sweep, but exact to rounding and simple; meant for d up to a few hundred).
 */
public final class Matrices {
    private Matrices() {}

    /** S = V diag(values) Vᵀ; column k of {@code vectors} belongs to {@code values[k]}, ascending. */
    public record Eigen(double[] values, double[][] vectors) {
        /** V diag(f(values)) Vᵀ. */
        public double[][] apply(java.util.function.DoubleUnaryOperator f) {
            int d = values.length;
            double[] fv = new double[d];
            for (int k = 0; k < d; k++) fv[k] = f.applyAsDouble(values[k]);
            double[][] out = new double[d][d];
            for (int i = 0; i < d; i++) for (int j = i; j < d; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) s += vectors[i][k] * fv[k] * vectors[j][k];
                out[i][j] = s;
                out[j][i] = s;
            }
            return out;
        }
    }

    /** Eigen-decomposition of a symmetric matrix (only the upper triangle is trusted; it is symmetrised first). */
    public static Eigen eigenSymmetric(double[][] s) {
        int d = checkSquare(s, "eigenSymmetric");
        double[][] a = new double[d][d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) a[i][j] = 0.5 * (s[i][j] + s[j][i]);
        double[][] v = identity(d);
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, scale = 0;
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) {
                if (i != j) off += a[i][j] * a[i][j];
                else scale += a[i][i] * a[i][i];
            }
            if (off <= 1e-30 * Math.max(scale, Double.MIN_NORMAL)) break;
            for (int p = 0; p < d - 1; p++) for (int q = p + 1; q < d; q++) {
                double apq = a[p][q];
                if (apq == 0) continue;
                // the rotation angle that zeroes a[p][q] (Golub & Van Loan's symmetric Schur step)
                double tau = (a[q][q] - a[p][p]) / (2 * apq);
                double t = Math.signum(tau) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
                if (tau == 0) t = 1;
                double c = 1 / Math.sqrt(1 + t * t), sn = t * c;
                for (int k = 0; k < d; k++) {            // A ← A J (columns p, q)
                    double akp = a[k][p], akq = a[k][q];
                    a[k][p] = c * akp - sn * akq;
                    a[k][q] = sn * akp + c * akq;
                }
                for (int k = 0; k < d; k++) {            // A ← Jᵀ A (rows p, q)
                    double apk = a[p][k], aqk = a[q][k];
                    a[p][k] = c * apk - sn * aqk;
                    a[q][k] = sn * apk + c * aqk;
                }
                for (int k = 0; k < d; k++) {            // V ← V J
                    double vkp = v[k][p], vkq = v[k][q];
                    v[k][p] = c * vkp - sn * vkq;
                    v[k][q] = sn * vkp + c * vkq;
                }
            }
        }
        Integer[] order = new Integer[d];
        for (int k = 0; k < d; k++) order[k] = k;
        Arrays.sort(order, (x, y) -> Double.compare(a[x][x], a[y][y]));
        double[] values = new double[d];
        double[][] vectors = new double[d][d];
        for (int k = 0; k < d; k++) {
            values[k] = a[order[k]][order[k]];
            for (int i = 0; i < d; i++) vectors[i][k] = v[i][order[k]];
        }
        return new Eigen(values, vectors);
    }

    /** The SPD square root S^{1/2}; fails on a non-positive eigenvalue. */
    public static double[][] sqrtSpd(double[][] s) { return spdFunction(s, Math::sqrt, "sqrtSpd"); }

    /** S^{−1/2}. */
    public static double[][] invSqrtSpd(double[][] s) { return spdFunction(s, x -> 1 / Math.sqrt(x), "invSqrtSpd"); }

    /** S^{−1} of an SPD matrix. */
    public static double[][] inverseSpd(double[][] s) { return spdFunction(s, x -> 1 / x, "inverseSpd"); }

    private static double[][] spdFunction(double[][] s, java.util.function.DoubleUnaryOperator f, String op) {
        Eigen e = eigenSymmetric(s);
        double max = Math.abs(e.values()[e.values().length - 1]);
        if (!(e.values()[0] > 1e-14 * max))
            throw new IllegalArgumentException(op + ": matrix (" + s.length + " × " + s.length + ") is not positive definite, smallest eigenvalue " + e.values()[0]);
        return e.apply(f);
    }

    /** The inverse of a general square matrix (Gauss–Jordan with partial pivoting). */
    public static double[][] inverse(double[][] m) {
        int d = checkSquare(m, "inverse");
        double[][] a = new double[d][2 * d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(m[i], 0, a[i], 0, d);
            a[i][d + i] = 1;
        }
        for (int col = 0; col < d; col++) {
            int piv = col;
            for (int r = col + 1; r < d; r++) if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) piv = r;
            if (a[piv][col] == 0) throw new IllegalArgumentException("inverse: singular matrix (" + d + " × " + d + ") at column " + col);
            double[] tmp = a[piv]; a[piv] = a[col]; a[col] = tmp;
            double p = a[col][col];
            for (int j = 0; j < 2 * d; j++) a[col][j] /= p;
            for (int r = 0; r < d; r++) {
                if (r == col || a[r][col] == 0) continue;
                double f = a[r][col];
                for (int j = 0; j < 2 * d; j++) a[r][j] -= f * a[col][j];
            }
        }
        double[][] out = new double[d][];
        for (int i = 0; i < d; i++) out[i] = Arrays.copyOfRange(a[i], d, 2 * d);
        return out;
    }

    public static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length, k = b.length, m = b[0].length;
        if (a[0].length != k)
            throw new IllegalArgumentException("multiply: (" + n + " × " + a[0].length + ") by (" + k + " × " + m + ")");
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) for (int l = 0; l < k; l++) {
            double ail = a[i][l];
            if (ail == 0) continue;
            for (int j = 0; j < m; j++) c[i][j] += ail * b[l][j];
        }
        return c;
    }

    public static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j];
        return t;
    }

    /** alpha·a + beta·b. */
    public static double[][] combine(double alpha, double[][] a, double beta, double[][] b) {
        if (a.length != b.length || a[0].length != b[0].length)
            throw new IllegalArgumentException("combine: (" + a.length + " × " + a[0].length + ") with (" + b.length + " × " + b[0].length + ")");
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) c[i][j] = alpha * a[i][j] + beta * b[i][j];
        return c;
    }

    public static double[][] identity(int d) { return scaledIdentity(d, 1); }

    public static double[][] scaledIdentity(int d, double s) {
        double[][] m = new double[d][d];
        for (int i = 0; i < d; i++) m[i][i] = s;
        return m;
    }

    /** ‖a − b‖_F. */
    public static double frobeniusDistance(double[][] a, double[][] b) {
        return Math.sqrt(frobeniusSq(combine(1, a, -1, b)));
    }

    static double frobeniusSq(double[][] a) {
        double s = 0;
        for (double[] r : a) for (double x : r) s += x * x;
        return s;
    }

    /** Matrix times vector. */
    public static double[] apply(double[][] a, double[] x) {
        if (a[0].length != x.length) throw new IllegalArgumentException("apply: (" + a.length + " × " + a[0].length + ") by a vector of " + x.length);
        double[] y = new double[a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < x.length; j++) y[i] += a[i][j] * x[j];
        return y;
    }

    static int checkSquare(double[][] s, String op) {
        int d = s.length;
        if (d == 0) throw new IllegalArgumentException(op + ": empty matrix");
        for (double[] r : s) if (r.length != d) throw new IllegalArgumentException(op + ": not square (" + d + " rows, a row of " + r.length + ")");
        return d;
    }
}
