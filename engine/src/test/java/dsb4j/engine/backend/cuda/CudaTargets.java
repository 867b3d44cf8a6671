package dsb4j.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the CUDA tests run: {@code gpu}, the real device through the libraries found on this machine, and
 * {@code emulator}, the host-side stand-in built from the same kernel sources. Each is opened once per JVM
 * and kept; an unavailable one is skipped with its reason printed (the GPU fails instead under
 * {@code -Ddsb4j.cuda.requireGpu=true}, which run-on-gpu.sh sets, as it sets {@code -Ddsb4j.cuda.skipEmulator=true}:
 * the emulator is checked where CI runs, and device time is scarce). The {@code -plain} twins have no cuBLAS,
 * so GEMM goes through the plain kernel.
 */
public final class CudaTargets {
    private CudaTargets() {}

    record Target(String name, CudaBackend backend, String reason) {}

    private static final Map<String, Target> OPEN = new HashMap<>();

    /** The names to parameterise tests with. */
    public static Stream<String> names() { return Stream.of("gpu", "emulator"); }

    public static Stream<String> namesWithPlainGemm() { return Stream.of("gpu", "gpu-plain", "emulator", "emulator-plain"); }

    /** The libraries of a target, or null with the reason in {@code why[0]}. */
    static CudaLibraries libraries(String name, String[] why) {
        boolean plain = name.endsWith("-plain");
        CudaLibraries libs;
        if (name.startsWith("gpu")) {
            CudaProvider.Probe p = CudaProvider.probe();
            libs = p.libraries();
            why[0] = p.reason() == null ? null : "no GPU here: " + p.reason();
        } else if (Boolean.getBoolean("dsb4j.cuda.skipEmulator")) {
            why[0] = "skipped under -Ddsb4j.cuda.skipEmulator=true";
            return null;
        } else {
            CudaEmulator.Build b = CudaEmulator.get();
            libs = b.libraries();
            why[0] = b.reason();
        }
        if (libs == null) return null;
        return plain ? new CudaLibraries(libs.driver(), libs.nvrtc(), null, libs.description() + " without cuBLAS") : libs;
    }

    /** The open backend of {@code name}; skips the calling test (printing why) when it is not available. */
    public static synchronized CudaBackend backend(String name) {
        Target t = OPEN.get(name);
        if (t == null) {
            String[] why = new String[1];
            CudaLibraries libs = libraries(name, why);
            if (libs == null) {
                t = new Target(name, null, why[0]);
            } else {
                CudaBackend b = CudaBackend.open(libs, new CudaBackend.Options(0, false, true));
                System.out.println("[cuda tests] target " + name + ": " + b.describe());
                t = new Target(name, b, null);
            }
            OPEN.put(name, t);
        }
        Target open = t;
        if (open.backend == null && name.startsWith("gpu") && Boolean.getBoolean("dsb4j.cuda.requireGpu"))
            fail("dsb4j.cuda.requireGpu is set but target " + name + " is unavailable: " + open.reason);
        if (open.backend == null) System.out.println("[cuda tests] skipping target " + name + ": " + open.reason);
        assumeTrue(open.backend != null, () -> "target " + name + " unavailable: " + open.reason);
        return open.backend;
    }
}
