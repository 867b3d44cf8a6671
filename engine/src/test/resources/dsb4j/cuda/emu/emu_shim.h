// Host-side stand-ins for the CUDA built-ins the dsb4j kernels use, so that the very same .cu sources
// compile with g++ into the test emulator (see emu_driver.cpp). A launch runs one block at a time on the
// calling thread, the threads of a block as fibers (ucontext) that switch at __syncthreads(): a barrier
// without OS threads. __shared__ arrays become function statics, right while blocks run one after another.
#ifndef DSB4J_EMU_SHIM_H
#define DSB4J_EMU_SHIM_H

#include <cmath>
#include <cstring>
#include <ucontext.h>

struct uint3 { unsigned x, y, z; };

static uint3 threadIdx, blockIdx, blockDim, gridDim;
static ucontext_t* emu_scheduler = nullptr;         // set while a block's fibers run
static ucontext_t* emu_current_fiber = nullptr;

// Back to the scheduler, which resumes every other thread of the block before this one continues.
static inline void __syncthreads() {
    if (emu_scheduler != nullptr) swapcontext(emu_current_fiber, emu_scheduler);
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
