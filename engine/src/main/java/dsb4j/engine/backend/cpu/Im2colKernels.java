package dsb4j.engine.backend.cpu;

import dsb4j.engine.backend.ConvGeometry;
import dsb4j.engine.tensor.Layout;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 im2col and col2im. Per output row (one kernel tap of one channel) the valid ox range is computed
 * once, so the padding becomes two zero fills and the interior a copy (stride 1, contiguous input rows)
 * or a strided gather. col2im splits over (image, channel) planes: every tap of a plane adds into it in
 * the scalar backend's order, so the float sums come out bit for bit the same.
 */
final class Im2colKernels {
    private Im2colKernels() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /**
     * A stride-1 window whose output has the input's size ("same" padding) over planes stored row after row:
     * then each window row is the input plane shifted by (ky − pad, kx − pad), one block copy or add per
     * window row and image instead of one per output row, with the |kx − pad| edge columns fixed up per row
     * (fewer than w of them: wider windows take the general path).
     */
    private static boolean samePlane(ConvGeometry g, int[] st) {
        return g.stride() == 1 && g.oh() == g.h() && g.ow() == g.w() && Math.max(g.pad(), g.kw() - 1 - g.pad()) < g.w()
                && (st == null || st[3] == 1 && st[2] == g.w());
    }

    /** cols [c·kh·kw, n, oh·ow] from x [n, c, h, w] seen through xl (any strides). */
    static void im2col(ConvGeometry g, float[] x, Layout xl, float[] cols, ForkJoinPool pool) {
        int oh = g.oh(), ow = g.ow(), rows = g.colRows(), area = oh * ow;
        int[] st = xl.strides();
        int off = xl.offset();
        if (samePlane(g, st)) {
            im2colSame(g, x, off, st, cols, pool);
            return;
        }
        Parallel.forRange(pool, g.n() * rows, area, (lo, hi) -> {
            for (int t = lo; t < hi; t++) {
                int r = t / g.n(), img = t % g.n();
                int ch = r / (g.kh() * g.kw()), ky = r / g.kw() % g.kh(), kx = r % g.kw();
                int ox0 = firstInside(kx, g.pad(), g.stride()), ox1 = endInside(kx, g.pad(), g.stride(), g.w(), ow);
                int xBase = off + img * st[0] + ch * st[1], step = g.stride() * st[3];
                int o = t * area;
                for (int oy = 0; oy < oh; oy++, o += ow) {
                    int y = oy * g.stride() - g.pad() + ky;
                    if (y < 0 || y >= g.h() || ox0 >= ox1) {
                        Arrays.fill(cols, o, o + ow, 0f);
                        continue;
                    }
                    Arrays.fill(cols, o, o + ox0, 0f);
                    Arrays.fill(cols, o + ox1, o + ow, 0f);
                    int src = xBase + y * st[2] + (ox0 * g.stride() - g.pad() + kx) * st[3];
                    if (step == 1) System.arraycopy(x, src, cols, o + ox0, ox1 - ox0);
                    else for (int ox = ox0; ox < ox1; ox++, src += step) cols[o + ox] = x[src];
                }
            }
        });
    }

    /** im2col for {@link #samePlane}: window row (ch, ky, kx) of image img is the plane shifted by (dy, dx). */
    private static void im2colSame(ConvGeometry g, float[] x, int off, int[] st, float[] cols, ForkJoinPool pool) {
        int w = g.w(), h = g.h(), area = h * w, taps = g.kh() * g.kw();
        Parallel.forRange(pool, g.n() * g.colRows(), area, (lo, hi) -> {
            for (int t = lo; t < hi; t++) {
                int r = t / g.n(), img = t % g.n();
                int ch = r / taps, q = r % taps, dy = q / g.kw() - g.pad(), dx = q % g.kw() - g.pad();
                int plane = off + img * st[0] + ch * st[1], o = t * area;
                int y0 = Math.max(0, -dy), y1 = Math.min(h, h - dy);          // output rows that read the plane
                Arrays.fill(cols, o, o + y0 * w, 0f);
                Arrays.fill(cols, o + y1 * w, o + area, 0f);
                if (y0 >= y1) continue;
                // one copy of the rows [y0, y1) shifted by dy·w + dx, trimmed so it stays inside the plane ...
                int from = y0 * w + Math.max(0, -dx), to = y1 * w - Math.max(0, dx);
                System.arraycopy(x, plane + from + dy * w + dx, cols, o + from, to - from);
                // ... then the columns that fell off the plane's left or right edge are padding
                for (int oy = y0; oy < y1; oy++) {
                    for (int ox = 0; ox < -dx; ox++) cols[o + oy * w + ox] = 0f;
                    for (int ox = w - dx; ox < w; ox++) cols[o + oy * w + ox] = 0f;
                }
            }
        });
    }

