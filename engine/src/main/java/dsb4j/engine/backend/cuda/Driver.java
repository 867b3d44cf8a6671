package dsb4j.engine.backend.cuda;

import static dsb4j.engine.backend.cuda.Ffm.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Map;

/**
 * Thin bindings of the CUDA driver API ({@code libcuda.so.1}): one method per call, every status checked
 * and turned into a {@link CudaException} with the code's name. Only the versioned symbols the headers map
 * to ({@code cuMemAlloc_v2}, ...). All work goes to an explicit stream; handles are {@link MemorySegment}s,
 * device pointers {@code long}s. No backend logic here.
 */
final class Driver {
    static final int CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 1;
    static final int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
    static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
    static final int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
    static final int CU_STREAM_NON_BLOCKING = 1;
    static final int CUDA_ERROR_OUT_OF_MEMORY = 2;
    static final int CUDA_ERROR_NO_DEVICE = 100;

    private final MethodHandle cuInit, cuDriverGetVersion, cuDeviceGetCount, cuDeviceGet, cuDeviceGetName,
            cuDeviceGetAttribute, cuDeviceTotalMem, cuDevicePrimaryCtxRetain, cuDevicePrimaryCtxRelease,
            cuCtxSetCurrent, cuMemAlloc, cuMemFree, cuMemGetInfo, cuMemcpyHtoDAsync, cuMemcpyDtoHAsync,
            cuMemcpyDtoDAsync, cuMemsetD32Async, cuModuleLoadData, cuModuleUnload, cuModuleGetFunction,
            cuLaunchKernel, cuStreamCreate, cuStreamDestroy, cuStreamSynchronize, cuEventCreate, cuEventRecord,
            cuEventSynchronize, cuEventElapsedTime, cuEventDestroy, cuGetErrorName;

    Driver(SymbolLookup lib) {
        String l = "libcuda";
        cuInit = bind(lib, l, "cuInit", status(INT));
        cuDriverGetVersion = bind(lib, l, "cuDriverGetVersion", status(PTR));
        cuDeviceGetCount = bind(lib, l, "cuDeviceGetCount", status(PTR));
        cuDeviceGet = bind(lib, l, "cuDeviceGet", status(PTR, INT));
        cuDeviceGetName = bind(lib, l, "cuDeviceGetName", status(PTR, INT, INT));
        cuDeviceGetAttribute = bind(lib, l, "cuDeviceGetAttribute", status(PTR, INT, INT));
        cuDeviceTotalMem = bind(lib, l, "cuDeviceTotalMem_v2", status(PTR, INT));
        cuDevicePrimaryCtxRetain = bind(lib, l, "cuDevicePrimaryCtxRetain", status(PTR, INT));
        cuDevicePrimaryCtxRelease = bind(lib, l, "cuDevicePrimaryCtxRelease_v2", status(INT));
        cuCtxSetCurrent = bind(lib, l, "cuCtxSetCurrent", status(PTR));
        cuMemAlloc = bind(lib, l, "cuMemAlloc_v2", status(PTR, LONG));
        cuMemFree = bind(lib, l, "cuMemFree_v2", status(LONG));
        cuMemGetInfo = bind(lib, l, "cuMemGetInfo_v2", status(PTR, PTR));
        cuMemcpyHtoDAsync = bind(lib, l, "cuMemcpyHtoDAsync_v2", status(LONG, PTR, LONG, PTR));
        cuMemcpyDtoHAsync = bind(lib, l, "cuMemcpyDtoHAsync_v2", status(PTR, LONG, LONG, PTR));
        cuMemcpyDtoDAsync = bind(lib, l, "cuMemcpyDtoDAsync_v2", status(LONG, LONG, LONG, PTR));
        cuMemsetD32Async = bind(lib, l, "cuMemsetD32Async", status(LONG, INT, LONG, PTR));
        cuModuleLoadData = bind(lib, l, "cuModuleLoadData", status(PTR, PTR));
        cuModuleUnload = bind(lib, l, "cuModuleUnload", status(PTR));
        cuModuleGetFunction = bind(lib, l, "cuModuleGetFunction", status(PTR, PTR, PTR));
        cuLaunchKernel = bind(lib, l, "cuLaunchKernel",
                status(PTR, INT, INT, INT, INT, INT, INT, INT, PTR, PTR, PTR));
        cuStreamCreate = bind(lib, l, "cuStreamCreate", status(PTR, INT));
        cuStreamDestroy = bind(lib, l, "cuStreamDestroy_v2", status(PTR));
        cuStreamSynchronize = bind(lib, l, "cuStreamSynchronize", status(PTR));
        cuEventCreate = bind(lib, l, "cuEventCreate", status(PTR, INT));
        cuEventRecord = bind(lib, l, "cuEventRecord", status(PTR, PTR));
        cuEventSynchronize = bind(lib, l, "cuEventSynchronize", status(PTR));
        // CUDA 12.8 added the _v2 timing call (cuda.h maps to it since); older drivers have only the plain one.
        MethodHandle elapsed = bindOptional(lib, "cuEventElapsedTime_v2", status(PTR, PTR, PTR));
        cuEventElapsedTime = elapsed != null ? elapsed : bind(lib, l, "cuEventElapsedTime", status(PTR, PTR, PTR));
        cuEventDestroy = bind(lib, l, "cuEventDestroy_v2", status(PTR));
        cuGetErrorName = bind(lib, l, "cuGetErrorName", status(INT, PTR));
    }

