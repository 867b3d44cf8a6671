package dsb4j.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The checked-in {@code SgemmKernels.java} is what {@code engine/src/build/SgemmKernelGen.java} writes: runs the
 * generator's {@code --check} mode with this JVM's {@code java} (a single-file source program, compiled on the fly).
 */
class SgemmKernelsUpToDateTest {

    @Test
    void generatedKernelsMatchTheGenerator() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        if (!Files.exists(root.resolve("engine/src/build/SgemmKernelGen.java"))) {
            root = root.getParent();   // surefire runs in the module folder
        }
        Path gen = root.resolve("engine/src/build/SgemmKernelGen.java");
        assumeTrue(Files.exists(gen), "generator not found from " + Path.of("").toAbsolutePath());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), gen.toString(), "--check")
                .directory(root.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), "generator timed out");
        assertEquals(0, p.exitValue(), out);
    }
}
