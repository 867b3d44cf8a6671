package dsb4j.engine.backend.cpu;

import dsb4j.engine.backend.ConvGeometry;
import dsb4j.engine.tensor.Layout;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * 3×3 convolutions with stride 1 and padding 1 (every convolution of a U-Net level) without a column matrix.
 * Each plane is copied once into a zero-bordered plane of width w + 2, the <em>grid</em>; on it, output pixel
 * q = y·(w + 2) + x reads tap (ky, kx) at q + ky·(w + 2) + kx, so each tap is the plane shifted by a constant
 * and the convolution is a GEMM whose B rows are read in place from the padded planes of one image (an implicit
 * GEMM: c·9 shifted rows, a few kilobytes, in L1/L2). A register tile holds R output channels × C vectors of grid
 * positions; the two grid columns past each row's end are computed and dropped (2/(w + 2) of the work, against
 * an im2col that moves 9× the input through memory twice and packs it for the GEMM).
 * <ul>
 *   <li>forward: the tile kernel over (image, block of R output channels);</li>
 *   <li>input gradient: the same kernel on dy, with the weight flipped and transposed (a "same" 3×3 convolution's
 *   adjoint is one);</li>
 *   <li>weight gradient: dy spread onto the grid (zeros in the dropped columns) times the nine shifted planes,
 *   summed over every image and position for one (pair of output channels, input channel) in a fixed order, so
 *   the result does not depend on the thread count; the backend uses it only where it beats im2col + GEMM
 *   ({@link #weightGradApplies}).</li>
 * </ul>
 * Each output element is one fused multiply-add chain in a fixed order: the same bits on every run and thread count
 * (not the scalar backend's im2col + GEMM order; the parity test bounds the difference).
 *
 * <p>The register tiles need 21 vector registers; where the machine has 16 (AVX2) they ran at 35–40 % of the FMA peak
 * whatever their shape, and {@link DirectConv16}'s kernels run the same sums faster ({@link Kernels}).
 */
final class DirectConv {
    private DirectConv() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Output channels and grid vectors of the forward register tile. */
    private static final int R = 4, C = 4;
    /** Grid positions per tile; every plane's span is a whole number of them. */
    static final int BLOCK = C * L;

    /**
     * Which kernels run the sums. Forward and input gradient give the same bits either way (one chain per output
     * element, input channel by input channel, tap by tap); the weight gradients sum in different orders.
     */
    enum Kernels {
        /** This class's register tiles: 4 output channels × 4 vectors of grid positions, the weights broadcast. */
        FOR_32_REGISTERS,
        /**
         * {@link DirectConv16}'s: 4 grid positions × 2 vectors of output channels, the input broadcast; SGEMM's kernel
         * for the weight gradient.
         */
        FOR_16_REGISTERS;

        /**
         * This machine's, by its vector registers (ConvBench under -XX:UseAVX=2, one thread, ms per op, 32's / 16's:
         * forward 11.1–12.3 / 5.4–5.5 at 32 channels of 28², 9.0–11.2 / 5.8–5.9 at 64 of 14²; with AVX-512 the
         * tiles stay a little faster: 5.5–5.7 / 6.1 at 28², level at 14² and 7²). {@code -Ddsb4j.conv.kernels=32|16}
         * overrides, for benchmarks.
         */
        static final Kernels HERE = choose();

        private static Kernels choose() {
            String forced = System.getProperty("dsb4j.conv.kernels", "").trim();
            if (forced.equals("32")) return FOR_32_REGISTERS;
            if (forced.equals("16")) return FOR_16_REGISTERS;
            return SgemmBlock.REGISTERS >= 32 ? FOR_32_REGISTERS : FOR_16_REGISTERS;
        }
    }

    static boolean applies(ConvGeometry g) {
        return g.kh() == 3 && g.kw() == 3 && g.stride() == 1 && g.pad() == 1;
    }

    /** Whether the direct weight gradient beats im2col + GEMM here ({@link #weightGradApplies(Kernels, ConvGeometry)}). */
    static boolean weightGradApplies(ConvGeometry g) {
        return weightGradApplies(Kernels.HERE, g);
    }

    /**
     * Whether the direct weight gradient beats im2col + GEMM: the tiles on planes of at least 512 grid positions (28²:
     * 840), SGEMM's kernel on dy panels ({@link DirectConv16}) on planes of at least 128 (14²: 224). On smaller ones
     * the rounding to whole tiles wastes a larger share (7²: 64 positions for 49) and the GEMM, which reads the column
     * matrix in place, was faster (ConvBench,
     * 1 thread, 64 channels, direct / columns: tiles 5.6 / 6.4 ms at 14², 1.7 / 2.7 at 7², 32 channels at 28²: 6.7 /
     * 5.7 the other way; DirectConv16 under -XX:UseAVX=2: 6.5–6.9 / 7.5 at 14², 1.9–2.1 / 1.8 at 7²).
     */
    static boolean weightGradApplies(Kernels k, ConvGeometry g) {
        return applies(g) && g.h() * (g.w() + 2) >= (k == Kernels.FOR_32_REGISTERS ? 512 : 128);
    }

    /** The grid of one h×w plane: row length w + 2, positions [0, span) computed, padded planes of size plane. */
    record Grid(int h, int w) {
        int width() { return w + 2; }
        /** Output positions computed per plane: h rows of the grid, rounded up to whole register tiles. */
        int span() { return (h * width() + BLOCK - 1) / BLOCK * BLOCK; }
        /** A padded plane: the image at (y + 1, x + 1), zeros around, and room for the last tile's farthest tap. */
        int plane() { return span() + 2 * width() + 2; }
        int tap(int t) { return t / 3 * width() + t % 3; }
    }

    /** Floats of scratch the forward pass needs: the padded input. */
    static int forwardScratch(ConvGeometry g) { return g.n() * g.c() * new Grid(g.h(), g.w()).plane(); }

    /** y [n, o, h, w] = conv(x, w [o, c·9]); xp: scratch of {@link #forwardScratch} floats. */
    static void forward(ConvGeometry g, int o, float[] x, Layout xl, float[] w, float[] y, float[] xp, ForkJoinPool pool) {
        forward(Kernels.HERE, g, o, x, xl, w, y, xp, pool);
    }

    static void forward(Kernels k, ConvGeometry g, int o, float[] x, Layout xl, float[] w, float[] y, float[] xp, ForkJoinPool pool) {
        Grid gr = new Grid(g.h(), g.w());
        pad(x, xl.offset(), xl.strides(), g.n(), g.c(), gr, xp, pool);
        convolve(k, xp, g.n(), g.c(), gr, w, o, g.c(), false, o, y, pool);
    }

    /** Floats of scratch the input gradient needs: the padded dy. */
    static int inputGradScratch(ConvGeometry g, int o) { return g.n() * o * new Grid(g.h(), g.w()).plane(); }

    /** dx [n, c, h, w] from dy [n, o, h, w]: the forward kernel with the weight flipped and transposed. */
    static void inputGrad(ConvGeometry g, int o, float[] dy, float[] w, float[] dx, float[] dyp, ForkJoinPool pool) {
        inputGrad(Kernels.HERE, g, o, dy, w, dx, dyp, pool);
    }

    static void inputGrad(Kernels k, ConvGeometry g, int o, float[] dy, float[] w, float[] dx, float[] dyp, ForkJoinPool pool) {
        Grid gr = new Grid(g.h(), g.w());
        int[] packed = {o * g.h() * g.w(), g.h() * g.w(), g.w(), 1};
        pad(dy, 0, packed, g.n(), o, gr, dyp, pool);
        convolve(k, dyp, g.n(), o, gr, w, o, g.c(), true, g.c(), dx, pool);
    }

    /** out [n, outs, h, w] from the padded planes xp [n, ins, plane] and w [o, c, 3, 3] (flipped and transposed if adjoint). */
    private static void convolve(Kernels k, float[] xp, int n, int ins, Grid gr, float[] w, int o, int c, boolean adjoint,
                                 int outs, float[] out, ForkJoinPool pool) {
        if (k == Kernels.FOR_16_REGISTERS) DirectConv16.convolve(xp, n, ins, gr, pack(w, o, c, adjoint, DirectConv16.CHANNELS), outs, out, pool);
        else convolve(xp, n, ins, gr, pack(w, o, c, adjoint, R), outs, out, pool);
    }

    /** Floats of scratch the weight gradient needs. */
    static int weightGradScratch(ConvGeometry g, int o) {
        return weightGradScratch(Kernels.HERE, g, o);
    }

    /** The padded x, then dy on the grid (tiles) or transposed into panels ({@link DirectConv16#dyPanelsSize}). */
    static int weightGradScratch(Kernels k, ConvGeometry g, int o) {
        Grid gr = new Grid(g.h(), g.w());
        return g.n() * g.c() * gr.plane() + (k == Kernels.FOR_16_REGISTERS ? DirectConv16.dyPanelsSize(g.n(), o, gr) : g.n() * o * gr.span());
    }

    /** dw [o, c·9] from x (any layout) and dy [n, o, h, w]. */
    static void weightGrad(ConvGeometry g, int o, float[] x, Layout xl, float[] dy, float[] dw, float[] scratch, ForkJoinPool pool) {
        weightGrad(Kernels.HERE, g, o, x, xl, dy, dw, scratch, pool);
    }

    static void weightGrad(Kernels k, ConvGeometry g, int o, float[] x, Layout xl, float[] dy, float[] dw, float[] scratch,
                           ForkJoinPool pool) {
        Grid gr = new Grid(g.h(), g.w());
        int n = g.n(), c = g.c(), span = gr.span(), plane = gr.plane(), dyBase = n * c * plane;
        pad(x, xl.offset(), xl.strides(), n, c, gr, scratch, pool);
        if (k == Kernels.FOR_16_REGISTERS) {
            DirectConv16.weightGrad(n, c, o, gr, scratch, dy, dyBase, dw, pool);
            return;
        }
        Parallel.forRange(pool, n * o, span, (lo, hi) -> {           // dy onto the grid, zeros in the dropped columns
            for (int p = lo; p < hi; p++) {
                int d = dyBase + p * span, s = p * g.h() * g.w();
                Arrays.fill(scratch, d, d + span, 0f);
                for (int yy = 0; yy < g.h(); yy++) System.arraycopy(dy, s + yy * g.w(), scratch, d + yy * gr.width(), g.w());
            }
        });
        int pairs = (o + 1) / 2;
        int[] taps = new int[9];
        for (int t = 0; t < 9; t++) taps[t] = gr.tap(t);
        Parallel.forRange(pool, pairs * c, 18L * n * span, (lo, hi) -> {
            float[] sums = new float[18], lanes = new float[18 * L];
            for (int item = lo; item < hi; item++) {
                int pair = item / c, ch = item % c, o0 = 2 * pair, o1 = Math.min(o0 + 1, o - 1);
                weightTile(scratch, n, c, o, plane, span, dyBase, o0, o1, ch, taps, sums, lanes);
                for (int t = 0; t < 9; t++) {
                    dw[(o0 * c + ch) * 9 + t] = sums[t];
                    if (o1 != o0) dw[(o1 * c + ch) * 9 + t] = sums[9 + t];
                }
            }
        });
    }

    /**
     * Copies n·c planes of src (element (img, ch, y, x) at off + img·st[0] + ch·st[1] + y·st[2] + x·st[3]) into
     * zero-bordered grid planes.
     */
    static void pad(float[] src, int off, int[] st, int n, int c, Grid gr, float[] dst, ForkJoinPool pool) {
        int plane = gr.plane(), wd = gr.width(), h = gr.h(), w = gr.w();
        Parallel.forRange(pool, n * c, plane, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int img = p / c, ch = p % c, d = p * plane, s = off + img * st[0] + ch * st[1];
                Arrays.fill(dst, d, d + plane, 0f);
                for (int yy = 0; yy < h; yy++) {
                    int row = d + (yy + 1) * wd + 1, from = s + yy * st[2];
                    if (st[3] == 1) System.arraycopy(src, from, dst, row, w);
                    else for (int xx = 0; xx < w; xx++) dst[row + xx] = src[from + xx * st[3]];
                }
            }
        });
    }

    /**
     * w [o, c, 3, 3] as blocks of {@code block} output channels, [outs/block][ins·9][block] (zeros past outs), so that a
     * tile's weights are read in order: R for the tiles here, two vectors for {@link DirectConv16}. {@code adjoint}: the
     * weight of the input gradient instead, w'[ch][oc][t] = w[oc][ch][8 − t].
     */
    private static float[] pack(float[] w, int o, int c, boolean adjoint, int block) {
        int outs = adjoint ? c : o, ins = adjoint ? o : c, blocks = (outs + block - 1) / block;
        float[] p = new float[blocks * ins * 9 * block];
        for (int out = 0; out < outs; out++)
            for (int in = 0; in < ins; in++)
                for (int t = 0; t < 9; t++) {
                    float v = adjoint ? w[(in * c + out) * 9 + 8 - t] : w[(out * ins + in) * 9 + t];
                    p[((out / block * ins + in) * 9 + t) * block + out % block] = v;
                }
        return p;
    }

    /** out [n, outs, h, w] from padded planes [n, ins, plane] and packed weights; split over (image, channel block). */
    private static void convolve(float[] xp, int n, int ins, Grid gr, float[] wp, int outs, float[] out, ForkJoinPool pool) {
        int blocks = (outs + R - 1) / R, span = gr.span(), plane = gr.plane(), h = gr.h(), w = gr.w();
        int[] taps = new int[9];
        for (int t = 0; t < 9; t++) taps[t] = gr.tap(t);
        Parallel.forRange(pool, n * blocks, (long) R * ins * 9 * span, (lo, hi) -> {
            float[] tile = new float[R * span];
            for (int item = lo; item < hi; item++) {
                int img = item / blocks, block = item % blocks, o0 = block * R;
                for (int q = 0; q < span; q += BLOCK)
                    tile(xp, img * ins * plane + q, ins, plane, taps, wp, block * ins * 9 * R, tile, q, span);
                for (int r = 0; r < R && o0 + r < outs; r++) {
                    int dst = (img * outs + o0 + r) * h * w;
                    for (int yy = 0; yy < h; yy++) System.arraycopy(tile, r * span + yy * gr.width(), out, dst + yy * w, w);
                }
            }
        });
    }

    /** R output channels × C vectors at grid position q: Σ over input channels and taps of w · shifted plane. */
    private static void tile(float[] xp, int x0, int ins, int plane, int[] taps, float[] wp, int w0, float[] tile, int q, int span) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int ch = 0, wi = w0; ch < ins; ch++) {
            int base = x0 + ch * plane;
            for (int t = 0; t < 9; t++, wi += R) {
                int s = base + taps[t];
                FloatVector b0 = FloatVector.fromArray(S, xp, s), b1 = FloatVector.fromArray(S, xp, s + L);
                FloatVector b2 = FloatVector.fromArray(S, xp, s + 2 * L), b3 = FloatVector.fromArray(S, xp, s + 3 * L);
                FloatVector w = FloatVector.broadcast(S, wp[wi]);
                a00 = w.fma(b0, a00); a01 = w.fma(b1, a01); a02 = w.fma(b2, a02); a03 = w.fma(b3, a03);
                w = FloatVector.broadcast(S, wp[wi + 1]);
                a10 = w.fma(b0, a10); a11 = w.fma(b1, a11); a12 = w.fma(b2, a12); a13 = w.fma(b3, a13);
                w = FloatVector.broadcast(S, wp[wi + 2]);
                a20 = w.fma(b0, a20); a21 = w.fma(b1, a21); a22 = w.fma(b2, a22); a23 = w.fma(b3, a23);
                w = FloatVector.broadcast(S, wp[wi + 3]);
                a30 = w.fma(b0, a30); a31 = w.fma(b1, a31); a32 = w.fma(b2, a32); a33 = w.fma(b3, a33);
            }
        }
        a00.intoArray(tile, q); a01.intoArray(tile, q + L); a02.intoArray(tile, q + 2 * L); a03.intoArray(tile, q + 3 * L);
        q += span;
        a10.intoArray(tile, q); a11.intoArray(tile, q + L); a12.intoArray(tile, q + 2 * L); a13.intoArray(tile, q + 3 * L);
        q += span;
        a20.intoArray(tile, q); a21.intoArray(tile, q + L); a22.intoArray(tile, q + 2 * L); a23.intoArray(tile, q + 3 * L);
        q += span;
        a30.intoArray(tile, q); a31.intoArray(tile, q + L); a32.intoArray(tile, q + 2 * L); a33.intoArray(tile, q + 3 * L);
    }

    /**
     * sums[r·9 + t] = Σ over images and grid positions of dy(o_r) · x(ch) shifted by tap t, for the output channels
     * o0 and o1 (equal when o is odd and o0 is the last; then the second half is a copy).
     */
    private static void weightTile(float[] s, int n, int c, int o, int plane, int span, int dyBase, int o0, int o1, int ch,
                                   int[] taps, float[] sums, float[] lanes) {
        FloatVector z = FloatVector.zero(S);
        FloatVector p0 = z, p1 = z, p2 = z, p3 = z, p4 = z, p5 = z, p6 = z, p7 = z, p8 = z;
        FloatVector q0 = z, q1 = z, q2 = z, q3 = z, q4 = z, q5 = z, q6 = z, q7 = z, q8 = z;
        int t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3], t4 = taps[4], t5 = taps[5], t6 = taps[6], t7 = taps[7], t8 = taps[8];
        for (int img = 0; img < n; img++) {
            int x = (img * c + ch) * plane, d0 = dyBase + (img * o + o0) * span, d1 = dyBase + (img * o + o1) * span;
            for (int i = 0; i < span; i += L) {
                FloatVector u = FloatVector.fromArray(S, s, d0 + i), v = FloatVector.fromArray(S, s, d1 + i), b;
                int xi = x + i;
                b = FloatVector.fromArray(S, s, xi + t0); p0 = u.fma(b, p0); q0 = v.fma(b, q0);
                b = FloatVector.fromArray(S, s, xi + t1); p1 = u.fma(b, p1); q1 = v.fma(b, q1);
                b = FloatVector.fromArray(S, s, xi + t2); p2 = u.fma(b, p2); q2 = v.fma(b, q2);
                b = FloatVector.fromArray(S, s, xi + t3); p3 = u.fma(b, p3); q3 = v.fma(b, q3);
                b = FloatVector.fromArray(S, s, xi + t4); p4 = u.fma(b, p4); q4 = v.fma(b, q4);
                b = FloatVector.fromArray(S, s, xi + t5); p5 = u.fma(b, p5); q5 = v.fma(b, q5);
                b = FloatVector.fromArray(S, s, xi + t6); p6 = u.fma(b, p6); q6 = v.fma(b, q6);
                b = FloatVector.fromArray(S, s, xi + t7); p7 = u.fma(b, p7); q7 = v.fma(b, q7);
                b = FloatVector.fromArray(S, s, xi + t8); p8 = u.fma(b, p8); q8 = v.fma(b, q8);
            }
        }
        // spilled first and summed in a separate loop: reducing in place inlines enough code that C2 stops
        // intrinsifying the loop's vector ops (measured: 15× slower)
        p0.intoArray(lanes, 0); p1.intoArray(lanes, L); p2.intoArray(lanes, 2 * L); p3.intoArray(lanes, 3 * L);
        p4.intoArray(lanes, 4 * L); p5.intoArray(lanes, 5 * L); p6.intoArray(lanes, 6 * L); p7.intoArray(lanes, 7 * L);
        p8.intoArray(lanes, 8 * L); q0.intoArray(lanes, 9 * L); q1.intoArray(lanes, 10 * L); q2.intoArray(lanes, 11 * L);
        q3.intoArray(lanes, 12 * L); q4.intoArray(lanes, 13 * L); q5.intoArray(lanes, 14 * L); q6.intoArray(lanes, 15 * L);
        q7.intoArray(lanes, 16 * L); q8.intoArray(lanes, 17 * L);
        for (int k = 0; k < 18; k++) sums[k] = Sgemm.sumLanes(lanes, k * L);
    }
}
