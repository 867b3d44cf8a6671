package dsb4j.examples;

import dsb4j.engine.dist.Collective;
import dsb4j.engine.dist.Collectives;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The job `dsb train` runs in, as the command line sees it. One process ({@code dsb train} without mpirun) is a job
 * of one, and every method here then does what the command did before jobs existed. Under {@code mpirun -np K}:
 * <ul>
 *   <li>only rank 0 prints to standard output (the others' goes nowhere); errors go to standard error from the rank
 *   that has them, named "rank r of K" by {@link Main};</li>
 *   <li>the steps before training (reading the options, the data, the run folder) are {@link #agree agreed}: each
 *   rank runs the step, then all learn whether it failed on any rank, so that all stop together with the failing
 *   rank's exit code instead of waiting for it at the first all-reduce;</li>
 *   <li>during training every rank takes the same decisions from the same all-reduced numbers (a diverged loss stops
 *   all ranks at the same step); a failure of one rank alone (rank 0 cannot write a checkpoint) ends the job through
 *   {@link #failAlone}.</li>
 * </ul>
 */
final class Ranks {
    final Collective job;

    private Ranks(Collective job) { this.job = job; }

    /** This process's job (MPI_Init when mpirun started it as one of several); a missing or wrong MPI is exit code 2. */
    static Ranks join(Integer timeoutSeconds) {
        if (timeoutSeconds != null && timeoutSeconds < 1)
            throw new Main.UsageError("--mpi-timeout must be at least 1 second, got " + timeoutSeconds);
        Collective c;
        try {
            c = Collectives.world();
        } catch (IllegalStateException e) {
            throw new Main.UsageError(e.getMessage());
        }
        if (timeoutSeconds != null) c.setTimeout(Duration.ofSeconds(timeoutSeconds));
        if (c.rank() != 0) System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        return new Ranks(c);
    }

    boolean root() { return job.rank() == 0; }

    int size() { return job.size(); }

    /** A step before training that may fail. */
    @FunctionalInterface
    interface Step<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code step} on every rank and returns its result once every rank has run it. When it failed anywhere,
     * every rank stops: a failing rank with its own error (exit 2 for a usage error, else 1), the others quietly with
     * the first failing rank's code (rank 0 says which rank failed). {@code sameEverywhere}: the step computes the same
     * on every rank (the options, the same bytes), so only rank 0 reports its failure.
     */
    <T> T agree(String what, boolean sameEverywhere, Step<T> step) throws Exception {
        if (size() == 1) return step.run();
        T result = null;
        Exception failure = null;
        int code = 0;
        try {
            result = step.run();
        } catch (Main.UsageError e) {
            failure = e;
            code = 2;
        } catch (Main.Exit e) {
            failure = e;
            code = e.code;
        } catch (Exception e) {
            failure = e;
            code = 1;
        }
        int[] codes = job.allGather(code, what);
        int first = -1;
        for (int r = 0; r < codes.length && first < 0; r++) if (codes[r] != 0) first = r;
        if (first < 0) return result;
        if (failure != null && (!sameEverywhere || root())) throw failure;
        throw new Main.Exit(codes[first], root() ? "the run stopped before training: rank " + first + " of " + size() + " failed (" + what
                + "; its message is among mpirun's output)" : null);
    }

    /**
     * A failure of this rank alone during training (the others are waiting for it in a collective): prints the message
     * and ends the whole job with exit code 1; does not return.
     */
    void failAlone(Throwable e, String kept) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        job.abort(1, "dsb: rank " + job.rank() + " of " + size() + ": " + message + (kept == null ? "" : "; " + kept) + "; ending the job");
    }

    /**
     * CPU threads per rank when --threads is not given: the cores this process may use (mpirun binds each rank to a
     * core for -np 2, to a socket above that), shared by the ranks on this machine when they are not bound.
     */
    int defaultThreads() {
        int cores = Runtime.getRuntime().availableProcessors();
        int local = envInt("OMPI_COMM_WORLD_LOCAL_SIZE", 1);
        return cores >= local ? Math.max(1, cores / local) : cores;
    }

    /** This rank's index among the ranks on its machine (mpirun's OMPI_COMM_WORLD_LOCAL_RANK; 0 without one). */
    static int localRank() { return envInt("OMPI_COMM_WORLD_LOCAL_RANK", 0); }

    private static int envInt(String key, int fallback) {
        try {
            String v = System.getenv(key);
            return v == null ? fallback : Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
