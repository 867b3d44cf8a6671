// The counter-based generator of dsb4j.engine.random.CounterRandom, bit for bit in its integer part:
// draw i of stream seed is a pure function of (seed, i), so the GPU, the CPU and any thread split agree.
// Java's long arithmetic wraps like unsigned 64-bit here, and >>> is the unsigned shift.
#include "common.cuh"

#define DSB4J_GOLDEN 0x9E3779B97F4A7C15ULL
#define DSB4J_TWO_POW_M53 1.1102230246251565e-16          // 0x1.0p-53, exactly

// SplitMix64's finaliser (CounterRandom.mix).
static __device__ __forceinline__ unsigned long long mix64(unsigned long long z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// CounterRandom.bits(seed, i).
static __device__ __forceinline__ unsigned long long counter_bits(unsigned long long seed, unsigned long long i) {
    return mix64(mix64(seed) + (i + 1ULL) * DSB4J_GOLDEN);
}

// CounterRandom.uniform: U[0, 1) with 53 random bits (exact in double).
static __device__ __forceinline__ double counter_uniform(unsigned long long seed, unsigned long long i) {
    return (double) (counter_bits(seed, i) >> 11) * DSB4J_TWO_POW_M53;
}

// CounterRandom.normal: Box–Muller on two words of draw i, the same expression in the same order;
// log, cos and sqrt are those of CUDA (within an ulp or two of the JDK's), so F64 agrees to ~1e-15.
static __device__ __forceinline__ double counter_normal(unsigned long long seed, unsigned long long i) {
    const unsigned long long h = counter_bits(seed, i);
    const double u1 = (double) ((h >> 11) + 1ULL) * DSB4J_TWO_POW_M53;     // (0, 1]: log is finite
    const double u2 = (double) (mix64(h ^ DSB4J_GOLDEN) >> 11) * DSB4J_TWO_POW_M53;
    return sqrt(-2.0 * log(u1)) * cos(2.0 * 3.141592653589793 * u2);
}

template <typename T>
static __device__ void normal_impl(int n, unsigned long long seed, T* out) {
    DSB4J_GRID_LOOP(i, n) out[i] = (T) counter_normal(seed, (unsigned long long) i);
}

template <typename T>
static __device__ void uniform_impl(int n, unsigned long long seed, T* out) {
    DSB4J_GRID_LOOP(i, n) out[i] = (T) counter_uniform(seed, (unsigned long long) i);
}

#define DSB4J_RANDOM(T, S)                                                                                       \
    extern "C" __global__ void random_normal_##S(int n, unsigned long long seed, T* out) { normal_impl<T>(n, seed, out); } \
    extern "C" __global__ void random_uniform_##S(int n, unsigned long long seed, T* out) { uniform_impl<T>(n, seed, out); }

DSB4J_RANDOM(float, f32)
DSB4J_RANDOM(double, f64)
