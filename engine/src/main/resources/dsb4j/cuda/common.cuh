// Shared device code of the dsb4j kernels: strided layouts, grid-stride loops and the op definitions,
// written to give exactly what the Java scalar backend computes (double arithmetic, Java's NaN and -0.0
// rules). Compiled by NVRTC with --fmad=false so a*b+c is not contracted into an fma the JVM never does.
// "dsb4j_ops.h" is generated at run time from the Java enums (UnaryOp, BinaryOp, ReduceOp): op codes
// have one source of truth. No other includes: NVRTC has no host headers.
#ifndef DSB4J_COMMON_CUH
#define DSB4J_COMMON_CUH

#include "dsb4j_ops.h"

#define DSB4J_MAX_RANK 8
#define DSB4J_MAX_BLOCK 1024

// The shape of a launch after merging axes (rank <= 8), passed by value as a kernel argument.
struct Dims {
    int rank;
    int d[DSB4J_MAX_RANK];
};

// One operand's element offset and strides (in elements) over a Dims.
struct Strides {
    int offset;
    int s[DSB4J_MAX_RANK];
};

// Every kernel is a grid-stride loop, correct for any grid and block size (the host caps the grid;
// the host-side emulator runs tiny grids).
#define DSB4J_GRID_LOOP(i, n) \
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < (long long) (n); \
         i += (long long) blockDim.x * gridDim.x)

// Storage offset of row-major linear index i of d, for one operand.
static __device__ __forceinline__ int offset_of(long long i, const Dims& d, const Strides& s) {
    int off = s.offset;
    for (int a = d.rank - 1; a >= 0; a--) {
        int n = d.d[a];
        int idx = (int) (i % n);
        i /= n;
        off += idx * s.s[a];
    }
    return off;
}

// Offsets of the same logical element in two or three operands, decoding the index once.
static __device__ __forceinline__ void offsets2(long long i, const Dims& d, const Strides& s0, const Strides& s1,
                                                int& o0, int& o1) {
    o0 = s0.offset;
    o1 = s1.offset;
    for (int a = d.rank - 1; a >= 0; a--) {
        int n = d.d[a];
        int idx = (int) (i % n);
        i /= n;
        o0 += idx * s0.s[a];
        o1 += idx * s1.s[a];
    }
}

static __device__ __forceinline__ void offsets3(long long i, const Dims& d, const Strides& s0, const Strides& s1,
                                                const Strides& s2, int& o0, int& o1, int& o2) {
    o0 = s0.offset;
    o1 = s1.offset;
    o2 = s2.offset;
    for (int a = d.rank - 1; a >= 0; a--) {
        int n = d.d[a];
        int idx = (int) (i % n);
        i /= n;
        o0 += idx * s0.s[a];
        o1 += idx * s1.s[a];
        o2 += idx * s2.s[a];
    }
}

static __device__ __forceinline__ double dsb4j_nan() { return __longlong_as_double(0x7ff8000000000000LL); }

static __device__ __forceinline__ bool is_negative_zero(double a) {
    return a == 0.0 && __double_as_longlong(a) < 0;
}

// java.lang.Math.max: NaN wins, and -0.0 is below 0.0 (fmax does neither).
static __device__ __forceinline__ double java_max(double a, double b) {
    if (a != a) return a;
    if (b == 0.0 && is_negative_zero(a)) return b;
    return a >= b ? a : b;
}

// java.lang.Math.signum: zeros and NaN come back unchanged.
static __device__ __forceinline__ double java_signum(double x) {
    return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : x);
}

// java.lang.Math.pow where it differs from C's pow: a NaN exponent and |x| == 1 with an infinite exponent give NaN.
static __device__ __forceinline__ double java_pow(double x, double p) {
    if (p != p) return p;
    if (fabs(x) == 1.0 && fabs(p) == __longlong_as_double(0x7ff0000000000000LL)) return dsb4j_nan();
    return pow(x, p);
}

// UnaryOp.apply(x, p), case by case.
static __device__ __forceinline__ double unary_op(int op, double x, double p) {
    switch (op) {
        case DSB4J_UNARY_NEG: return -x;
        case DSB4J_UNARY_EXP: return exp(x);
        case DSB4J_UNARY_LOG: return log(x);
        case DSB4J_UNARY_SQRT: return sqrt(x);
        case DSB4J_UNARY_ABS: return fabs(x);
        case DSB4J_UNARY_SIN: return sin(x);
        case DSB4J_UNARY_COS: return cos(x);
        case DSB4J_UNARY_TANH: return tanh(x);
        case DSB4J_UNARY_SIGMOID: return 1.0 / (1.0 + exp(-x));
        case DSB4J_UNARY_RELU: return x > 0.0 ? x : 0.0;
        case DSB4J_UNARY_LEAKY_RELU: return x > 0.0 ? x : p * x;
        case DSB4J_UNARY_SQUARE: return x * x;
        case DSB4J_UNARY_RECIPROCAL: return 1.0 / x;
        case DSB4J_UNARY_POW: return java_pow(x, p);
        case DSB4J_UNARY_MUL_SCALAR: return x * p;
        case DSB4J_UNARY_ADD_SCALAR: return x + p;
        case DSB4J_UNARY_STEP: return x > 0.0 ? 1.0 : 0.0;
        case DSB4J_UNARY_LEAKY_STEP: return x > 0.0 ? 1.0 : p;
        case DSB4J_UNARY_SIGN: return java_signum(x);
        case DSB4J_UNARY_SILU: return x / (1.0 + exp(-x));
        case DSB4J_UNARY_SILU_DERIV: { double s = 1.0 / (1.0 + exp(-x)); return s * (1.0 + x * (1.0 - s)); }
        default: return dsb4j_nan();     // an op code this source does not know: visible, never silent
    }
}

// BinaryOp.apply(a, b): MAX and MIN by comparison exactly as in Java (not fmax/fmin).
static __device__ __forceinline__ double binary_op(int op, double a, double b) {
    switch (op) {
        case DSB4J_BINARY_ADD: return a + b;
        case DSB4J_BINARY_SUB: return a - b;
        case DSB4J_BINARY_MUL: return a * b;
        case DSB4J_BINARY_DIV: return a / b;
        case DSB4J_BINARY_MAX: return a >= b ? a : b;
        case DSB4J_BINARY_MIN: return a <= b ? a : b;
        case DSB4J_BINARY_GE: return a >= b ? 1.0 : 0.0;
        case DSB4J_BINARY_EQ: return a == b ? 1.0 : 0.0;
        default: return dsb4j_nan();
    }
}

// ReduceOp.combine(acc, x).
static __device__ __forceinline__ double reduce_combine(int op, double acc, double x) {
    switch (op) {
        case DSB4J_REDUCE_SUM: return acc + x;
        case DSB4J_REDUCE_MAX: return java_max(acc, x);
        default: return dsb4j_nan();
    }
}

#endif
