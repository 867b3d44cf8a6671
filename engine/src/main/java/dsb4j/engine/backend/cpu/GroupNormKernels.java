package dsb4j.engine.backend.cpu;

import dsb4j.engine.backend.GroupNormShape;
import java.util.concurrent.ForkJoinPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Group normalisation + per-(image, channel) affine + SiLU, forward and backward, one group per task. A group's
 * channels are contiguous in x [n, c, area], so group i is x[i·size, (i + 1)·size) and its channels are
 * i·(c/groups) + k: a few kilobytes that stay in L1/L2 across the passes (mean, variance, output; backward: one
 * pass for the per-channel sums and dx̂, one for dx), against about fifteen passes over the whole activation when
 * the same arithmetic runs as separate ops. Sums run in a fixed order (vector lanes, then the tail, then channel by
 * channel), so every thread count gives the same bits.
 * <p>Each vector loop is its own small method that returns where its scalar tail starts, like
 * {@link UnaryKernels}: with the tail (and its scalar exp) in the same method, C2 ran out of inlining budget and
 * boxed every vector of the sigmoid (measured: 3× slower and a gigabyte of garbage per second).
 */
final class GroupNormKernels {
    private GroupNormKernels() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    static void forward(GroupNormShape s, float[] x, float[] a, float[] b, float[] y, float[] stats, ForkJoinPool pool) {
        int size = s.groupSize(), area = s.area(), perGroup = s.channels() / s.groups(), count = s.count();
        Parallel.forRange(pool, count, 3L * size, (lo, hi) -> {
            float[] lanes = new float[2 * L];
            for (int grp = lo; grp < hi; grp++) {
                int base = grp * size;
                float mean = sum(x, base, size, lanes) / size;
                float var = sumSquares(x, base, size, mean, lanes) / size;
                float rstd = (float) (1.0 / Math.sqrt(var + s.eps()));
                stats[grp] = mean;
                stats[count + grp] = rstd;
                for (int k = 0; k < perGroup; k++) {
                    int ch = grp * perGroup + k, off = base + k * area;
                    float scale = a[ch] * rstd, shift = b[ch] - mean * scale;
                    for (int i = siluAffine(x, y, off, area, scale, shift); i < area; i++) {
                        float u = Math.fma(x[off + i], scale, shift);
                        y[off + i] = u * UnaryKernels.sigmoid(u);
                    }
                }
            }
        });
    }

    static void grad(GroupNormShape s, float[] x, float[] stats, float[] a, float[] b, float[] dy,
                     float[] dx, float[] da, float[] db, ForkJoinPool pool) {
        int size = s.groupSize(), area = s.area(), perGroup = s.channels() / s.groups(), count = s.count();
        Parallel.forRange(pool, count, 5L * size, (lo, hi) -> {
            float[] lanes = new float[4 * L], sums = new float[4];
            for (int grp = lo; grp < hi; grp++) {
                int base = grp * size;
                float mean = stats[grp], rstd = stats[count + grp], sumG = 0f, sumGX = 0f;
                for (int k = 0; k < perGroup; k++) {      // g = dy·silu'(u)·a into dx, with its per-channel and per-group sums
                    int ch = grp * perGroup + k;
                    float scale = a[ch] * rstd;
                    channelGrad(x, dy, dx, base + k * area, area, mean, rstd, a[ch], scale, b[ch] - mean * scale, lanes, sums);
                    db[ch] = sums[0];
                    da[ch] = sums[1];
                    sumG += sums[2];
                    sumGX += sums[3];
                }
                float meanG = sumG / size, meanGX = sumGX / size;   // dx = rstd·(g − mean(g) − x̂·mean(g·x̂))
                for (int i = finishGrad(x, dx, base, size, mean, rstd, meanG, meanGX); i < size; i++) {
                    float xh = (x[base + i] - mean) * rstd;
                    dx[base + i] = (dx[base + i] - meanG - xh * meanGX) * rstd;
                }
            }
        });
    }

