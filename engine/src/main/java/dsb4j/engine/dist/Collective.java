package dsb4j.engine.dist;

import java.time.Duration;

/**
 * The processes ("ranks") of one data-parallel job and the few collective operations training needs. Every rank
 * calls the same operations in the same order with arrays of the same length; each call returns when every rank
 * has made it. {@link SingleProcess} is the job of one (every operation returns its input); {@link MpiCollective}
 * spans the ranks that {@code mpirun} started. {@link Collectives#world()} picks one for this process.
 * <p>
 * A collective that has not completed within {@link #setTimeout the time-out} means another rank died, hangs or is
 * far behind: the implementation then ends the whole job (MPI_Abort) with one line naming this rank and what it
 * waited for, rather than hang. {@code what} in each call is that name ("the gradients of step 12").
 */
public interface Collective extends AutoCloseable {

    /** This process's index, 0 … size − 1; rank 0 is the one that writes the run's files. */
    int rank();

    /** The number of ranks. */
    int size();

    /** Replaces every rank's {@code data} by the element-wise sum over all ranks (the same array on every rank). */
    void allReduceSum(float[] data, String what);

    /** As {@link #allReduceSum(float[], String)} in double precision. */
    void allReduceSum(double[] data, String what);

    /** Replaces {@code data} on every rank by rank {@code root}'s (all ranks pass arrays of one length). */
    void broadcast(byte[] data, int root, String what);

    /** Returns when every rank has called it. */
    void barrier(String what);

    /** How long a collective may wait for the other ranks before the job is aborted. */
    void setTimeout(Duration timeout);

    /** One line: the library and the job's size, e.g. "Open MPI v4.1.4 (libmpi.so.40), 2 ranks". */
    String description();

    /** Ends the whole job at once with {@code exitCode}, after printing {@code message} (one line); does not return. */
    void abort(int exitCode, String message);

    /** Leaves the job (MPI_Finalize); every rank calls it at its normal end. A second call does nothing. */
    @Override void close();

    /** Whether this is rank 0. */
    default boolean isRoot() { return rank() == 0; }

    /**
     * Every rank's {@code value}, indexed by rank (an all-reduce of a vector holding each rank's value at its own index;
     * exact for ints).
     */
    default int[] allGather(int value, String what) {
        double[] all = new double[size()];
        all[rank()] = value;
        allReduceSum(all, what);
        int[] out = new int[all.length];
        for (int i = 0; i < out.length; i++) out[i] = (int) all[i];
        return out;
    }

    /** Rank {@code root}'s {@code bytes}, of a length only the root knows, on every rank. */
    default byte[] broadcastBytes(byte[] bytes, int root, String what) {
        double[] length = {rank() == root ? bytes.length : 0};
        allReduceSum(length, what);
        byte[] out = rank() == root ? bytes : new byte[(int) length[0]];
        broadcast(out, root, what);
        return out;
    }
}
