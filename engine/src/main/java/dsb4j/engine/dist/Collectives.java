package dsb4j.engine.dist;

import java.time.Duration;
import java.util.Map;

/**
 * The job this process belongs to, decided once from its environment, as the CUDA backend decides from the
 * machine: a process that no MPI launcher started (none of {@code OMPI_COMM_WORLD_SIZE}, {@code PMI_SIZE},
 * {@code PMIX_RANK} set) is a {@link SingleProcess} and never loads MPI, nor does one started as the only rank
 * ({@code mpirun -np 1}). A process started as one of K &gt; 1 ranks loads Open MPI ({@link MpiLibrary}) and calls
 * MPI_Init; when the library is missing or of another ABI, {@link #world()} throws an IllegalStateException whose
 * message is one line saying so.
 */
public final class Collectives {
    private Collectives() {}

    /** Generous: longer than rank 0's evaluation and checkpoint of the built-in presets, during which the others wait. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    private static Collective world;
    private static final long FINALIZE_WAIT_MILLIS = 10_000;

    /**
     * What the launcher put in the environment: whether one started this process, its rank, and the job's size
     * ({@code -1} when the launcher does not say, as PMIx alone does).
     */
    record Launch(boolean launched, int rank, int size) {}

    static Launch launch(Map<String, String> env) {
        int size = number(env, "OMPI_COMM_WORLD_SIZE", number(env, "PMI_SIZE", -1));
        int rank = number(env, "OMPI_COMM_WORLD_RANK", number(env, "PMI_RANK", number(env, "PMIX_RANK", 0)));
        boolean launched = env.containsKey("OMPI_COMM_WORLD_SIZE") || env.containsKey("PMI_SIZE") || env.containsKey("PMIX_RANK");
        return new Launch(launched, rank, size);
    }

    /** This process's rank as the launcher's environment gives it (0 when none), without loading MPI. */
    public static int launchedRank() { return launch(System.getenv()).rank(); }

    /** The job's size as the launcher's environment gives it (1 when none started this process), without loading MPI. */
    public static int launchedSize() {
        Launch l = launch(System.getenv());
        return l.launched() ? l.size() : 1;
    }

    /**
     * This process's job, initialised on first use (MPI_Init for K &gt; 1 ranks) and finalised by {@link #closeWorld} or,
     * failing that, at JVM exit when no collective is in progress.
     *
     * @throws IllegalStateException (one line) when started as one of several ranks but MPI cannot be used
     */
    public static synchronized Collective world() {
        if (world == null) world = open(System.getenv(), MpiLibrary.Opener.SYSTEM);
        return world;
    }

    /** Whether {@link #world()} has been decided already (tests). */
    static synchronized boolean decided() { return world != null; }

    /** Leaves the job if this process joined one (MPI_Finalize); every rank calls it at its normal end. */
    public static synchronized void closeWorld() {
        if (world != null) world.close();
    }

    static Collective open(Map<String, String> env, MpiLibrary.Opener opener) {
        Launch l = launch(env);
        if (!l.launched() || l.size() == 1) return SingleProcess.INSTANCE;
        String started = "started by mpirun" + (l.size() > 1 ? " as one of " + l.size() + " ranks" : "");
        MpiLibrary lib;
        try {
            lib = MpiLibrary.find(env, opener);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(started + ", but " + e.getMessage(), e);
        }
        MpiCollective c = MpiCollective.init(lib, DEFAULT_TIMEOUT);
        if (l.size() > 0 && c.size() != l.size())
            throw new IllegalStateException(started + ", but " + lib.version + " sees " + c.size() + " (the launcher belongs to another MPI "
                    + "than " + lib.where + ": start dsb with Open MPI's mpirun)");
        // A program that never calls closeWorld still leaves the job cleanly. Not under a collective (SIGTERM), and not
        // for long: MPI_Finalize waits for every rank, and a rank that exits after a failure of its own must not wait
        // for ranks blocked in an all-reduce (exiting without it makes mpirun end them).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (c.busy() || c.closed()) return;
            Thread t = new Thread(() -> {
                try {
                    c.close();
                } catch (RuntimeException ignored) {
                    // exiting anyway
                }
            }, "mpi-finalize");
            t.setDaemon(true);
            t.start();
            try {
                t.join(FINALIZE_WAIT_MILLIS);
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
        }, "mpi-finalize-hook"));
        return c;
    }

    private static int number(Map<String, String> env, String key, int fallback) {
        String v = env.get(key);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
