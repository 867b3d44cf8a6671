package dsb4j.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dsb4j.engine.backend.UnaryOp;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Device memory ownership: the cache reuses blocks by size class, close() frees everything (the emulator
 * counts the driver's live allocations), closed buffers and backends refuse further use, unreachable
 * buffers come back to the cache through their cleaner, and kernels are compiled once per process.
 */
class CudaAllocatorTest {

    static java.util.stream.Stream<String> targets() { return CudaTargets.names(); }

    @Test void sizeClassesRoundUpWithBoundedSlack() {
        assertEquals(0, DeviceAllocator.sizeClass(0));
        assertEquals(512, DeviceAllocator.sizeClass(1));
        assertEquals(512, DeviceAllocator.sizeClass(512));
        assertEquals(1024, DeviceAllocator.sizeClass(513));
        for (long b = 1; b < 1L << 34; b = b * 3 + 7) {
            long c = DeviceAllocator.sizeClass(b);
            assertTrue(c >= b && (c - b < 512 || c - b <= b / 8), b + " -> " + c);
            assertEquals(c, DeviceAllocator.sizeClass(c), "a class is its own class");
        }
    }

    /** A fresh backend per test here: its allocations are counted from zero and its close() is checked. */
    static CudaBackend fresh(String target) {
        CudaTargets.backend(target);                   // skips with the reason where the target is missing
        String[] why = new String[1];
        return CudaBackend.open(CudaTargets.libraries(target, why), new CudaBackend.Options(0, false, true));
    }

    @ParameterizedTest @MethodSource("targets")
    void cacheReusesBlocksAndCloseFreesEverything(String target) {
        int before = target.equals("emulator") ? CudaEmulator.liveAllocations() : 0;
        CudaBackend cuda = fresh(target);
        DeviceAllocator alloc = cuda.allocator();
        CudaStorage a = cuda.allocate(DType.F32, 1000);
        CudaStorage b = cuda.allocate(DType.F64, 1000);
        long misses = alloc.deviceAllocations();
        assertEquals(DeviceAllocator.sizeClass(4000) + DeviceAllocator.sizeClass(8000), cuda.bytesInUse());
        a.close();
        a.close();                                      // idempotent
        CudaStorage c = cuda.allocate(DType.F32, 999);  // same size class: served from the cache
        assertEquals(misses, alloc.deviceAllocations(), "no new cuMemAlloc for a cached size class");
        assertEquals(0, cuda.toDoubles(c, Layout.contiguous(Shape.of(999)))[998], "a reused block is zeroed again");
        CudaStorage empty = cuda.allocate(DType.F32, 0);
        assertEquals(0, empty.address());
        if (target.equals("emulator")) assertEquals(before + 2, CudaEmulator.liveAllocations());
        cuda.close();
        cuda.close();                                   // idempotent
        if (target.equals("emulator")) assertEquals(before, CudaEmulator.liveAllocations(), "close() freed every block");
        assertThrows(IllegalStateException.class, () -> cuda.allocate(DType.F32, 4));
        Layout l = Layout.contiguous(Shape.of(4));
        assertThrows(IllegalStateException.class, () -> cuda.unary(UnaryOp.NEG, 0, b, l, b, l));
        b.close();                                      // after the backend: harmless
        c.close();
    }

    @ParameterizedTest @MethodSource("targets")
    void unreachableBuffersReturnToTheCache(String target) throws InterruptedException {
        try (CudaBackend cuda = fresh(target)) {
            long base = cuda.bytesInUse();
            for (int i = 0; i < 8; i++) cuda.allocate(DType.F32, 1 << 16);     // dropped without close()
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (cuda.bytesInUse() > base && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
            assertEquals(base, cuda.bytesInUse(), "the cleaners handed the blocks back");
            assertTrue(cuda.bytesCached() >= 8L << 18, "and they wait in the cache, not freed by the GC");
        }
    }

    /**
     * Steps that drop their buffers without close() (all of autodiff's intermediates) must not call cuMemAlloc for
     * each one: past the GC-pressure threshold the allocator asks for a collection and serves from the cache.
     */
    @ParameterizedTest @MethodSource("targets")
    void droppedBuffersAreReusedUnderGcPressure(String target) {
        try (CudaBackend cuda = fresh(target)) {
            long every = cuda.gcEveryBytes();                                   // 256 MiB on the emulator, 8 GiB on an H200
            int mib = 1 << 18, drops = (int) (3 * every / (4L * mib));          // 3 thresholds of 1 MiB buffers
            long before = cuda.deviceAllocations();
            for (int i = 0; i < drops; i++) cuda.allocate(DType.F32, mib);
            long calls = cuda.deviceAllocations() - before;
            assertTrue(cuda.gcRequests() >= 2, "collections asked for: " + cuda.gcRequests());
            assertTrue(calls < drops / 2, calls + " cuMemAlloc calls for " + drops + " dropped buffers");
        }
    }

    /** Out of device memory: the cache is trimmed, a GC returns unreachable buffers, and only then does it fail. */
    @Test void outOfMemoryRecoversWhatTheGcCanAndNamesTheRest() {
        CudaTargets.backend("emulator");
        try (CudaBackend cuda = fresh("emulator")) {
            CudaEmulator.set("emu_set_memory_limit", (int) (CudaEmulator.liveBytes() >> 20) + 64);   // 64 MiB free
            for (int i = 0; i < 40; i++) cuda.allocate(DType.F32, 1 << 20);    // 4 MiB each, dropped at once: 160 MiB in all
            java.util.List<CudaStorage> held = new java.util.ArrayList<>();
            CudaException e = assertThrows(CudaException.class, () -> { for (;;) held.add(cuda.allocate(DType.F64, 1 << 20)); });
            assertEquals("CUDA_ERROR_OUT_OF_MEMORY", e.codeName());
            assertTrue(e.getMessage().contains("bytes in use"), e.getMessage());
            held.forEach(CudaStorage::close);
        } finally {
            CudaEmulator.set("emu_set_memory_limit", 0);
        }
    }

    @Test void kernelsCompileOncePerProcess() {
        CudaTargets.backend("emulator");
        try (CudaBackend a = fresh("emulator")) {
            a.sdeStep(a.allocate(DType.F32, 3), a.allocate(DType.F32, 3), a.allocate(DType.F32, 3), 0.1, a.allocate(DType.F32, 3));
            long compiles = CudaEmulator.compiles();
            try (CudaBackend b = fresh("emulator")) {
                b.sdeStep(b.allocate(DType.F32, 3), b.allocate(DType.F32, 3), b.allocate(DType.F32, 3), 0.1, b.allocate(DType.F32, 3));
                b.sync();
            }
            assertEquals(compiles, CudaEmulator.compiles(), "a second backend reuses the compiled image");
        }
    }

    @Test void trueFp32UnlessTf32IsAskedFor() {
        CudaTargets.backend("emulator");
        String[] why = new String[1];
        try (CudaBackend b = CudaBackend.open(CudaTargets.libraries("emulator", why), new CudaBackend.Options(0, true, false))) {
            assertEquals(Cublas.TF32_TENSOR_OP_MATH, CudaEmulator.cublasMathMode());
        }
        try (CudaBackend b = fresh("emulator")) {
            assertEquals(Cublas.DEFAULT_MATH, CudaEmulator.cublasMathMode());
            assertTrue(b.describe().contains("cuBLAS 130000"), b.describe());
        }
    }
}
