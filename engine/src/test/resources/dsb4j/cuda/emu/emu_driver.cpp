// A host-side stand-in for libcuda, just enough of it for the dsb4j CUDA backend, so that its Java code
// (FFM bindings, argument packing, layouts, GEMM operand swap, allocator) and the kernels' logic (the same
// .cu files, built with g++ and emu_shim.h) can be tested on a machine without a GPU. emu_nvrtc.cpp and
// emu_cublas.cpp stand in for the other two libraries. Stricter than the real driver where that catches bugs:
// fresh device memory is filled with NaN bytes, every allocation has guard zones checked after each launch
// that was handed a pointer into it and on free, transfers must stay inside one allocation, launches need a
// positive grid. Built by the test class CudaEmulator into one shared library together with the kernels;
// when the CUDA toolkit's cuda.h is present it is included, so these definitions must match the real ones.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#ifdef DSB4J_EMU_WITH_CUDA_H
#include <cuda.h>
#define RC(x) ((CUresult) (x))
#else
typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef int CUdevice_attribute;
typedef struct CUctx_st* CUcontext;
typedef struct CUmod_st* CUmodule;
typedef struct CUfunc_st* CUfunction;
typedef struct CUstream_st* CUstream;
typedef struct CUevent_st* CUevent;
#define RC(x) (x)
#endif

// ---- the kernels' registry, filled by the generated trampolines -----------------------------------------

// params: one letter per kernel parameter, 'p' for a device pointer (its allocation's guards are checked after the launch).
struct EmuKernel { const char* name; void (*run)(void**); const char* params; };
extern const EmuKernel emu_kernels[];

namespace emu {
const size_t GUARD = 256;                       // bytes before and after each allocation (keeps 256-byte alignment)
const unsigned char GUARD_BYTE = 0xA5;

struct Alloc { unsigned char* raw; size_t size; };

std::mutex mu;
std::map<uintptr_t, Alloc> allocs;              // user pointer -> allocation
std::map<std::string, long long> launches;      // kernel name -> launch count
long long compiles = 0;
int device_count = 1, init_error = 0, fail_cubin = 0, math_mode = -1;
size_t memory_limit = 0, live_bytes = 0;       // 0: no limit

bool guards_intact(uintptr_t p, const Alloc& a) {
    for (size_t i = 0; i < GUARD; i++)
        if (a.raw[i] != GUARD_BYTE || a.raw[GUARD + a.size + i] != GUARD_BYTE) return false;
    (void) p;
    return true;
}

// Whether [p, p + bytes) lies inside one live allocation.
bool inside(uintptr_t p, size_t bytes) {
    auto it = allocs.upper_bound(p);
    if (it == allocs.begin()) return false;
    --it;
    return p >= it->first && p + bytes <= it->first + it->second.size;
}

// The guards of the allocation holding p, if any: 700 (CUDA_ERROR_ILLEGAL_ADDRESS) when something wrote over them.
int check_guards_around(uintptr_t p, const char* kernel) {
    auto it = allocs.upper_bound(p);
    if (it == allocs.begin()) return 0;
    --it;
    if (p > it->first + it->second.size || guards_intact(it->first, it->second)) return 0;
    std::fprintf(stderr, "emu: kernel %s wrote outside the allocation at 0x%llx (%zu bytes)\n", kernel,
                 (unsigned long long) it->first, it->second.size);
    return 700;
}
}  // namespace emu

// ---- test hooks --------------------------------------------------------------------------------------

extern "C" long long emu_live_bytes() { std::lock_guard<std::mutex> l(emu::mu); return (long long) emu::live_bytes; }
extern "C" int emu_live_allocations() { std::lock_guard<std::mutex> l(emu::mu); return (int) emu::allocs.size(); }
extern "C" long long emu_launches_of(const char* name) {
    std::lock_guard<std::mutex> l(emu::mu);
    auto it = emu::launches.find(name);
    return it == emu::launches.end() ? 0 : it->second;
}
extern "C" long long emu_compiles() { return emu::compiles; }
extern "C" int emu_cublas_math_mode() { return emu::math_mode; }
extern "C" void emu_set_device_count(int n) { emu::device_count = n; }
extern "C" void emu_set_init_error(int code) { emu::init_error = code; }
extern "C" void emu_set_fail_cubin(int on) { emu::fail_cubin = on; }
extern "C" void emu_set_memory_limit(int mib) { emu::memory_limit = (size_t) mib << 20; }

// ---- driver -------------------------------------------------------------------------------------------

static int the_context, the_module, the_stream;

