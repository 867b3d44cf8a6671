package dsb4j.engine.backend.cpu;

import dsb4j.engine.backend.ReduceOp;
import dsb4j.engine.tensor.Layout;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 SUM and MAX over any axis set, for the two layouts that matter: the innermost axis reduced and
 * contiguous (row sums, full sums) and the innermost axis kept and contiguous (column sums such as bias
 * gradients [B,N]→[1,N]). Sums accumulate in float vectors over short blocks that are joined in double,
 * so the error stays near the scalar backend's double accumulation however long the reduction.
 * Work is split on boundaries fixed by the shape alone and joined in a fixed order, so 1 and N threads
 * give the same bits.
 */
final class ReduceKernels {
    private ReduceKernels() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** Elements summed in float before the block joins the double total: 32 adds per accumulator lane. */
    static final int BLOCK = 32 * 4 * L;
    /** Elements of one contiguous run per work item (one double partial each). */
    static final int SEG = 1 << 14;
    /**
     * Output columns per work item in the kept-inner case, and rows summed in float between joins into
     * double: few enough that even a stride-0 (broadcast) axis, the same value added again and again,
     * stays well inside 1e-6 of Σ|x|; the join costs about one extra row in FLUSH.
     */
    static final int COLS = 512, FLUSH = 16;

    /**
     * Reduces x over the flagged axes into out[0, kept numel). Returns false, touching nothing, when
     * the innermost axis is strided or broadcast (the caller then reduces a packed copy).
     */
    static boolean reduce(ReduceOp op, float[] x, Layout xl, boolean[] reduced, float[] out, ForkJoinPool pool) {
        int rank = xl.rank();
        int[] d = xl.shape().dims(), s = xl.strides();
        int keptNumel = 1;
        for (int a = 0; a < rank; a++) if (!reduced[a]) keptNumel *= d[a];
        if (keptNumel == 0) return true;
        if (xl.numel() == 0) {                      // an empty reduced axis: every output is the identity
            Arrays.fill(out, 0, keptNumel, (float) op.identity());
            return true;
        }
        // Drop size-1 axes; merge neighbours of the same kind whose strides line up.
        int[] sd = new int[rank], ss = new int[rank];
        boolean[] sr = new boolean[rank];
        int r = 0;
        for (int a = 0; a < rank; a++) {
            if (d[a] == 1) continue;
            if (r > 0 && sr[r - 1] == reduced[a] && ss[r - 1] == s[a] * d[a]) {
                sd[r - 1] *= d[a];
                ss[r - 1] = s[a];
            } else {
                sd[r] = d[a]; ss[r] = s[a]; sr[r] = reduced[a];
                r++;
            }
        }
        if (r == 0) {                               // a single element
            out[0] = (float) op.combine(op.identity(), x[xl.offset()]);
            return true;
        }
        if (ss[r - 1] != 1) return false;
        Axes kept = Axes.select(sd, ss, sr, r - 1, false), red = Axes.select(sd, ss, sr, r - 1, true);
        if (sr[r - 1]) innerReduced(op, x, xl.offset(), sd[r - 1], kept, red, keptNumel, out, pool);
        else innerKept(op, x, xl.offset(), sd[r - 1], kept, red, out, pool);
        return true;
    }

    /** Dims and strides of some of the outer axes, with the offset of a row-major index over them. */
    private record Axes(int[] dims, int[] strides, int count) {
        static Axes select(int[] sd, int[] ss, boolean[] sr, int upTo, boolean flag) {
            int n = 0;
            for (int a = 0; a < upTo; a++) if (sr[a] == flag) n++;
            int[] dd = new int[n], st = new int[n];
            int c = 1;
            for (int a = 0, j = 0; a < upTo; a++) if (sr[a] == flag) { dd[j] = sd[a]; st[j++] = ss[a]; c *= sd[a]; }
            return new Axes(dd, st, c);
        }

