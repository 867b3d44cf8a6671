package dsb4j.engine.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision general matrix multiply, {@code C = alpha * op(A) * op(B) + beta * C}, on row-major arrays,
 * written on the JDK Vector API ({@code jdk.incubator.vector}).
 *
 * <p>Layout (GotoBLAS / BLIS style, vectors along the rows of C):
 * <ul>
 *   <li>register blocking: a micro-kernel keeps an MR x NR tile of C (MR = 6 rows, NR = 4 vectors of
 *       {@link FloatVector#SPECIES_PREFERRED}) in 24 vector accumulators; per step of k it loads 4 vectors of B and
 *       broadcasts 6 scalars of A, and it is written once per vector count 1..4 (the narrower ones serve the last
 *       column panel);</li>
 *   <li>cache blocking: k is cut in blocks of KC; for each block a KC x NC block of B is packed into contiguous,
 *       zero-padded panels of NR columns (to stay in L2) and each MR x KC row panel of A (to stay in L1) is swept
 *       over all of them;</li>
 *   <li>packing: B is always packed, which is where transB is handled (gathers for the transposed case). A is read
 *       in place when it is not transposed (its rows are contiguous in k already) and copied into interleaved
 *       MR-row panels when it is, so the four transpose combinations run at about the same speed;</li>
 *   <li>edges: partial tiles (rows or columns) go through a small per-thread buffer merged with scalar code; the
 *       missing rows of A are replaced by copies of the last row (their results are dropped);</li>
 *   <li>small shapes: outputs with very few columns use dot products (or, with transA, axpys along the contiguous
 *       rows of op(A)), outputs with very few rows build each row of C straight from the rows of B; neither
 *       packs;</li>
 *   <li>threads: with a pool, problems of at least {@code PAR_MIN_FLOPS} are cut into whole column panels (or row
 *       panels, whichever duplicates less packing) that the calling thread and {@code parallelism - 1} pool tasks
 *       claim from a shared counter; a worker that wakes up late just gets fewer units, and the caller only waits
 *       for units already in progress.</li>
 * </ul>
 * Packing buffers are per thread and grown on demand: steady-state calls do not allocate (a multi-threaded call
 * allocates its few task objects).
 *
 * <p>The system property {@code dsb4j.scalar=true} (read once, when the class is initialised) routes
 * {@link #gemm} to the plain reference loop {@link #gemmScalar}.
 */
public final class Sgemm {

    private Sgemm() {
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes per vector. */
    private static final int V = S.length();

    /**
     * The sum of the lanes of v, always added in the same order: v is spilled to tmp (V floats of scratch), lanes
     * l, l + 4, l + 8, ... are summed into four partial sums (l = 0..3), which are added as (s0 + s1) + (s2 + s3).
     * reduceLanes(ADD) leaves the order open, and the interpreter and the compiled code do pick different orders,
     * so a product would change in its last bit once the JIT kicks in and runs would not replay exactly (nor would
     * a resumed training run match an uninterrupted one). A scalar loop over lane(l) is exact too but about 3x
     * slower on the narrow shapes; four chains keep the adds from serialising.
     */
    private static float sumLanes(FloatVector v, float[] tmp) {
        v.intoArray(tmp, 0);
        return sumLanes(tmp, 0);
    }

    /** The V floats a[off..off + V) added in {@link #sumLanes(FloatVector, float[])}'s fixed order. */
    static float sumLanes(float[] a, int off) {
        if (V < 4) {
            float s = 0f;
            for (int l = 0; l < V; l++) {
                s += a[off + l];
            }
            return s;
        }
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        for (int l = 0; l < V; l += 4) {
            s0 += a[off + l];
            s1 += a[off + l + 1];
            s2 += a[off + l + 2];
            s3 += a[off + l + 3];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Rows of the register tile. */
    private static final int MR = 6;
    /** Vectors across the register tile. */
    private static final int NV = 4;
    /** Columns of the register tile (and of a packed B panel). */
    private static final int NR = NV * V;
    /** Depth of a k block. */
    private static final int KC = 512;
    /** Columns of a packed B block (a multiple of NR). */
    private static final int NC = Math.max(NR, (256 / NR) * NR);
    /** Rows of a packed A block (transA only; a multiple of MR). */
    private static final int MC = Math.max(MR, (1020 / MR) * MR);
    /** Outputs with at most this many columns use the narrow path. */
    private static final int SMALL_N = Math.max(1, V / 4);
    /** Problems with at most this many rows use the row-wise path. */
    private static final int SMALL_M = 4;
    /** Below this many flops (2mnk) a call stays on the calling thread. */
    private static final double PAR_MIN_FLOPS = 1e7;
    /** How long the calling thread spins for the last units of a multi-threaded call before it parks. */
    private static final long AWAIT_SPIN_NS = 30_000L;
    /** A multi-threaded call is cut in at most this many units per thread (claimed dynamically). */
    private static final int UNITS_PER_THREAD = 4;

    private static final boolean SCALAR = Boolean.getBoolean("dsb4j.scalar");

    /** Per-thread scratch, grown as needed. */
    private static final class Buf {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[MR * NR];
        final int[] rows = new int[MR];
        final float[] lanes = new float[V];
        final float[] dots = new float[4];
        final int[] idx = new int[V];
    }

    private static final ThreadLocal<Buf> BUF = ThreadLocal.withInitial(Buf::new);

    /**
     * C = alpha·op(A)·op(B) + beta·C, row-major. op(A) is m×k: A[i,p] at a[aOff + i*lda + p] (transA=false) or
     * a[aOff + p*lda + i] (transA=true). op(B) is k×n likewise with ldb. C[i,j] at c[cOff + i*ldc + j].
     * beta == 0 means C is overwritten (never read: it may hold NaN). When alpha == 0 or k == 0, A and B are not
     * read and C = beta·C. pool may be null (= single thread); otherwise the work is split over
     * pool.getParallelism() workers (the calling thread computing one share) when the problem is large enough
     * to pay for it.
     */
    public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc, ForkJoinPool pool) {
        if (SCALAR) {
            gemmScalar(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative size: m=" + m + " n=" + n + " k=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        int threads = pool == null ? 1 : pool.getParallelism();
        if (threads > 1 && worthSplitting(m, n, k)) {
            parallel(threads, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, pool);
        } else {
            serial(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** Whether a product is large enough for {@link #gemm} to split it over a pool's threads. */
    static boolean worthSplitting(int m, int n, int k) {
        return 2.0 * m * n * k >= PAR_MIN_FLOPS;
    }

    /**
     * Reference twin of {@link #gemm} (same contract, single thread): the plain triple loop, accumulating each
     * dot product in double.
     */
    public static void gemmScalar(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float beta, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative size: m=" + m + " n=" + n + " k=" + k);
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            scaleC(m, n, beta, c, cOff, ldc);
            return;
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    float x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float y = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += (double) x * y;
                }
                int ci = cOff + i * ldc + j;
                double r = alpha * s;
                if (beta != 0f) {
                    r += (double) beta * c[ci];
                }
                c[ci] = (float) r;
            }
        }
    }

    /** C = beta·C (C = 0 when beta == 0, without reading C). */
    private static void scaleC(int m, int n, float beta, float[] c, int cOff, int ldc) {
        if (beta == 1f) {
            return;
        }
        for (int i = 0; i < m; i++) {
            int o = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, o, o + n, 0f);
            } else {
                for (int j = 0; j < n; j++) {
                    c[o + j] *= beta;
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ threads

    /**
     * Splits C into units of whole column panels or whole row panels and deals them out dynamically: the calling
     * thread and {@code threads - 1} pool tasks claim units from a shared counter until none is left, so a pool
     * worker that wakes up late (or not at all) costs nothing but its share, and the caller never waits for a task
     * that has not started.
     */
    private static void parallel(int threads, boolean transA, boolean transB, int m, int n, int k, float alpha,
                                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                 float beta, float[] c, int cOff, int ldc, ForkJoinPool pool) {
        int maxUnits = UNITS_PER_THREAD * threads;
        int colPanels = (n + NR - 1) / NR;
        int rowPanels = (m + MR - 1) / MR;
        int colUnits = Math.min(colPanels, maxUnits);
        int rowUnits = Math.min(rowPanels, maxUnits);
        // Work done twice: a column split repacks op(A) per unit when A is transposed (it is read in place
        // otherwise); a row split repacks all of B per unit.
        long colDup = transA ? (long) colUnits * m : 0L;
        long rowDup = (long) rowUnits * n;
        boolean byCols = n > SMALL_N && colUnits >= 2 && (colDup <= rowDup || rowUnits < 2);
        int panels = byCols ? colPanels : rowPanels;
        int units = byCols ? colUnits : rowUnits;
        if (units < 2) {
            serial(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        Split job = new Split(byCols, panels, units, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                beta, c, cOff, ldc);
        int helpers = Math.min(threads, units) - 1;
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[helpers];
        boolean inPool = ForkJoinTask.getPool() == pool;
        try {
            for (int t = 0; t < helpers; t++) {
                ForkJoinTask<?> task = ForkJoinTask.adapt(job);
                if (inPool) {
                    task.fork();
                } else {
                    pool.execute(task);
                }
                tasks[t] = task;
            }
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // pool shut down or saturated: the calling thread does the rest
        }
        job.run();
        if (inPool) {
            // helpers nobody has started yet: take them back, they would find nothing to do
            for (ForkJoinTask<?> task : tasks) {
                if (task != null) {
                    task.tryUnfork();
                }
            }
        }
        job.await();
    }

    /** Units of a split problem, claimed by whoever comes first. */
    private static final class Split implements Runnable {
        private final boolean byCols;
        private final int panels;
        private final int units;
        private final boolean transA;
        private final boolean transB;
        private final int m;
        private final int n;
        private final int k;
        private final float alpha;
        private final float[] a;
        private final int aOff;
        private final int lda;
        private final float[] b;
        private final int bOff;
        private final int ldb;
        private final float beta;
        private final float[] c;
        private final int cOff;
        private final int ldc;
        private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        private volatile Throwable error;
        /** The calling thread, woken by whoever finishes the last unit. */
        private final Thread owner = Thread.currentThread();

        Split(boolean byCols, int panels, int units, boolean transA, boolean transB, int m, int n, int k,
              float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c,
              int cOff, int ldc) {
            this.byCols = byCols;
            this.panels = panels;
            this.units = units;
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
        }

        @Override
        public void run() {
            int u;
            while ((u = next.getAndIncrement()) < units) {
                try {
                    if (error == null) {
                        unit(u);
                    }
                } catch (Throwable e) {
                    if (error == null) {
                        error = e;
                    }
                } finally {
                    if (done.incrementAndGet() == units && Thread.currentThread() != owner) {
                        java.util.concurrent.locks.LockSupport.unpark(owner);
                    }
                }
            }
        }

        private void unit(int u) {
            int p0 = (int) ((long) panels * u / units);
            int p1 = (int) ((long) panels * (u + 1) / units);
            if (byCols) {
                int j0 = p0 * NR;
                int j1 = Math.min(n, p1 * NR);
                serial(transA, transB, m, j1 - j0, k, alpha, a, aOff, lda, b, bOff + (transB ? j0 * ldb : j0), ldb,
                        beta, c, cOff + j0, ldc);
            } else {
                int i0 = p0 * MR;
                int i1 = Math.min(m, p1 * MR);
                serial(transA, transB, i1 - i0, n, k, alpha, a, aOff + (transA ? i0 : i0 * lda), lda, b, bOff, ldb,
                        beta, c, cOff + i0 * ldc, ldc);
            }
        }

        /**
         * Waits until every unit is finished (units in flight on other threads take at most one unit's time):
         * spins for a short while, then parks, so that this core goes idle and the scheduler can move a helper
         * that was preempted by another process onto it instead of leaving it queued behind that process.
         */
        void await() {
            if (done.get() < units) {
                long deadline = System.nanoTime() + AWAIT_SPIN_NS;
                while (done.get() < units && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                while (done.get() < units) {
                    java.util.concurrent.locks.LockSupport.parkNanos(this, 1_000_000L);
                }
            }
            Throwable e = error;
            if (e instanceof RuntimeException re) {
                throw re;
            } else if (e instanceof Error err) {
                throw err;
            } else if (e != null) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- blocking

    private static void serial(boolean transA, boolean transB, int m, int n, int k, float alpha,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float beta, float[] c, int cOff, int ldc) {
        if (n <= SMALL_N) {
            if (transA) {
                narrowT(transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            } else {
                narrowN(transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }
            return;
        }
        if (m <= SMALL_M && !transB) {
            rowwise(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (m <= SMALL_M && !transA) {
            narrowN(true, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        Buf buf = BUF.get();
        int kcMax = Math.min(KC, k);
        int ncMax = Math.min(NC, (n + V - 1) / V * V);
        int needB = kcMax * ncMax;
        if (buf.b.length < needB) {
            buf.b = new float[needB];
        }
        int mcMax = transA ? Math.min(MC, (m + MR - 1) / MR * MR) : 0;
        if (buf.a.length < mcMax * kcMax) {
            buf.a = new float[mcMax * kcMax];
        }
        float[] bp = buf.b;
        float[] tile = buf.tile;
        int[] rows = buf.rows;
        int mcStep = transA ? MC : m;
        for (int ic = 0; ic < m; ic += mcStep) {
            int mc = Math.min(mcStep, m - ic);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float bet = pc == 0 ? beta : 1f;
                float[] ap;
                if (transA) {
                    ap = buf.a;
                    packAT(a, aOff + pc * lda + ic, lda, mc, kc, ap);
                } else {
                    ap = a;
                }
                for (int jc = 0; jc < n; jc += NC) {
                    int nc = Math.min(NC, n - jc);
                    if (transB) {
                        packBT(b, bOff + jc * ldb + pc, ldb, kc, nc, bp, buf.idx);
                    } else {
                        packBN(b, bOff + pc * ldb + jc, ldb, kc, nc, bp);
                    }
                    for (int ir = 0; ir < mc; ir += MR) {
                        int mr = Math.min(MR, mc - ir);
                        if (transA) {
                            rows[0] = ir * kc;
                        } else {
                            int base = aOff + (ic + ir) * lda + pc;
                            for (int r = 0; r < MR; r++) {
                                rows[r] = base + Math.min(r, mr - 1) * lda;
                            }
                        }
                        int crow = cOff + (ic + ir) * ldc + jc;
                        for (int jr = 0; jr < nc; jr += NR) {
                            int nr = Math.min(NR, nc - jr);
                            int nv = (nr + V - 1) / V;
                            int bo = jr * kc;
                            if (mr == MR && nr == nv * V) {
                                tile(nv, transA, kc, ap, rows, bp, bo, c, crow + jr, ldc, alpha, bet);
                            } else if (!transA && nr == NR) {
                                // the last rows of a full-width panel two at a time (m = 16, 32, 64: conv channels)
                                // instead of a six-row tile on repeated rows: up to a third less work on m = 32
                                for (int r = 0; r < mr; r += 2) {
                                    if (r + 1 < mr) {
                                        kR4Rows2(kc, ap, rows[r], rows[r + 1], bp, bo, c, crow + jr + r * ldc, ldc, alpha, bet);
                                    } else {
                                        kR4Rows2(kc, ap, rows[r], rows[r], bp, bo, tile, 0, NR, alpha, 0f);
                                        int o = crow + jr + r * ldc;
                                        if (bet == 0f) {
                                            System.arraycopy(tile, 0, c, o, nr);
                                        } else {
                                            for (int j = 0; j < nr; j++) {
                                                c[o + j] = tile[j] + bet * c[o + j];
                                            }
                                        }
                                    }
                                }
                            } else {
                                tile(nv, transA, kc, ap, rows, bp, bo, tile, 0, NR, alpha, 0f);
                                for (int r = 0; r < mr; r++) {
                                    int o = crow + jr + r * ldc;
                                    int t = r * NR;
                                    if (bet == 0f) {
                                        System.arraycopy(tile, t, c, o, nr);
                                    } else {
                                        for (int j = 0; j < nr; j++) {
                                            c[o + j] = tile[t + j] + bet * c[o + j];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs B[p, j] = b[off + p*ldb + j] (p &lt; kc, j &lt; nc) into panels of NR columns: panel s starts at
     * s*NR*kc and holds row p at p*w, w = NR, or for the last panel the width rounded up to V, zero padded.
     */
    private static void packBN(float[] b, int off, int ldb, int kc, int nc, float[] bp) {
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
    private static void packBT(float[] b, int off, int ldb, int kc, int nc, float[] bp, int[] idx) {
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
    private static void packAT(float[] a, int off, int lda, int mc, int kc, float[] ap) {
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

    // --------------------------------------------------------------------------------------- small shapes

    /**
     * Short problems (m &lt;= SMALL_M), B not transposed: each row of C is built directly as a sum of scaled rows
     * of B, 4V columns at a time, without packing.
     */
    private static void rowwise(boolean transA, int m, int n, int k, float alpha,
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
    private static void narrowN(boolean transB, int m, int n, int k, float alpha,
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
            Buf buf = BUF.get();
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
    private static void narrowT(boolean transB, int m, int n, int k, float alpha,
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

    // ------------------------------------------------------------------------- micro-kernels (generated)

    /** Runs the MR x (nv V) micro-kernel for one tile. */
    private static void tile(int nv, boolean packedA, int kc, float[] a, int[] ar, float[] b, int bo,
            float[] c, int co, int ldc, float alpha, float beta) {
        if (packedA) {
            int ao = ar[0];
            switch (nv) {
                case 1 -> kP1(kc, a, ao, b, bo, c, co, ldc, alpha, beta);
                case 2 -> kP2(kc, a, ao, b, bo, c, co, ldc, alpha, beta);
                case 3 -> kP3(kc, a, ao, b, bo, c, co, ldc, alpha, beta);
                case 4 -> kP4(kc, a, ao, b, bo, c, co, ldc, alpha, beta);
                default -> throw new AssertionError(nv);
            }
        } else {
            switch (nv) {
                case 1 -> kR1(kc, a, ar[0], ar[1], ar[2], ar[3], ar[4], ar[5], b, bo, c, co, ldc, alpha, beta);
                case 2 -> kR2(kc, a, ar[0], ar[1], ar[2], ar[3], ar[4], ar[5], b, bo, c, co, ldc, alpha, beta);
                case 3 -> kR3(kc, a, ar[0], ar[1], ar[2], ar[3], ar[4], ar[5], b, bo, c, co, ldc, alpha, beta);
                case 4 -> kR4(kc, a, ar[0], ar[1], ar[2], ar[3], ar[4], ar[5], b, bo, c, co, ldc, alpha, beta);
                default -> throw new AssertionError(nv);
            }
        }
    }

    /** 6 x 4V tile, rows of A read in place: A[r, p] = a[a_r + p]; B panel b[bo + p * 4 * V + j]. */
    private static void kR4(int kc, float[] a, int a0, int a1, int a2, int a3, int a4, int a5,
            float[] b, int bo, float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z;
        FloatVector c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z;
        FloatVector c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z;
        FloatVector c50 = z, c51 = z, c52 = z, c53 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * (4 * V);
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * V);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01); c02 = b2.fma(x0, c02); c03 = b3.fma(x0, c03);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11); c12 = b2.fma(x1, c12); c13 = b3.fma(x1, c13);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21); c22 = b2.fma(x2, c22); c23 = b3.fma(x2, c23);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31); c32 = b2.fma(x3, c32); c33 = b3.fma(x3, c33);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + p]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41); c42 = b2.fma(x4, c42); c43 = b3.fma(x4, c43);
            FloatVector x5 = FloatVector.broadcast(S, a[a5 + p]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51); c52 = b2.fma(x5, c52); c53 = b3.fma(x5, c53);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            int o0 = co;
            c00.mul(al).intoArray(c, o0);
            c01.mul(al).intoArray(c, o0 + V);
            c02.mul(al).intoArray(c, o0 + 2 * V);
            c03.mul(al).intoArray(c, o0 + 3 * V);
            int o1 = co + ldc;
            c10.mul(al).intoArray(c, o1);
            c11.mul(al).intoArray(c, o1 + V);
            c12.mul(al).intoArray(c, o1 + 2 * V);
            c13.mul(al).intoArray(c, o1 + 3 * V);
            int o2 = co + 2 * ldc;
            c20.mul(al).intoArray(c, o2);
            c21.mul(al).intoArray(c, o2 + V);
            c22.mul(al).intoArray(c, o2 + 2 * V);
            c23.mul(al).intoArray(c, o2 + 3 * V);
            int o3 = co + 3 * ldc;
            c30.mul(al).intoArray(c, o3);
            c31.mul(al).intoArray(c, o3 + V);
            c32.mul(al).intoArray(c, o3 + 2 * V);
            c33.mul(al).intoArray(c, o3 + 3 * V);
            int o4 = co + 4 * ldc;
            c40.mul(al).intoArray(c, o4);
            c41.mul(al).intoArray(c, o4 + V);
            c42.mul(al).intoArray(c, o4 + 2 * V);
            c43.mul(al).intoArray(c, o4 + 3 * V);
            int o5 = co + 5 * ldc;
            c50.mul(al).intoArray(c, o5);
            c51.mul(al).intoArray(c, o5 + V);
            c52.mul(al).intoArray(c, o5 + 2 * V);
            c53.mul(al).intoArray(c, o5 + 3 * V);
        } else {
            FloatVector be = FloatVector.broadcast(S, beta);
            int o0 = co;
            FloatVector.fromArray(S, c, o0).fma(be, c00.mul(al)).intoArray(c, o0);
            FloatVector.fromArray(S, c, o0 + V).fma(be, c01.mul(al)).intoArray(c, o0 + V);
            FloatVector.fromArray(S, c, o0 + 2 * V).fma(be, c02.mul(al)).intoArray(c, o0 + 2 * V);
            FloatVector.fromArray(S, c, o0 + 3 * V).fma(be, c03.mul(al)).intoArray(c, o0 + 3 * V);
            int o1 = co + ldc;
            FloatVector.fromArray(S, c, o1).fma(be, c10.mul(al)).intoArray(c, o1);
            FloatVector.fromArray(S, c, o1 + V).fma(be, c11.mul(al)).intoArray(c, o1 + V);
            FloatVector.fromArray(S, c, o1 + 2 * V).fma(be, c12.mul(al)).intoArray(c, o1 + 2 * V);
            FloatVector.fromArray(S, c, o1 + 3 * V).fma(be, c13.mul(al)).intoArray(c, o1 + 3 * V);
            int o2 = co + 2 * ldc;
            FloatVector.fromArray(S, c, o2).fma(be, c20.mul(al)).intoArray(c, o2);
            FloatVector.fromArray(S, c, o2 + V).fma(be, c21.mul(al)).intoArray(c, o2 + V);
            FloatVector.fromArray(S, c, o2 + 2 * V).fma(be, c22.mul(al)).intoArray(c, o2 + 2 * V);
            FloatVector.fromArray(S, c, o2 + 3 * V).fma(be, c23.mul(al)).intoArray(c, o2 + 3 * V);
            int o3 = co + 3 * ldc;
            FloatVector.fromArray(S, c, o3).fma(be, c30.mul(al)).intoArray(c, o3);
            FloatVector.fromArray(S, c, o3 + V).fma(be, c31.mul(al)).intoArray(c, o3 + V);
            FloatVector.fromArray(S, c, o3 + 2 * V).fma(be, c32.mul(al)).intoArray(c, o3 + 2 * V);
            FloatVector.fromArray(S, c, o3 + 3 * V).fma(be, c33.mul(al)).intoArray(c, o3 + 3 * V);
            int o4 = co + 4 * ldc;
            FloatVector.fromArray(S, c, o4).fma(be, c40.mul(al)).intoArray(c, o4);
            FloatVector.fromArray(S, c, o4 + V).fma(be, c41.mul(al)).intoArray(c, o4 + V);
            FloatVector.fromArray(S, c, o4 + 2 * V).fma(be, c42.mul(al)).intoArray(c, o4 + 2 * V);
            FloatVector.fromArray(S, c, o4 + 3 * V).fma(be, c43.mul(al)).intoArray(c, o4 + 3 * V);
            int o5 = co + 5 * ldc;
            FloatVector.fromArray(S, c, o5).fma(be, c50.mul(al)).intoArray(c, o5);
            FloatVector.fromArray(S, c, o5 + V).fma(be, c51.mul(al)).intoArray(c, o5 + V);
            FloatVector.fromArray(S, c, o5 + 2 * V).fma(be, c52.mul(al)).intoArray(c, o5 + 2 * V);
            FloatVector.fromArray(S, c, o5 + 3 * V).fma(be, c53.mul(al)).intoArray(c, o5 + 3 * V);
        }
    }

    /** 2 x 4V tile, rows of A read in place (the last rows of a panel): as {@link #kR4} for two rows. */
    private static void kR4Rows2(int kc, float[] a, int a0, int a1,
            float[] b, int bo, float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z;
        FloatVector c10 = z, c11 = z, c12 = z, c13 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * (4 * V);
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * V);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01); c02 = b2.fma(x0, c02); c03 = b3.fma(x0, c03);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11); c12 = b2.fma(x1, c12); c13 = b3.fma(x1, c13);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        int o1 = co + ldc;
        if (beta == 0f) {
            c00.mul(al).intoArray(c, co);
            c01.mul(al).intoArray(c, co + V);
            c02.mul(al).intoArray(c, co + 2 * V);
            c03.mul(al).intoArray(c, co + 3 * V);
            c10.mul(al).intoArray(c, o1);
            c11.mul(al).intoArray(c, o1 + V);
            c12.mul(al).intoArray(c, o1 + 2 * V);
            c13.mul(al).intoArray(c, o1 + 3 * V);
        } else {
            FloatVector be = FloatVector.broadcast(S, beta);
            FloatVector.fromArray(S, c, co).fma(be, c00.mul(al)).intoArray(c, co);
            FloatVector.fromArray(S, c, co + V).fma(be, c01.mul(al)).intoArray(c, co + V);
            FloatVector.fromArray(S, c, co + 2 * V).fma(be, c02.mul(al)).intoArray(c, co + 2 * V);
            FloatVector.fromArray(S, c, co + 3 * V).fma(be, c03.mul(al)).intoArray(c, co + 3 * V);
            FloatVector.fromArray(S, c, o1).fma(be, c10.mul(al)).intoArray(c, o1);
            FloatVector.fromArray(S, c, o1 + V).fma(be, c11.mul(al)).intoArray(c, o1 + V);
            FloatVector.fromArray(S, c, o1 + 2 * V).fma(be, c12.mul(al)).intoArray(c, o1 + 2 * V);
            FloatVector.fromArray(S, c, o1 + 3 * V).fma(be, c13.mul(al)).intoArray(c, o1 + 3 * V);
        }
    }

    /** 6 x 3V tile, rows of A read in place: A[r, p] = a[a_r + p]; B panel b[bo + p * 3 * V + j]. */
    private static void kR3(int kc, float[] a, int a0, int a1, int a2, int a3, int a4, int a5,
            float[] b, int bo, float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z;
        FloatVector c10 = z, c11 = z, c12 = z;
        FloatVector c20 = z, c21 = z, c22 = z;
        FloatVector c30 = z, c31 = z, c32 = z;
        FloatVector c40 = z, c41 = z, c42 = z;
        FloatVector c50 = z, c51 = z, c52 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * (3 * V);
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * V);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01); c02 = b2.fma(x0, c02);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11); c12 = b2.fma(x1, c12);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21); c22 = b2.fma(x2, c22);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31); c32 = b2.fma(x3, c32);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + p]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41); c42 = b2.fma(x4, c42);
            FloatVector x5 = FloatVector.broadcast(S, a[a5 + p]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51); c52 = b2.fma(x5, c52);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            int o0 = co;
            c00.mul(al).intoArray(c, o0);
            c01.mul(al).intoArray(c, o0 + V);
            c02.mul(al).intoArray(c, o0 + 2 * V);
            int o1 = co + ldc;
            c10.mul(al).intoArray(c, o1);
            c11.mul(al).intoArray(c, o1 + V);
            c12.mul(al).intoArray(c, o1 + 2 * V);
            int o2 = co + 2 * ldc;
            c20.mul(al).intoArray(c, o2);
            c21.mul(al).intoArray(c, o2 + V);
            c22.mul(al).intoArray(c, o2 + 2 * V);
            int o3 = co + 3 * ldc;
            c30.mul(al).intoArray(c, o3);
            c31.mul(al).intoArray(c, o3 + V);
            c32.mul(al).intoArray(c, o3 + 2 * V);
            int o4 = co + 4 * ldc;
            c40.mul(al).intoArray(c, o4);
            c41.mul(al).intoArray(c, o4 + V);
            c42.mul(al).intoArray(c, o4 + 2 * V);
            int o5 = co + 5 * ldc;
            c50.mul(al).intoArray(c, o5);
            c51.mul(al).intoArray(c, o5 + V);
            c52.mul(al).intoArray(c, o5 + 2 * V);
        } else {
            FloatVector be = FloatVector.broadcast(S, beta);
            int o0 = co;
            FloatVector.fromArray(S, c, o0).fma(be, c00.mul(al)).intoArray(c, o0);
            FloatVector.fromArray(S, c, o0 + V).fma(be, c01.mul(al)).intoArray(c, o0 + V);
            FloatVector.fromArray(S, c, o0 + 2 * V).fma(be, c02.mul(al)).intoArray(c, o0 + 2 * V);
            int o1 = co + ldc;
            FloatVector.fromArray(S, c, o1).fma(be, c10.mul(al)).intoArray(c, o1);
            FloatVector.fromArray(S, c, o1 + V).fma(be, c11.mul(al)).intoArray(c, o1 + V);
            FloatVector.fromArray(S, c, o1 + 2 * V).fma(be, c12.mul(al)).intoArray(c, o1 + 2 * V);
            int o2 = co + 2 * ldc;
            FloatVector.fromArray(S, c, o2).fma(be, c20.mul(al)).intoArray(c, o2);
            FloatVector.fromArray(S, c, o2 + V).fma(be, c21.mul(al)).intoArray(c, o2 + V);
            FloatVector.fromArray(S, c, o2 + 2 * V).fma(be, c22.mul(al)).intoArray(c, o2 + 2 * V);
            int o3 = co + 3 * ldc;
            FloatVector.fromArray(S, c, o3).fma(be, c30.mul(al)).intoArray(c, o3);
            FloatVector.fromArray(S, c, o3 + V).fma(be, c31.mul(al)).intoArray(c, o3 + V);
            FloatVector.fromArray(S, c, o3 + 2 * V).fma(be, c32.mul(al)).intoArray(c, o3 + 2 * V);
            int o4 = co + 4 * ldc;
            FloatVector.fromArray(S, c, o4).fma(be, c40.mul(al)).intoArray(c, o4);
            FloatVector.fromArray(S, c, o4 + V).fma(be, c41.mul(al)).intoArray(c, o4 + V);
            FloatVector.fromArray(S, c, o4 + 2 * V).fma(be, c42.mul(al)).intoArray(c, o4 + 2 * V);
            int o5 = co + 5 * ldc;
            FloatVector.fromArray(S, c, o5).fma(be, c50.mul(al)).intoArray(c, o5);
            FloatVector.fromArray(S, c, o5 + V).fma(be, c51.mul(al)).intoArray(c, o5 + V);
            FloatVector.fromArray(S, c, o5 + 2 * V).fma(be, c52.mul(al)).intoArray(c, o5 + 2 * V);
        }
    }

    /** 6 x 2V tile, rows of A read in place: A[r, p] = a[a_r + p]; B panel b[bo + p * 2 * V + j]. */
    private static void kR2(int kc, float[] a, int a0, int a1, int a2, int a3, int a4, int a5,
            float[] b, int bo, float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z;
        FloatVector c10 = z, c11 = z;
        FloatVector c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z;
        FloatVector c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * (2 * V);
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + p]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41);
            FloatVector x5 = FloatVector.broadcast(S, a[a5 + p]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            int o0 = co;
            c00.mul(al).intoArray(c, o0);
            c01.mul(al).intoArray(c, o0 + V);
            int o1 = co + ldc;
            c10.mul(al).intoArray(c, o1);
            c11.mul(al).intoArray(c, o1 + V);
            int o2 = co + 2 * ldc;
            c20.mul(al).intoArray(c, o2);
            c21.mul(al).intoArray(c, o2 + V);
            int o3 = co + 3 * ldc;
            c30.mul(al).intoArray(c, o3);
            c31.mul(al).intoArray(c, o3 + V);
            int o4 = co + 4 * ldc;
            c40.mul(al).intoArray(c, o4);
            c41.mul(al).intoArray(c, o4 + V);
            int o5 = co + 5 * ldc;
            c50.mul(al).intoArray(c, o5);
            c51.mul(al).intoArray(c, o5 + V);
        } else {
            FloatVector be = FloatVector.broadcast(S, beta);
            int o0 = co;
            FloatVector.fromArray(S, c, o0).fma(be, c00.mul(al)).intoArray(c, o0);
            FloatVector.fromArray(S, c, o0 + V).fma(be, c01.mul(al)).intoArray(c, o0 + V);
            int o1 = co + ldc;
            FloatVector.fromArray(S, c, o1).fma(be, c10.mul(al)).intoArray(c, o1);
            FloatVector.fromArray(S, c, o1 + V).fma(be, c11.mul(al)).intoArray(c, o1 + V);
            int o2 = co + 2 * ldc;
            FloatVector.fromArray(S, c, o2).fma(be, c20.mul(al)).intoArray(c, o2);
            FloatVector.fromArray(S, c, o2 + V).fma(be, c21.mul(al)).intoArray(c, o2 + V);
            int o3 = co + 3 * ldc;
            FloatVector.fromArray(S, c, o3).fma(be, c30.mul(al)).intoArray(c, o3);
            FloatVector.fromArray(S, c, o3 + V).fma(be, c31.mul(al)).intoArray(c, o3 + V);
            int o4 = co + 4 * ldc;
            FloatVector.fromArray(S, c, o4).fma(be, c40.mul(al)).intoArray(c, o4);
            FloatVector.fromArray(S, c, o4 + V).fma(be, c41.mul(al)).intoArray(c, o4 + V);
            int o5 = co + 5 * ldc;
            FloatVector.fromArray(S, c, o5).fma(be, c50.mul(al)).intoArray(c, o5);
            FloatVector.fromArray(S, c, o5 + V).fma(be, c51.mul(al)).intoArray(c, o5 + V);
        }
    }

    /** 6 x 1V tile, rows of A read in place: A[r, p] = a[a_r + p]; B panel b[bo + p * V + j]. */
    private static void kR1(int kc, float[] a, int a0, int a1, int a2, int a3, int a4, int a5,
            float[] b, int bo, float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z;
        FloatVector c10 = z;
        FloatVector c20 = z;
        FloatVector c30 = z;
        FloatVector c40 = z;
        FloatVector c50 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * (V);
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(x0, c00);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(x1, c10);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(x2, c20);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(x3, c30);
            FloatVector x4 = FloatVector.broadcast(S, a[a4 + p]);
            c40 = b0.fma(x4, c40);
            FloatVector x5 = FloatVector.broadcast(S, a[a5 + p]);
            c50 = b0.fma(x5, c50);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            int o0 = co;
            c00.mul(al).intoArray(c, o0);
            int o1 = co + ldc;
            c10.mul(al).intoArray(c, o1);
            int o2 = co + 2 * ldc;
            c20.mul(al).intoArray(c, o2);
            int o3 = co + 3 * ldc;
            c30.mul(al).intoArray(c, o3);
            int o4 = co + 4 * ldc;
            c40.mul(al).intoArray(c, o4);
            int o5 = co + 5 * ldc;
            c50.mul(al).intoArray(c, o5);
        } else {
            FloatVector be = FloatVector.broadcast(S, beta);
            int o0 = co;
            FloatVector.fromArray(S, c, o0).fma(be, c00.mul(al)).intoArray(c, o0);
            int o1 = co + ldc;
            FloatVector.fromArray(S, c, o1).fma(be, c10.mul(al)).intoArray(c, o1);
            int o2 = co + 2 * ldc;
            FloatVector.fromArray(S, c, o2).fma(be, c20.mul(al)).intoArray(c, o2);
            int o3 = co + 3 * ldc;
            FloatVector.fromArray(S, c, o3).fma(be, c30.mul(al)).intoArray(c, o3);
            int o4 = co + 4 * ldc;
            FloatVector.fromArray(S, c, o4).fma(be, c40.mul(al)).intoArray(c, o4);
            int o5 = co + 5 * ldc;
            FloatVector.fromArray(S, c, o5).fma(be, c50.mul(al)).intoArray(c, o5);
        }
    }

    /** 6 x 4V tile, A packed as interleaved panels: A[r, p] = a[ao + p * MR + r]; B panel b[bo + p * 4 * V + j]. */
    private static void kP4(int kc, float[] a, int ao,
            float[] b, int bo, float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z;
        FloatVector c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z;
        FloatVector c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z;
        FloatVector c50 = z, c51 = z, c52 = z, c53 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * (4 * V);
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * V);
            int ai = ao + p * MR;
            FloatVector x0 = FloatVector.broadcast(S, a[ai]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01); c02 = b2.fma(x0, c02); c03 = b3.fma(x0, c03);
            FloatVector x1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11); c12 = b2.fma(x1, c12); c13 = b3.fma(x1, c13);
            FloatVector x2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21); c22 = b2.fma(x2, c22); c23 = b3.fma(x2, c23);
            FloatVector x3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31); c32 = b2.fma(x3, c32); c33 = b3.fma(x3, c33);
            FloatVector x4 = FloatVector.broadcast(S, a[ai + 4]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41); c42 = b2.fma(x4, c42); c43 = b3.fma(x4, c43);
            FloatVector x5 = FloatVector.broadcast(S, a[ai + 5]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51); c52 = b2.fma(x5, c52); c53 = b3.fma(x5, c53);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            int o0 = co;
            c00.mul(al).intoArray(c, o0);
            c01.mul(al).intoArray(c, o0 + V);
            c02.mul(al).intoArray(c, o0 + 2 * V);
            c03.mul(al).intoArray(c, o0 + 3 * V);
            int o1 = co + ldc;
            c10.mul(al).intoArray(c, o1);
            c11.mul(al).intoArray(c, o1 + V);
            c12.mul(al).intoArray(c, o1 + 2 * V);
            c13.mul(al).intoArray(c, o1 + 3 * V);
            int o2 = co + 2 * ldc;
            c20.mul(al).intoArray(c, o2);
            c21.mul(al).intoArray(c, o2 + V);
            c22.mul(al).intoArray(c, o2 + 2 * V);
            c23.mul(al).intoArray(c, o2 + 3 * V);
            int o3 = co + 3 * ldc;
            c30.mul(al).intoArray(c, o3);
            c31.mul(al).intoArray(c, o3 + V);
            c32.mul(al).intoArray(c, o3 + 2 * V);
            c33.mul(al).intoArray(c, o3 + 3 * V);
            int o4 = co + 4 * ldc;
            c40.mul(al).intoArray(c, o4);
            c41.mul(al).intoArray(c, o4 + V);
            c42.mul(al).intoArray(c, o4 + 2 * V);
            c43.mul(al).intoArray(c, o4 + 3 * V);
            int o5 = co + 5 * ldc;
            c50.mul(al).intoArray(c, o5);
            c51.mul(al).intoArray(c, o5 + V);
            c52.mul(al).intoArray(c, o5 + 2 * V);
            c53.mul(al).intoArray(c, o5 + 3 * V);
        } else {
            FloatVector be = FloatVector.broadcast(S, beta);
            int o0 = co;
            FloatVector.fromArray(S, c, o0).fma(be, c00.mul(al)).intoArray(c, o0);
            FloatVector.fromArray(S, c, o0 + V).fma(be, c01.mul(al)).intoArray(c, o0 + V);
            FloatVector.fromArray(S, c, o0 + 2 * V).fma(be, c02.mul(al)).intoArray(c, o0 + 2 * V);
            FloatVector.fromArray(S, c, o0 + 3 * V).fma(be, c03.mul(al)).intoArray(c, o0 + 3 * V);
            int o1 = co + ldc;
            FloatVector.fromArray(S, c, o1).fma(be, c10.mul(al)).intoArray(c, o1);
            FloatVector.fromArray(S, c, o1 + V).fma(be, c11.mul(al)).intoArray(c, o1 + V);
            FloatVector.fromArray(S, c, o1 + 2 * V).fma(be, c12.mul(al)).intoArray(c, o1 + 2 * V);
            FloatVector.fromArray(S, c, o1 + 3 * V).fma(be, c13.mul(al)).intoArray(c, o1 + 3 * V);
            int o2 = co + 2 * ldc;
            FloatVector.fromArray(S, c, o2).fma(be, c20.mul(al)).intoArray(c, o2);
            FloatVector.fromArray(S, c, o2 + V).fma(be, c21.mul(al)).intoArray(c, o2 + V);
            FloatVector.fromArray(S, c, o2 + 2 * V).fma(be, c22.mul(al)).intoArray(c, o2 + 2 * V);
            FloatVector.fromArray(S, c, o2 + 3 * V).fma(be, c23.mul(al)).intoArray(c, o2 + 3 * V);
            int o3 = co + 3 * ldc;
            FloatVector.fromArray(S, c, o3).fma(be, c30.mul(al)).intoArray(c, o3);
            FloatVector.fromArray(S, c, o3 + V).fma(be, c31.mul(al)).intoArray(c, o3 + V);
            FloatVector.fromArray(S, c, o3 + 2 * V).fma(be, c32.mul(al)).intoArray(c, o3 + 2 * V);
            FloatVector.fromArray(S, c, o3 + 3 * V).fma(be, c33.mul(al)).intoArray(c, o3 + 3 * V);
            int o4 = co + 4 * ldc;
            FloatVector.fromArray(S, c, o4).fma(be, c40.mul(al)).intoArray(c, o4);
            FloatVector.fromArray(S, c, o4 + V).fma(be, c41.mul(al)).intoArray(c, o4 + V);
            FloatVector.fromArray(S, c, o4 + 2 * V).fma(be, c42.mul(al)).intoArray(c, o4 + 2 * V);
            FloatVector.fromArray(S, c, o4 + 3 * V).fma(be, c43.mul(al)).intoArray(c, o4 + 3 * V);
            int o5 = co + 5 * ldc;
            FloatVector.fromArray(S, c, o5).fma(be, c50.mul(al)).intoArray(c, o5);
            FloatVector.fromArray(S, c, o5 + V).fma(be, c51.mul(al)).intoArray(c, o5 + V);
            FloatVector.fromArray(S, c, o5 + 2 * V).fma(be, c52.mul(al)).intoArray(c, o5 + 2 * V);
            FloatVector.fromArray(S, c, o5 + 3 * V).fma(be, c53.mul(al)).intoArray(c, o5 + 3 * V);
        }
    }

    /** 6 x 3V tile, A packed as interleaved panels: A[r, p] = a[ao + p * MR + r]; B panel b[bo + p * 3 * V + j]. */
    private static void kP3(int kc, float[] a, int ao,
            float[] b, int bo, float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z;
        FloatVector c10 = z, c11 = z, c12 = z;
        FloatVector c20 = z, c21 = z, c22 = z;
        FloatVector c30 = z, c31 = z, c32 = z;
        FloatVector c40 = z, c41 = z, c42 = z;
        FloatVector c50 = z, c51 = z, c52 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * (3 * V);
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * V);
            int ai = ao + p * MR;
            FloatVector x0 = FloatVector.broadcast(S, a[ai]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01); c02 = b2.fma(x0, c02);
            FloatVector x1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11); c12 = b2.fma(x1, c12);
            FloatVector x2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21); c22 = b2.fma(x2, c22);
            FloatVector x3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31); c32 = b2.fma(x3, c32);
            FloatVector x4 = FloatVector.broadcast(S, a[ai + 4]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41); c42 = b2.fma(x4, c42);
            FloatVector x5 = FloatVector.broadcast(S, a[ai + 5]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51); c52 = b2.fma(x5, c52);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            int o0 = co;
            c00.mul(al).intoArray(c, o0);
            c01.mul(al).intoArray(c, o0 + V);
            c02.mul(al).intoArray(c, o0 + 2 * V);
            int o1 = co + ldc;
            c10.mul(al).intoArray(c, o1);
            c11.mul(al).intoArray(c, o1 + V);
            c12.mul(al).intoArray(c, o1 + 2 * V);
            int o2 = co + 2 * ldc;
            c20.mul(al).intoArray(c, o2);
            c21.mul(al).intoArray(c, o2 + V);
            c22.mul(al).intoArray(c, o2 + 2 * V);
            int o3 = co + 3 * ldc;
            c30.mul(al).intoArray(c, o3);
            c31.mul(al).intoArray(c, o3 + V);
            c32.mul(al).intoArray(c, o3 + 2 * V);
            int o4 = co + 4 * ldc;
            c40.mul(al).intoArray(c, o4);
            c41.mul(al).intoArray(c, o4 + V);
            c42.mul(al).intoArray(c, o4 + 2 * V);
            int o5 = co + 5 * ldc;
            c50.mul(al).intoArray(c, o5);
            c51.mul(al).intoArray(c, o5 + V);
            c52.mul(al).intoArray(c, o5 + 2 * V);
        } else {
            FloatVector be = FloatVector.broadcast(S, beta);
            int o0 = co;
            FloatVector.fromArray(S, c, o0).fma(be, c00.mul(al)).intoArray(c, o0);
            FloatVector.fromArray(S, c, o0 + V).fma(be, c01.mul(al)).intoArray(c, o0 + V);
            FloatVector.fromArray(S, c, o0 + 2 * V).fma(be, c02.mul(al)).intoArray(c, o0 + 2 * V);
            int o1 = co + ldc;
            FloatVector.fromArray(S, c, o1).fma(be, c10.mul(al)).intoArray(c, o1);
            FloatVector.fromArray(S, c, o1 + V).fma(be, c11.mul(al)).intoArray(c, o1 + V);
            FloatVector.fromArray(S, c, o1 + 2 * V).fma(be, c12.mul(al)).intoArray(c, o1 + 2 * V);
            int o2 = co + 2 * ldc;
            FloatVector.fromArray(S, c, o2).fma(be, c20.mul(al)).intoArray(c, o2);
            FloatVector.fromArray(S, c, o2 + V).fma(be, c21.mul(al)).intoArray(c, o2 + V);
            FloatVector.fromArray(S, c, o2 + 2 * V).fma(be, c22.mul(al)).intoArray(c, o2 + 2 * V);
            int o3 = co + 3 * ldc;
            FloatVector.fromArray(S, c, o3).fma(be, c30.mul(al)).intoArray(c, o3);
            FloatVector.fromArray(S, c, o3 + V).fma(be, c31.mul(al)).intoArray(c, o3 + V);
            FloatVector.fromArray(S, c, o3 + 2 * V).fma(be, c32.mul(al)).intoArray(c, o3 + 2 * V);
            int o4 = co + 4 * ldc;
            FloatVector.fromArray(S, c, o4).fma(be, c40.mul(al)).intoArray(c, o4);
            FloatVector.fromArray(S, c, o4 + V).fma(be, c41.mul(al)).intoArray(c, o4 + V);
            FloatVector.fromArray(S, c, o4 + 2 * V).fma(be, c42.mul(al)).intoArray(c, o4 + 2 * V);
            int o5 = co + 5 * ldc;
            FloatVector.fromArray(S, c, o5).fma(be, c50.mul(al)).intoArray(c, o5);
            FloatVector.fromArray(S, c, o5 + V).fma(be, c51.mul(al)).intoArray(c, o5 + V);
            FloatVector.fromArray(S, c, o5 + 2 * V).fma(be, c52.mul(al)).intoArray(c, o5 + 2 * V);
        }
    }

    /** 6 x 2V tile, A packed as interleaved panels: A[r, p] = a[ao + p * MR + r]; B panel b[bo + p * 2 * V + j]. */
    private static void kP2(int kc, float[] a, int ao,
            float[] b, int bo, float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z;
        FloatVector c10 = z, c11 = z;
        FloatVector c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z;
        FloatVector c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * (2 * V);
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + V);
            int ai = ao + p * MR;
            FloatVector x0 = FloatVector.broadcast(S, a[ai]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11);
            FloatVector x2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21);
            FloatVector x3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31);
            FloatVector x4 = FloatVector.broadcast(S, a[ai + 4]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41);
            FloatVector x5 = FloatVector.broadcast(S, a[ai + 5]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            int o0 = co;
            c00.mul(al).intoArray(c, o0);
            c01.mul(al).intoArray(c, o0 + V);
            int o1 = co + ldc;
            c10.mul(al).intoArray(c, o1);
            c11.mul(al).intoArray(c, o1 + V);
            int o2 = co + 2 * ldc;
            c20.mul(al).intoArray(c, o2);
            c21.mul(al).intoArray(c, o2 + V);
            int o3 = co + 3 * ldc;
            c30.mul(al).intoArray(c, o3);
            c31.mul(al).intoArray(c, o3 + V);
            int o4 = co + 4 * ldc;
            c40.mul(al).intoArray(c, o4);
            c41.mul(al).intoArray(c, o4 + V);
            int o5 = co + 5 * ldc;
            c50.mul(al).intoArray(c, o5);
            c51.mul(al).intoArray(c, o5 + V);
        } else {
            FloatVector be = FloatVector.broadcast(S, beta);
            int o0 = co;
            FloatVector.fromArray(S, c, o0).fma(be, c00.mul(al)).intoArray(c, o0);
            FloatVector.fromArray(S, c, o0 + V).fma(be, c01.mul(al)).intoArray(c, o0 + V);
            int o1 = co + ldc;
            FloatVector.fromArray(S, c, o1).fma(be, c10.mul(al)).intoArray(c, o1);
            FloatVector.fromArray(S, c, o1 + V).fma(be, c11.mul(al)).intoArray(c, o1 + V);
            int o2 = co + 2 * ldc;
            FloatVector.fromArray(S, c, o2).fma(be, c20.mul(al)).intoArray(c, o2);
            FloatVector.fromArray(S, c, o2 + V).fma(be, c21.mul(al)).intoArray(c, o2 + V);
            int o3 = co + 3 * ldc;
            FloatVector.fromArray(S, c, o3).fma(be, c30.mul(al)).intoArray(c, o3);
            FloatVector.fromArray(S, c, o3 + V).fma(be, c31.mul(al)).intoArray(c, o3 + V);
            int o4 = co + 4 * ldc;
            FloatVector.fromArray(S, c, o4).fma(be, c40.mul(al)).intoArray(c, o4);
            FloatVector.fromArray(S, c, o4 + V).fma(be, c41.mul(al)).intoArray(c, o4 + V);
            int o5 = co + 5 * ldc;
            FloatVector.fromArray(S, c, o5).fma(be, c50.mul(al)).intoArray(c, o5);
            FloatVector.fromArray(S, c, o5 + V).fma(be, c51.mul(al)).intoArray(c, o5 + V);
        }
    }

    /** 6 x 1V tile, A packed as interleaved panels: A[r, p] = a[ao + p * MR + r]; B panel b[bo + p * V + j]. */
    private static void kP1(int kc, float[] a, int ao,
            float[] b, int bo, float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z;
        FloatVector c10 = z;
        FloatVector c20 = z;
        FloatVector c30 = z;
        FloatVector c40 = z;
        FloatVector c50 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * (V);
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            int ai = ao + p * MR;
            FloatVector x0 = FloatVector.broadcast(S, a[ai]);
            c00 = b0.fma(x0, c00);
            FloatVector x1 = FloatVector.broadcast(S, a[ai + 1]);
            c10 = b0.fma(x1, c10);
            FloatVector x2 = FloatVector.broadcast(S, a[ai + 2]);
            c20 = b0.fma(x2, c20);
            FloatVector x3 = FloatVector.broadcast(S, a[ai + 3]);
            c30 = b0.fma(x3, c30);
            FloatVector x4 = FloatVector.broadcast(S, a[ai + 4]);
            c40 = b0.fma(x4, c40);
            FloatVector x5 = FloatVector.broadcast(S, a[ai + 5]);
            c50 = b0.fma(x5, c50);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            int o0 = co;
            c00.mul(al).intoArray(c, o0);
            int o1 = co + ldc;
            c10.mul(al).intoArray(c, o1);
            int o2 = co + 2 * ldc;
            c20.mul(al).intoArray(c, o2);
            int o3 = co + 3 * ldc;
            c30.mul(al).intoArray(c, o3);
            int o4 = co + 4 * ldc;
            c40.mul(al).intoArray(c, o4);
            int o5 = co + 5 * ldc;
            c50.mul(al).intoArray(c, o5);
        } else {
            FloatVector be = FloatVector.broadcast(S, beta);
            int o0 = co;
            FloatVector.fromArray(S, c, o0).fma(be, c00.mul(al)).intoArray(c, o0);
            int o1 = co + ldc;
            FloatVector.fromArray(S, c, o1).fma(be, c10.mul(al)).intoArray(c, o1);
            int o2 = co + 2 * ldc;
            FloatVector.fromArray(S, c, o2).fma(be, c20.mul(al)).intoArray(c, o2);
            int o3 = co + 3 * ldc;
            FloatVector.fromArray(S, c, o3).fma(be, c30.mul(al)).intoArray(c, o3);
            int o4 = co + 4 * ldc;
            FloatVector.fromArray(S, c, o4).fma(be, c40.mul(al)).intoArray(c, o4);
            int o5 = co + 5 * ldc;
            FloatVector.fromArray(S, c, o5).fma(be, c50.mul(al)).intoArray(c, o5);
        }
    }

}
