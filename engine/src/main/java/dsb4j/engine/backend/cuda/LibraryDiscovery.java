package dsb4j.engine.backend.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds and loads the CUDA libraries. The driver ({@code libcuda.so.1}) comes with the NVIDIA driver, not the
 * toolkit: the loader's own search by soname, then the usual driver folders, and never the toolkit's stub
 * {@code libcuda.so} (it loads, then fails every call with CUDA_ERROR_STUB_LIBRARY). NVRTC and cuBLAS come
 * from the toolkit: {@code CUDA_HOME}, {@code CUDA_PATH}, {@code /usr/local/cuda} (their
 * {@code targets/<arch>-linux/lib}, {@code lib64}, {@code lib}), then the loader's search by soname, newest
 * major first. Each one's companion is loaded first from the same folder: NVRTC dlopens
 * {@code libnvrtc-builtins} by soname (error 7 when the loader cannot find it), cuBLAS needs {@code libcublasLt}.
 */
final class LibraryDiscovery {
    private LibraryDiscovery() {}

    static final String DRIVER = "libcuda.so.1";
    static final int[] MAJORS = {13, 12};
    /** Where distributions and container runtimes put the driver when the loader cache does not list it. */
    static final List<Path> DRIVER_FOLDERS = List.of(Path.of("/usr/local/nvidia/lib64"), Path.of("/usr/lib/x86_64-linux-gnu"),
            Path.of("/usr/lib64"), Path.of("/usr/lib/aarch64-linux-gnu"), Path.of("/usr/lib/wsl/lib"));

    /** Loads one library by soname (loader search) or by path; throws IllegalArgumentException when it cannot. */
    interface Loader {
        SymbolLookup load(String nameOrPath);

        Loader SYSTEM = nameOrPath -> nameOrPath.contains("/")
                ? SymbolLookup.libraryLookup(Path.of(nameOrPath), Arena.global())
                : SymbolLookup.libraryLookup(nameOrPath, Arena.global());
    }

    /** What the search found: the libraries, or one line saying why not. */
    record Result(CudaLibraries libraries, String reason) {}

    /** One library found (null lookup when not), with where it came from or why it failed. */
    record Found(SymbolLookup lookup, String where, String failure) {}

    static Result find() { return find(System.getenv(), DRIVER_FOLDERS, Loader.SYSTEM); }

    static Result find(Map<String, String> env, List<Path> driverFolders, Loader loader) {
        Found driver = driver(driverFolders, loader);
        if (driver.lookup == null) return new Result(null, driver.failure);
        List<Path> folders = toolkitFolders(env);
        Found nvrtc = versioned("libnvrtc", "libnvrtc-builtins", folders, loader);
        if (nvrtc.lookup == null) return new Result(null, nvrtc.failure);
        Found cublas = versioned("libcublas", "libcublasLt", folders, loader);   // optional: a plain GEMM kernel stands in
        return new Result(new CudaLibraries(driver.lookup, nvrtc.lookup, cublas.lookup,
                driver.where + ", " + nvrtc.where + ", " + (cublas.lookup != null ? cublas.where : "no cuBLAS (" + cublas.failure + ")")), null);
    }

    static Found driver(List<Path> folders, Loader loader) {
        Found f = tryLoad(DRIVER, loader, new ArrayList<>());     // a missing soname says nothing worth repeating
        if (f != null) return f;
        List<String> failures = new ArrayList<>();                // a file that is there but does not load does
        for (Path dir : folders) {
            Path p = dir.resolve(DRIVER);
            if (Files.isRegularFile(p) && (f = tryLoad(p.toString(), loader, failures)) != null) return f;
        }
        return new Found(null, null, DRIVER + " not found (no NVIDIA driver on this machine)"
                + (failures.isEmpty() ? "" : ": " + String.join("; ", failures)));
    }

    /** Existing toolkit library folders, in search order, without duplicates. */
    static List<Path> toolkitFolders(Map<String, String> env) {
        Set<Path> roots = new LinkedHashSet<>();
        for (String var : new String[]{"CUDA_HOME", "CUDA_PATH"}) {
            String v = env.get(var);
            if (v != null && !v.isBlank()) roots.add(Path.of(v));
        }
        roots.add(Path.of("/usr/local/cuda"));
        String target = System.getProperty("os.arch").contains("aarch64") ? "sbsa-linux" : "x86_64-linux";
        Set<Path> out = new LinkedHashSet<>();
        for (Path r : roots)
            for (Path d : new Path[]{r.resolve("targets").resolve(target).resolve("lib"), r.resolve("lib64"), r.resolve("lib")})
                if (Files.isDirectory(d)) out.add(normalise(d));
        return new ArrayList<>(out);
    }

    private static Path normalise(Path p) {
        try { return p.toRealPath(); } catch (java.io.IOException e) { return p.toAbsolutePath().normalize(); }
    }

    /**
     * {@code base.so.<major>} from the folders (companion first), then by soname; newest major first.
     * A file that exists but does not load is reported, not skipped silently.
     */
    static Found versioned(String base, String companion, List<Path> folders, Loader loader) {
        List<String> failures = new ArrayList<>();
        for (int major : MAJORS) {
            for (Path dir : folders) {
                Path lib = dir.resolve(base + ".so." + major);
                if (!Files.isRegularFile(lib)) continue;
                Path comp = companion(dir, companion, major);
                if (comp != null) tryLoad(comp.toString(), loader, failures);    // failures here show up below if it matters
                Found f = tryLoad(lib.toString(), loader, failures);
                if (f != null) return f;
            }
        }
        for (int major : MAJORS) {
            Found f = tryLoad(base + ".so." + major, loader, new ArrayList<>());
            if (f != null) return f;
        }
        String names = base + ".so." + MAJORS[0] + "/." + MAJORS[1];
        return new Found(null, null, names + " not found in " + (folders.isEmpty() ? "no toolkit folder" : folders)
                + " nor on the loader path (set CUDA_HOME to the CUDA toolkit)"
                + (failures.isEmpty() ? "" : "; " + String.join("; ", failures)));
    }

    /** The companion for this major in dir: the exact soname if present, else the longest versioned name. */
    static Path companion(Path dir, String companion, int major) {
        Path exact = dir.resolve(companion + ".so." + major);
        if (Files.isRegularFile(exact)) return exact;
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(companion + ".so." + major + "."))
                    .filter(Files::isRegularFile)
                    .max((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static Found tryLoad(String nameOrPath, Loader loader, List<String> failures) {
        try {
            return new Found(loader.load(nameOrPath), nameOrPath, null);
        } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
            failures.add("cannot load " + nameOrPath + ": " + e.getMessage());
            return null;
        }
    }
}
