package dsb4j.engine.backend.cuda;

import dsb4j.engine.backend.GemmShape;
import dsb4j.engine.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;

/**
 * The SPI's row-major strided batched GEMM on the device. cuBLAS is column-major; a row-major matrix is the
 * column-major view of its transpose, so C = op(A)·op(B) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ: the operands
 * swap places, m and n swap, and each transpose flag and leading dimension passes through unchanged.
 * Shapes cuBLAS rejects (k = 0, a leading dimension below its minimum) and hosts without cuBLAS use the
 * plain kernel of gemm.cu, which follows the scalar backend's definition exactly.
 */
final class CudaGemm {
    private final CudaBackend backend;
    private final Cublas cublas;          // null: no usable libcublas
    private final MemorySegment handle;
    private final String without;         // why not, when cublas is null

    /** {@code library}: the loaded libcublas, or null. */
    CudaGemm(CudaBackend backend, SymbolLookup library, MemorySegment stream, boolean tf32) {
        this.backend = backend;
        MemorySegment h = null;
        Cublas cublas = null;
        String why = library == null ? "no cuBLAS" : null;
        if (library != null) {
            try {
                cublas = new Cublas(library);
                h = cublas.create();
                cublas.setStream(h, stream);
                cublas.setMathMode(h, tf32 ? Cublas.TF32_TENSOR_OP_MATH : Cublas.DEFAULT_MATH);
            } catch (CudaException e) {       // a cuBLAS that does not start must not take the backend down
                if (h != null) try { cublas.destroy(h); } catch (CudaException ignored) { /* already failing */ }
                cublas = null;
                h = null;
                why = e.getMessage();
                System.getLogger(CudaGemm.class.getName()).log(System.Logger.Level.WARNING, "cuBLAS unusable, GEMM falls back to the plain kernel: " + why);
            }
        }
        this.cublas = h == null ? null : cublas;
        this.handle = h;
        this.without = why;
    }

    String describe() { return cublas == null ? "plain GEMM kernel (" + without + ")" : "cuBLAS " + cublas.version(handle); }

    void gemm(GemmShape g, double alpha, CudaStorage a, int aOff, CudaStorage b, int bOff, double beta, CudaStorage c, int cOff) {
        DType t = c.dtype();
        if (a.dtype() != t || b.dtype() != t)
            throw new IllegalArgumentException("gemm: dtypes differ (" + a.dtype() + ", " + b.dtype() + ", " + c.dtype() + ")");
        if (g.batch() == 0 || g.m() == 0 || g.n() == 0) return;
        checkExtent("A", a, aOff, g.batch(), g.strideA(), g.transA() ? g.k() : g.m(), g.transA() ? g.m() : g.k(), g.lda());
        checkExtent("B", b, bOff, g.batch(), g.strideB(), g.transB() ? g.n() : g.k(), g.transB() ? g.k() : g.n(), g.ldb());
        checkExtent("C", c, cOff, g.batch(), g.strideC(), g.m(), g.n(), g.ldc());
        if (g.batch() > 1 && g.strideC() == 0) {
            // Every batch entry updates the same C in turn (the scalar definition): one product at a time.
            GemmShape one = new GemmShape(g.transA(), g.transB(), 1, g.m(), g.n(), g.k(), g.lda(), g.ldb(), g.ldc(), 0, 0, 0);
            for (int i = 0; i < g.batch(); i++)
                gemm(one, alpha, a, aOff + i * g.strideA(), b, bOff + i * g.strideB(), beta, c, cOff);
            return;
        }
        if (cublas != null && cublasAccepts(g)) {
            synchronized (this) {               // one handle: its calls are not meant to race
                cublas.gemm(handle, t == DType.F64, g.transB() ? Cublas.OP_T : Cublas.OP_N, g.transA() ? Cublas.OP_T : Cublas.OP_N,
                        g.n(), g.m(), g.k(), alpha, b.address(bOff), g.ldb(), g.strideB(), a.address(aOff), g.lda(), g.strideA(),
                        beta, c.address(cOff), g.ldc(), g.strideC(), g.batch());
            }
            backend.afterLaunch("gemm");
        } else {
            backend.plainGemm(g, alpha, a, aOff, b, bOff, beta, c, cOff);
        }
    }

    /**
     * cuBLAS's argument checks for the swapped call: the first operand (our B) needs ld ≥ its column-major
     * row count (n untransposed, k transposed), the second (our A) likewise (k, or m), C needs ldc ≥ n; k ≥ 1.
     */
    static boolean cublasAccepts(GemmShape g) {
        return g.k() > 0
                && g.ldb() >= Math.max(1, g.transB() ? g.k() : g.n())
                && g.lda() >= Math.max(1, g.transA() ? g.m() : g.k())
                && g.ldc() >= Math.max(1, g.n());
    }

    /** The last element a matrix operand touches must lie inside its storage: the device would not say. */
    private static void checkExtent(String which, CudaStorage s, int off, int batch, int stride, int rows, int cols, int ld) {
        if (rows == 0 || cols == 0) return;
        long last = off + (long) (batch - 1) * Math.max(0, stride) + (long) (rows - 1) * ld + cols - 1;
        if (off < 0 || last >= s.size())
            throw new IllegalArgumentException("gemm: operand " + which + " (" + rows + "x" + cols + ", ld " + ld + ", offset " + off
                    + ", batch " + batch + " stride " + stride + ") reaches element " + last + " of a storage of " + s.size());
    }

    void close() {
        if (handle != null) cublas.destroy(handle);
    }
}
