// A stand-in for libcublas (see emu_driver.cpp): column-major S/D GEMM, plain and strided batched, with
// cuBLAS's own leading-dimension checks, a required stream, and bounds checks on every operand.
// ---- cuBLAS ---------------------------------------------------------------------------------------------

struct cublasContext { CUstream stream = nullptr; int math = 0; };
typedef cublasContext* cublasHandle_t;
typedef int cublasStatus_t;

// Column-major reference GEMM with cuBLAS's own argument checks; device pointers are host pointers here.
template <typename T>
static cublasStatus_t emu_gemm(cublasHandle_t h, int ta, int tb, int m, int n, int k, const T* alpha, const T* A, int lda,
                               long long sa, const T* B, int ldb, long long sb, const T* beta, T* C, int ldc, long long sc,
                               int batch) {
    if (h == nullptr) return 1;
    if (h->stream != (CUstream) &the_stream) return 1;     // the backend must put cuBLAS on its stream
    if ((ta != 0 && ta != 1) || (tb != 0 && tb != 1) || m < 0 || n < 0 || k < 0 || batch < 0) return 7;
    if (lda < (ta == 0 ? (m > 1 ? m : 1) : (k > 1 ? k : 1))) return 7;
    if (ldb < (tb == 0 ? (k > 1 ? k : 1) : (n > 1 ? n : 1))) return 7;
    if (ldc < (m > 1 ? m : 1)) return 7;
    if (m == 0 || n == 0 || batch == 0) return 0;
    std::lock_guard<std::mutex> l(emu::mu);
    for (int t = 0; t < batch; t++) {
        const T* a = A + t * sa;
        const T* b = B + t * sb;
        T* c = C + t * sc;
        size_t aLast = (size_t) ((ta == 0 ? (k - 1) : (m - 1)) * (long long) lda + (ta == 0 ? m : k));
        size_t bLast = (size_t) ((tb == 0 ? (n - 1) : (k - 1)) * (long long) ldb + (tb == 0 ? k : n));
        size_t cLast = (size_t) ((n - 1) * (long long) ldc + m);
        if ((k > 0 && (!emu::inside((uintptr_t) a, aLast * sizeof(T)) || !emu::inside((uintptr_t) b, bLast * sizeof(T))))
            || !emu::inside((uintptr_t) c, cLast * sizeof(T)))
            return 13;                                       // CUBLAS_STATUS_EXECUTION_FAILED: out of bounds
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta == 0 ? a[i + (long long) p * lda] : a[p + (long long) i * lda];
                    double bv = tb == 0 ? b[p + (long long) j * ldb] : b[j + (long long) p * ldb];
                    s += av * bv;
                }
                T& cij = c[i + (long long) j * ldc];
                cij = (T) (*beta == 0 ? *alpha * s : *alpha * s + *beta * (double) cij);
            }
    }
    return 0;
}

extern "C" {

cublasStatus_t cublasCreate_v2(cublasHandle_t* h) { *h = new cublasContext(); return 0; }
cublasStatus_t cublasDestroy_v2(cublasHandle_t h) { delete h; return 0; }
cublasStatus_t cublasSetStream_v2(cublasHandle_t h, CUstream s) { h->stream = s; return 0; }
cublasStatus_t cublasSetMathMode(cublasHandle_t h, int mode) { h->math = mode; emu::math_mode = mode; return 0; }
cublasStatus_t cublasGetVersion_v2(cublasHandle_t, int* v) { *v = 130000; return 0; }

cublasStatus_t cublasSgemm_v2(cublasHandle_t h, int ta, int tb, int m, int n, int k, const float* alpha, const float* A,
                              int lda, const float* B, int ldb, const float* beta, float* C, int ldc) {
    return emu_gemm<float>(h, ta, tb, m, n, k, alpha, A, lda, 0, B, ldb, 0, beta, C, ldc, 0, 1);
}
cublasStatus_t cublasDgemm_v2(cublasHandle_t h, int ta, int tb, int m, int n, int k, const double* alpha, const double* A,
                              int lda, const double* B, int ldb, const double* beta, double* C, int ldc) {
    return emu_gemm<double>(h, ta, tb, m, n, k, alpha, A, lda, 0, B, ldb, 0, beta, C, ldc, 0, 1);
}
cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t h, int ta, int tb, int m, int n, int k, const float* alpha,
                                         const float* A, int lda, long long sa, const float* B, int ldb, long long sb,
                                         const float* beta, float* C, int ldc, long long sc, int batch) {
    return emu_gemm<float>(h, ta, tb, m, n, k, alpha, A, lda, sa, B, ldb, sb, beta, C, ldc, sc, batch);
}
cublasStatus_t cublasDgemmStridedBatched(cublasHandle_t h, int ta, int tb, int m, int n, int k, const double* alpha,
                                         const double* A, int lda, long long sa, const double* B, int ldb, long long sb,
                                         const double* beta, double* C, int ldc, long long sc, int batch) {
    return emu_gemm<double>(h, ta, tb, m, n, k, alpha, A, lda, sa, B, ldb, sb, beta, C, ldc, sc, batch);
}

}  // extern "C"