extern "C" {

CUresult cuInit(unsigned int flags) { return RC(flags != 0 ? 1 : emu::init_error); }
CUresult cuDriverGetVersion(int* v) { *v = 13000; return RC(0); }
CUresult cuDeviceGetCount(int* n) { *n = emu::device_count; return RC(emu::init_error); }
CUresult cuDeviceGet(CUdevice* d, int ordinal) {
    if (ordinal < 0 || ordinal >= emu::device_count) return RC(101);
    *d = ordinal;
    return RC(0);
}
CUresult cuDeviceGetName(char* name, int len, CUdevice) { std::snprintf(name, len, "dsb4j host emulator"); return RC(0); }
CUresult cuDeviceGetAttribute(int* v, CUdevice_attribute a, CUdevice) {
    switch ((int) a) {
        case 1: *v = 1024; return RC(0);        // max threads per block
        case 16: *v = 4; return RC(0);          // multiprocessors
        case 75: *v = 9; return RC(0);          // compute capability 9.0
        case 76: *v = 0; return RC(0);
        default: return RC(1);
    }
}
CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice) { *bytes = (size_t) 1 << 30; return RC(0); }
CUresult cuDevicePrimaryCtxRetain(CUcontext* c, CUdevice) { *c = (CUcontext) &the_context; return RC(0); }
CUresult cuDevicePrimaryCtxRelease_v2(CUdevice) { return RC(0); }
CUresult cuCtxSetCurrent(CUcontext c) { return RC(c == (CUcontext) &the_context ? 0 : 201); }

CUresult cuMemAlloc_v2(CUdeviceptr* p, size_t bytes) {
    if (bytes == 0) return RC(1);               // as the real driver: CUDA_ERROR_INVALID_VALUE
    {
        std::lock_guard<std::mutex> l(emu::mu);
        if (emu::memory_limit != 0 && emu::live_bytes + bytes > emu::memory_limit) return RC(2);   // out of memory
    }
    unsigned char* raw = (unsigned char*) std::aligned_alloc(256, (2 * emu::GUARD + bytes + 255) / 256 * 256);
    if (raw == nullptr) return RC(2);
    std::memset(raw, emu::GUARD_BYTE, emu::GUARD);
    std::memset(raw + emu::GUARD, 0xFF, bytes);  // NaN in both float and double: reads of unset memory show
    std::memset(raw + emu::GUARD + bytes, emu::GUARD_BYTE, emu::GUARD);
    uintptr_t user = (uintptr_t) (raw + emu::GUARD);
    std::lock_guard<std::mutex> l(emu::mu);
    emu::allocs[user] = {raw, bytes};
    emu::live_bytes += bytes;
    *p = (CUdeviceptr) user;
    return RC(0);
}

CUresult cuMemFree_v2(CUdeviceptr p) {
    std::lock_guard<std::mutex> l(emu::mu);
    auto it = emu::allocs.find((uintptr_t) p);
    if (it == emu::allocs.end()) return RC(1);
    int rc = emu::guards_intact(it->first, it->second) ? 0 : 700;
    std::free(it->second.raw);
    emu::live_bytes -= it->second.size;
    emu::allocs.erase(it);
    return RC(rc);
}

CUresult cuMemGetInfo_v2(size_t* free_bytes, size_t* total) { *free_bytes = (size_t) 1 << 29; *total = (size_t) 1 << 30; return RC(0); }

CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void* src, size_t bytes, CUstream) {
    std::lock_guard<std::mutex> l(emu::mu);
    if (!emu::inside((uintptr_t) dst, bytes)) return RC(1);
    std::memcpy((void*) (uintptr_t) dst, src, bytes);
    return RC(0);
}
CUresult cuMemcpyDtoHAsync_v2(void* dst, CUdeviceptr src, size_t bytes, CUstream) {
    std::lock_guard<std::mutex> l(emu::mu);
    if (!emu::inside((uintptr_t) src, bytes)) return RC(1);
    std::memcpy(dst, (const void*) (uintptr_t) src, bytes);
    return RC(0);
}
CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes, CUstream) {
    std::lock_guard<std::mutex> l(emu::mu);
    if (!emu::inside((uintptr_t) dst, bytes) || !emu::inside((uintptr_t) src, bytes)) return RC(1);
    std::memmove((void*) (uintptr_t) dst, (const void*) (uintptr_t) src, bytes);
    return RC(0);
}
CUresult cuMemsetD32Async(CUdeviceptr p, unsigned int v, size_t n, CUstream) {
    std::lock_guard<std::mutex> l(emu::mu);
    if (!emu::inside((uintptr_t) p, n * 4)) return RC(1);
    unsigned int* w = (unsigned int*) (uintptr_t) p;
    for (size_t i = 0; i < n; i++) w[i] = v;
    return RC(0);
}

CUresult cuModuleLoadData(CUmodule* m, const void* image) {
    if (std::strncmp((const char*) image, "EMU", 3) != 0) return RC(200);   // CUDA_ERROR_INVALID_IMAGE
    *m = (CUmodule) &the_module;
    return RC(0);
}
CUresult cuModuleUnload(CUmodule m) { return RC(m == (CUmodule) &the_module ? 0 : 400); }
CUresult cuModuleGetFunction(CUfunction* f, CUmodule, const char* name) {
    for (const EmuKernel* k = emu_kernels; k->name != nullptr; k++)
        if (std::strcmp(k->name, name) == 0) { *f = (CUfunction) k; return RC(0); }
    return RC(500);                               // CUDA_ERROR_NOT_FOUND
}

