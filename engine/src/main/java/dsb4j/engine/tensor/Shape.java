package dsb4j.engine.tensor;

import java.util.Arrays;

/** An immutable list of dimension sizes. Rank 0 is a scalar with one element. */
public final class Shape {
    private final int[] dims;
    private final int numel;

    private Shape(int[] dims) {
        this.dims = dims;
        long n = 1;
        for (int d : dims) {
            if (d < 0) throw new ShapeException("shape", "negative dimension in " + Arrays.toString(dims));
            n *= d;
            if (n > Integer.MAX_VALUE) throw new ShapeException("shape", "too many elements in " + Arrays.toString(dims));
        }
        this.numel = (int) n;
    }

    public static Shape of(int... dims) { return new Shape(dims.clone()); }

    public static final Shape SCALAR = new Shape(new int[0]);

    public int rank() { return dims.length; }
    public int numel() { return numel; }
    public int[] dims() { return dims.clone(); }

    /** Dimension {@code i}; negative {@code i} counts from the end. */
    public int dim(int i) { return dims[axis(i)]; }

    /** Normalises a possibly negative axis, checking its range. */
    public int axis(int i) { return axis("axis", i); }

    /** As {@link #axis(int)}, naming {@code op} when the axis is out of range. */
    public int axis(String op, int i) {
        int a = i < 0 ? i + dims.length : i;
        if (a < 0 || a >= dims.length) throw new ShapeException(op, "axis " + i + " out of range for shape " + this);
        return a;
    }

    /** Row-major (C order) strides of a contiguous tensor of this shape. */
    public int[] contiguousStrides() {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(dims[i], 1);
        }
        return s;
    }

    /** NumPy broadcasting of two shapes; throws naming {@code op} and both shapes when they do not fit. */
    public static Shape broadcast(String op, Shape a, Shape b) {
        int r = Math.max(a.rank(), b.rank());
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.rank() ? 1 : a.dims[i - (r - a.rank())];
            int db = i < r - b.rank() ? 1 : b.dims[i - (r - b.rank())];
            if (da != db && da != 1 && db != 1)
                throw new ShapeException(op, "cannot broadcast shapes " + a + " and " + b);
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    @Override public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }
    @Override public int hashCode() { return Arrays.hashCode(dims); }
    @Override public String toString() { return Arrays.toString(dims); }
}
