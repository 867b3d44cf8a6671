package dsb4j.engine.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Fork-join over an index range. Each chunk must write only its own outputs, so results never depend on
 * how many threads ran: callers that combine (reductions) split on fixed, shape-derived boundaries instead.
 */
final class Parallel {
    private Parallel() {}

    /** Below this many elements of work a fork-join costs more than it saves (a few µs per task). */
    static final int MIN_PARALLEL_WORK = 1 << 18;
    /** The smallest chunk worth its own task. */
    static final int MIN_CHUNK_WORK = 1 << 14;

    /** The body of one chunk: indices [lo, hi). */
    @FunctionalInterface
    interface Range {
        void run(int lo, int hi);
    }

    /**
     * Runs body over [0, n) in chunks. {@code workPerIndex} (≥ 1) is roughly how many elements one index
     * touches, so that rows and single elements share one threshold. A null pool runs inline.
     */
    static void forRange(ForkJoinPool pool, int n, long workPerIndex, Range body) {
        if (n <= 0) return;
        long work = (long) n * Math.max(1, workPerIndex);
        if (pool == null || n == 1 || work < MIN_PARALLEL_WORK) {
            body.run(0, n);
            return;
        }
        // A few chunks per thread evens out stragglers; never chunks below MIN_CHUNK_WORK.
        long byWork = work / MIN_CHUNK_WORK;
        int chunks = (int) Math.min(Math.min(n, byWork), 4L * pool.getParallelism());
        if (ForkJoinTask.inForkJoinPool()) {
            new Task(body, n, chunks, 0, chunks).invoke();
            return;
        }
        // From outside the pool the caller takes one equal share itself and hands one to each of parallelism − 1
        // workers, instead of waiting while the pool does everything: one thread per core, and one hand-off
        // less per op, which is most of the cost of the small ones.
        int p = Math.min(pool.getParallelism(), chunks);
        ForkJoinTask<?>[] others = new ForkJoinTask<?>[p - 1];
        for (int t = 1; t < p; t++) {
            int lo = (int) ((long) t * n / p), hi = (int) ((long) (t + 1) * n / p);
            others[t - 1] = pool.submit(() -> body.run(lo, hi));
        }
        body.run(0, (int) ((long) n / p));
        for (ForkJoinTask<?> f : others) f.join();
    }

    @SuppressWarnings("serial")      // never serialised
    private static final class Task extends RecursiveAction {
        private final Range body;
        private final int n, chunks, c0, c1;

        Task(Range body, int n, int chunks, int c0, int c1) {
            this.body = body; this.n = n; this.chunks = chunks; this.c0 = c0; this.c1 = c1;
        }

        @Override protected void compute() {
            if (c1 - c0 == 1) {
                body.run((int) ((long) c0 * n / chunks), (int) ((long) c1 * n / chunks));
                return;
            }
            int mid = (c0 + c1) >>> 1;
            invokeAll(new Task(body, n, chunks, c0, mid), new Task(body, n, chunks, mid, c1));
        }
    }
}
