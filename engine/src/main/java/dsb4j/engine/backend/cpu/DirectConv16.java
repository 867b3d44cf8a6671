package dsb4j.engine.backend.cpu;

import dsb4j.engine.backend.cpu.DirectConv.Grid;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DirectConv}'s 3×3 convolutions for machines with 16 vector registers (AVX2), where its register tiles (4
 * output channels × 4 vectors of grid positions, the weights broadcast: 21 registers) ran at 35–40 % of the FMA peak
 * and these at 65–72 % forward, 55–65 % for the weight gradient (useful work, one Zen 4 core under -XX:UseAVX=2,
 * ConvBench; docs/performance.md). On the zero-bordered grid planes of {@link DirectConv}:
 * <ul>
 *   <li>forward and input gradient: the dual tile, {@link #POSITIONS} = 4 grid positions of one row × 2 vectors of
 *   output channels (8 accumulators + 2 weight vectors + 1 broadcast = 11 registers): per input channel and tap, two
 *   vectors of the weights (packed [outs/CHANNELS][ins·9][CHANNELS]) and the four input values broadcast from the padded plane.
 *   Each output element is the same fused multiply-add chain, input channel by input channel and tap by tap, as in
 *   the tiles, so the bits are the tiles'. Rows are computed in blocks of 4 pixels (a row of 14 costs 16).</li>
 *   <li>weight gradient: dWᵀ[k][o] = Σ_q B[k][q] · dyᵀ[q][o] with k = (input channel, tap) and B[k][q] the padded plane
 *   shifted by the tap, run by {@link Sgemm}'s micro-kernel ({@link SgemmKernels}, MR × NV vectors): B's rows read in
 *   place as the A operand, dy transposed into panels of NR output channels (zeros in the grid's dropped columns),
 *   summed over blocks of KC positions image after image (the kernel adds each block to what it wrote before), an
 *   order fixed by the shape. The threads split the rows of k.</li>
 * </ul>
 * Measured, not fully explained: the tiles' in-place vector loads at every tap's offset seem to be what is slow with
 * 16 registers. Copying the shifted rows into panels for the SGEMM kernel ran 1.6–1.8× faster than the tiles, these
 * broadcasts another 13–15 % faster at 28² and 7² (level at 14²), and a variant that read the taps at +1 and +2 floats
 * from three packed rows per channel ran 2× slower than the panels.
 */
final class DirectConv16 {
    private DirectConv16() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** The forward tile: grid positions × output channels (two vectors). */
    static final int POSITIONS = 4, CHANNELS = 2 * L;
    /** The weight gradient's micro-kernel: MR rows of k × NR = NV·L output channels. */
    private static final int MR = SgemmBlock.MR, NV = SgemmBlock.NV, NR = NV * L;
    /** Grid positions per weight-gradient block: a dy panel of KC × NR floats stays in L1 (16 KB on AVX2). */
    private static final int KC = 256;

    static {
        if (DirectConv.BLOCK % NR != 0) throw new AssertionError("grid spans round to " + DirectConv.BLOCK + ", not to NR " + NR);
    }

    /** out [n, outs, h, w] from the padded planes xp [n, ins, plane] and weights packed in blocks of CHANNELS (DirectConv.pack); split over (image, block, row). */
    static void convolve(float[] xp, int n, int ins, Grid gr, float[] wp, int outs, float[] out, ForkJoinPool pool) {
        int blocks = (outs + CHANNELS - 1) / CHANNELS, h = gr.h(), w = gr.w(), wd = gr.width(), plane = gr.plane(), hw = h * w;
        int[] taps = new int[9];
        for (int t = 0; t < 9; t++) taps[t] = gr.tap(t);
        Parallel.forRange(pool, n * blocks * h, (long) CHANNELS * ins * 9 * w, (lo, hi) -> {
            float[] tile = new float[POSITIONS * CHANNELS];
            for (int item = lo; item < hi; item++) {
                int y = item % h, img = item / h / blocks, b = item / h % blocks, o0 = b * CHANNELS;
                int count = Math.min(CHANNELS, outs - o0);
                for (int x = 0; x < w; x += POSITIONS) {
                    tile(xp, img * ins * plane + y * wd + x, ins, plane, taps, wp, b * ins * 9 * CHANNELS, tile);
                    int pixels = Math.min(POSITIONS, w - x), dst = (img * outs + o0) * hw + y * w + x;
                    for (int j = 0; j < count; j++)
                        for (int r = 0; r < pixels; r++) out[dst + j * hw + r] = tile[r * CHANNELS + j];
                }
            }
        });
    }

    /**
     * tile[r·CHANNELS + j] = Σ over input channels and taps of x(grid position x0 + r, shifted by the tap) · w(channel j).
     * The nine taps are spelled out: looped over, their offsets picked in the loop, the same sums ran 30–40 % slower,
     * and a loop over the three rows with each row's three taps spelled out 1.65× slower (ConvBench, -XX:UseAVX=2).
     */
    private static void tile(float[] xp, int x0, int ins, int plane, int[] taps, float[] wp, int w0, float[] tile) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        int t0 = taps[0], t1 = taps[1], t2 = taps[2], t3 = taps[3], t4 = taps[4], t5 = taps[5], t6 = taps[6], t7 = taps[7], t8 = taps[8];
        for (int ch = 0; ch < ins; ch++) {
            int xb = x0 + ch * plane, wb = w0 + ch * 9 * CHANNELS;
            {
                int xi = xb + t0, wi = wb + 0 * CHANNELS;
                FloatVector v0 = FloatVector.fromArray(S, wp, wi), v1 = FloatVector.fromArray(S, wp, wi + L);
                FloatVector a = FloatVector.broadcast(S, xp[xi]);
                c00 = v0.fma(a, c00); c01 = v1.fma(a, c01);
                a = FloatVector.broadcast(S, xp[xi + 1]); c10 = v0.fma(a, c10); c11 = v1.fma(a, c11);
                a = FloatVector.broadcast(S, xp[xi + 2]); c20 = v0.fma(a, c20); c21 = v1.fma(a, c21);
                a = FloatVector.broadcast(S, xp[xi + 3]); c30 = v0.fma(a, c30); c31 = v1.fma(a, c31);
            }
            {
                int xi = xb + t1, wi = wb + 1 * CHANNELS;
                FloatVector v0 = FloatVector.fromArray(S, wp, wi), v1 = FloatVector.fromArray(S, wp, wi + L);
                FloatVector a = FloatVector.broadcast(S, xp[xi]);
                c00 = v0.fma(a, c00); c01 = v1.fma(a, c01);
                a = FloatVector.broadcast(S, xp[xi + 1]); c10 = v0.fma(a, c10); c11 = v1.fma(a, c11);
                a = FloatVector.broadcast(S, xp[xi + 2]); c20 = v0.fma(a, c20); c21 = v1.fma(a, c21);
                a = FloatVector.broadcast(S, xp[xi + 3]); c30 = v0.fma(a, c30); c31 = v1.fma(a, c31);
            }
            {
                int xi = xb + t2, wi = wb + 2 * CHANNELS;
                FloatVector v0 = FloatVector.fromArray(S, wp, wi), v1 = FloatVector.fromArray(S, wp, wi + L);
                FloatVector a = FloatVector.broadcast(S, xp[xi]);
                c00 = v0.fma(a, c00); c01 = v1.fma(a, c01);
                a = FloatVector.broadcast(S, xp[xi + 1]); c10 = v0.fma(a, c10); c11 = v1.fma(a, c11);
                a = FloatVector.broadcast(S, xp[xi + 2]); c20 = v0.fma(a, c20); c21 = v1.fma(a, c21);
                a = FloatVector.broadcast(S, xp[xi + 3]); c30 = v0.fma(a, c30); c31 = v1.fma(a, c31);
            }
            {
                int xi = xb + t3, wi = wb + 3 * CHANNELS;
                FloatVector v0 = FloatVector.fromArray(S, wp, wi), v1 = FloatVector.fromArray(S, wp, wi + L);
                FloatVector a = FloatVector.broadcast(S, xp[xi]);
                c00 = v0.fma(a, c00); c01 = v1.fma(a, c01);
                a = FloatVector.broadcast(S, xp[xi + 1]); c10 = v0.fma(a, c10); c11 = v1.fma(a, c11);
                a = FloatVector.broadcast(S, xp[xi + 2]); c20 = v0.fma(a, c20); c21 = v1.fma(a, c21);
                a = FloatVector.broadcast(S, xp[xi + 3]); c30 = v0.fma(a, c30); c31 = v1.fma(a, c31);
            }
            {
                int xi = xb + t4, wi = wb + 4 * CHANNELS;
                FloatVector v0 = FloatVector.fromArray(S, wp, wi), v1 = FloatVector.fromArray(S, wp, wi + L);
                FloatVector a = FloatVector.broadcast(S, xp[xi]);
                c00 = v0.fma(a, c00); c01 = v1.fma(a, c01);
                a = FloatVector.broadcast(S, xp[xi + 1]); c10 = v0.fma(a, c10); c11 = v1.fma(a, c11);
                a = FloatVector.broadcast(S, xp[xi + 2]); c20 = v0.fma(a, c20); c21 = v1.fma(a, c21);
                a = FloatVector.broadcast(S, xp[xi + 3]); c30 = v0.fma(a, c30); c31 = v1.fma(a, c31);
            }
            {
                int xi = xb + t5, wi = wb + 5 * CHANNELS;
                FloatVector v0 = FloatVector.fromArray(S, wp, wi), v1 = FloatVector.fromArray(S, wp, wi + L);
                FloatVector a = FloatVector.broadcast(S, xp[xi]);
                c00 = v0.fma(a, c00); c01 = v1.fma(a, c01);
                a = FloatVector.broadcast(S, xp[xi + 1]); c10 = v0.fma(a, c10); c11 = v1.fma(a, c11);
                a = FloatVector.broadcast(S, xp[xi + 2]); c20 = v0.fma(a, c20); c21 = v1.fma(a, c21);
                a = FloatVector.broadcast(S, xp[xi + 3]); c30 = v0.fma(a, c30); c31 = v1.fma(a, c31);
            }
            {
                int xi = xb + t6, wi = wb + 6 * CHANNELS;
                FloatVector v0 = FloatVector.fromArray(S, wp, wi), v1 = FloatVector.fromArray(S, wp, wi + L);
                FloatVector a = FloatVector.broadcast(S, xp[xi]);
                c00 = v0.fma(a, c00); c01 = v1.fma(a, c01);
                a = FloatVector.broadcast(S, xp[xi + 1]); c10 = v0.fma(a, c10); c11 = v1.fma(a, c11);
                a = FloatVector.broadcast(S, xp[xi + 2]); c20 = v0.fma(a, c20); c21 = v1.fma(a, c21);
                a = FloatVector.broadcast(S, xp[xi + 3]); c30 = v0.fma(a, c30); c31 = v1.fma(a, c31);
            }
            {
                int xi = xb + t7, wi = wb + 7 * CHANNELS;
                FloatVector v0 = FloatVector.fromArray(S, wp, wi), v1 = FloatVector.fromArray(S, wp, wi + L);
                FloatVector a = FloatVector.broadcast(S, xp[xi]);
                c00 = v0.fma(a, c00); c01 = v1.fma(a, c01);
                a = FloatVector.broadcast(S, xp[xi + 1]); c10 = v0.fma(a, c10); c11 = v1.fma(a, c11);
                a = FloatVector.broadcast(S, xp[xi + 2]); c20 = v0.fma(a, c20); c21 = v1.fma(a, c21);
                a = FloatVector.broadcast(S, xp[xi + 3]); c30 = v0.fma(a, c30); c31 = v1.fma(a, c31);
            }
            {
                int xi = xb + t8, wi = wb + 8 * CHANNELS;
                FloatVector v0 = FloatVector.fromArray(S, wp, wi), v1 = FloatVector.fromArray(S, wp, wi + L);
                FloatVector a = FloatVector.broadcast(S, xp[xi]);
                c00 = v0.fma(a, c00); c01 = v1.fma(a, c01);
                a = FloatVector.broadcast(S, xp[xi + 1]); c10 = v0.fma(a, c10); c11 = v1.fma(a, c11);
                a = FloatVector.broadcast(S, xp[xi + 2]); c20 = v0.fma(a, c20); c21 = v1.fma(a, c21);
                a = FloatVector.broadcast(S, xp[xi + 3]); c30 = v0.fma(a, c30); c31 = v1.fma(a, c31);
            }
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L);
        c10.intoArray(tile, CHANNELS); c11.intoArray(tile, CHANNELS + L);
        c20.intoArray(tile, 2 * CHANNELS); c21.intoArray(tile, 2 * CHANNELS + L);
        c30.intoArray(tile, 3 * CHANNELS); c31.intoArray(tile, 3 * CHANNELS + L);
    }

    /** Floats of dyᵀ in panels: [n][o/NR][span][NR]. */
    static int dyPanelsSize(int n, int o, Grid gr) {
        return n * ((o + NR - 1) / NR) * gr.span() * NR;
    }

    /**
     * dw [o, c·9] from the padded x (scratch[0, n·c·plane)) and dy [n, o, h, w]; dyᵀ is written into scratch from
     * dyBase ({@link #dyPanelsSize} floats).
     */
    static void weightGrad(int n, int c, int o, Grid gr, float[] scratch, float[] dy, int dyBase, float[] dw, ForkJoinPool pool) {
        int h = gr.h(), w = gr.w(), wd = gr.width(), hw = h * w, span = gr.span(), plane = gr.plane();
        int panels = (o + NR - 1) / NR, width = panels * NR, k = c * 9, rowTiles = (k + MR - 1) / MR;
        Parallel.forRange(pool, n * panels, (long) span * NR, (lo, hi) -> {
            for (int item = lo; item < hi; item++) {
                int img = item / panels, first = item % panels * NR, count = Math.min(NR, o - first);
                int base = dyBase + item * span * NR, src = (img * o + first) * hw;
                Arrays.fill(scratch, base, base + span * NR, 0f);
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) {
                        int d = base + (y * wd + x) * NR, s = src + y * w + x;
                        for (int j = 0; j < count; j++) scratch[d + j] = dy[s + j * hw];
                    }
            }
        });
        float[] dwT = new float[rowTiles * MR * width];
        int[] taps = new int[9];
        for (int t = 0; t < 9; t++) taps[t] = gr.tap(t);
        Parallel.forRange(pool, rowTiles, (long) n * span * width * MR, (lo, hi) -> {
            int[] rows = new int[MR];
            for (int img = 0; img < n; img++)
                for (int p0 = 0; p0 < span; p0 += KC) {
                    int kc = Math.min(KC, span - p0);
                    float beta = img == 0 && p0 == 0 ? 0f : 1f;
                    for (int tile = lo; tile < hi; tile++) {
                        for (int r = 0; r < MR; r++) {        // rows past k repeat the last; their sums are dropped
                            int row = Math.min(tile * MR + r, k - 1);
                            rows[r] = (img * c + row / 9) * plane + taps[row % 9] + p0;
                        }
                        for (int pn = 0; pn < panels; pn++)
                            SgemmKernels.tile(MR, NV, false, kc, scratch, rows, scratch, dyBase + ((img * panels + pn) * span + p0) * NR,
                                    dwT, tile * MR * width + pn * NR, width, 1f, beta);
                    }
                }
        });
        for (int oc = 0; oc < o; oc++)
            for (int row = 0; row < k; row++) dw[oc * k + row] = dwT[row * width + oc];
    }
}
