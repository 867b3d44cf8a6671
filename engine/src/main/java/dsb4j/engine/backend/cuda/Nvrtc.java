package dsb4j.engine.backend.cuda;

import static dsb4j.engine.backend.cuda.Ffm.*;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Thin bindings of NVRTC, the runtime CUDA C++ compiler ({@code libnvrtc.so.13} or {@code .12}), and the
 * one policy that belongs with them: compile to a cubin for the device's own {@code sm_XY}, fall back to
 * PTX for {@code compute_XY} (which the driver JIT-compiles) when this NVRTC cannot emit that cubin, and
 * to the newest virtual architecture it knows below the device's when it does not know the device at all.
 */
final class Nvrtc {
    static final int NVRTC_ERROR_INVALID_OPTION = 5;
    static final int NVRTC_ERROR_COMPILATION = 6;
    static final int NVRTC_ERROR_BUILTIN_OPERATION_FAILURE = 7;

    /** A compiled module image: a cubin, or NUL-terminated PTX text. */
    record Image(byte[] bytes, boolean cubin, String arch, String log) {}

    private record Attempt(int code, String function, Image image, String log) {}

    private final MethodHandle create, compile, destroy, logSize, log, cubinSize, cubin, ptxSize, ptx, errorString,
            version, numArchs, archs;

    Nvrtc(SymbolLookup lib) {
        String l = "libnvrtc";
        create = bind(lib, l, "nvrtcCreateProgram", status(PTR, PTR, PTR, INT, PTR, PTR));
        compile = bind(lib, l, "nvrtcCompileProgram", status(PTR, INT, PTR));
        destroy = bind(lib, l, "nvrtcDestroyProgram", status(PTR));
        logSize = bind(lib, l, "nvrtcGetProgramLogSize", status(PTR, PTR));
        log = bind(lib, l, "nvrtcGetProgramLog", status(PTR, PTR));
        cubinSize = bind(lib, l, "nvrtcGetCUBINSize", status(PTR, PTR));
        cubin = bind(lib, l, "nvrtcGetCUBIN", status(PTR, PTR));
        ptxSize = bind(lib, l, "nvrtcGetPTXSize", status(PTR, PTR));
        ptx = bind(lib, l, "nvrtcGetPTX", status(PTR, PTR));
        errorString = bind(lib, l, "nvrtcGetErrorString", FunctionDescriptor.of(PTR, INT));
        version = bind(lib, l, "nvrtcVersion", status(PTR, PTR));
        numArchs = bindOptional(lib, "nvrtcGetNumSupportedArchs", status(PTR));
        archs = bindOptional(lib, "nvrtcGetSupportedArchs", status(PTR));
    }

    String errorName(int code) {
        try {
            String s = string((MemorySegment) errorString.invokeExact(code));
            if (s != null) return s;
        } catch (Throwable ignored) {
            // fall through: naming an error must never throw
        }
        return "NVRTC_ERROR_" + code;
    }

