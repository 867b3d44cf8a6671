package dsb4j.engine.dist;

import java.time.Duration;

/** The job of one process: rank 0 of 1, every collective returns its input unchanged and nothing is loaded. */
public final class SingleProcess implements Collective {
    public static final SingleProcess INSTANCE = new SingleProcess();

    private SingleProcess() {}

    @Override public int rank() { return 0; }
    @Override public int size() { return 1; }
    @Override public void allReduceSum(float[] data, String what) {}
    @Override public void allReduceSum(double[] data, String what) {}
    @Override public void broadcast(byte[] data, int root, String what) {
        if (root != 0) throw new IllegalArgumentException("broadcast from rank " + root + " in a job of one process");
    }
    @Override public void barrier(String what) {}
    @Override public void setTimeout(Duration timeout) {}
    @Override public String description() { return "single process"; }

    @Override public void abort(int exitCode, String message) {
        System.err.println(message);
        System.err.flush();
        Runtime.getRuntime().halt(exitCode);
    }

    @Override public void close() {}
}
