package dsb4j.engine.backend.cuda;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.tensor.DType;
import java.lang.ref.Cleaner;

/**
 * A device buffer: device pointer, element count and dtype. Owned explicitly: {@link #close()} returns it to
 * the backend's caching allocator, and closing the backend frees it. Its cleaner only hands an unclosed,
 * unreachable buffer back to that cache (see {@link DeviceAllocator}); it never calls CUDA.
 */
public final class CudaStorage implements Storage, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaBackend backend;
    private final DType dtype;
    private final int size;
    final DeviceAllocator.Block block;

    CudaStorage(CudaBackend backend, DType dtype, int size, DeviceAllocator allocator) {
        if (size < 0) throw new IllegalArgumentException("negative size " + size);
        this.backend = backend;
        this.dtype = dtype;
        this.size = size;
        DeviceAllocator.Block b = allocator.allocate((long) size * dtype.bytes());
        this.block = b;
        if (b.ptr != 0) CLEANER.register(this, () -> allocator.reclaim(b));   // captures the block, never this
    }

    @Override public Backend backend() { return backend; }
    @Override public DType dtype() { return dtype; }
    @Override public int size() { return size; }

    /** The device address of element 0 (0 for an empty buffer). */
    public long address() { return block.ptr; }

    /** The device address of element {@code index}. */
    long address(long index) { return block.ptr + index * dtype.bytes(); }

    boolean isClosed() { return block.released.get(); }

    /** Returns the buffer to the allocator now; using it afterwards is an error. Idempotent. */
    @Override public void close() { backend.returnToCache(this); }

    @Override public String toString() {
        return "CudaStorage[" + dtype + " x " + size + " @0x" + Long.toHexString(block.ptr) + (isClosed() ? ", closed" : "") + "]";
    }
}
