// Host-side stand-ins for the CUDA built-ins the dsb4j kernels use, so that the very same .cu sources
// compile with g++ into the test emulator (see emu_runtime.cpp). A launch runs one block at a time, the
// threads of a block as real threads that meet at __syncthreads() on a barrier; __shared__ arrays become
// function statics, which is right while blocks run one after another.
#ifndef DSB4J_EMU_SHIM_H
#define DSB4J_EMU_SHIM_H

#include <barrier>
#include <cmath>
#include <cstring>

struct uint3 { unsigned x, y, z; };

static thread_local uint3 threadIdx, blockIdx, blockDim, gridDim;
static thread_local std::barrier<>* emu_block_barrier = nullptr;

static inline void __syncthreads() {
    if (emu_block_barrier != nullptr) emu_block_barrier->arrive_and_wait();
}

static inline double __longlong_as_double(long long v) { double d; std::memcpy(&d, &v, 8); return d; }
static inline long long __double_as_longlong(double d) { long long v; std::memcpy(&v, &d, 8); return v; }

#define __device__
#define __host__
#define __forceinline__ inline
#define __shared__ static
// Kernels are found by this marker when the emulator scans the preprocessed sources for their signatures.
#define __global__ DSB4J_KERNEL_MARK
#ifndef DSB4J_EMU_SCAN
#define DSB4J_KERNEL_MARK
#endif

#endif
