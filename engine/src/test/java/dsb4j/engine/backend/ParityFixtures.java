package dsb4j.engine.backend;

import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixtures every backend's parity suite shares (the CPU's {@code cpu.Parity} and the contract runner
 * {@link SpiParity} extend this class, so a static import of either brings these in): seeded non-zero data,
 * sentinel-filled outputs, the input and output views (offset, strided, transposed, broadcast) and the one table of
 * the parameters each unary op is tested with.
 */
public class ParityFixtures {
    protected ParityFixtures() {}

    /** Written where no kernel may write: any element still equal to it was left alone. */
    public static final float SENTINEL_VALUE = 12345f;

    /** Uniform in ±[0.1, 2]: seeded, never zero, both signs (two draws an element: the magnitude, then the sign). */
    public static double[] doubles(Rng rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            double m = 0.1 + 1.9 * rng.nextDouble();
            a[i] = rng.nextDouble() < 0.5 ? -m : m;
        }
        return a;
    }

    /** {@link #doubles} rounded to float: the same draws. */
    public static float[] floats(Rng rng, int n) {
        double[] d = doubles(rng, n);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) d[i];
        return a;
    }

    public static float[] sentinelFloats(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, SENTINEL_VALUE);
        return a;
    }

    public static double[] sentinelDoubles(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, SENTINEL_VALUE);
        return a;
    }

    /** The parameter each unary op is tested with (the slope, the power, the scalar). */
    public static double param(UnaryOp op) {
        return switch (op) {
            case LEAKY_RELU, LEAKY_STEP -> 0.01;
            case POW -> 1.5;
            case MUL_SCALAR -> -0.7;
            case ADD_SCALAR -> 0.3;
            default -> 0;
        };
    }

    /** Ops defined only for positive inputs (they get |x|). */
    public static boolean positive(UnaryOp op) { return op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.POW; }

    /** A layout over some storage: the view, and how many elements that storage needs. */
    public record View(String name, Layout layout, int storageSize) {
        @Override public String toString() { return name + " " + layout; }
    }

    public static View view(String name, Layout l) { return new View(name, l, l.extent() + 3); }

    /** Input views of {@code shape}: the output views, and broadcasts along the last, the first and all axes. */
    public static List<View> inputs(Shape shape) {
        List<View> v = new ArrayList<>(outputs(shape));
        int r = shape.rank();
        if (r >= 1 && shape.numel() > 0) {
            int[] one = shape.dims();
            one[r - 1] = 1;                            // [.., 1] broadcast along the last axis (a column)
            v.add(view("broadcast-last", Layout.contiguous(Shape.of(one)).broadcastTo(shape)));
            int[] lead = shape.dims();
            lead[0] = 1;                               // [1, ..] broadcast along the first axis (a bias row)
            v.add(view("broadcast-first", Layout.contiguous(Shape.of(lead)).broadcastTo(shape)));
            v.add(view("scalar", Layout.contiguous(Shape.SCALAR).broadcastTo(shape)));
        }
        return v;
    }

    /** Views an op may write through: packed, packed at an offset, every other element (gaps), transposed. */
    public static List<View> outputs(Shape shape) {
        List<View> v = new ArrayList<>();
        int r = shape.rank();
        v.add(view("packed", Layout.contiguous(shape)));
        Layout c = Layout.contiguous(shape);
        v.add(new View("offset", new Layout(shape, c.strides(), 7), shape.numel() + 7 + 5));
        if (r >= 1) {
            int[] wide = shape.dims();
            wide[r - 1] = 2 * wide[r - 1] + 1;         // every other element of a wider row, from 1
            v.add(view("step2", Layout.contiguous(Shape.of(wide)).slice(r - 1, 1, wide[r - 1], 2)));
        }
        if (r >= 2) {
            int[] rev = shape.dims();
            int t = rev[r - 1]; rev[r - 1] = rev[r - 2]; rev[r - 2] = t;
            int[] axes = new int[r];
            for (int i = 0; i < r; i++) axes[i] = i;
            axes[r - 1] = r - 2; axes[r - 2] = r - 1;
            v.add(view("transposed", Layout.contiguous(Shape.of(rev)).permute(axes)));
        }
        return v;
    }
}
