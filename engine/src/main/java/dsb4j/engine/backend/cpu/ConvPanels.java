package dsb4j.engine.backend.cpu;

import dsb4j.engine.backend.cpu.DirectConv.Grid;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DirectConv}'s 3×3 convolutions as implicit GEMMs run by {@link Sgemm}'s micro-kernels
 * ({@link SgemmKernels}, MR × NV vectors): the kernels of machines with 16 vector registers (AVX2), where the direct
 * register tiles ran at 35–40 % of the FMA peak and these at 55–67 % (useful work, one Zen 4 core under
 * -XX:UseAVX=2, ConvBench; docs/performance.md). On the zero-bordered grid planes of
 * {@link DirectConv}, with k = (input channel, tap) and B[k][q] = the padded plane of the channel shifted by the tap:
 * <ul>
 *   <li>forward and input gradient: out[o][q] = Σ_k W[o][k] · B[k][q]. For each strip of NR grid positions the k rows
 *   of B are copied into a panel (k × NR floats: 18 KB for 32 channels) and the kernel runs over every block of MR
 *   output channels on it, the weights packed as MR-row panels. Each output element is one fused multiply-add chain
 *   over k in the tiles' order, so the bits are those of the tiles.</li>
 *   <li>weight gradient: dWᵀ[k][o] = Σ_q B[k][q] · dyᵀ[q][o], B's rows read in place as the A operand and dy transposed
 *   into panels of NR output channels (zeros in the grid's dropped columns); summed over blocks of KC positions image
 *   after image (the kernel adds each block to what it wrote before), an order fixed by the shape. The threads split
 *   the rows of k.</li>
 * </ul>
 * Why packing wins over reading the shifted planes in place (as the tiles do) is measured, not fully explained: the
 * kernel then loads whole vectors at whole-vector offsets in one counted loop; a variant that packed three rows per
 * channel and read the taps at +1 and +2 in a counted loop as well ran 2× slower than the panels, so the shifted
 * loads seem to cost more than the copy, which each panel amortises over all output channels.
 */
final class ConvPanels {
    private ConvPanels() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** The micro-kernel: MR output channels (forward) or rows of k (weight gradient) × NR = NV·L positions or channels. */
    static final int MR = SgemmBlock.MR, NV = SgemmBlock.NV, NR = NV * L;
    /** Strips per work item of the forward (a band): the band's outputs go out in row segments, fewer when it is longer. */
    private static final int BAND = 8;
    /** Grid positions per weight-gradient block: a panel of KC × NR floats stays in L1 (16 KB on AVX2). */
    private static final int KC = 256;

    static {
        if (DirectConv.BLOCK % NR != 0) throw new AssertionError("grid spans round to " + DirectConv.BLOCK + ", not to NR " + NR);
    }

    /** out [n, outs, h, w] from the padded planes xp [n, ins, plane] and weights packed as [outs/MR][ins·9][MR]. */
    static void convolve(float[] xp, int n, int ins, Grid gr, float[] wp, int outs, float[] out, ForkJoinPool pool) {
        int k = ins * 9, blocks = (outs + MR - 1) / MR, span = gr.span(), strips = span / NR;
        int bands = (strips + BAND - 1) / BAND, bandWidth = BAND * NR;
        Parallel.forRange(pool, n * bands, (long) outs * k * bandWidth, (lo, hi) -> {
            float[] tile = new float[blocks * MR * bandWidth], panel = new float[k * NR];
            int[] at = {0};
            for (int item = lo; item < hi; item++) {
                int img = item / bands, q0 = item % bands * bandWidth, q1 = Math.min(span, q0 + bandWidth);
                for (int q = q0; q < q1; q += NR) {
                    pack(xp, img * ins, ins, gr, q, panel);
                    for (int b = 0; b < blocks; b++) {
                        at[0] = b * k * MR;
                        SgemmKernels.tile(MR, NV, true, k, wp, at, panel, 0, tile, b * MR * bandWidth + q - q0, bandWidth, 1f, 0f);
                    }
                }
                copyOut(tile, bandWidth, q0, q1, img, outs, gr, out);
            }
        });
    }

    /** The panel of strip q: row (ch, ky, kx) holds the NR grid positions from q of plane ch shifted by the tap. */
    private static void pack(float[] xp, int plane0, int ins, Grid gr, int q, float[] panel) {
        int plane = gr.plane(), wd = gr.width();
        for (int ch = 0, d = 0; ch < ins; ch++) {
            int base = (plane0 + ch) * plane + q;
            for (int ky = 0; ky < 3; ky++)
                for (int kx = 0, s = base + ky * wd; kx < 3; kx++, d += NR)
                    for (int j = 0; j < NR; j += L) FloatVector.fromArray(S, xp, s + kx + j).intoArray(panel, d + j);
        }
    }

    /** Grid positions [q0, q1) of the tile (rows of width bandWidth, one per output channel) that are pixels, into out. */
    private static void copyOut(float[] tile, int bandWidth, int q0, int q1, int img, int outs, Grid gr, float[] out) {
        int h = gr.h(), w = gr.w(), wd = gr.width(), hw = h * w;
        for (int pos = q0; pos < q1; ) {
            int y = pos / wd, x = pos % wd, len = Math.min(q1 - pos, wd - x);
            if (y < h && x < w) {
                int count = Math.min(len, w - x), dst = img * outs * hw + y * w + x;
                for (int r = 0; r < outs; r++) System.arraycopy(tile, r * bandWidth + pos - q0, out, dst + r * hw, count);
            }
            pos += len;
        }
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
