package dsb4j.engine.backend.cuda;

import static dsb4j.engine.backend.cuda.Ffm.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Map;

/**
 * Thin bindings of cuBLAS ({@code libcublas.so.13} or {@code .12}): handle, stream, math mode and the
 * column-major S/D GEMMs, plain and strided batched. Pointer mode stays host (alpha and beta are read
 * from host memory at the call). The row-major mapping lives in {@link CudaGemm}, not here.
 */
final class Cublas {
    static final int OP_N = 0, OP_T = 1;
    /** FP32 stays FP32 (no TF32 tensor cores): the default. */
    static final int DEFAULT_MATH = 0;
    /** Lets SGEMM round inputs to TF32 on tensor cores: faster, ~1e-3 relative error. Only when asked for. */
    static final int TF32_TENSOR_OP_MATH = 3;

    private static final Map<Integer, String> STATUS = Map.of(
            1, "CUBLAS_STATUS_NOT_INITIALIZED", 3, "CUBLAS_STATUS_ALLOC_FAILED", 7, "CUBLAS_STATUS_INVALID_VALUE",
            8, "CUBLAS_STATUS_ARCH_MISMATCH", 11, "CUBLAS_STATUS_MAPPING_ERROR", 13, "CUBLAS_STATUS_EXECUTION_FAILED",
            14, "CUBLAS_STATUS_INTERNAL_ERROR", 15, "CUBLAS_STATUS_NOT_SUPPORTED", 16, "CUBLAS_STATUS_LICENSE_ERROR");

    private final MethodHandle create, destroy, setStream, setMathMode, getVersion, sgemm, dgemm, sgemmBatched, dgemmBatched;

    Cublas(SymbolLookup lib) {
        String l = "libcublas";
        create = bind(lib, l, "cublasCreate_v2", status(PTR));
        destroy = bind(lib, l, "cublasDestroy_v2", status(PTR));
        setStream = bind(lib, l, "cublasSetStream_v2", status(PTR, PTR));
        setMathMode = bind(lib, l, "cublasSetMathMode", status(PTR, INT));
        getVersion = bind(lib, l, "cublasGetVersion_v2", status(PTR, PTR));
        // handle, transa, transb, m, n, k, alpha*, A, lda, B, ldb, beta*, C, ldc
        sgemm = bind(lib, l, "cublasSgemm_v2", status(PTR, INT, INT, INT, INT, INT, PTR, LONG, INT, LONG, INT, PTR, LONG, INT));
        dgemm = bind(lib, l, "cublasDgemm_v2", status(PTR, INT, INT, INT, INT, INT, PTR, LONG, INT, LONG, INT, PTR, LONG, INT));
        // ... with a long long stride after each matrix and the batch count last
        sgemmBatched = bind(lib, l, "cublasSgemmStridedBatched",
                status(PTR, INT, INT, INT, INT, INT, PTR, LONG, INT, LONG, LONG, INT, LONG, PTR, LONG, INT, LONG, INT));
        dgemmBatched = bind(lib, l, "cublasDgemmStridedBatched",
                status(PTR, INT, INT, INT, INT, INT, PTR, LONG, INT, LONG, LONG, INT, LONG, PTR, LONG, INT, LONG, INT));
    }

    static String statusName(int code) { return STATUS.getOrDefault(code, "CUBLAS_STATUS_" + code); }

    private static void check(String function, int code) {
        if (code != 0) throw new CudaException(function, code, statusName(code), null);
    }

    MemorySegment create() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(PTR);
            check("cublasCreate_v2", (int) create.invokeExact(p));
            return p.get(PTR, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    void destroy(MemorySegment handle) {
        try { check("cublasDestroy_v2", (int) destroy.invokeExact(handle)); } catch (Throwable t) { throw rethrow(t); }
    }

    void setStream(MemorySegment handle, MemorySegment stream) {
        try { check("cublasSetStream_v2", (int) setStream.invokeExact(handle, stream)); } catch (Throwable t) { throw rethrow(t); }
    }

    void setMathMode(MemorySegment handle, int mode) {
        try { check("cublasSetMathMode", (int) setMathMode.invokeExact(handle, mode)); } catch (Throwable t) { throw rethrow(t); }
    }

    /** e.g. 130000 for cuBLAS 13.0.0 */
    int version(MemorySegment handle) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(INT);
            check("cublasGetVersion_v2", (int) getVersion.invokeExact(handle, p));
            return p.get(INT, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /**
     * Column-major C = alpha·op(A)·op(B) + beta·C, {@code batch} times with the given element strides
     * (one plain call when batch is 1). Pointers are device addresses; F64 when {@code f64}, else F32.
     */
    void gemm(MemorySegment handle, boolean f64, int opA, int opB, int m, int n, int k, double alpha,
              long a, int lda, long strideA, long b, int ldb, long strideB, double beta, long c, int ldc, long strideC, int batch) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment al = f64 ? arena.allocateFrom(DOUBLE, alpha) : arena.allocateFrom(FLOAT, (float) alpha);
            MemorySegment be = f64 ? arena.allocateFrom(DOUBLE, beta) : arena.allocateFrom(FLOAT, (float) beta);
            int rc;
            if (batch == 1) {
                MethodHandle h = f64 ? dgemm : sgemm;
                rc = (int) h.invokeExact(handle, opA, opB, m, n, k, al, a, lda, b, ldb, be, c, ldc);
                check(f64 ? "cublasDgemm_v2" : "cublasSgemm_v2", rc);
            } else {
                MethodHandle h = f64 ? dgemmBatched : sgemmBatched;
                rc = (int) h.invokeExact(handle, opA, opB, m, n, k, al, a, lda, strideA, b, ldb, strideB, be, c, ldc, strideC, batch);
                check(f64 ? "cublasDgemmStridedBatched" : "cublasSgemmStridedBatched", rc);
            }
        } catch (Throwable t) { throw rethrow(t); }
    }
}
