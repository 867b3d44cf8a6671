package dsb4j.engine.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled kernels. Each source file is compiled by NVRTC at most once per process and architecture (the
 * images are kept process-wide) and loaded lazily, on first use, as one module per file into this backend's
 * context; functions are looked up once and kept. Closing unloads the modules.
 */
final class KernelCache implements AutoCloseable {
    /** Images by (NVRTC library, file, architecture): a second backend in the process compiles nothing. */
    private static final Map<List<Object>, Nvrtc.Image> IMAGES = new ConcurrentHashMap<>();

    private final Driver driver;
    private final Nvrtc nvrtc;
    private final Object compiler;
    private final CudaContext ctx;
    private final Map<KernelSources.File, MemorySegment> modules = new EnumMap<>(KernelSources.File.class);
    private final Map<String, MemorySegment> functions = new HashMap<>();
    private final Map<KernelSources.File, Nvrtc.Image> loaded = new EnumMap<>(KernelSources.File.class);

    /** {@code compiler} identifies the NVRTC library (its lookup), the process-wide key of compiled images. */
    KernelCache(Driver driver, Nvrtc nvrtc, Object compiler, CudaContext ctx) {
        this.driver = driver;
        this.nvrtc = nvrtc;
        this.compiler = compiler;
        this.ctx = ctx;
    }

    /** The kernel {@code name} of {@code file}, compiling and loading the file on first use. */
    synchronized MemorySegment function(KernelSources.File file, String name) {
        MemorySegment f = functions.get(name);
        if (f != null) return f;
        if (!file.kernels.contains(name)) throw new IllegalArgumentException("kernel " + name + " is not declared for " + file.fileName);
        MemorySegment module = modules.get(file);
        if (module == null) {
            Nvrtc.Image image = IMAGES.computeIfAbsent(List.of(compiler, file, ctx.arch()), k -> nvrtc.compileForDevice(
                    file.fileName, file.source(), KernelSources.headers(), KernelSources.OPTIONS, ctx.ccMajor, ctx.ccMinor));
            try (Arena a = Arena.ofConfined()) {
                byte[] bytes = image.cubin() ? image.bytes() : nulTerminated(image.bytes());
                module = driver.moduleLoad(a.allocateFrom(ValueLayout.JAVA_BYTE, bytes));
            }
            modules.put(file, module);
            loaded.put(file, image);
        }
        f = driver.function(module, name);
        functions.put(name, f);
        return f;
    }

    /** "cubin sm_90" or "PTX compute_90": what the loaded modules were built as (for the device report). */
    synchronized String describe() {
        return loaded.isEmpty() ? "no kernels loaded yet"
                : loaded.values().stream().map(i -> (i.cubin() ? "cubin " : "PTX ") + i.arch()).distinct()
                .reduce((x, y) -> x + ", " + y).orElse("");
    }

    private static byte[] nulTerminated(byte[] ptx) {
        if (ptx.length > 0 && ptx[ptx.length - 1] == 0) return ptx;
        return java.util.Arrays.copyOf(ptx, ptx.length + 1);
    }

    @Override public synchronized void close() {
        RuntimeException first = null;
        for (MemorySegment m : modules.values()) {
            try { driver.moduleUnload(m); } catch (RuntimeException e) { if (first == null) first = e; }
        }
        modules.clear();
        functions.clear();
        loaded.clear();
        if (first != null) throw first;
    }
}
