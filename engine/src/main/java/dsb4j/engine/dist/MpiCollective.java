package dsb4j.engine.dist;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The ranks of an {@code mpirun} job over MPI_COMM_WORLD. Every operation is MPI's non-blocking form
 * (MPI_Iallreduce, MPI_Ibcast, MPI_Ibarrier) completed by polling MPI_Test on the calling thread, which gives two
 * things a blocking call cannot: a time-out checked by the waiting thread itself (no watchdog thread calling into
 * MPI while another is inside it, which Open MPI allows only at MPI_THREAD_MULTIPLE), and a wait that stops burning
 * its core after 2 ms (ranks wait for rank 0 while it evaluates and writes checkpoints, and for a rank whose core
 * the operating system gave to another process). On time-out
 * the job ends through MPI_Abort with one line naming this rank and what it waited for.
 * <p>
 * Data travels through one native buffer that grows to the largest array seen and is reused (the gradients of a
 * step: 0.1 MB for the 2-D network, 4 to 28 MB for the U-Nets).
 */
final class MpiCollective implements Collective {
    /**
     * Polling MPI_Test back to back for this long keeps a collective as fast as MPI makes it (the 2-D network's
     * gradients: 0.1 ms between two ranks of one machine) when the ranks arrive within it of each other, which ranks
     * doing the same work on cores of their own do; MPI's protocol advances only while both sides poll. A longer wait
     * is for a rank that is behind (rank 0 evaluating, or a rank whose core runs something else): the waiting rank then
     * parks, leaving its core. -Ddsb4j.mpi.spinMicros changes it (on the shared 2-core machine of docs/distributed.md,
     * 0.2 ms, 2 ms and 50 ms gave the same throughput within its noise).
     */
    private static final long SPIN_NANOS = Long.getLong("dsb4j.mpi.spinMicros", 2_000) * 1_000;
    /** Parks grow to this while a wait is short (a rank a few ms behind: wake soon after it arrives)… */
    private static final long MAX_PARK_NANOS = 250_000;
    /** …and to this past a second (rank 0 evaluating for minutes: poll cheaply). */
    private static final long LONG_PARK_NANOS = 10_000_000;

    private final MpiLibrary mpi;
    private final int rank, size;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment request, flag, status;
    private Arena bufferArena = Arena.ofShared();
    private MemorySegment buffer;
    private volatile long timeoutNanos;
    private volatile boolean busy, closed;
    /** -Ddsb4j.mpi.stats=true: at close, each rank prints how long it spent in collectives (tuning, measurements). */
    private static final boolean STATS = Boolean.getBoolean("dsb4j.mpi.stats");
    private long calls, waitedNanos, longWaits;

    private MpiCollective(MpiLibrary mpi, int rank, int size, Duration timeout) {
        this.mpi = mpi;
        this.rank = rank;
        this.size = size;
        this.request = arena.allocate(8);
        this.flag = arena.allocate(ValueLayout.JAVA_INT);
        this.status = arena.allocate(64);                  // MPI_Status: 24 bytes in Open MPI; MPI_STATUS_IGNORE differs by ABI
        this.buffer = bufferArena.allocate(1 << 16, 64);
        setTimeout(timeout);
    }

