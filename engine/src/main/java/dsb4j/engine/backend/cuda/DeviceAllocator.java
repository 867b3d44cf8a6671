package dsb4j.engine.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Device memory with explicit ownership: a caching allocator keyed by (rounded) size. A released block goes
 * back to the cache for the next request of that size class, so a training step that allocates the same
 * shapes every iteration stops calling cuMemAlloc after the first one; {@link #trim} and {@link #close} give
 * memory back to the driver, and close frees every block, handed out or cached. Reuse is safe without events
 * because every kernel and copy runs on the backend's one stream, in order.
 * <p>
 * The garbage collector never frees device memory. Blocks whose storage became unreachable without being
 * closed or released (work outside a {@link dsb4j.engine.backend.BufferScope}) are only queued by the
 * storage's cleaner and returned to the cache here, on an allocating thread. The Java heap barely notices a
 * training step's garbage (a few small objects per device buffer), so left alone the collector would run too
 * rarely and every cache miss would cost a cuMemAlloc until the device is full. Hence GC pressure: a cache
 * miss after more than {@code gcEvery} bytes were handed out since the last request asks for a collection,
 * and the cleaners return what was dropped, so such a loop holds about its live memory plus {@code gcEvery}.
 * Work in buffer scopes returns its memory explicitly and, once warm, never misses the cache: no collections
 * at all. Before giving up on an out-of-memory the allocator also asks for a GC, so those come back.
 */
final class DeviceAllocator implements AutoCloseable {
    /** One device allocation; {@code released} flips once, whichever of close() and the cleaner comes first. */
    static final class Block {
        final long ptr;
        final long bytes;
        final AtomicBoolean released = new AtomicBoolean();

        Block(long ptr, long bytes) { this.ptr = ptr; this.bytes = bytes; }
    }

    private final Driver driver;
    private final Map<Long, ArrayDeque<Long>> cache = new HashMap<>();     // size class -> free pointers
    private final Map<Long, Long> live = new HashMap<>();                   // pointer -> size class, handed out
    private final ConcurrentLinkedQueue<Block> reclaimed = new ConcurrentLinkedQueue<>();
    private final long gcEvery;
    private long liveBytes, cachedBytes, deviceAllocations, handedSinceGc, gcRequests;
    private boolean closed;

    /** @param gcEvery bytes handed out after which the allocator asks for a collection */
    DeviceAllocator(Driver driver, long gcEvery) {
        this.driver = driver;
        this.gcEvery = gcEvery;
    }

    /**
     * The size class of a request: multiples of 512 bytes below 1 MiB, above that 8 classes per power of two
     * (at most 12.5 % slack). 0 for empty buffers, which get no device memory at all.
     */
    static long sizeClass(long bytes) {
        if (bytes <= 0) return 0;
        if (bytes < (1 << 20)) return (bytes + 511) & ~511L;
        long step = Long.highestOneBit(bytes) >>> 3;
        return (bytes + step - 1) / step * step;
    }

    synchronized Block allocate(long bytes) {
        if (closed) throw new IllegalStateException("cuda backend closed");
        drainReclaimed();
        long size = sizeClass(bytes);
        if (size == 0) return new Block(0, 0);
        handedSinceGc += size;
        ArrayDeque<Long> free = cache.get(size);
        if ((free == null || free.isEmpty()) && handedSinceGc > gcEvery) {
            handedSinceGc = 0;
            gcRequests++;
            System.gc();                                       // the cleaners refill the cache for the next requests
            drainReclaimed();
            free = cache.get(size);
        }
        long ptr;
        if (free != null && !free.isEmpty()) {
            ptr = free.pop();
            cachedBytes -= size;
        } else {
            ptr = deviceAlloc(size);
        }
        live.put(ptr, size);
        liveBytes += size;
        return new Block(ptr, size);
    }

    private long deviceAlloc(long size) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG);
            int rc = driver.tryAlloc(size, out);
            if (rc == Driver.CUDA_ERROR_OUT_OF_MEMORY) {
                trim();                                        // cached blocks of other sizes first
                rc = driver.tryAlloc(size, out);
            }
            // Unreachable, unclosed storages come back through their cleaners after a GC; give those a few chances.
            for (int round = 0; rc == Driver.CUDA_ERROR_OUT_OF_MEMORY && round < 3; round++) {
                System.gc();
                try { Thread.sleep(50L << round); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                drainReclaimed();
                trim();
                rc = driver.tryAlloc(size, out);
            }
            if (rc != 0)
                throw new CudaException("cuMemAlloc_v2", rc, driver.errorName(rc), "allocating " + size + " bytes with "
                        + liveBytes + " bytes in use and " + cachedBytes + " cached");
            deviceAllocations++;
            return out.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** Returns a block to the cache (explicit close of its storage). */
    void release(Block b) {
        if (b.ptr == 0 || !b.released.compareAndSet(false, true)) return;
        synchronized (this) { recycle(b); }
    }

    /** Called by a storage's cleaner: only queues the block, no CUDA call on the cleaner thread. */
    void reclaim(Block b) {
        if (b.ptr != 0 && b.released.compareAndSet(false, true)) reclaimed.add(b);
    }

    private void drainReclaimed() {
        for (Block b; (b = reclaimed.poll()) != null; ) recycle(b);
    }

    private void recycle(Block b) {
        if (closed) return;                                    // close() already freed it
        Long size = live.remove(b.ptr);
        if (size == null) return;
        liveBytes -= size;
        cachedBytes += size;
        cache.computeIfAbsent(size, k -> new ArrayDeque<>()).push(b.ptr);
    }

    /** Gives every cached (unused) block back to the driver. */
    synchronized void trim() {
        for (Map.Entry<Long, ArrayDeque<Long>> e : cache.entrySet())
            for (long p : e.getValue()) driver.free(p);
        cache.clear();
        cachedBytes = 0;
    }

    synchronized long liveBytes() { drainReclaimed(); return liveBytes; }
    synchronized long cachedBytes() { drainReclaimed(); return cachedBytes; }
    /** How many times cuMemAlloc was called (cache misses). */
    synchronized long deviceAllocations() { return deviceAllocations; }

    /** How many collections the allocator asked for (GC pressure). */
    synchronized long gcRequests() { return gcRequests; }

    /** Frees everything, handed out or cached; storages still around become unusable. */
    @Override public synchronized void close() {
        if (closed) return;
        RuntimeException first = null;
        reclaimed.clear();
        for (long p : live.keySet()) {
            try { driver.free(p); } catch (RuntimeException e) { if (first == null) first = e; }
        }
        live.clear();
        liveBytes = 0;
        try { trim(); } catch (RuntimeException e) { if (first == null) first = e; }
        closed = true;
        if (first != null) throw first;
    }
}
