package dsb4j.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import static dsb4j.engine.backend.cpu.Sgemm.BUF;
import static dsb4j.engine.backend.cpu.Sgemm.sumLanes;

/**
 * The small shapes of {@link Sgemm}, which do not pack: outputs with very few columns (dot products, or axpys along
 * the contiguous rows of op(A) when A is transposed) and outputs with very few rows (each row of C built straight
 * from the rows of B).
 */
final class SgemmSmall {

    private SgemmSmall() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    /**
     * Short problems (m &lt;= SMALL_M), B not transposed: each row of C is built directly as a sum of scaled rows
     * of B, 4V columns at a time, without packing.
     */
    static void rowwise(boolean transA, int m, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
        float[] bb = b;
        int bo = bOff;
        int bs = ldb;
        int aI = transA ? 1 : lda;
        int aP = transA ? lda : 1;
        FloatVector al = FloatVector.broadcast(S, alpha);
        FloatVector be = FloatVector.broadcast(S, beta);
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * aI;
            int ci = cOff + i * ldc;
            int j = 0;
            for (; j + 4 * V <= n; j += 4 * V) {
                FloatVector s0 = FloatVector.zero(S);
                FloatVector s1 = FloatVector.zero(S);
                FloatVector s2 = FloatVector.zero(S);
                FloatVector s3 = FloatVector.zero(S);
                int bi = bo + j;
                int ap = ai;
                for (int p = 0; p < k; p++, bi += bs, ap += aP) {
                    FloatVector x = FloatVector.broadcast(S, a[ap]);
                    s0 = FloatVector.fromArray(S, bb, bi).fma(x, s0);
                    s1 = FloatVector.fromArray(S, bb, bi + V).fma(x, s1);
                    s2 = FloatVector.fromArray(S, bb, bi + 2 * V).fma(x, s2);
                    s3 = FloatVector.fromArray(S, bb, bi + 3 * V).fma(x, s3);
                }
                int o = ci + j;
                if (beta == 0f) {
                    s0.mul(al).intoArray(c, o);
                    s1.mul(al).intoArray(c, o + V);
                    s2.mul(al).intoArray(c, o + 2 * V);
                    s3.mul(al).intoArray(c, o + 3 * V);
                } else {
                    FloatVector.fromArray(S, c, o).fma(be, s0.mul(al)).intoArray(c, o);
                    FloatVector.fromArray(S, c, o + V).fma(be, s1.mul(al)).intoArray(c, o + V);
                    FloatVector.fromArray(S, c, o + 2 * V).fma(be, s2.mul(al)).intoArray(c, o + 2 * V);
                    FloatVector.fromArray(S, c, o + 3 * V).fma(be, s3.mul(al)).intoArray(c, o + 3 * V);
                }
            }
            for (; j + V <= n; j += V) {
                FloatVector s0 = FloatVector.zero(S);
                int bi = bo + j;
                int ap = ai;
                for (int p = 0; p < k; p++, bi += bs, ap += aP) {
                    s0 = FloatVector.fromArray(S, bb, bi).fma(FloatVector.broadcast(S, a[ap]), s0);
                }
                int o = ci + j;
                if (beta == 0f) {
                    s0.mul(al).intoArray(c, o);
                } else {
                    FloatVector.fromArray(S, c, o).fma(be, s0.mul(al)).intoArray(c, o);
                }
            }
            for (; j < n; j++) {
                float s = 0f;
                int bi = bo + j;
                int ap = ai;
                for (int p = 0; p < k; p++, bi += bs, ap += aP) {
                    s += a[ap] * bb[bi];
                }
                put(c, ci + j, alpha * s, beta);
            }
        }
    }

    /** n &lt;= SMALL_N, A not transposed: dot products along k, four rows at a time. */
    static void narrowN(boolean transB, int m, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
        float[] bt;
        int bo;
        int bs;
        if (transB) {
            bt = b;
            bo = bOff;
            bs = ldb;
        } else {
            Sgemm.Buf buf = BUF.get();
            if (buf.b.length < n * k) {
                buf.b = new float[n * k];
            }
            bt = buf.b;
            bo = 0;
            bs = k;
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    bt[j * k + p] = b[bOff + p * ldb + j];
                }
            }
        }
        float[] lanes = BUF.get().lanes;
        float[] d = BUF.get().dots;
        int kb = S.loopBound(k);
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int a0 = aOff + i * lda;
            int a1 = a0 + lda;
            int a2 = a1 + lda;
            int a3 = a2 + lda;
            int j = 0;
            for (; j + 2 <= n; j += 2) {
                // two columns per pass over the four rows of A, so A is streamed half as often
                int bj = bo + j * bs;
                int bk = bj + bs;
                FloatVector s00 = FloatVector.zero(S);
                FloatVector s10 = FloatVector.zero(S);
                FloatVector s20 = FloatVector.zero(S);
                FloatVector s30 = FloatVector.zero(S);
                FloatVector s01 = FloatVector.zero(S);
                FloatVector s11 = FloatVector.zero(S);
                FloatVector s21 = FloatVector.zero(S);
                FloatVector s31 = FloatVector.zero(S);
                int p = 0;
                for (; p < kb; p += V) {
                    FloatVector y0 = FloatVector.fromArray(S, bt, bj + p);
                    FloatVector y1 = FloatVector.fromArray(S, bt, bk + p);
                    FloatVector x0 = FloatVector.fromArray(S, a, a0 + p);
                    FloatVector x1 = FloatVector.fromArray(S, a, a1 + p);
                    FloatVector x2 = FloatVector.fromArray(S, a, a2 + p);
                    FloatVector x3 = FloatVector.fromArray(S, a, a3 + p);
                    s00 = x0.fma(y0, s00);
                    s01 = x0.fma(y1, s01);
                    s10 = x1.fma(y0, s10);
                    s11 = x1.fma(y1, s11);
                    s20 = x2.fma(y0, s20);
                    s21 = x2.fma(y1, s21);
                    s30 = x3.fma(y0, s30);
                    s31 = x3.fma(y1, s31);
                }
                float d00 = sumLanes(s00, lanes);
                float d10 = sumLanes(s10, lanes);
                float d20 = sumLanes(s20, lanes);
                float d30 = sumLanes(s30, lanes);
                float d01 = sumLanes(s01, lanes);
                float d11 = sumLanes(s11, lanes);
                float d21 = sumLanes(s21, lanes);
                float d31 = sumLanes(s31, lanes);
                for (; p < k; p++) {
                    float y0 = bt[bj + p];
                    float y1 = bt[bk + p];
                    d00 += a[a0 + p] * y0;
                    d10 += a[a1 + p] * y0;
                    d20 += a[a2 + p] * y0;
                    d30 += a[a3 + p] * y0;
                    d01 += a[a0 + p] * y1;
                    d11 += a[a1 + p] * y1;
                    d21 += a[a2 + p] * y1;
                    d31 += a[a3 + p] * y1;
                }
                int o = cOff + i * ldc + j;
                put(c, o, alpha * d00, beta);
                put(c, o + 1, alpha * d01, beta);
                put(c, o + ldc, alpha * d10, beta);
                put(c, o + ldc + 1, alpha * d11, beta);
                put(c, o + 2 * ldc, alpha * d20, beta);
                put(c, o + 2 * ldc + 1, alpha * d21, beta);
                put(c, o + 3 * ldc, alpha * d30, beta);
                put(c, o + 3 * ldc + 1, alpha * d31, beta);
            }
            for (; j < n; j++) {
                // one column against the four rows
                dots4(bt, bo + j * bs, a, a0, a1, a2, a3, k, lanes, d);
                int o = cOff + i * ldc + j;
                put(c, o, alpha * d[0], beta);
                put(c, o + ldc, alpha * d[1], beta);
                put(c, o + 2 * ldc, alpha * d[2], beta);
                put(c, o + 3 * ldc, alpha * d[3], beta);
            }
        }
        for (; i < m; i++) {
            int a0 = aOff + i * lda;
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                // one row against four columns
                int b0 = bo + j * bs;
                dots4(a, a0, bt, b0, b0 + bs, b0 + 2 * bs, b0 + 3 * bs, k, lanes, d);
                int o = cOff + i * ldc + j;
                put(c, o, alpha * d[0], beta);
                put(c, o + 1, alpha * d[1], beta);
                put(c, o + 2, alpha * d[2], beta);
                put(c, o + 3, alpha * d[3], beta);
            }
            for (; j < n; j++) {
                int bj = bo + j * bs;
                FloatVector s0 = FloatVector.zero(S);
                int p = 0;
                for (; p < kb; p += V) {
                    s0 = FloatVector.fromArray(S, a, a0 + p).fma(FloatVector.fromArray(S, bt, bj + p), s0);
                }
                float d0 = sumLanes(s0, lanes);
                for (; p < k; p++) {
                    d0 += a[a0 + p] * bt[bj + p];
                }
                put(c, cOff + i * ldc + j, alpha * d0, beta);
            }
        }
    }

    /**
     * d[r] = Σ_p x[xo + p] · y[y_r + p] for r &lt; 4 and p &lt; k: four dot products that share one operand (a
     * column of B against four rows of A, or a row of A against four columns of B), four independent chains,
     * the shared vector loaded once per step. Multiplication commutes exactly, so either role order gives the
     * same bits.
     */
    private static void dots4(float[] x, int xo, float[] y, int y0, int y1, int y2, int y3, int k,
                              float[] lanes, float[] d) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        int p = 0;
        for (int kb = S.loopBound(k); p < kb; p += V) {
            FloatVector v = FloatVector.fromArray(S, x, xo + p);
            s0 = FloatVector.fromArray(S, y, y0 + p).fma(v, s0);
            s1 = FloatVector.fromArray(S, y, y1 + p).fma(v, s1);
            s2 = FloatVector.fromArray(S, y, y2 + p).fma(v, s2);
            s3 = FloatVector.fromArray(S, y, y3 + p).fma(v, s3);
        }
        float d0 = sumLanes(s0, lanes);
        float d1 = sumLanes(s1, lanes);
        float d2 = sumLanes(s2, lanes);
        float d3 = sumLanes(s3, lanes);
        for (; p < k; p++) {
            float v = x[xo + p];
            d0 += y[y0 + p] * v;
            d1 += y[y1 + p] * v;
            d2 += y[y2 + p] * v;
            d3 += y[y3 + p] * v;
        }
        d[0] = d0;
        d[1] = d1;
        d[2] = d2;
        d[3] = d3;
    }

    /**
     * n &lt;= SMALL_N, A transposed: axpys along the rows of op(A)^T (contiguous in a), 2V rows of C and up to two
     * columns per pass.
     */
    static void narrowT(boolean transB, int m, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
        float[] lanes = BUF.get().lanes;
        int bsP = transB ? 1 : ldb;
        int bsJ = transB ? ldb : 1;
        int i = 0;
        for (; i + 2 * V <= m; i += 2 * V) {
            int j = 0;
            for (; j + 2 <= n; j += 2) {
                FloatVector s00 = FloatVector.zero(S);
                FloatVector s10 = FloatVector.zero(S);
                FloatVector s01 = FloatVector.zero(S);
                FloatVector s11 = FloatVector.zero(S);
                int ai = aOff + i;
                int bi = bOff + j * bsJ;
                for (int p = 0; p < k; p++, ai += lda, bi += bsP) {
                    FloatVector x0 = FloatVector.fromArray(S, a, ai);
                    FloatVector x1 = FloatVector.fromArray(S, a, ai + V);
                    FloatVector y0 = FloatVector.broadcast(S, b[bi]);
                    FloatVector y1 = FloatVector.broadcast(S, b[bi + bsJ]);
                    s00 = x0.fma(y0, s00);
                    s10 = x1.fma(y0, s10);
                    s01 = x0.fma(y1, s01);
                    s11 = x1.fma(y1, s11);
                }
                int o = cOff + i * ldc + j;
                storeColumn(s00, lanes, V, c, o, ldc, alpha, beta);
                storeColumn(s10, lanes, V, c, o + V * ldc, ldc, alpha, beta);
                storeColumn(s01, lanes, V, c, o + 1, ldc, alpha, beta);
                storeColumn(s11, lanes, V, c, o + V * ldc + 1, ldc, alpha, beta);
            }
            for (; j < n; j++) {
                FloatVector s0 = FloatVector.zero(S);
                FloatVector s1 = FloatVector.zero(S);
                FloatVector s2 = FloatVector.zero(S);
                FloatVector s3 = FloatVector.zero(S);
                int ai = aOff + i;
                int bi = bOff + j * bsJ;
                int p = 0;
                for (; p + 2 <= k; p += 2, ai += 2 * lda, bi += 2 * bsP) {
                    FloatVector y0 = FloatVector.broadcast(S, b[bi]);
                    FloatVector y1 = FloatVector.broadcast(S, b[bi + bsP]);
                    s0 = FloatVector.fromArray(S, a, ai).fma(y0, s0);
                    s1 = FloatVector.fromArray(S, a, ai + V).fma(y0, s1);
                    s2 = FloatVector.fromArray(S, a, ai + lda).fma(y1, s2);
                    s3 = FloatVector.fromArray(S, a, ai + lda + V).fma(y1, s3);
                }
                if (p < k) {
                    FloatVector y0 = FloatVector.broadcast(S, b[bi]);
                    s0 = FloatVector.fromArray(S, a, ai).fma(y0, s0);
                    s1 = FloatVector.fromArray(S, a, ai + V).fma(y0, s1);
                }
                storeColumn(s0.add(s2), lanes, V, c, cOff + i * ldc + j, ldc, alpha, beta);
                storeColumn(s1.add(s3), lanes, V, c, cOff + (i + V) * ldc + j, ldc, alpha, beta);
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0f;
                int ai = aOff + i;
                int bi = bOff + j * bsJ;
                for (int p = 0; p < k; p++, ai += lda, bi += bsP) {
                    s += a[ai] * b[bi];
                }
                put(c, cOff + i * ldc + j, alpha * s, beta);
            }
        }
    }

    private static void storeColumn(FloatVector v, float[] lanes, int len, float[] c, int o, int ldc,
                                    float alpha, float beta) {
        v.intoArray(lanes, 0);
        for (int l = 0; l < len; l++, o += ldc) {
            put(c, o, alpha * lanes[l], beta);
        }
    }

    private static void put(float[] c, int o, float v, float beta) {
        c[o] = beta == 0f ? v : v + beta * c[o];
    }
}
