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

    /** cols [c·kh·kw, n, oh·ow] from x [n, c, h, w] seen through xl (any strides). */
    static void im2col(ConvGeometry g, float[] x, Layout xl, float[] cols, ForkJoinPool pool) {
        int oh = g.oh(), ow = g.ow(), rows = g.colRows(), area = oh * ow;
        int[] st = xl.strides();
        int off = xl.offset();
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

    /** dx [n, c, h, w] (contiguous) += the columns scattered back. */
    static void col2im(ConvGeometry g, float[] cols, float[] dx, ForkJoinPool pool) {
        int oh = g.oh(), ow = g.ow(), taps = g.kh() * g.kw(), area = oh * ow;
        int plane = g.h() * g.w();
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

    /** d[do, do+n) += s[so, so+n). Rows are short (7 to 32 here), so the tail is one masked vector, not a scalar loop. */
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
