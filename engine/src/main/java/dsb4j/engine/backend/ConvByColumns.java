package dsb4j.engine.backend;

import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;

/**
 * Convolution from the other primitives, the backends' default: im2col lays the windows of the whole batch out as
 * columns [c·kh·kw, n·L] (L = oh·ow) and every product is one GEMM for the batch — y [o, n·L] = W · cols, dW =
 * (cols · dYᵀ)ᵀ (the big matrix read in place, only dY packed: one contraction over n·L, not per-image products
 * summed afterwards) and dcols = Wᵀ · dY, scattered back by col2im. The columns (k·k times the input) live in the
 * backend's scratch buffers and are rebuilt for the backward pass: keeping them from forward to backward made
 * them the bulk of what the garbage collector copied. A 1×1 window with stride 1 and no padding uses x itself as
 * the columns (one transposing copy). Public so that benchmarks can time this path where a backend overrides it.
 */
public final class ConvByColumns {
    private ConvByColumns() {}

    /** Scratch slots: the columns (and their gradient), the GEMM output or dY as [o, n·L], the transposed dW. */
    private static final int COLUMNS = 0, BY_CHANNEL = 1, WEIGHT_T = 2;

    public static void forward(Backend b, ConvGeometry g, int o, Storage x, Layout xl, Storage w, Storage y) {
        int nl = g.n() * g.colCols();
        Storage cols = columns(b, g, x, xl), yo = b.scratch(x.dtype(), o * nl, BY_CHANNEL);
        b.gemm(GemmShape.of(false, false, o, nl, g.colRows()), 1.0, w, 0, cols, 0, 0.0, yo, 0);
        // [o, n, L] -> [n, o, L]
        Layout byChannel = Layout.contiguous(Shape.of(o, g.n(), g.colCols())).permute(1, 0, 2);
        b.copy(yo, byChannel, y, Layout.contiguous(byChannel.shape()));
    }

    public static void inputGrad(Backend b, ConvGeometry g, int o, Storage dy, Storage w, Storage dx) {
        int rows = g.colRows(), nl = g.n() * g.colCols();
        Storage dyo = byChannel(b, g, o, dy), dcols = b.scratch(dy.dtype(), rows * nl, COLUMNS);
        b.gemm(GemmShape.of(true, false, rows, nl, o), 1.0, w, 0, dyo, 0, 0.0, dcols, 0);
        b.fill(dx, Layout.contiguous(Shape.of(g.n() * g.c() * g.h() * g.w())), 0.0);
        b.col2im(g, dcols, dx);
    }

    public static void weightGrad(Backend b, ConvGeometry g, int o, Storage x, Layout xl, Storage dy, Storage dw) {
        int rows = g.colRows(), nl = g.n() * g.colCols();
        Storage dyo = byChannel(b, g, o, dy), cols = columns(b, g, x, xl), dwT = b.scratch(dy.dtype(), rows * o, WEIGHT_T);
        b.gemm(GemmShape.of(false, true, rows, o, nl), 1.0, cols, 0, dyo, 0, 0.0, dwT, 0);
        b.copy(dwT, Layout.contiguous(Shape.of(rows, o)).permute(1, 0), dw, Layout.contiguous(Shape.of(o, rows)));
    }

    /** dy [n, o, L] as [o, n·L] in scratch. */
    private static Storage byChannel(Backend b, ConvGeometry g, int o, Storage dy) {
        Layout v = Layout.contiguous(Shape.of(g.n(), o, g.colCols())).permute(1, 0, 2);
        Storage out = b.scratch(dy.dtype(), v.numel(), BY_CHANNEL);
        b.copy(dy, v, out, Layout.contiguous(v.shape()));
        return out;
    }

    /** The columns [c·kh·kw, n·L] of x in scratch, valid until the next call. */
    private static Storage columns(Backend b, ConvGeometry g, Storage x, Layout xl) {
        Storage cols = b.scratch(x.dtype(), g.colRows() * g.n() * g.colCols(), COLUMNS);
        if (g.kh() == 1 && g.kw() == 1 && g.stride() == 1 && g.pad() == 0) {
            Layout v = xl.permute(1, 0, 2, 3);
            b.copy(x, v, cols, Layout.contiguous(v.shape()));
        } else {
            b.im2col(g, x, xl, cols);
        }
        return cols;
    }
}