    /** MPI_Init_thread and the world's rank and size. */
    static MpiCollective init(MpiLibrary mpi, Duration timeout) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_INT);
            check(mpi.initThread(MpiLibrary.THREAD_SERIALIZED, out), "MPI_Init_thread");
            check(mpi.commRank(out), "MPI_Comm_rank");
            int rank = out.get(ValueLayout.JAVA_INT, 0);
            check(mpi.commSize(out), "MPI_Comm_size");
            return new MpiCollective(mpi, rank, out.get(ValueLayout.JAVA_INT, 0), timeout);
        }
    }

    @Override public int rank() { return rank; }
    @Override public int size() { return size; }

    @Override public void setTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("the collective time-out must be positive, got " + timeout);
        timeoutNanos = timeout.toNanos();
    }

    @Override public String description() {
        return mpi.version + " (" + mpi.where + "), " + size + " ranks";
    }

    @Override public synchronized void allReduceSum(float[] data, String what) {
        MemorySegment buf = buffer((long) data.length * Float.BYTES);
        MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_FLOAT, 0, data.length);
        check(mpi.iallreduceFloat(buf, data.length, request), "MPI_Iallreduce");
        await(what);
        MemorySegment.copy(buf, ValueLayout.JAVA_FLOAT, 0, data, 0, data.length);
    }

    @Override public synchronized void allReduceSum(double[] data, String what) {
        MemorySegment buf = buffer((long) data.length * Double.BYTES);
        MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_DOUBLE, 0, data.length);
        check(mpi.iallreduceDouble(buf, data.length, request), "MPI_Iallreduce");
        await(what);
        MemorySegment.copy(buf, ValueLayout.JAVA_DOUBLE, 0, data, 0, data.length);
    }

    @Override public synchronized void broadcast(byte[] data, int root, String what) {
        if (root < 0 || root >= size) throw new IllegalArgumentException("broadcast from rank " + root + " in a job of " + size);
        MemorySegment buf = buffer(data.length);
        MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
        check(mpi.ibcastBytes(buf, data.length, root, request), "MPI_Ibcast");
        await(what);
        MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, data, 0, data.length);
    }

    @Override public synchronized void barrier(String what) {
        check(mpi.ibarrier(request), "MPI_Ibarrier");
        await(what);
    }

    /**
     * Polls the request until it completes: back to back for {@link #SPIN_NANOS}, then parking between polls (10 µs
     * growing to 0.25 ms, to 10 ms after a second); past the time-out the job is aborted.
     */
    private void await(String what) {
        busy = true;
        long start = System.nanoTime(), park = 10_000;
        try {
            while (true) {
                check(mpi.test(request, flag, status), "MPI_Test");
                if (flag.get(ValueLayout.JAVA_INT, 0) != 0) {
                    long waited = System.nanoTime() - start;
                    calls++;
                    waitedNanos += waited;
                    if (waited >= SPIN_NANOS) longWaits++;
                    return;
                }
                long waited = System.nanoTime() - start;
                if (waited < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                if (waited > timeoutNanos)
                    abort(1, String.format("dsb: rank %d of %d: %s did not complete within %s s (--mpi-timeout; another rank died, hangs "
                            + "or is that far behind); ending the job", rank, size, what, seconds(timeoutNanos)));
                LockSupport.parkNanos(park);
                park = Math.min(2 * park, waited < 1_000_000_000L ? MAX_PARK_NANOS : LONG_PARK_NANOS);
            }
        } finally {
            busy = false;
        }
    }

    @Override public void abort(int exitCode, String message) {
        System.out.flush();
        System.err.println(message);
        System.err.flush();
        mpi.abort(exitCode);                                // ends every rank; returns only if MPI could not
        Runtime.getRuntime().halt(exitCode);
    }

    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        if (STATS)
            System.err.printf("dsb: rank %d of %d: %d collectives, %.2f s in them (%.3f ms each), %d of them longer than the %.1f ms spin%n",
                    rank, size, calls, waitedNanos / 1e9, calls == 0 ? 0 : waitedNanos / 1e6 / calls, longWaits, SPIN_NANOS / 1e6);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment done = a.allocate(ValueLayout.JAVA_INT);
            if (mpi.finalized(done) == 0 && done.get(ValueLayout.JAVA_INT, 0) == 0) check(mpi.finalizeMpi(), "MPI_Finalize");
        }
    }

    private static String seconds(long nanos) {
        double s = nanos / 1e9;
        return s == Math.rint(s) ? String.valueOf((long) s) : String.format("%.1f", s);
    }

    /** Whether a collective is waiting now (a shutdown hook must not finalize under it). */
    boolean busy() { return busy; }

    boolean closed() { return closed; }

    private MemorySegment buffer(long bytes) {
        if (buffer.byteSize() < bytes) {
            Arena old = bufferArena;
            bufferArena = Arena.ofShared();
            buffer = bufferArena.allocate(Math.max(bytes, 2 * buffer.byteSize()), 64);
            old.close();
        }
        return buffer;
    }

    private static void check(int rc, String function) {
        if (rc != 0) throw new IllegalStateException(function + " failed with MPI error " + rc);
    }
}
