package dsb4j.engine.backend;

import dsb4j.engine.backend.cuda.CudaTargets;
import java.util.stream.Stream;

/**
 * Every backend a contract suite runs on, by name: {@code scalar} (the definition), {@code cpu-1} and {@code cpu-2}
 * (the Vector API backend on one and two threads), and the CUDA targets of {@link CudaTargets} ({@code gpu}, the real
 * device where one is found, and {@code emulator}); an unavailable target skips the calling test with its reason.
 */
public final class BackendTargets {
    private BackendTargets() {}

    /**
     * The names to parameterise a contract suite with. The build's narrow-vector runs (which set
     * {@code dsb4j.maxVectorBytes} beside -XX:MaxVectorSize) re-check the CPU only: nothing else depends on the width.
     */
    public static Stream<String> names() { return narrowed(Stream.concat(Stream.of("scalar", "cpu-1", "cpu-2"), CudaTargets.names())); }

    private static Stream<String> narrowed(Stream<String> names) {
        return Integer.getInteger("dsb4j.maxVectorBytes") == null ? names : names.filter(n -> n.startsWith("cpu"));
    }

    /** With the CUDA targets' twins without cuBLAS ({@code gpu-plain}, {@code emulator-plain}: the plain GEMM kernel). */
    public static Stream<String> namesWithPlainGemm() {
        return narrowed(Stream.concat(Stream.of("scalar", "cpu-1", "cpu-2"), CudaTargets.namesWithPlainGemm()));
    }

    public static Backend backend(String name) {
        return switch (name) {
            case "scalar" -> Backends.scalar();
            case "cpu-1" -> Backends.cpu(1);
            case "cpu-2" -> Backends.cpu(2);
            default -> CudaTargets.backend(name);
        };
    }
}
