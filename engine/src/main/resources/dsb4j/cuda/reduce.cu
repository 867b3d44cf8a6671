// Reductions over a set of axes. The host splits x's axes into the kept ones ("outer", in order: output o
// is row-major over them, so out is contiguous) and the reduced ones ("inner", in order). Two shapes of
// work, same result: one block per output (long, contiguous inner runs: the threads share the run and a
// shared-memory tree combines them) and one thread per output (short or strided inner runs, e.g. summing
// over the batch axis: neighbouring threads read neighbouring columns). Accumulation is in double from
// the op's identity, as in the scalar backend; the thread form adds in the scalar backend's exact order.
#include "common.cuh"

template <typename T>
static __device__ void reduce_block_impl(int op, double identity, int n_out, Dims outer, Strides xo, Dims inner,
                                         Strides xi, int n_in, const T* x, T* out) {
    __shared__ double part[DSB4J_MAX_BLOCK];
    const int t = threadIdx.x, nt = blockDim.x;
    for (long long o = blockIdx.x; o < n_out; o += gridDim.x) {      // the same trip count for the whole block
        const int base = offset_of(o, outer, xo);
        double acc = identity;
        for (long long r = t; r < n_in; r += nt) acc = reduce_combine(op, acc, (double) x[base + offset_of(r, inner, xi)]);
        part[t] = acc;
        __syncthreads();
        for (int s = 1; s < nt; s <<= 1) {                           // a tree for any block size
            if ((t & (2 * s - 1)) == 0 && t + s < nt) part[t] = reduce_combine(op, part[t], part[t + s]);
            __syncthreads();
        }
        if (t == 0) out[o] = (T) part[0];
        __syncthreads();                                              // part is reused for the next output
    }
}

template <typename T>
static __device__ void reduce_thread_impl(int op, double identity, int n_out, Dims outer, Strides xo, Dims inner,
                                          Strides xi, int n_in, const T* x, T* out) {
    DSB4J_GRID_LOOP(o, n_out) {
        const int base = offset_of(o, outer, xo);
        double acc = identity;
        for (long long r = 0; r < n_in; r++) acc = reduce_combine(op, acc, (double) x[base + offset_of(r, inner, xi)]);
        out[o] = (T) acc;
    }
}

#define DSB4J_REDUCE(T, S)                                                                                       \
    extern "C" __global__ void reduce_block_##S(int op, double identity, int n_out, Dims outer, Strides xo,     \
                                                Dims inner, Strides xi, int n_in, const T* x, T* out) {          \
        reduce_block_impl<T>(op, identity, n_out, outer, xo, inner, xi, n_in, x, out);                           \
    }                                                                                                            \
    extern "C" __global__ void reduce_thread_##S(int op, double identity, int n_out, Dims outer, Strides xo,    \
                                                 Dims inner, Strides xi, int n_in, const T* x, T* out) {         \
        reduce_thread_impl<T>(op, identity, n_out, outer, xo, inner, xi, n_in, x, out);                          \
    }

DSB4J_REDUCE(float, f32)
DSB4J_REDUCE(double, f64)
