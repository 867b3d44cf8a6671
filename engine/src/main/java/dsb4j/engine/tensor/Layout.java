package dsb4j.engine.tensor;

import java.util.Arrays;

/**
 * Where the elements of a tensor sit in its storage: shape, strides (in elements) and offset.
 * Views (transpose, permute, slice, broadcast) change only the layout, never the data.
 * A stride of 0 repeats one element (broadcasting).
 */
public record Layout(Shape shape, int[] strides, int offset) {

    public Layout {
        if (strides.length != shape.rank())
            throw new ShapeException("layout", "strides " + Arrays.toString(strides) + " do not match shape " + shape);
    }

    public static Layout contiguous(Shape shape) {
        return new Layout(shape, shape.contiguousStrides(), 0);
    }

    public int rank() { return shape.rank(); }
    public int numel() { return shape.numel(); }
    public int stride(int axis) { return strides[shape.axis(axis)]; }
    @Override public int[] strides() { return strides.clone(); }

    /** True when the elements are packed in row-major order (offset allowed). */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.rank() - 1; i >= 0; i--) {
            int d = shape.dim(i);
            if (d != 1 && strides[i] != expected) return false;
            expected *= d;
        }
        return true;
    }

    public Layout permute(int... axes) {
        int r = rank();
        if (axes.length != r) throw new ShapeException("permute", "axes " + Arrays.toString(axes) + " for shape " + shape);
        boolean[] seen = new boolean[r];
        int[] dims = new int[r], st = new int[r];
        for (int i = 0; i < r; i++) {
            int a = shape.axis("permute", axes[i]);
            if (seen[a]) throw new ShapeException("permute", "repeated axis in " + Arrays.toString(axes) + " for shape " + shape);
            seen[a] = true;
            dims[i] = shape.dim(a);
            st[i] = strides[a];
        }
        return new Layout(Shape.of(dims), st, offset);
    }

    /** View of this layout broadcast to {@code target} (NumPy rules; added and size-1 axes get stride 0). */
    public Layout broadcastTo(Shape target) {
        int r = target.rank(), shift = r - rank();
        if (shift < 0) throw new ShapeException("broadcast_to", "cannot broadcast " + shape + " to " + target);
        int[] st = new int[r];
        for (int i = 0; i < r; i++) {
            if (i < shift) continue;
            int d = shape.dim(i - shift);
            if (d == target.dim(i)) st[i] = strides[i - shift];
            else if (d == 1) st[i] = 0;
            else throw new ShapeException("broadcast_to", "cannot broadcast " + shape + " to " + target);
        }
        return new Layout(target, st, offset);
    }

    /** Elements start, start+step, … below end along one axis. */
    public Layout slice(int axis, int start, int end, int step) {
        int a = shape.axis("slice", axis);
        int d = shape.dim(a);
        if (step < 1 || start < 0 || end > d || start > end)
            throw new ShapeException("slice", "range [" + start + ", " + end + ") step " + step + " on axis " + axis + " of " + shape);
        int[] dims = shape.dims(), st = strides();
        dims[a] = (end - start + step - 1) / step;
        st[a] = strides[a] * step;
        return new Layout(Shape.of(dims), st, offset + start * strides[a]);
    }

    /** The same elements under a new shape, or null when that needs a copy (non-contiguous data). */
    public Layout reshapeView(Shape target) {
        if (target.numel() != numel())
            throw new ShapeException("reshape", "cannot reshape " + shape + " (" + numel() + " elements) to " + target);
        return isContiguous() ? new Layout(target, target.contiguousStrides(), offset) : null;
    }

    /**
     * Storage offsets of all elements in row-major logical order. Plain and allocating: meant for the
     * scalar reference backend and for rare strided fallbacks, not for hot loops.
     */
    public int[] offsets() {
        int n = numel();
        int[] out = new int[n];
        if (n == 0) return out;
        int r = rank();
        int[] dims = shape.dims(), idx = new int[r];
        int off = offset;
        for (int i = 0; i < n; i++) {
            out[i] = off;
            for (int a = r - 1; a >= 0; a--) {          // odometer increment
                if (++idx[a] < dims[a]) { off += strides[a]; break; }
                off -= strides[a] * (dims[a] - 1);
                idx[a] = 0;
            }
        }
        return out;
    }

    /** Largest storage index touched plus one (0 for empty layouts); used to check bounds. */
    public int extent() {
        if (numel() == 0) return 0;
        int hi = offset;
        for (int i = 0; i < rank(); i++) hi += Math.max(0, strides[i]) * (shape.dim(i) - 1);
        return hi + 1;
    }

    @Override public boolean equals(Object o) {
        return o instanceof Layout l && l.shape.equals(shape) && Arrays.equals(l.strides, strides) && l.offset == offset;
    }
    @Override public int hashCode() { return shape.hashCode() * 31 + Arrays.hashCode(strides) + offset; }
    @Override public String toString() { return "Layout" + shape + " strides " + Arrays.toString(strides) + " @" + offset; }
}
