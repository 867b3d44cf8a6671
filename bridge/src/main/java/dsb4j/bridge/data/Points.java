package dsb4j.bridge.data;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.tensor.DType;
import java.util.Arrays;

/**
 * n points of dimension d, row-major in one float array ({@code data[i*d + j]} is coordinate j of point i).
 * The plain-array currency between data sources, metrics, files and tensors. Statistics accumulate in double.
 * Images are points too: d = 1·28·28 = 784, pixel order as in the file.
 */
public record Points(int n, int d, float[] data) {

    public Points {
        if (n < 0 || d < 1) throw new IllegalArgumentException("Points: need n >= 0 and d >= 1, got (" + n + ", " + d + ")");
        if (data == null) throw new IllegalArgumentException("Points: data is null for (" + n + ", " + d + ")");
        if (data.length != (long) n * d)
            throw new IllegalArgumentException("Points: " + data.length + " values do not fill (" + n + ", " + d + ")");
    }

    /** Copies rows of equal length. */
    public static Points of(double[][] rows) {
        if (rows.length == 0) throw new IllegalArgumentException("Points.of: no rows (the dimension is unknown)");
        int d = rows[0].length;
        float[] out = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d)
                throw new IllegalArgumentException("Points.of: row " + i + " has " + rows[i].length + " values, row 0 has " + d);
            for (int j = 0; j < d; j++) out[i * d + j] = (float) rows[i][j];
        }
        return new Points(rows.length, d, out);
    }

    /** A tensor (n, ...) as n points of d = product of the trailing dims; a vector (n) gives d = 1. */
    public static Points of(Tensor t) {
        int[] dims = t.dims();
        if (dims.length == 0) throw new IllegalArgumentException("Points.of: a scalar tensor has no rows, shape " + Arrays.toString(dims));
        int n = dims[0];
        long d = 1;
        for (int k = 1; k < dims.length; k++) d *= dims[k];
        if (d < 1 || d > Integer.MAX_VALUE) throw new IllegalArgumentException("Points.of: cannot flatten shape " + Arrays.toString(dims));
        return new Points(n, (int) d, t.toFloats());
    }

    /** As a contiguous (n, d) tensor. */
    public static Tensor toTensor(Points p, Backend backend, DType dtype) { return toTensor(p, backend, dtype, p.d); }

    /** As a contiguous (n, ...itemDims) tensor, e.g. itemDims = (1, 28, 28) for images; their product must be d. */
    public static Tensor toTensor(Points p, Backend backend, DType dtype, int... itemDims) {
        long per = 1;
        for (int k : itemDims) per *= k;
        if (per != p.d)
            throw new IllegalArgumentException("Points.toTensor: item shape " + Arrays.toString(itemDims) + " does not hold d = " + p.d);
        int[] dims = new int[itemDims.length + 1];
        dims[0] = p.n;
        System.arraycopy(itemDims, 0, dims, 1, itemDims.length);
        return switch (dtype) {
            case F32 -> Tensor.of(backend, p.data.clone(), dims);
            case F64 -> Tensor.of(backend, p.toDoubles(), dims);
        };
    }

    public float get(int i, int j) {
        checkRow(i, "get");
        if (j < 0 || j >= d) throw new IndexOutOfBoundsException("Points.get: column " + j + " of (" + n + ", " + d + ")");
        return data[i * d + j];
    }

    /** A copy of point i. */
    public float[] row(int i) {
        checkRow(i, "row");
        return Arrays.copyOfRange(data, i * d, (i + 1) * d);
    }

    /** The first row holding NaN or ±Inf, or −1 when every value is finite. */
    public int firstNonFiniteRow() {
        for (int k = 0; k < data.length; k++) if (!Float.isFinite(data[k])) return k / d;
        return -1;
    }

    /** All values widened to double, row-major. */
    public double[] toDoubles() {
        double[] out = new double[data.length];
        for (int k = 0; k < data.length; k++) out[k] = data[k];
        return out;
    }

    /** Per-coordinate mean (d values). */
    public double[] mean() {
        requireRows(1, "mean");
        double[] m = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) m[j] += data[i * d + j];
        for (int j = 0; j < d; j++) m[j] /= n;
        return m;
    }

    /** Per-coordinate variance, unbiased (divides by n − 1). */
    public double[] variance() {
        requireRows(2, "variance");
        double[] m = mean();
        double[] v = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) {
            double e = data[i * d + j] - m[j];
            v[j] += e * e;
        }
        for (int j = 0; j < d; j++) v[j] /= n - 1;
        return v;
    }

    /** The d × d sample covariance, unbiased (divides by n − 1); centred first for accuracy. */
    public double[][] covariance() {
        requireRows(2, "covariance");
        double[] m = mean();
        double[][] c = new double[d][d];
        double[] e = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) e[j] = data[i * d + j] - m[j];
            for (int a = 0; a < d; a++) {
                double ea = e[a];
                double[] ca = c[a];
                for (int b = a; b < d; b++) ca[b] += ea * e[b];
            }
        }
        for (int a = 0; a < d; a++) for (int b = a; b < d; b++) {
            c[a][b] /= n - 1;
            c[b][a] = c[a][b];
        }
        return c;
    }

    /** Rows [from, to) as a copy. */
    public Points slice(int from, int to) {
        if (from < 0 || to > n || from > to)
            throw new IndexOutOfBoundsException("Points.slice: rows [" + from + ", " + to + ") of (" + n + ", " + d + ")");
        return new Points(to - from, d, Arrays.copyOfRange(data, from * d, to * d));
    }

    /** Columns [from, to) as a copy, e.g. one end of (n, 2d) pairs. */
    public Points columns(int from, int to) {
        if (from < 0 || to > d || from >= to)
            throw new IndexOutOfBoundsException("Points.columns: columns [" + from + ", " + to + ") of (" + n + ", " + d + ")");
        int w = to - from;
        float[] out = new float[n * w];
        for (int i = 0; i < n; i++) System.arraycopy(data, i * d + from, out, i * w, w);
        return new Points(n, w, out);
    }

    /** The given rows, in the given order (repeats allowed). */
    public Points select(int[] rows) {
        float[] out = new float[rows.length * d];
        for (int k = 0; k < rows.length; k++) {
            checkRow(rows[k], "select");
            System.arraycopy(data, rows[k] * d, out, k * d, d);
        }
        return new Points(rows.length, d, out);
    }

    /** Rows of all parts, one after the other; all parts need the same d. */
    public static Points concat(Points... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("Points.concat: nothing to concatenate");
        int d = parts[0].d;
        long n = 0;
        for (Points p : parts) {
            if (p.d != d) throw new IllegalArgumentException("Points.concat: dimension " + p.d + " next to " + d);
            n += p.n;
        }
        if (n * d > Integer.MAX_VALUE) throw new IllegalArgumentException("Points.concat: " + n + " × " + d + " values is too many");
        float[] out = new float[(int) n * d];
        int at = 0;
        for (Points p : parts) {
            System.arraycopy(p.data, 0, out, at, p.data.length);
            at += p.data.length;
        }
        return new Points((int) n, d, out);
    }

    /** Side by side: row i is (a_i, b_i), the layout of (n, 2d) pairs. */
    public static Points pairs(Points a, Points b) {
        if (a.n != b.n) throw new IllegalArgumentException("Points.pairs: " + a.n + " rows next to " + b.n);
        int d = a.d + b.d;
        float[] out = new float[a.n * d];
        for (int i = 0; i < a.n; i++) {
            System.arraycopy(a.data, i * a.d, out, i * d, a.d);
            System.arraycopy(b.data, i * b.d, out, i * d + a.d, b.d);
        }
        return new Points(a.n, d, out);
    }

    private void checkRow(int i, String op) {
        if (i < 0 || i >= n) throw new IndexOutOfBoundsException("Points." + op + ": row " + i + " of (" + n + ", " + d + ")");
    }

    private void requireRows(int min, String op) {
        if (n < min) throw new IllegalArgumentException("Points." + op + ": needs at least " + min + " rows, got (" + n + ", " + d + ")");
    }

    // Records compare arrays by identity; points compare by content.
    @Override public boolean equals(Object o) {
        return o instanceof Points p && p.n == n && p.d == d && Arrays.equals(p.data, data);
    }

    @Override public int hashCode() { return 31 * (31 * n + d) + Arrays.hashCode(data); }

    @Override public String toString() { return "Points(" + n + ", " + d + ")"; }
}
