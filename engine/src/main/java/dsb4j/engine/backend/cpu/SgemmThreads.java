package dsb4j.engine.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static dsb4j.engine.backend.cpu.Sgemm.MR;
import static dsb4j.engine.backend.cpu.Sgemm.NR;
import static dsb4j.engine.backend.cpu.Sgemm.SMALL_N;

/**
 * The threading of {@link Sgemm}: a large product is cut into units of whole column panels or whole row panels of C
 * that the calling thread and pool tasks claim from a shared counter, each unit taking the whole product's path
 * ({@link Sgemm#small}). Every element of C is computed by one thread with the same kernel arithmetic as on one thread
 * (units are whole register panels, so the same elements fall in edge tiles), so the split changes nothing in the
 * result but the time.
 */
final class SgemmThreads {

    private SgemmThreads() {
    }

    /** How long the calling thread spins for the last units of a multi-threaded call before it parks. */
    private static final long AWAIT_SPIN_NS = 30_000L;
    /** A multi-threaded call is cut in at most this many units per thread (claimed dynamically). */
    private static final int UNITS_PER_THREAD = 4;

    /**
     * Splits C into units of whole column panels or whole row panels and deals them out dynamically: the calling
     * thread and {@code threads - 1} pool tasks claim units from a shared counter until none is left, so a pool
     * worker that wakes up late (or not at all) costs nothing but its share, and the caller never waits for a task
     * that has not started.
     */
    static void parallel(int threads, boolean transA, boolean transB, int m, int n, int k, float alpha,
                                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                 float beta, float[] c, int cOff, int ldc, ForkJoinPool pool, Sgemm.Epilogue epi) {
        int maxUnits = UNITS_PER_THREAD * threads;
        int colPanels = (n + NR - 1) / NR;
        int rowPanel = rowPanel(transA, transB, m, n);
        int rowPanels = (m + rowPanel - 1) / rowPanel;
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
            Sgemm.serial(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, epi);
            return;
        }
        Split job = new Split(byCols, panels, units, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                beta, c, cOff, ldc, epi);
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

    /**
     * The rows of C a row split cuts between: the register block's (MR) for the blocked kernels; for the small paths
     * the rows they handle together ({@link Sgemm#SMALL_ROWS}), so that the same rows fall in their vector blocks and in
     * their scalar tails as on one thread.
     */
    private static int rowPanel(boolean transA, boolean transB, int m, int n) {
        return Sgemm.small(transA, transB, m, n) ? Sgemm.SMALL_ROWS : MR;
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
        private final Sgemm.Epilogue epi;
        /** The whole product's path (small shapes or blocked kernels), which every unit takes. */
        private final boolean small;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger done = new AtomicInteger();
        private volatile Throwable error;
        /** The calling thread, woken by whoever finishes the last unit. */
        private final Thread owner = Thread.currentThread();

        Split(boolean byCols, int panels, int units, boolean transA, boolean transB, int m, int n, int k,
              float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c,
              int cOff, int ldc, Sgemm.Epilogue epi) {
            this.epi = epi;
            this.small = Sgemm.small(transA, transB, m, n);
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
                        LockSupport.unpark(owner);
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
                share(m, j1 - j0, a, aOff, b, bOff + (transB ? j0 * ldb : j0), c, cOff + j0, j0);
            } else {
                int rowPanel = rowPanel(transA, transB, m, n);
                int i0 = p0 * rowPanel;
                int i1 = Math.min(m, p1 * rowPanel);
                share(i1 - i0, n, a, aOff + (transA ? i0 : i0 * lda), b, bOff, c, cOff + i0 * ldc, 0);
            }
        }

        /** One unit, m x n of C at cOff (first column col0 of the whole), on the whole product's path. */
        private void share(int m, int n, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int col0) {
            if (small) {
                Sgemm.smallShape(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, epi, col0);
            } else {
                Sgemm.blocked(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, epi, col0);
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
                    LockSupport.parkNanos(this, 1_000_000L);
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
}
