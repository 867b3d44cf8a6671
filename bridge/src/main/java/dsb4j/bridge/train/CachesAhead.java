package dsb4j.bridge.train;

import dsb4j.bridge.cache.MeanMatchingData;
import dsb4j.bridge.train.HalfBridgeTrainer.CacheSource;
import dsb4j.engine.backend.Backend;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.DoubleSupplier;

/**
 * A half-step's caches, each built on a second thread while the optimiser still trains on the one before. A cache is
 * a function of its number alone (its seed, and the frozen sampler, which does not change during a half-step), and
 * no op's result depends on how many threads ran it, so a run's results are bit for bit those of building every cache
 * when it is due on the training thread: only when the work is done changes.
 * <p>
 * The two threads share the backend's cores without contending for its workers: while a build runs beside them, the
 * training steps keep their ops on their own thread, and so does the build, until the optimiser has used up its cache
 * and waits for the next: then the build's ops take all the workers. The large products of a build thus fill the core
 * that the small ops of a 2-D training step leave idle.
 * <p>
 * Off (each cache built when due, on the training thread) on one thread, where the backend cannot take two callers at
 * once (a device), and for a cache that would not fit the heap twice over.
 */
final class CachesAhead implements AutoCloseable {
    private final CacheSource source;
    private final Backend backend;
    private final int last;
    private final boolean ahead;
    private ExecutorService builder;
    private CompletableFuture<MeanMatchingData> next;
    private int nextBuild = -1;
    /** The training thread waits for the build in flight: the build may take every worker. */
    private volatile boolean waiting;

    /** Caches 0 … {@code last} of {@code source}, built on {@code backend}. */
    CachesAhead(CacheSource source, Backend backend, int last) {
        this.source = source;
        this.backend = backend;
        this.last = last;
        this.ahead = backend.threads() > 1 && backend.concurrentCallers();
    }

    /** Cache number {@code build}: the one built ahead if it is that one, else built now; then starts the next one. */
    MeanMatchingData get(int build) {
        MeanMatchingData cache = build == nextBuild ? await() : source.build(build);
        nextBuild = -1;
        next = null;
        if (ahead && build < last && fitsTwice(cache)) {
            if (builder == null) builder = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "dsb4j-cache-builder");
                t.setDaemon(true);                       // a build left behind by a failed half-step never holds the JVM up
                return t;
            });
            nextBuild = build + 1;
            next = CompletableFuture.supplyAsync(() -> backend.onThisThread(() -> !waiting, () -> source.build(build + 1)), builder);
        }
        return cache;
    }

    /** One training step: on its own thread while a build runs beside it, over all the workers otherwise. */
    double step(DoubleSupplier step) {
        return next != null && !next.isDone() ? backend.onThisThread(() -> true, step::getAsDouble) : step.getAsDouble();
    }

    /** Whether the heap has room for another cache of the same size beside this one (and the one the trainer drops). */
    private static boolean fitsTwice(MeanMatchingData cache) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        return cache.bytes() < 0.8 * free;
    }

    private MeanMatchingData await() {
        waiting = true;
        try {
            return next.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw e;
        } finally {
            waiting = false;
        }
    }

    /** Lets a build still running finish on its own (its result is dropped) and stops the builder thread after it. */
    @Override public void close() {
        if (builder != null) builder.shutdown();
    }
}
