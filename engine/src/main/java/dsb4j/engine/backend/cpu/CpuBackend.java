package dsb4j.engine.backend.cpu;

import dsb4j.engine.backend.GemmShape;
import dsb4j.engine.backend.HeapStorage;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.backend.scalar.ScalarBackend;
import java.util.concurrent.ForkJoinPool;

/**
 * The default host backend: Vector API kernels for F32 over heap arrays, fork-join over rows for large work.
 * Whatever has no fast kernel (F64, unusual strides) falls through to the scalar definition it extends,
 * which is also what the parity tests compare against.
 */
public class CpuBackend extends ScalarBackend {
    private final int threads;
    private final ForkJoinPool pool;

    public CpuBackend(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    @Override public String name() { return "cpu"; }
    @Override public int threads() { return threads; }

    /** Null when single-threaded. */
    ForkJoinPool pool() { return pool; }

    @Override public void gemm(GemmShape g, double alpha, Storage a, int aOff, Storage b, int bOff,
                               double beta, Storage c, int cOff) {
        if (!(a instanceof HeapStorage.F32 fa && b instanceof HeapStorage.F32 fb && c instanceof HeapStorage.F32 fc)) {
            super.gemm(g, alpha, a, aOff, b, bOff, beta, c, cOff);
            return;
        }
        for (int t = 0; t < g.batch(); t++) {
            Sgemm.gemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), (float) alpha,
                    fa.data, aOff + t * g.strideA(), g.lda(), fb.data, bOff + t * g.strideB(), g.ldb(),
                    (float) beta, fc.data, cOff + t * g.strideC(), g.ldc(), pool);
        }
    }
}
