package dsb4j.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import static dsb4j.engine.backend.cpu.Sgemm.MR;
import static dsb4j.engine.backend.cpu.Sgemm.NR;

/**
 * The packing of {@link Sgemm}'s operands into the layouts the micro-kernels ({@link SgemmKernels}) stream: B into
 * zero-padded panels of NR columns, op(A) (when A is transposed) into interleaved panels of MR rows.
 */
final class SgemmPacking {

    private SgemmPacking() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();

    /**
     * Packs B[p, j] = b[off + p*ldb + j] (p &lt; kc, j &lt; nc) into panels of NR columns: panel s starts at
     * s*NR*kc and holds row p at p*w, w = NR, or for the last panel the width rounded up to V, zero padded.
     */
    static void packBN(float[] b, int off, int ldb, int kc, int nc, float[] bp) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int w = (nr + V - 1) / V * V;
            int dst = jr * kc;
            int src = off + jr;
            if (nr == w) {
                for (int p = 0; p < kc; p++, src += ldb, dst += w) {
                    for (int j = 0; j < w; j += V) {
                        FloatVector.fromArray(S, b, src + j).intoArray(bp, dst + j);
                    }
                }
            } else {
                for (int p = 0; p < kc; p++, src += ldb, dst += w) {
                    System.arraycopy(b, src, bp, dst, nr);
                    for (int j = nr; j < w; j++) {
                        bp[dst + j] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Same panels as {@link #packBN}, from B[p, j] = b[off + j*ldb + p]: full groups of V columns are gathered
     * (one vector per p from V rows of b), the ragged last columns are copied one by one.
     */
    static void packBT(float[] b, int off, int ldb, int kc, int nc, float[] bp, int[] idx) {
        for (int l = 0; l < V; l++) {
            idx[l] = l * ldb;
        }
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int w = (nr + V - 1) / V * V;
            int base = jr * kc;
            int jv = 0;
            for (; jv + V <= nr; jv += V) {
                int src = off + (jr + jv) * ldb;
                int dst = base + jv;
                for (int p = 0; p < kc; p++, dst += w) {
                    FloatVector.fromArray(S, b, src + p, idx, 0).intoArray(bp, dst);
                }
            }
            if (jv < w) {
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * w;
                    for (int j = jv; j < w; j++) {
                        bp[dst + j] = j < nr ? b[off + (jr + j) * ldb + p] : 0f;
                    }
                }
            }
        }
    }

    /**
     * Packs A[i, p] = a[off + p*lda + i] (i &lt; mc, p &lt; kc) into interleaved panels of MR rows: A[ir + r, p] at
     * ap[ir*kc + p*MR + r], rows past mc zero padded.
     */
    static void packAT(float[] a, int off, int lda, int mc, int kc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int dst = ir * kc;
            int src = off + ir;
            if (mr == MR) {
                for (int p = 0; p < kc; p++, src += lda, dst += MR) {
                    for (int r = 0; r < MR; r++) {
                        ap[dst + r] = a[src + r];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++, src += lda, dst += MR) {
                    for (int r = 0; r < MR; r++) {
                        ap[dst + r] = r < mr ? a[src + r] : 0f;
                    }
                }
            }
        }
    }
}
