package dsb4j.engine.backend.cuda;

import static dsb4j.engine.backend.cuda.Ffm.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The argument block of one launch: each value in native memory and the {@code void*[]} pointing at them,
 * in the kernel's parameter order, as cuLaunchKernel takes it. Structs of ints (Dims, Strides, Conv, Gemm)
 * are written field by field; they hold only ints, so their C layout has no padding.
 */
final class KernelArgs implements AutoCloseable {
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment pointers;
    private int count;

    KernelArgs(int capacity) { pointers = arena.allocate(PTR, capacity); }

    KernelArgs i32(int v) { return add(arena.allocateFrom(INT, v)); }
    KernelArgs i64(long v) { return add(arena.allocateFrom(LONG, v)); }
    KernelArgs f64(double v) { return add(arena.allocateFrom(DOUBLE, v)); }
    /** A device pointer. */
    KernelArgs ptr(long address) { return i64(address); }
    /** A struct made of ints only. */
    KernelArgs ints(int... fields) { return add(arena.allocateFrom(INT, fields)); }

    private KernelArgs add(MemorySegment value) {
        pointers.setAtIndex(PTR, count++, value);
        return this;
    }

    MemorySegment pointers() { return pointers; }

    @Override public void close() { arena.close(); }
}