    // ---- status codes --------------------------------------------------------------------------------

    /** Names for when cuGetErrorName itself is unusable; the driver's own names otherwise. */
    private static final Map<Integer, String> KNOWN = Map.ofEntries(
            Map.entry(1, "CUDA_ERROR_INVALID_VALUE"), Map.entry(2, "CUDA_ERROR_OUT_OF_MEMORY"),
            Map.entry(3, "CUDA_ERROR_NOT_INITIALIZED"), Map.entry(4, "CUDA_ERROR_DEINITIALIZED"),
            Map.entry(34, "CUDA_ERROR_STUB_LIBRARY"), Map.entry(100, "CUDA_ERROR_NO_DEVICE"),
            Map.entry(101, "CUDA_ERROR_INVALID_DEVICE"), Map.entry(200, "CUDA_ERROR_INVALID_IMAGE"),
            Map.entry(201, "CUDA_ERROR_INVALID_CONTEXT"), Map.entry(209, "CUDA_ERROR_NO_BINARY_FOR_GPU"),
            Map.entry(218, "CUDA_ERROR_INVALID_PTX"), Map.entry(222, "CUDA_ERROR_UNSUPPORTED_PTX_VERSION"),
            Map.entry(400, "CUDA_ERROR_INVALID_HANDLE"), Map.entry(500, "CUDA_ERROR_NOT_FOUND"),
            Map.entry(700, "CUDA_ERROR_ILLEGAL_ADDRESS"), Map.entry(701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES"),
            Map.entry(719, "CUDA_ERROR_LAUNCH_FAILED"), Map.entry(803, "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH"),
            Map.entry(804, "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE"), Map.entry(999, "CUDA_ERROR_UNKNOWN"));

    String errorName(int code) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(PTR);
            int rc = (int) cuGetErrorName.invokeExact(code, p);
            String name = rc == 0 ? string(p.get(PTR, 0)) : null;
            if (name != null) return name;
        } catch (Throwable ignored) {
            // fall through to the table: naming an error must never throw
        }
        return KNOWN.getOrDefault(code, "CUDA_ERROR_" + code);
    }

    void check(String function, int code) {
        if (code != 0) throw new CudaException(function, code, errorName(code), null);
    }

    // ---- device and context --------------------------------------------------------------------------

    void init() {
        try { check("cuInit", (int) cuInit.invokeExact(0)); } catch (Throwable t) { throw rethrow(t); }
    }

    int driverVersion() { return intOut("cuDriverGetVersion", cuDriverGetVersion); }

    int deviceCount() { return intOut("cuDeviceGetCount", cuDeviceGetCount); }

    int device(int ordinal) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(INT);
            check("cuDeviceGet", (int) cuDeviceGet.invokeExact(p, ordinal));
            return p.get(INT, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    String deviceName(int dev) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(256);
            check("cuDeviceGetName", (int) cuDeviceGetName.invokeExact(p, 256, dev));
            return p.getString(0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    int attribute(int dev, int attribute) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(INT);
            check("cuDeviceGetAttribute", (int) cuDeviceGetAttribute.invokeExact(p, attribute, dev));
            return p.get(INT, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    long totalMemory(int dev) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(LONG);
            check("cuDeviceTotalMem_v2", (int) cuDeviceTotalMem.invokeExact(p, dev));
            return p.get(LONG, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** The device's primary context (CUDA 13 changed cuCtxCreate; the primary context is what the runtime uses too). */
    MemorySegment primaryContextRetain(int dev) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(PTR);
            check("cuDevicePrimaryCtxRetain", (int) cuDevicePrimaryCtxRetain.invokeExact(p, dev));
            return p.get(PTR, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    void primaryContextRelease(int dev) {
        try { check("cuDevicePrimaryCtxRelease_v2", (int) cuDevicePrimaryCtxRelease.invokeExact(dev)); }
        catch (Throwable t) { throw rethrow(t); }
    }

    void setCurrent(MemorySegment ctx) {
        try { check("cuCtxSetCurrent", (int) cuCtxSetCurrent.invokeExact(ctx)); } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- memory --------------------------------------------------------------------------------------

    /** Raw status of cuMemAlloc_v2, so the allocator can react to out-of-memory before failing. */
    int tryAlloc(long bytes, MemorySegment out) {
        try { return (int) cuMemAlloc.invokeExact(out, bytes); } catch (Throwable t) { throw rethrow(t); }
    }

    void free(long ptr) {
        try { check("cuMemFree_v2", (int) cuMemFree.invokeExact(ptr)); } catch (Throwable t) { throw rethrow(t); }
    }

    /** {free, total} bytes of the current context's device. */
    long[] memoryInfo() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment f = a.allocate(LONG), t = a.allocate(LONG);
            check("cuMemGetInfo_v2", (int) cuMemGetInfo.invokeExact(f, t));
            return new long[]{f.get(LONG, 0), t.get(LONG, 0)};
        } catch (Throwable t) { throw rethrow(t); }
    }

    void copyHtoD(long dst, MemorySegment src, long bytes, MemorySegment stream) {
        try { check("cuMemcpyHtoDAsync_v2", (int) cuMemcpyHtoDAsync.invokeExact(dst, src, bytes, stream)); }
        catch (Throwable t) { throw rethrow(t); }
    }

    void copyDtoH(MemorySegment dst, long src, long bytes, MemorySegment stream) {
        try { check("cuMemcpyDtoHAsync_v2", (int) cuMemcpyDtoHAsync.invokeExact(dst, src, bytes, stream)); }
        catch (Throwable t) { throw rethrow(t); }
    }

    void copyDtoD(long dst, long src, long bytes, MemorySegment stream) {
        try { check("cuMemcpyDtoDAsync_v2", (int) cuMemcpyDtoDAsync.invokeExact(dst, src, bytes, stream)); }
        catch (Throwable t) { throw rethrow(t); }
    }

    /** Sets {@code words} 32-bit words at {@code ptr} to {@code value}. */
    void memsetD32(long ptr, int value, long words, MemorySegment stream) {
        try { check("cuMemsetD32Async", (int) cuMemsetD32Async.invokeExact(ptr, value, words, stream)); }
        catch (Throwable t) { throw rethrow(t); }
    }

    // ---- modules and launches ------------------------------------------------------------------------

    /** Loads a cubin or a NUL-terminated PTX image into the current context. */
    MemorySegment moduleLoad(MemorySegment image) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(PTR);
            check("cuModuleLoadData", (int) cuModuleLoadData.invokeExact(p, image));
            return p.get(PTR, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    void moduleUnload(MemorySegment module) {
        try { check("cuModuleUnload", (int) cuModuleUnload.invokeExact(module)); } catch (Throwable t) { throw rethrow(t); }
    }

    MemorySegment function(MemorySegment module, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(PTR);
            int rc = (int) cuModuleGetFunction.invokeExact(p, module, a.allocateFrom(name));
            if (rc != 0) throw new CudaException("cuModuleGetFunction", rc, errorName(rc), "kernel " + name);
            return p.get(PTR, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** A 1-D launch; {@code params} is the {@code void*[]} of pointers to each argument's value. */
    void launch(MemorySegment function, int grid, int block, int sharedBytes, MemorySegment stream, MemorySegment params) {
        try {
            check("cuLaunchKernel", (int) cuLaunchKernel.invokeExact(function, grid, 1, 1, block, 1, 1, sharedBytes,
                    stream, params, MemorySegment.NULL));
        } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- streams and events --------------------------------------------------------------------------

    MemorySegment streamCreate(int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(PTR);
            check("cuStreamCreate", (int) cuStreamCreate.invokeExact(p, flags));
            return p.get(PTR, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    void streamDestroy(MemorySegment stream) {
        try { check("cuStreamDestroy_v2", (int) cuStreamDestroy.invokeExact(stream)); } catch (Throwable t) { throw rethrow(t); }
    }

    void streamSynchronize(MemorySegment stream) {
        try { check("cuStreamSynchronize", (int) cuStreamSynchronize.invokeExact(stream)); } catch (Throwable t) { throw rethrow(t); }
    }

    MemorySegment eventCreate() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(PTR);
            check("cuEventCreate", (int) cuEventCreate.invokeExact(p, 0));
            return p.get(PTR, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    void eventRecord(MemorySegment event, MemorySegment stream) {
        try { check("cuEventRecord", (int) cuEventRecord.invokeExact(event, stream)); } catch (Throwable t) { throw rethrow(t); }
    }

    void eventSynchronize(MemorySegment event) {
        try { check("cuEventSynchronize", (int) cuEventSynchronize.invokeExact(event)); } catch (Throwable t) { throw rethrow(t); }
    }

    /** Milliseconds between two recorded events. */
    float elapsedMillis(MemorySegment start, MemorySegment end) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(FLOAT);
            check("cuEventElapsedTime", (int) cuEventElapsedTime.invokeExact(p, start, end));
            return p.get(FLOAT, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    void eventDestroy(MemorySegment event) {
        try { check("cuEventDestroy_v2", (int) cuEventDestroy.invokeExact(event)); } catch (Throwable t) { throw rethrow(t); }
    }

    private int intOut(String name, MethodHandle h) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(INT);
            check(name, (int) h.invokeExact(p));
            return p.get(INT, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }
}
