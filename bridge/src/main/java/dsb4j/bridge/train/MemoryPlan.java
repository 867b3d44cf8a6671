package dsb4j.bridge.train;

import dsb4j.bridge.cache.CacheSize;
import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.DriftNet;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.backend.cpu.CpuBackend;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.Module;
import dsb4j.nn.Parameter;

/**
 * What a run will hold in memory, known before it starts: the cache of a half-step, the networks with their
 * gradients, Adam moments and EMA copies, one training batch's activations (measured: a forward and backward pass
 * of the network on batches of 1 and 2 items, extrapolated linearly to the batch), and the samples of an evaluation.
 * Printed at the start of every run and by --dry-run; {@link #checkFits} refuses a run that cannot fit the heap.
 */
public record MemoryPlan(CacheSize cache, long parameters, long networkBytes, long batchBytes, long evalBytes) {

    public static MemoryPlan of(TrainConfig c) {
        CacheSize cache = c.halfStep().cacheSize(c.dim, c.steps);
        int[] item = c.itemShape();
        long copies = 2L * (c.emaRate > 0 ? 2 : 1) + 3;
        long known = c.network.parameters(item);
        if (known > 0 && copies * known * Float.BYTES > freeHeap() * 0.8)   // refuse before building it
            throw new IllegalStateException(String.format("the network (%s) has %,d parameters, %s with its gradients, Adam moments "
                    + "and copies, but only %s of heap is free: choose a smaller network, or give Java more memory with DSB_JAVA_OPTS=-Xmx...",
                    c.network, known, mb(copies * known * Float.BYTES), mb(freeHeap())));
        Counting counting = new Counting();
        Module m = c.network.create(item, counting, DType.F32, new Rng(0));
        long params = 0;
        for (Parameter p : m.parameters()) params += p.value().numel();
        // both directions' weights, EMA copies where on; the trained one's gradient and two Adam moments
        long network = copies * params * Float.BYTES;
        long one = stepBytes(counting, m, c, item, 1), two = stepBytes(counting, m, c, item, 2);
        long perItem = Math.max(0, two - one), fixed = Math.max(0, one - perItem);
        long batch = fixed + perItem * c.batch;
        // generated, target, encoded and prior-end draws of an evaluation, each in model and user units
        long eval = 8L * c.evalSamples * c.dim * Float.BYTES;
        if ((long) c.evalSamples * c.dim > Integer.MAX_VALUE - 8)
            throw new IllegalStateException(String.format("--eval-samples %,d of %,d values each are %,d values, more than one array holds; "
                    + "lower --eval-samples", c.evalSamples, c.dim, (long) c.evalSamples * c.dim));
        return new MemoryPlan(cache, params, network, batch, eval);
    }

    /** Bytes allocated by one loss, backward pass of the network on {@code n} items. */
    private static long stepBytes(Counting b, Module m, TrainConfig c, int[] item, int n) {
        int[] dims = new int[item.length + 1];
        dims[0] = n;
        System.arraycopy(item, 0, dims, 1, item.length);
        DriftNet net = new DriftNet(m, Direction.BACKWARD, c.parameterisation);
        Tensor x = Tensor.randn(b, DType.F32, new Rng(1), dims);
        Tensor t = Tensor.full(b, DType.F32, 1, n);
        long before = b.bytes;
        net.meanIncrement(x, t).sub(x).square().mean().backward();
        return b.bytes - before;
    }

    /** The CPU backend on one thread, counting what it allocates. */
    private static final class Counting extends CpuBackend {
        long bytes;

        Counting() { super(1); }

        @Override public Storage allocate(DType dtype, int n) {
            bytes += (long) n * dtype.bytes();
            return super.allocate(dtype, n);
        }

        @Override public Storage allocateUninitialized(DType dtype, int n) {
            bytes += (long) n * dtype.bytes();
            return super.allocateUninitialized(dtype, n);
        }
    }

    public long total() { return cache.bytes() + networkBytes + batchBytes + evalBytes; }

    /**
     * What a run writes to disk, about: the checkpoint (both networks, EMA copies and Adam), samples of every IPF
     * iteration, the two held-out or drawn ends, and a plot per iteration (a megabyte at most).
     */
    public static long diskBytes(TrainConfig c, MemoryPlan plan) {
        long values = (long) c.evalSamples * c.dim * Float.BYTES;
        return plan.networkBytes + (c.ipfIters + 2L) * values + c.ipfIters * (1L << 20);
    }

    /** Refuses a run whose files would not fit on the disk that holds {@code folder} (or its nearest existing parent). */
    public static void checkDisk(java.nio.file.Path folder, long bytes) throws java.io.IOException {
        java.nio.file.Path p = folder.toAbsolutePath();
        while (p != null && !java.nio.file.Files.exists(p)) p = p.getParent();
        if (p == null) return;
        long usable = java.nio.file.Files.getFileStore(p).getUsableSpace();
        if (bytes > usable)
            throw new IllegalStateException(String.format("%s: the run writes about %s, but its disk has %s free; free some space or choose "
                    + "another --out", folder, mb(bytes), mb(usable)));
    }

    private static long freeHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /** Refuses a run whose memory would not fit the heap, naming the largest part and what to change. */
    public void checkFits() {
        long free = freeHeap();
        if (total() > free * 0.8) {
            String advice = cache.bytes() >= Math.max(batchBytes, Math.max(networkBytes, evalBytes)) ? "lower --cache-trajectories"
                    : batchBytes >= Math.max(networkBytes, evalBytes) ? "lower --batch"
                    : networkBytes >= evalBytes ? "choose a smaller network (--mlp or --unet)" : "lower --eval-samples";
            throw new IllegalStateException(String.format("the run needs about %s of memory (%s) but only %s of heap is free: %s, "
                    + "or give Java more memory with DSB_JAVA_OPTS=-Xmx...", mb(total()), this, mb(free), advice));
        }
    }

    private static String mb(long bytes) { return bytes >= 1e9 ? String.format("%.2f GB", bytes / 1e9) : String.format("%.1f MB", bytes / 1e6); }

    @Override public String toString() {
        return String.format("%s; network %,d parameters, %s with gradients, Adam and copies; one batch %s; evaluation %s",
                cache, parameters, mb(networkBytes), mb(batchBytes), mb(evalBytes));
    }
}