        int offset(int index) {
            int off = 0;
            for (int a = dims.length - 1; a >= 0; a--) {
                off += index % dims[a] * strides[a];
                index /= dims[a];
            }
            return off;
        }
    }

    // ---- innermost axis reduced: each output is a set of contiguous runs of length n -------------------

    private static void innerReduced(ReduceOp op, float[] x, int base, int n, Axes kept, Axes red, int outCount,
                                     float[] out, ForkJoinPool pool) {
        int runs = red.count();
        // Work items of about SEG elements: a segment of one long run, or a group of whole short runs.
        int segsPerRun = n >= SEG ? (n + SEG - 1) / SEG : 1;
        int runsPerItem = n >= SEG ? 1 : SEG / n;
        int perOut = n >= SEG ? runs * segsPerRun : (runs + runsPerItem - 1) / runsPerItem;
        // One item per output (the usual case) writes straight to out; otherwise partials are joined below.
        double[] partial = perOut == 1 ? null : new double[outCount * perOut];
        boolean sum = op == ReduceOp.SUM;
        Parallel.forRange(pool, outCount * perOut, Math.min((long) n * runs, SEG), (lo, hi) -> {
            float[] lanes = new float[L];
            for (int t = lo; t < hi; t++) {
                int k = t / perOut, item = t % perOut;
                int kOff = base + kept.offset(k);
                int r0, r1, e0, e1;
                if (n >= SEG) {
                    r0 = item / segsPerRun; r1 = r0 + 1;
                    e0 = item % segsPerRun * SEG; e1 = Math.min(n, e0 + SEG);
                } else {
                    r0 = item * runsPerItem; r1 = Math.min(runs, r0 + runsPerItem);
                    e0 = 0; e1 = n;
                }
                double acc = op.identity();
                for (int run = r0; run < r1; run++) {
                    int off = kOff + red.offset(run) + e0;
                    acc = sum ? acc + sumRun(x, off, e1 - e0, lanes) : Math.max(acc, maxRun(x, off, e1 - e0));
                }
                if (partial == null) out[t] = (float) acc;
                else partial[t] = acc;
            }
        });
        if (partial == null) return;
        for (int k = 0; k < outCount; k++) {        // join in a fixed order
            double acc = op.identity();
            for (int i = 0; i < perOut; i++) acc = op.combine(acc, partial[k * perOut + i]);
            out[k] = (float) acc;
        }
    }

    /** Σ x[off, off+n) in float blocks of BLOCK joined in double; {@code lanes} is L floats of scratch. */
    static double sumRun(float[] x, int off, int n, float[] lanes) {
        double total = 0;
        for (int b = 0; b < n; b += BLOCK) total += sumBlock(x, off + b, Math.min(BLOCK, n - b), lanes);
        return total;
    }