    /** "13.0" */
    String version() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment major = a.allocate(INT), minor = a.allocate(INT);
            check("nvrtcVersion", (int) version.invokeExact(major, minor), null);
            return major.get(INT, 0) + "." + minor.get(INT, 0);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /** The architectures this NVRTC can target, e.g. [75, 80, ..., 120]; empty when it cannot say. */
    int[] supportedArchs() {
        if (numArchs == null || archs == null) return new int[0];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocate(INT);
            if ((int) numArchs.invokeExact(n) != 0) return new int[0];
            MemorySegment list = a.allocate(INT, Math.max(1, n.get(INT, 0)));
            if ((int) archs.invokeExact(list) != 0) return new int[0];
            return list.asSlice(0, 4L * n.get(INT, 0)).toArray(INT);
        } catch (Throwable t) { throw rethrow(t); }
    }

    /**
     * Compiles {@code source} for a device of compute capability major.minor. {@code headers} maps
     * include names to their text; {@code options} come before the architecture option.
     */
    Image compileForDevice(String name, String source, Map<String, String> headers, List<String> options, int major, int minor) {
        int cc = major * 10 + minor;
        Attempt a = attempt(name, source, headers, options, "sm_" + cc, true);
        if (a.image != null) return a.image;
        failIfSourceError(name, a);
        a = attempt(name, source, headers, options, "compute_" + cc, false);
        if (a.image != null) return a.image;
        failIfSourceError(name, a);
        int best = -1;
        for (int arch : supportedArchs()) if (arch <= cc && arch > best) best = arch;
        if (best > 0) {
            a = attempt(name, source, headers, options, "compute_" + best, false);
            if (a.image != null) return a.image;
        }
        throw new CudaException(a.function, a.code, errorName(a.code),
                "compiling " + name + " for compute capability " + major + "." + minor + " (NVRTC " + version() + ")" + logText(a.log));
    }

    /** A source error or a broken installation ends the search; an unknown architecture does not. */
    private void failIfSourceError(String name, Attempt a) {
        if (a.code == NVRTC_ERROR_COMPILATION)
            throw new CudaException(a.function, a.code, errorName(a.code), "compiling " + name + logText(a.log));
        if (a.code == NVRTC_ERROR_BUILTIN_OPERATION_FAILURE)
            throw new CudaException(a.function, a.code, errorName(a.code), "libnvrtc-builtins could not be loaded: "
                    + "put the CUDA toolkit's lib folder on LD_LIBRARY_PATH or set CUDA_HOME" + logText(a.log));
    }

    private static String logText(String log) { return log == null || log.isBlank() ? "" : "\n" + log.strip(); }

    private Attempt attempt(String name, String source, Map<String, String> headers, List<String> options, String arch, boolean wantCubin) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment progOut = a.allocate(PTR);
            List<String> hNames = new ArrayList<>(headers.keySet());
            MemorySegment hSrc = a.allocate(PTR, Math.max(1, hNames.size())), hInc = a.allocate(PTR, Math.max(1, hNames.size()));
            for (int i = 0; i < hNames.size(); i++) {
                hSrc.setAtIndex(PTR, i, a.allocateFrom(headers.get(hNames.get(i))));
                hInc.setAtIndex(PTR, i, a.allocateFrom(hNames.get(i)));
            }
            int rc = (int) create.invokeExact(progOut, a.allocateFrom(source), a.allocateFrom(name), hNames.size(), hSrc, hInc);
            if (rc != 0) return new Attempt(rc, "nvrtcCreateProgram", null, null);
            MemorySegment prog = progOut.get(PTR, 0);
            try {
                List<String> opts = new ArrayList<>(options);
                opts.add("--gpu-architecture=" + arch);
                MemorySegment optv = a.allocate(PTR, opts.size());
                for (int i = 0; i < opts.size(); i++) optv.setAtIndex(PTR, i, a.allocateFrom(opts.get(i)));
                rc = (int) compile.invokeExact(prog, opts.size(), optv);
                String text = programLog(a, prog);
                if (rc != 0) return new Attempt(rc, "nvrtcCompileProgram", null, text);
                byte[] bytes = wantCubin ? output(a, prog, cubinSize, cubin) : output(a, prog, ptxSize, ptx);
                if (bytes == null || bytes.length == 0)
                    return new Attempt(NVRTC_ERROR_INVALID_OPTION, wantCubin ? "nvrtcGetCUBIN" : "nvrtcGetPTX", null, text);
                return new Attempt(0, null, new Image(bytes, wantCubin, arch, text), text);
            } finally {
                int ignored = (int) destroy.invokeExact(progOut);
            }
        } catch (Throwable t) { throw rethrow(t); }
    }

    private String programLog(Arena a, MemorySegment prog) throws Throwable {
        MemorySegment n = a.allocate(LONG);
        if ((int) logSize.invokeExact(prog, n) != 0 || n.get(LONG, 0) <= 1) return "";
        MemorySegment buf = a.allocate(n.get(LONG, 0));
        if ((int) log.invokeExact(prog, buf) != 0) return "";
        return buf.getString(0);
    }

    /** The compiled output, or null when this program has none of that kind. */
    private static byte[] output(Arena a, MemorySegment prog, MethodHandle size, MethodHandle get) throws Throwable {
        MemorySegment n = a.allocate(LONG);
        if ((int) size.invokeExact(prog, n) != 0 || n.get(LONG, 0) == 0) return null;
        MemorySegment buf = a.allocate(n.get(LONG, 0));
        if ((int) get.invokeExact(prog, buf) != 0) return null;
        return buf.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    private void check(String function, int code, String detail) {
        if (code != 0) throw new CudaException(function, code, errorName(code), detail);
    }
}
