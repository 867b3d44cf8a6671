package dsb4j.bridge.train;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.cache.MeanMatchingData;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.backend.cpu.CpuBackend;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CachesAheadTest {

    /** A stand-in cache that knows its number and the thread that built it; no test here trains on it. */
    record Built(int number, String thread) implements MeanMatchingData {
        @Override public Batch batch(int b, int size, Backend backend, DType dtype) { throw new UnsupportedOperationException(); }
        @Override public long bytes() { return 0; }
    }

    @Test void eachCacheIsTheSourcesOfItsNumberAndTheNextIsBuiltOnTheOtherThread() {
        List<Integer> asked = new CopyOnWriteArrayList<>();
        HalfBridgeTrainer.CacheSource source = b -> {
            asked.add(b);
            return new Built(b, Thread.currentThread().getName());
        };
        String me = Thread.currentThread().getName();
        try (CachesAhead caches = new CachesAhead(source, Backends.cpu(2), 3)) {
            for (int b = 1; b <= 3; b++) {            // a resumed half-step starts at any build
                Built c = (Built) caches.get(b);
                assertEquals(b, c.number());
                assertEquals(b == 1 ? me : "dsb4j-cache-builder", c.thread(), "cache " + b);
            }
        }
        assertEquals(List.of(1, 2, 3), asked, "each once, none past the last");
    }

    @Test void oneThreadBuildsEveryCacheWhenDueOnTheCallingThread() {
        String me = Thread.currentThread().getName();
        try (CachesAhead caches = new CachesAhead(b -> new Built(b, Thread.currentThread().getName()), Backends.cpu(1), 2)) {
            for (int b = 0; b <= 2; b++) assertEquals(me, ((Built) caches.get(b)).thread());
        }
    }

    @Test void aFailedBuildFailsTheStepThatNeedsIt() {
        IllegalStateException boom = new IllegalStateException("cache 1 broke");
        HalfBridgeTrainer.CacheSource source = b -> {
            if (b == 1) throw boom;
            return new Built(b, Thread.currentThread().getName());
        };
        try (CachesAhead caches = new CachesAhead(source, Backends.cpu(2), 2)) {
            assertEquals(0, ((Built) caches.get(0)).number());
            assertSame(boom, assertThrows(IllegalStateException.class, () -> caches.get(1)));
        }
    }

    /** Records what {@link CachesAhead} asks of the backend: whether each thread's ops are to stay on it. */
    static final class Recording extends CpuBackend {
        volatile BooleanSupplier builderAlone;
        final List<Boolean> stepsAlone = new CopyOnWriteArrayList<>();

        Recording() { super(2); }

        @Override public <T> T onThisThread(BooleanSupplier alone, Supplier<T> work) {
            if (Thread.currentThread().getName().equals("dsb4j-cache-builder")) builderAlone = alone;
            else stepsAlone.add(alone.getAsBoolean());
            return super.onThisThread(alone, work);
        }
    }

    @Test void theTwoThreadsKeepToOneCoreEachUntilTheTrainerWaitsThenTheBuildTakesTheWorkers() throws Exception {
        CountDownLatch started = new CountDownLatch(1), release = new CountDownLatch(1);
        HalfBridgeTrainer.CacheSource source = b -> {
            if (b == 1) {
                started.countDown();
                try { release.await(); } catch (InterruptedException e) { throw new IllegalStateException(e); }
            }
            return new Built(b, Thread.currentThread().getName());
        };
        Recording cpu = new Recording();
        boolean[] sawWorkers = new boolean[1];
        try (CachesAhead caches = new CachesAhead(source, cpu, 1)) {
            caches.get(0);                                        // cache 1 is now being built (and waits)
            assertTrue(started.await(10, TimeUnit.SECONDS));
            assertTrue(cpu.builderAlone.getAsBoolean(), "the build keeps to its thread while steps run");
            assertEquals(0.5, caches.step(() -> 0.5));
            assertEquals(List.of(true), cpu.stepsAlone, "a step beside a build keeps to its thread");
            Thread watcher = new Thread(() -> {                   // the trainer is about to wait for cache 1
                long end = System.nanoTime() + 10_000_000_000L;
                while (cpu.builderAlone.getAsBoolean() && System.nanoTime() < end) Thread.onSpinWait();
                sawWorkers[0] = !cpu.builderAlone.getAsBoolean();
                release.countDown();
            });
            watcher.start();
            assertEquals(1, ((Built) caches.get(1)).number());
            watcher.join();
            assertTrue(sawWorkers[0], "while the trainer waits, the build may use every worker");
            caches.step(() -> 0.0);
            assertEquals(List.of(true), cpu.stepsAlone, "no build beside it: the step is not held to one thread");
        }
    }
}
