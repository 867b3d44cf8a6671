// A stand-in for libnvrtc (see emu_driver.cpp): it compiles nothing (CudaEmulator built the kernels with g++
// already) but checks what the backend hands over (both headers, an architecture, --fmad=false), follows
// NVRTC's rules for cubin and PTX output, and plays an unknown architecture, a source error and a missing
// libnvrtc-builtins on request, so the compile policy in Nvrtc.java can be tested.
#include <string>

// ---- NVRTC ------------------------------------------------------------------------------------------------

struct _nvrtcProgram { std::string name, arch, log, source; bool compiled = false; };
typedef struct _nvrtcProgram* nvrtcProgram;
typedef int nvrtcResult;

extern "C" {

nvrtcResult nvrtcCreateProgram(nvrtcProgram* prog, const char* src, const char* name, int numHeaders,
                               const char* const* headers, const char* const* includeNames) {
    if (prog == nullptr || src == nullptr || numHeaders < 0) return 3;
    bool common = false, ops = false;
    for (int i = 0; i < numHeaders; i++) {
        if (std::strcmp(includeNames[i], "common.cuh") == 0 && std::strstr(headers[i], "DSB4J_COMMON_CUH")) common = true;
        if (std::strcmp(includeNames[i], "dsb4j_ops.h") == 0 && std::strstr(headers[i], "DSB4J_UNARY_NEG")) ops = true;
    }
    if (!common || !ops) return 3;              // the Java side must hand over both headers
    *prog = new _nvrtcProgram();
    (*prog)->name = name == nullptr ? "default_program" : name;
    (*prog)->source = src;
    return 0;
}

nvrtcResult nvrtcCompileProgram(nvrtcProgram prog, int n, const char* const* options) {
    std::string arch;
    bool fmad_off = false;
    for (int i = 0; i < n; i++) {
        if (std::strncmp(options[i], "--gpu-architecture=", 19) == 0) arch = options[i] + 19;
        if (std::strcmp(options[i], "--fmad=false") == 0) fmad_off = true;
    }
    if (arch.empty() || !fmad_off) { prog->log = "emu: missing --gpu-architecture or --fmad=false"; return 5; }
    if (emu::fail_cubin && arch.rfind("sm_", 0) == 0) { prog->log = "emu: cannot emit a cubin for " + arch; return 5; }
    // Architectures this stand-in "knows" (as nvrtcGetSupportedArchs says); others are an invalid option.
    std::string number = arch.substr(arch.find('_') + 1);
    if (number != "75" && number != "80" && number != "86" && number != "89" && number != "90") {
        prog->log = "nvrtc: error: invalid value for --gpu-architecture (-arch)";
        return 5;
    }
    // Stand-ins for a source error and for a missing libnvrtc-builtins, triggered by markers in the source.
    if (prog->source.find("#error") != std::string::npos) { prog->log = prog->name + "(1): error: a planted error"; return 6; }
    if (prog->source.find("DSB4J_EMU_NO_BUILTINS") != std::string::npos) return 7;
    prog->arch = arch;
    prog->compiled = true;
    emu::compiles++;
    return 0;
}

static std::string emu_image(nvrtcProgram p) { return "EMU image of " + p->name + " for " + p->arch; }

nvrtcResult nvrtcGetCUBINSize(nvrtcProgram p, size_t* n) {
    *n = p->compiled && p->arch.rfind("sm_", 0) == 0 ? emu_image(p).size() + 1 : 0;
    return 0;
}
nvrtcResult nvrtcGetCUBIN(nvrtcProgram p, char* out) {
    if (!p->compiled || p->arch.rfind("sm_", 0) != 0) return 4;
    std::string s = emu_image(p);
    std::memcpy(out, s.c_str(), s.size() + 1);
    return 0;
}
nvrtcResult nvrtcGetPTXSize(nvrtcProgram p, size_t* n) {
    if (!p->compiled || p->arch.rfind("compute_", 0) != 0) return 4;
    *n = emu_image(p).size() + 1;
    return 0;
}
nvrtcResult nvrtcGetPTX(nvrtcProgram p, char* out) {
    if (!p->compiled || p->arch.rfind("compute_", 0) != 0) return 4;
    std::string s = emu_image(p);
    std::memcpy(out, s.c_str(), s.size() + 1);
    return 0;
}
nvrtcResult nvrtcGetProgramLogSize(nvrtcProgram p, size_t* n) { *n = p->log.size() + 1; return 0; }
nvrtcResult nvrtcGetProgramLog(nvrtcProgram p, char* out) { std::memcpy(out, p->log.c_str(), p->log.size() + 1); return 0; }
nvrtcResult nvrtcDestroyProgram(nvrtcProgram* p) { delete *p; *p = nullptr; return 0; }
const char* nvrtcGetErrorString(nvrtcResult r) {
    static const char* names[] = {"NVRTC_SUCCESS", "NVRTC_ERROR_OUT_OF_MEMORY", "NVRTC_ERROR_PROGRAM_CREATION_FAILURE",
                                  "NVRTC_ERROR_INVALID_INPUT", "NVRTC_ERROR_INVALID_PROGRAM", "NVRTC_ERROR_INVALID_OPTION",
                                  "NVRTC_ERROR_COMPILATION", "NVRTC_ERROR_BUILTIN_OPERATION_FAILURE"};
    return r >= 0 && r < 8 ? names[r] : "NVRTC_ERROR unknown";
}
nvrtcResult nvrtcVersion(int* major, int* minor) { *major = 13; *minor = 0; return 0; }
nvrtcResult nvrtcGetNumSupportedArchs(int* n) { *n = 5; return 0; }
nvrtcResult nvrtcGetSupportedArchs(int* a) { int v[] = {75, 80, 86, 89, 90}; std::memcpy(a, v, sizeof v); return 0; }

}  // extern "C"