// Runs at most 4 blocks of at most 4 threads (the kernels are grid-stride loops, correct for any launch
// size), one launch at a time. The threads of a block are fibers run in rounds: each runs until it reaches
// __syncthreads() or ends; a round where some ended and others wait at a barrier is a divergent barrier.
namespace emu {
std::mutex launch_mu;
const size_t FIBER_STACK = 256 * 1024;
ucontext_t scheduler, fibers[4];
std::vector<char> stacks[4];
bool done[4];
const EmuKernel* running;
void** running_params;

void fiber_main() {
    running->run(running_params);
    done[threadIdx.x] = true;                   // returning resumes the scheduler (uc_link)
}
}  // namespace emu

CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared, CUstream stream, void** params, void** extra) {
    if (gx == 0 || gy != 1 || gz != 1 || bx == 0 || bx > 1024 || by != 1 || bz != 1 || shared > 48 * 1024) return RC(1);
    if (params == nullptr || extra != nullptr || stream != (CUstream) &the_stream) return RC(1);
    const EmuKernel* k = (const EmuKernel*) f;
    {
        std::lock_guard<std::mutex> l(emu::mu);
        emu::launches[k->name]++;
    }
    std::lock_guard<std::mutex> serial(emu::launch_mu);
    unsigned grid = gx < 4 ? gx : 4, block = bx < 4 ? bx : 4;
    gridDim = {grid, 1, 1};
    blockDim = {block, 1, 1};
    emu::running = k;
    emu::running_params = params;
    for (unsigned b = 0; b < grid; b++) {
        blockIdx = {b, 0, 0};
        for (unsigned t = 0; t < block; t++) {
            if (emu::stacks[t].empty()) emu::stacks[t].resize(emu::FIBER_STACK);
            getcontext(&emu::fibers[t]);
            emu::fibers[t].uc_stack.ss_sp = emu::stacks[t].data();
            emu::fibers[t].uc_stack.ss_size = emu::FIBER_STACK;
            emu::fibers[t].uc_link = &emu::scheduler;
            makecontext(&emu::fibers[t], emu::fiber_main, 0);
            emu::done[t] = false;
        }
        emu_scheduler = &emu::scheduler;
        for (;;) {
            unsigned ended = 0;
            for (unsigned t = 0; t < block; t++) {
                if (emu::done[t]) { ended++; continue; }
                threadIdx = {t, 0, 0};
                emu_current_fiber = &emu::fibers[t];
                swapcontext(&emu::scheduler, &emu::fibers[t]);
                if (emu::done[t]) ended++;
            }
            if (ended == block) break;
            if (ended != 0) {
                emu_scheduler = nullptr;
                std::fprintf(stderr, "emu: kernel %s: some threads of block %u ended while others wait at __syncthreads\n", k->name, b);
                return RC(719);                 // CUDA_ERROR_LAUNCH_FAILED
            }
        }
        emu_scheduler = nullptr;
    }
    std::lock_guard<std::mutex> l(emu::mu);
    for (int i = 0; k->params[i] != 0; i++)
        if (k->params[i] == 'p') {
            int rc = emu::check_guards_around(*(uintptr_t*) params[i], k->name);
            if (rc != 0) return RC(rc);
        }
    return RC(0);
}

CUresult cuStreamCreate(CUstream* s, unsigned int) { *s = (CUstream) &the_stream; return RC(0); }
CUresult cuStreamDestroy_v2(CUstream s) { return RC(s == (CUstream) &the_stream ? 0 : 400); }
CUresult cuStreamSynchronize(CUstream s) { return RC(s == (CUstream) &the_stream ? 0 : 400); }
CUresult cuEventCreate(CUevent* e, unsigned int) { *e = (CUevent) new int(0); return RC(0); }
CUresult cuEventRecord(CUevent, CUstream) { return RC(0); }
CUresult cuEventSynchronize(CUevent) { return RC(0); }
CUresult cuEventElapsedTime_v2(float* ms, CUevent, CUevent) { *ms = 0.0f; return RC(0); }
CUresult cuEventDestroy_v2(CUevent e) { delete (int*) e; return RC(0); }

CUresult cuGetErrorName(CUresult code, const char** name) {
    switch ((int) code) {
        case 0: *name = "CUDA_SUCCESS"; return RC(0);
        case 1: *name = "CUDA_ERROR_INVALID_VALUE"; return RC(0);
        case 2: *name = "CUDA_ERROR_OUT_OF_MEMORY"; return RC(0);
        case 34: *name = "CUDA_ERROR_STUB_LIBRARY"; return RC(0);
        case 100: *name = "CUDA_ERROR_NO_DEVICE"; return RC(0);
        case 101: *name = "CUDA_ERROR_INVALID_DEVICE"; return RC(0);
        case 200: *name = "CUDA_ERROR_INVALID_IMAGE"; return RC(0);
        case 201: *name = "CUDA_ERROR_INVALID_CONTEXT"; return RC(0);
        case 400: *name = "CUDA_ERROR_INVALID_HANDLE"; return RC(0);
        case 500: *name = "CUDA_ERROR_NOT_FOUND"; return RC(0);
        case 700: *name = "CUDA_ERROR_ILLEGAL_ADDRESS"; return RC(0);
        default: *name = nullptr; return RC(1);
    }
}

}  // extern "C"