    /** dx [n, c, h, w] (contiguous) += the columns scattered back. */
    static void col2im(ConvGeometry g, float[] cols, float[] dx, ForkJoinPool pool) {
        int oh = g.oh(), ow = g.ow(), taps = g.kh() * g.kw(), area = oh * ow;
        int plane = g.h() * g.w();
        if (samePlane(g, null)) {
            col2imSame(g, cols, dx, pool);
            return;
        }
        Parallel.forRange(pool, g.n() * g.c(), (long) taps * area, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int img = p / g.c(), ch = p % g.c();
                int dBase = p * plane;
                for (int q = 0; q < taps; q++) {
                    int ky = q / g.kw(), kx = q % g.kw();
                    int ox0 = firstInside(kx, g.pad(), g.stride()), ox1 = endInside(kx, g.pad(), g.stride(), g.w(), ow);
                    if (ox0 >= ox1) continue;
                    int c = ((ch * taps + q) * g.n() + img) * area;
                    for (int oy = 0; oy < oh; oy++, c += ow) {
                        int y = oy * g.stride() - g.pad() + ky;
                        if (y < 0 || y >= g.h()) continue;
                        int d = dBase + y * g.w() + ox0 * g.stride() - g.pad() + kx;
                        if (g.stride() == 1) addInto(dx, d, cols, c + ox0, ox1 - ox0);
                        else for (int ox = ox0; ox < ox1; ox++, d += g.stride()) dx[d] += cols[c + ox];
                    }
                }
            }
        });
    }

    /**
     * col2im for {@link #samePlane}: per plane, each tap adds its window row back as one shifted block. The block
     * also runs over the row-edge entries that belong to no pixel of this tap (they land on the neighbouring
     * row's last or first pixel); those pixels are saved before and restored after, so every pixel sums exactly
     * its own taps, in tap order, and the result is bit for bit the per-row one.
     */
    private static void col2imSame(ConvGeometry g, float[] cols, float[] dx, ForkJoinPool pool) {
        int w = g.w(), h = g.h(), area = h * w, taps = g.kh() * g.kw();
        Parallel.forRange(pool, g.n() * g.c(), (long) taps * area, (lo, hi) -> {
            float[] saved = new float[h * Math.max(g.pad(), g.kw() - 1 - g.pad())];
            for (int p = lo; p < hi; p++) {
                int img = p / g.c(), ch = p % g.c(), dBase = p * area;
                for (int q = 0; q < taps; q++) {
                    int dy = q / g.kw() - g.pad(), dxs = q % g.kw() - g.pad();
                    int y0 = Math.max(0, -dy), y1 = Math.min(h, h - dy);
                    if (y0 >= y1) continue;
                    int c = ((ch * taps + q) * g.n() + img) * area;
                    int from = y0 * w + Math.max(0, -dxs), to = y1 * w - Math.max(0, dxs), shift = dy * w + dxs;
                    // pixels the block touches that this tap does not feed: entries with ox < −dxs or ox ≥ w − dxs
                    int k = 0;
                    for (int oy = y0; oy < y1; oy++) {
                        for (int ox = 0; ox < -dxs; ox++) if (oy * w + ox >= from) saved[k++] = dx[dBase + oy * w + ox + shift];
                        for (int ox = w - dxs; ox < w; ox++) if (oy * w + ox < to) saved[k++] = dx[dBase + oy * w + ox + shift];
                    }
                    addInto(dx, dBase + from + shift, cols, c + from, to - from);
                    k = 0;
                    for (int oy = y0; oy < y1; oy++) {
                        for (int ox = 0; ox < -dxs; ox++) if (oy * w + ox >= from) dx[dBase + oy * w + ox + shift] = saved[k++];
                        for (int ox = w - dxs; ox < w; ox++) if (oy * w + ox < to) dx[dBase + oy * w + ox + shift] = saved[k++];
                    }
                }
            }
        });
    }

    /** The first ox whose input column ox·stride − pad + kx is ≥ 0. */
    private static int firstInside(int kx, int pad, int stride) {
        int need = pad - kx;
        return need <= 0 ? 0 : (need + stride - 1) / stride;
    }

    /** One past the last ox whose input column is < w, clamped to [0, ow]. */
    private static int endInside(int kx, int pad, int stride, int w, int ow) {
        int lim = w - 1 + pad - kx;
        return lim < 0 ? 0 : Math.min(ow, lim / stride + 1);
    }

    /** d[do, do+n) += s[so, so+n); the tail is one masked vector, not a scalar loop (general-path rows are 7 to 32 long). */
    private static void addInto(float[] d, int dOff, float[] s, int sOff, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L)
            FloatVector.fromArray(S, d, dOff + i).add(FloatVector.fromArray(S, s, sOff + i)).intoArray(d, dOff + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, d, dOff + i, m).add(FloatVector.fromArray(S, s, sOff + i, m)).intoArray(d, dOff + i, m);
        }
    }
}