    /** Four independent accumulators hide the add latency; lanes are joined in a fixed order, in double. */
    private static double sumBlock(float[] x, int off, int n, float[] lanes) {
        int i = 0;
        double s = 0;
        if (n >= L) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            for (int ub = n - 4 * L; i <= ub; i += 4 * L) {
                a0 = a0.add(FloatVector.fromArray(S, x, off + i));
                a1 = a1.add(FloatVector.fromArray(S, x, off + i + L));
                a2 = a2.add(FloatVector.fromArray(S, x, off + i + 2 * L));
                a3 = a3.add(FloatVector.fromArray(S, x, off + i + 3 * L));
            }
            for (int ub = S.loopBound(n); i < ub; i += L) a0 = a0.add(FloatVector.fromArray(S, x, off + i));
            a0.add(a1).add(a2.add(a3)).intoArray(lanes, 0);
            for (int j = 0; j < L; j++) s += lanes[j];
        }
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    static float maxRun(float[] x, int off, int n) {
        int i = 0;
        float m = Float.NEGATIVE_INFINITY;
        if (n >= L) {
            FloatVector a0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY), a1 = a0, a2 = a0, a3 = a0;
            for (int ub = n - 4 * L; i <= ub; i += 4 * L) {
                a0 = a0.max(FloatVector.fromArray(S, x, off + i));
                a1 = a1.max(FloatVector.fromArray(S, x, off + i + L));
                a2 = a2.max(FloatVector.fromArray(S, x, off + i + 2 * L));
                a3 = a3.max(FloatVector.fromArray(S, x, off + i + 3 * L));
            }
            for (int ub = S.loopBound(n); i < ub; i += L) a0 = a0.max(FloatVector.fromArray(S, x, off + i));
            m = a0.max(a1).max(a2.max(a3)).reduceLanes(VectorOperators.MAX);   // max is order-free
        }
        for (; i < n; i++) m = Math.max(m, x[off + i]);
        return m;
    }

    // ---- innermost axis kept: output rows of n columns, each the sum of many input rows --------------

    private static void innerKept(ReduceOp op, float[] x, int base, int n, Axes kept, Axes red, float[] out,
                                  ForkJoinPool pool) {
        int chunks = (n + COLS - 1) / COLS, rows = red.count();
        int items = kept.count() * chunks;
        boolean sum = op == ReduceOp.SUM;
        Parallel.forRange(pool, items, (long) rows * Math.min(n, COLS), (lo, hi) -> {
            float[] facc = new float[COLS];
            double[] dacc = sum ? new double[COLS] : null;
            int[] idx = new int[red.dims().length];
            for (int t = lo; t < hi; t++) {
                int k = t / chunks, j0 = t % chunks * COLS, w = Math.min(COLS, n - j0);
                int rowBase = base + kept.offset(k) + j0;
                Arrays.fill(facc, 0, w, sum ? 0f : Float.NEGATIVE_INFINITY);
                if (sum) Arrays.fill(dacc, 0, w, 0.0);
                Arrays.fill(idx, 0);
                int roff = 0;
                for (int row = 0; row < rows; row++) {
                    if (sum) {
                        addInto(facc, x, rowBase + roff, w);
                        if ((row + 1) % FLUSH == 0 || row == rows - 1) flush(facc, dacc, w);
                    } else {
                        maxInto(facc, x, rowBase + roff, w);
                    }
                    roff = next(idx, red, roff);
                }
                int o = k * n + j0;
                for (int j = 0; j < w; j++) out[o + j] = sum ? (float) dacc[j] : facc[j];
            }
        });
    }

    /** Advances a row-major odometer over the axes and returns the new offset. */
    private static int next(int[] idx, Axes ax, int off) {
        int[] dims = ax.dims(), st = ax.strides();
        for (int a = dims.length - 1; a >= 0; a--) {
            if (++idx[a] < dims[a]) return off + st[a];
            off -= st[a] * (dims[a] - 1);
            idx[a] = 0;
        }
        return off;
    }

    private static void flush(float[] facc, double[] dacc, int w) {
        for (int j = 0; j < w; j++) {
            dacc[j] += facc[j];
            facc[j] = 0f;
        }
    }

    /** acc[0, w) += x[off, off+w). */
    static void addInto(float[] acc, float[] x, int off, int w) {
        int j = 0;
        for (int ub = S.loopBound(w); j < ub; j += L)
            FloatVector.fromArray(S, acc, j).add(FloatVector.fromArray(S, x, off + j)).intoArray(acc, j);
        for (; j < w; j++) acc[j] += x[off + j];
    }

    static void maxInto(float[] acc, float[] x, int off, int w) {
        int j = 0;
        for (int ub = S.loopBound(w); j < ub; j += L)
            FloatVector.fromArray(S, acc, j).max(FloatVector.fromArray(S, x, off + j)).intoArray(acc, j);
        for (; j < w; j++) acc[j] = Math.max(acc[j], x[off + j]);
    }
}
