package dsb4j.engine.dist;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a Java main of the test classpath as K ranks under Open MPI's mpirun on this machine, as a user would
 * (root allowed through mpirun's environment variables, more ranks than cores allowed, no core binding, no
 * single-copy transport, which containers often forbid). Without mpirun on PATH the calling test is skipped with
 * one line (./test.sh installs Open MPI where it can).
 */
public final class MpiRun {
    private MpiRun() {}

    /** What a job printed (stdout and stderr of every rank and of mpirun, interleaved) and how it ended. */
    public record Result(int exitCode, String output, double seconds) {}

    /** mpirun on PATH, or the test is skipped. */
    public static Path mpirun() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "mpirun");
            if (Files.isExecutable(p)) return p;
        }
        assumeTrue(false, "mpirun not found: the MPI checks are skipped (./test.sh installs Open MPI with apt-get where it can)");
        return null;
    }

    /** The JVM command of the ranks: this JVM, the project's flags, this test run's classpath. */
    public static List<String> java(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss8m",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs {@code command} as {@code ranks} ranks; a job still running after {@code timeoutSeconds} is killed and fails the test. */
    public static Result run(int ranks, List<String> command, Path dir, int timeoutSeconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(mpirun().toString(), "-np", String.valueOf(ranks), "--oversubscribe", "--bind-to", "none",
                "--mca", "btl_vader_single_copy_mechanism", "none"));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) pb.directory(dir.toFile());
        pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT", "1");
        pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
        long t0 = System.nanoTime();
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the process was killed
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            reader.join(5_000);
            throw new AssertionError("mpirun did not end within " + timeoutSeconds + " s: " + cmd + "\n" + out);
        }
        reader.join();
        return new Result(p.exitValue(), out.toString(), (System.nanoTime() - t0) / 1e9);
    }
}
