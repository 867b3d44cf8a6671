// Elementwise kernels over strided and broadcast layouts: unary, binary, copy (with dtype conversion),
// fill, the fused Euler–Maruyama step and the fused Adam update. One template each; the macros below
// instantiate F32 and F64 under plain C names (no mangling, so the host looks them up by name). Arithmetic
// is in double, as in the scalar backend, then rounded once to the storage type.
#include "common.cuh"

template <typename T>
static __device__ void unary_impl(int op, double p, int n, Dims d, Strides xs, const T* x, Strides os, T* out) {
    DSB4J_GRID_LOOP(i, n) {
        int xo, oo;
        offsets2(i, d, xs, os, xo, oo);
        out[oo] = (T) unary_op(op, (double) x[xo], p);
    }
}

template <typename T>
static __device__ void binary_impl(int op, int n, Dims d, Strides as, const T* a, Strides bs, const T* b,
                                   Strides os, T* out) {
    DSB4J_GRID_LOOP(i, n) {
        int ao, bo, oo;
        offsets3(i, d, as, bs, os, ao, bo, oo);
        out[oo] = (T) binary_op(op, (double) a[ao], (double) b[bo]);
    }
}

template <typename S, typename D>
static __device__ void copy_impl(int n, Dims d, Strides ss, const S* src, Strides ds, D* dst) {
    DSB4J_GRID_LOOP(i, n) {
        int so, dof;
        offsets2(i, d, ss, ds, so, dof);
        dst[dof] = (D) src[so];
    }
}

template <typename T>
static __device__ void fill_impl(int n, Dims d, Strides ds, T* dst, double value) {
    DSB4J_GRID_LOOP(i, n) dst[offset_of(i, d, ds)] = (T) value;
}

// out = x + gamma·drift + s·noise with s = sqrt(2·gamma) computed on the host (as the scalar backend does).
template <typename T>
static __device__ void sde_step_impl(int n, const T* x, const T* drift, const T* noise, double gamma, double s, T* out) {
    DSB4J_GRID_LOOP(i, n) out[i] = (T) ((double) x[i] + gamma * (double) drift[i] + s * (double) noise[i]);
}

// One fused Adam update (Backend.adamStep): moments in place, the new value to out; the scalar backend's order.
template <typename T>
static __device__ void adam_step_impl(int n, double b1, double b2, double eps, double wd, double step, double rbc2,
                                      const T* p, const T* g, T* m, T* v, T* out) {
    DSB4J_GRID_LOOP(i, n) {
        double w = (double) p[i], gi = (double) g[i] + wd * w;
        double mi = b1 * (double) m[i] + (1 - b1) * gi;
        double vi = b2 * (double) v[i] + (1 - b2) * (gi * gi);
        m[i] = (T) mi;
        v[i] = (T) vi;
        out[i] = (T) (w - step * (mi / (sqrt(vi) * rbc2 + eps)));
    }
}

#define DSB4J_ELEMENTWISE(T, S)                                                                                  \
    extern "C" __global__ void unary_##S(int op, double p, int n, Dims d, Strides xs, const T* x, Strides os,    \
                                         T* out) {                                                               \
        unary_impl<T>(op, p, n, d, xs, x, os, out);                                                              \
    }                                                                                                            \
    extern "C" __global__ void binary_##S(int op, int n, Dims d, Strides as, const T* a, Strides bs, const T* b, \
                                          Strides os, T* out) {                                                  \
        binary_impl<T>(op, n, d, as, a, bs, b, os, out);                                                         \
    }                                                                                                            \
    extern "C" __global__ void fill_##S(int n, Dims d, Strides ds, T* dst, double value) {                       \
        fill_impl<T>(n, d, ds, dst, value);                                                                      \
    }                                                                                                            \
    extern "C" __global__ void sde_step_##S(int n, const T* x, const T* drift, const T* noise, double gamma,      \
                                            double s, T* out) {                                                  \
        sde_step_impl<T>(n, x, drift, noise, gamma, s, out);                                                     \
    }                                                                                                            \
    extern "C" __global__ void adam_step_##S(int n, double b1, double b2, double eps, double wd, double step,     \
                                             double rbc2, const T* p, const T* g, T* m, T* v, T* out) {          \
        adam_step_impl<T>(n, b1, b2, eps, wd, step, rbc2, p, g, m, v, out);                                      \
    }

#define DSB4J_COPY(S, SN, D, DN)                                                                                 \
    extern "C" __global__ void copy_##SN##_##DN(int n, Dims d, Strides ss, const S* src, Strides ds, D* dst) {   \
        copy_impl<S, D>(n, d, ss, src, ds, dst);                                                                 \
    }

DSB4J_ELEMENTWISE(float, f32)
DSB4J_ELEMENTWISE(double, f64)
DSB4J_COPY(float, f32, float, f32)
DSB4J_COPY(float, f32, double, f64)
DSB4J_COPY(double, f64, float, f32)
DSB4J_COPY(double, f64, double, f64)
