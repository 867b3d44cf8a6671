package dsb4j.engine.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts a Java program as K ranks on this machine through Open MPI's {@code mpirun}, as a user would: for the
 * tests and benchmarks of distributed training. Root is allowed through mpirun's environment variables, more ranks
 * than cores are allowed, and the single-copy shared-memory transport is off (containers often forbid the
 * cross-process reads it makes); core binding is left to {@code mpirunOptions}.
 */
public final class LocalJob {
    private LocalJob() {}

    /** What a job printed (stdout and stderr of every rank and of mpirun, interleaved), how it ended, how long it took. */
    public record Result(int exitCode, String output, double seconds) {}

    /** The mpirun on PATH, if any. */
    public static Optional<Path> mpirun() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "mpirun");
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** The JVM command of a rank: this JVM, the project's flags, this JVM's classpath, {@code main} and its arguments. */
    public static List<String> java(String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xss8m", "-XX:+UseParallelGC",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs {@code command} as {@code ranks} ranks in {@code dir} (null: this process's), with extra mpirun options
     * (e.g. "--bind-to", "none") and environment; kills the job and throws an IllegalStateException holding its output
     * when it runs longer than {@code timeoutSeconds}.
     */
    public static Result run(int ranks, List<String> mpirunOptions, List<String> command, Path dir, Map<String, String> env,
                             int timeoutSeconds) throws IOException, InterruptedException {
        return start(ranks, mpirunOptions, command, dir, env).await(timeoutSeconds);
    }

    /** A job started by {@link #start}: mpirun's process and what the job printed so far. */
    public static final class Running {
        private final Process mpirun;
        private final List<String> command;
        private final StringBuffer output = new StringBuffer();
        private final Thread reader;
        private final long t0 = System.nanoTime();

        private Running(Process mpirun, List<String> command) {
            this.mpirun = mpirun;
            this.command = command;
            this.reader = Thread.ofVirtual().start(() -> {
                try (var in = mpirun.getInputStream()) {
                    byte[] buf = new byte[8192];
                    for (int n; (n = in.read(buf)) > 0; ) output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the job was killed
                }
            });
        }

        /** mpirun's process; the ranks are among its descendants. */
        public Process process() { return mpirun; }

        /** What the job printed so far. */
        public String output() { return output.toString(); }

        /** Waits for the job's end; past {@code timeoutSeconds} kills it and throws an IllegalStateException with its output. */
        public Result await(int timeoutSeconds) throws InterruptedException {
            if (!mpirun.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                mpirun.descendants().forEach(ProcessHandle::destroyForcibly);
                mpirun.destroyForcibly();
                reader.join(5_000);
                throw new IllegalStateException("mpirun did not end within " + timeoutSeconds + " s: " + command + "\n" + output);
            }
            reader.join();
            return new Result(mpirun.exitValue(), output.toString(), (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Starts {@code command} as {@code ranks} ranks, as {@link #run} does, without waiting. */
    public static Running start(int ranks, List<String> mpirunOptions, List<String> command, Path dir, Map<String, String> env) throws IOException {
        Path mpirun = mpirun().orElseThrow(() -> new IllegalStateException("mpirun not found on PATH (install Open MPI: apt-get install openmpi-bin)"));
        List<String> cmd = new ArrayList<>(List.of(mpirun.toString(), "-np", String.valueOf(ranks), "--oversubscribe",
                "--mca", "btl_vader_single_copy_mechanism", "none"));
        cmd.addAll(mpirunOptions);
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) pb.directory(dir.toFile());
        pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT", "1");
        pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
        pb.environment().putAll(env);
        return new Running(pb.start(), cmd);
    }
}
