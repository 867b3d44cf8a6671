// im2col and its adjoint col2im over NCHW (see ConvGeometry). cols is [c·kh·kw, n, oh·ow], contiguous;
// row r of a column block is (channel, ky, kx) = (r / (kh·kw), r / kw % kh, r % kw).
#include "common.cuh"

struct Conv {
    int n, c, h, w, kh, kw, stride, pad, oh, ow;
};

// One thread per column entry; x is read through its strides (xs.s[0..3] for n, c, h, w).
template <typename T>
static __device__ void im2col_impl(Conv g, Strides xs, const T* x, T* cols) {
    const int rows = g.c * g.kh * g.kw;
    const long long total = (long long) g.n * rows * g.oh * g.ow;
    DSB4J_GRID_LOOP(i, total) {
        long long t = i;
        const int ox = (int) (t % g.ow); t /= g.ow;
        const int oy = (int) (t % g.oh); t /= g.oh;
        const int n = (int) (t % g.n);
        const int r = (int) (t / g.n);
        const int ch = r / (g.kh * g.kw), ky = r / g.kw % g.kh, kx = r % g.kw;
        const int y = oy * g.stride - g.pad + ky, xx = ox * g.stride - g.pad + kx;
        const bool inside = y >= 0 && y < g.h && xx >= 0 && xx < g.w;
        cols[i] = inside ? x[xs.offset + n * xs.s[0] + ch * xs.s[1] + y * xs.s[2] + xx * xs.s[3]] : (T) 0;
    }
}

// One thread per image element, gathering the column entries that map onto it: no atomics, and in the
// order the scalar backend adds them ((ky, kx) ascending), rounding to T after each add as it does.
template <typename T>
static __device__ void col2im_impl(Conv g, const T* cols, T* dx) {
    const long long total = (long long) g.n * g.c * g.h * g.w;
    DSB4J_GRID_LOOP(i, total) {
        long long t = i;
        const int xx = (int) (t % g.w); t /= g.w;
        const int y = (int) (t % g.h); t /= g.h;
        const int ch = (int) (t % g.c);
        const int n = (int) (t / g.c);
        T acc = dx[i];
        for (int ky = 0; ky < g.kh; ky++) {
            const int sy = y + g.pad - ky;                 // = oy · stride
            if (sy < 0 || sy % g.stride != 0) continue;
            const int oy = sy / g.stride;
            if (oy >= g.oh) continue;
            for (int kx = 0; kx < g.kw; kx++) {
                const int sx = xx + g.pad - kx;
                if (sx < 0 || sx % g.stride != 0) continue;
                const int ox = sx / g.stride;
                if (ox >= g.ow) continue;
                const int r = (ch * g.kh + ky) * g.kw + kx;
                acc = (T) ((double) acc + (double) cols[(((long long) r * g.n + n) * g.oh + oy) * g.ow + ox]);
            }
        }
        dx[i] = acc;
    }
}

#define DSB4J_CONV(T, S)                                                                                         \
    extern "C" __global__ void im2col_##S(Conv g, Strides xs, const T* x, T* cols) { im2col_impl<T>(g, xs, x, cols); } \
    extern "C" __global__ void col2im_##S(Conv g, const T* cols, T* dx) { col2im_impl<T>(g, cols, dx); }

DSB4J_CONV(float, f32)
DSB4J_CONV(double, f64)
