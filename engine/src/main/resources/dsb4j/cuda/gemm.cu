// A plain strided batched GEMM (GemmShape's row-major convention), one thread per C element, double
// accumulation in the scalar backend's order. Not the fast path: cuBLAS is. This one serves the shapes
// cuBLAS rejects (k == 0, leading dimensions below its minimum) and hosts without libcublas.
#include "common.cuh"

struct Gemm {
    int trans_a, trans_b, batch, m, n, k, lda, ldb, ldc, stride_a, stride_b, stride_c;
};

template <typename T>
static __device__ void gemm_impl(Gemm g, double alpha, const T* a, const T* b, double beta, T* c) {
    const long long total = (long long) g.batch * g.m * g.n;
    DSB4J_GRID_LOOP(e, total) {
        const int j = (int) (e % g.n);
        const long long t = e / g.n;
        const int i = (int) (t % g.m);
        const int bt = (int) (t / g.m);
        const T* ab = a + (long long) bt * g.stride_a;
        const T* bb = b + (long long) bt * g.stride_b;
        double s = 0.0;
        for (int p = 0; p < g.k; p++) {
            const double av = (double) ab[g.trans_a ? (long long) p * g.lda + i : (long long) i * g.lda + p];
            const double bv = (double) bb[g.trans_b ? (long long) j * g.ldb + p : (long long) p * g.ldb + j];
            s += av * bv;
        }
        T* cp = c + (long long) bt * g.stride_c + (long long) i * g.ldc + j;
        *cp = (T) (beta == 0.0 ? alpha * s : alpha * s + beta * (double) *cp);     // beta == 0 never reads C
    }
}

#define DSB4J_GEMM(T, S)                                                                                         \
    extern "C" __global__ void gemm_##S(Gemm g, double alpha, const T* a, const T* b, double beta, T* c) {      \
        gemm_impl<T>(g, alpha, a, b, beta, c);                                                                   \
    }

DSB4J_GEMM(float, f32)
DSB4J_GEMM(double, f64)