    /** y = silu(x·scale + shift) over whole vectors of [off, off + len); returns the tail's start. */
    private static int siluAffine(float[] x, float[] y, int off, int len, float scale, float shift) {
        FloatVector sv = FloatVector.broadcast(S, scale), hv = FloatVector.broadcast(S, shift);
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector u = FloatVector.fromArray(S, x, off + i).fma(sv, hv);
            u.mul(UnaryKernels.sigmoid(u)).intoArray(y, off + i);
        }
        return i;
    }

    /**
     * One channel of the backward pass: du = dy·silu'(u) with u = x·scale + shift, g = du·a stored into dx, and
     * sums = {Σ du, Σ du·x̂, Σ g, Σ g·x̂} with x̂ = (x − mean)·rstd.
     */
    private static void channelGrad(float[] x, float[] dy, float[] dx, int off, int len, float mean, float rstd, float a,
                                    float scale, float shift, float[] lanes, float[] sums) {
        int i = channelGradVectors(x, dy, dx, off, len, mean, rstd, a, scale, shift, lanes);
        float sDu = Sgemm.sumLanes(lanes, 0), sDuX = Sgemm.sumLanes(lanes, L), sG = Sgemm.sumLanes(lanes, 2 * L), sGX = Sgemm.sumLanes(lanes, 3 * L);
        for (; i < len; i++) {
            float xv = x[off + i], xh = (xv - mean) * rstd, u = Math.fma(xv, scale, shift), sg = UnaryKernels.sigmoid(u);
            float du = dy[off + i] * (sg * Math.fma(u, 1f - sg, 1f)), g = du * a;
            sDu += du;
            sDuX = Math.fma(du, xh, sDuX);
            sG += g;
            sGX = Math.fma(g, xh, sGX);
            dx[off + i] = g;
        }
        sums[0] = sDu;
        sums[1] = sDuX;
        sums[2] = sG;
        sums[3] = sGX;
    }

    /** {@link #channelGrad} over whole vectors; the four sums' lanes go to lanes[0, 4L). Returns the tail's start. */
    private static int channelGradVectors(float[] x, float[] dy, float[] dx, int off, int len, float mean, float rstd, float a,
                                          float scale, float shift, float[] lanes) {
        FloatVector mv = FloatVector.broadcast(S, mean), rv = FloatVector.broadcast(S, rstd), av = FloatVector.broadcast(S, a);
        FloatVector sv = FloatVector.broadcast(S, scale), hv = FloatVector.broadcast(S, shift), one = FloatVector.broadcast(S, 1f);
        FloatVector sDu = FloatVector.zero(S), sDuX = sDu, sG = sDu, sGX = sDu;
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector xv = FloatVector.fromArray(S, x, off + i);
            FloatVector xh = xv.sub(mv).mul(rv), u = xv.fma(sv, hv), sg = UnaryKernels.sigmoid(u);
            FloatVector du = FloatVector.fromArray(S, dy, off + i).mul(sg.mul(u.fma(one.sub(sg), one))), g = du.mul(av);
            sDu = sDu.add(du);
            sDuX = du.fma(xh, sDuX);
            sG = sG.add(g);
            sGX = g.fma(xh, sGX);
            g.intoArray(dx, off + i);
        }
        sDu.intoArray(lanes, 0);
        sDuX.intoArray(lanes, L);
        sG.intoArray(lanes, 2 * L);
        sGX.intoArray(lanes, 3 * L);
        return i;
    }

    /** dx = (dx − meanG − x̂·meanGX)·rstd over whole vectors of [off, off + len); returns the tail's start. */
    private static int finishGrad(float[] x, float[] dx, int off, int len, float mean, float rstd, float meanG, float meanGX) {
        FloatVector mv = FloatVector.broadcast(S, mean), rv = FloatVector.broadcast(S, rstd);
        FloatVector gv = FloatVector.broadcast(S, meanG), gxv = FloatVector.broadcast(S, meanGX);
        int i = 0;
        for (int ub = S.loopBound(len); i < ub; i += L) {
            FloatVector xh = FloatVector.fromArray(S, x, off + i).sub(mv).mul(rv);
            FloatVector.fromArray(S, dx, off + i).sub(gv).sub(xh.mul(gxv)).mul(rv).intoArray(dx, off + i);
        }
        return i;
    }

    /** Σ z[off + i] over i < len: two vector accumulators, their lanes, then the tail. */
    private static float sum(float[] z, int off, int len, float[] lanes) {
        int i = sumVectors(z, off, len, 0f, false, lanes);
        float total = Sgemm.sumLanes(lanes, 0);
        for (; i < len; i++) total += z[off + i];
        return total;
    }

    /** Σ (z[off + i] − mean)² over i < len, in {@link #sum}'s order. */
    private static float sumSquares(float[] z, int off, int len, float mean, float[] lanes) {
        int i = sumVectors(z, off, len, mean, true, lanes);
        float total = Sgemm.sumLanes(lanes, 0);
        for (; i < len; i++) {
            float d = z[off + i] - mean;
            total = Math.fma(d, d, total);
        }
        return total;
    }

    /** Lanes of Σ z or Σ (z − mean)² over whole vectors into lanes[0, L); returns the tail's start. */
    private static int sumVectors(float[] z, int off, int len, float mean, boolean squares, float[] lanes) {
        FloatVector m = FloatVector.broadcast(S, mean), s0 = FloatVector.zero(S), s1 = s0;
        int i = 0;
        for (int ub = len - len % (2 * L); i < ub; i += 2 * L) {
            FloatVector d0 = FloatVector.fromArray(S, z, off + i), d1 = FloatVector.fromArray(S, z, off + i + L);
            if (squares) {
                d0 = d0.sub(m);
                d1 = d1.sub(m);
                s0 = d0.fma(d0, s0);
                s1 = d1.fma(d1, s1);
            } else {
                s0 = s0.add(d0);
                s1 = s1.add(d1);
            }
        }
        if (i + L <= len) {
            FloatVector d0 = FloatVector.fromArray(S, z, off + i);
            if (squares) {
                d0 = d0.sub(m);
                s0 = d0.fma(d0, s0);
            } else {
                s0 = s0.add(d0);
            }
            i += L;
        }
        s0.add(s1).intoArray(lanes, 0);
        return i;
    }
}
