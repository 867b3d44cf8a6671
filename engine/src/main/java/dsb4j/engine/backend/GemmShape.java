package dsb4j.engine.backend;

/**
 * Geometry of a strided batched GEMM, row-major: for each b &lt; batch,
 * C_b = alpha·op(A_b)·op(B_b) + beta·C_b with op(A) m×k and op(B) k×n.
 * A_b starts at aOff + b·strideA; element (i, p) of op(A) sits at i·lda + p, or at p·lda + i when transA.
 * Likewise for B; C_b(i, j) at cOff + b·strideC + i·ldc + j. A batch stride of 0 reuses one matrix.
 */
public record GemmShape(boolean transA, boolean transB, int batch, int m, int n, int k,
                        int lda, int ldb, int ldc, int strideA, int strideB, int strideC) {

    /** One plain row-major product with packed operands. */
    public static GemmShape of(boolean transA, boolean transB, int m, int n, int k) {
        return new GemmShape(transA, transB, 1, m, n, k, transA ? m : k, transB ? k : n, n, 0, 0, 0);
    }
}
