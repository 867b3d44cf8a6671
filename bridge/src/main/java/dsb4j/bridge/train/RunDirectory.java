package dsb4j.bridge.train;

import dsb4j.bridge.data.Points;
import dsb4j.bridge.data.Standardisation;
import dsb4j.bridge.io.Npy;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.io.AtomicFiles;
import dsb4j.engine.io.Json;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;

/**
 * The files of one run (docs/cli.md): config.json, metrics.jsonl, samples-ipf{@code <K>}.npy, data.npy, prior.npy and
 * checkpoint/. Plots are added by the command line, which owns the drawing code.
 * <p>
 * A run folder is never mixed with another run: {@link #create} refuses a folder that holds anything unless asked
 * to clear it, and {@link #create} and {@link #resume} hold an exclusive lock on {@code .lock} until {@link #close},
 * so a second process on the same folder is refused (the operating system drops the lock of a process that dies,
 * so a stale {@code .lock} file does not block). Temporary files left by a killed process are removed on start.
 * Every file is written to a temporary name and renamed.
 */
public final class RunDirectory implements AutoCloseable {
    /** The lock file; its content names the process holding it. */
    public static final String LOCK = ".lock";

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    /** A folder of run files without a lock (tests, and writers that own the folder already). */
    public RunDirectory(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.lockChannel = null;
        this.lock = null;
    }

    private RunDirectory(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = channel;
        this.lock = lock;
    }

    /**
     * A new run in {@code dir}, locked. A folder that holds anything but a stale lock file is refused, unless
     * {@code overwrite}: then a folder that looks like a run (config.json or checkpoint/ in it) is emptied first; any
     * other non-empty folder is refused even so, since clearing it could destroy unrelated files.
     *
     * @throws RunFolderException when the folder is refused or in use (nothing was changed)
     */
    public static RunDirectory create(Path dir, boolean overwrite) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir))
            throw new RunFolderException(dir + " exists and is a file, not a folder");
        boolean existed = Files.isDirectory(dir);
        List<Path> entries = existed ? entries(dir) : List.of();
        if (!entries.isEmpty()) {
            if (!overwrite)
                throw new RunFolderException(dir + " already holds " + describe(entries) + "; choose a new --out, continue the run with "
                        + "--resume " + dir + ", or replace it with --overwrite");
            if (!Files.exists(dir.resolve("config.json")) && !Files.isDirectory(dir.resolve("checkpoint")))
                throw new RunFolderException(dir + " is not a dsb run folder (no config.json or checkpoint/ in it) and holds "
                        + describe(entries) + "; --overwrite only clears run folders: choose another --out");
        }
        Files.createDirectories(dir);
        RunDirectory r = locked(dir);
        try {
            if (overwrite) clear(dir);
        } catch (IOException e) {
            r.close();
            throw e;
        }
        return r;
    }

    /** An existing run to continue, locked, with the temporary files a killed process left removed. */
    public static RunDirectory resume(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new RunFolderException(dir + ": no such run folder");
        RunDirectory r = locked(dir);
        removeTemporaries(dir);
        removeTemporaries(dir.resolve("checkpoint"));
        return r;
    }

    private static RunDirectory locked(Path dir) throws IOException {
        Path file = dir.resolve(LOCK);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;                      // this very process holds it
        }
        if (lock == null) {
            String holder = holder(ch);
            ch.close();
            throw new RunFolderException(dir + " is in use by another training (" + holder + "); wait for it to end, or choose another --out");
        }
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        return new RunDirectory(dir, ch, lock);
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(64);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? "a process" : s;
        } catch (IOException e) {
            return "a process";
        }
    }

    /** Releases the lock and removes the lock file. */
    @Override public void close() throws IOException {
        if (lock == null) return;
        try {
            lock.release();
        } finally {
            lockChannel.close();
            Files.deleteIfExists(dir.resolve(LOCK));
        }
    }

    /** The folder's entries other than a lock file. */
    private static List<Path> entries(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            List<Path> out = new java.util.ArrayList<>();
            for (Path p : s) if (!p.getFileName().toString().equals(LOCK)) out.add(p);
            return out;
        }
    }

    private static String describe(List<Path> entries) {
        List<String> names = entries.stream().map(p -> p.getFileName().toString()).sorted().limit(3).toList();
        return entries.size() + " entr" + (entries.size() == 1 ? "y" : "ies") + " (" + String.join(", ", names) + (entries.size() > 3 ? ", …" : "") + ")";
    }

    /** Deletes everything in the folder but the lock file. */
    private static void clear(Path dir) throws IOException {
        for (Path p : entries(dir))
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    Files.delete(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) throw e;
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
    }

    /** Removes {@code *.tmp} files (atomic writes a killed process did not finish) directly in {@code dir}. */
    static void removeTemporaries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.tmp")) {
            for (Path p : s) Files.deleteIfExists(p);
        }
    }

    public Path path() { return dir; }
    public Path checkpointDir() { return dir.resolve("checkpoint"); }
    public Path samples(int ipf) { return dir.resolve("samples-ipf" + ipf + ".npy"); }
    public Path plot(int ipf) { return dir.resolve("plot-ipf" + ipf + ".png"); }

    /**
     * Whether {@code file} is one of the files a run owns (its configuration, metrics, samples, held-out sets, plots,
     * lock, or anything under checkpoint/), which sample and eval outputs must never replace.
     */
    public static boolean isRunFile(Path runDir, Path file) {
        Path run = runDir.toAbsolutePath().normalize(), f = file.toAbsolutePath().normalize();
        if (f.startsWith(run.resolve("checkpoint"))) return true;
        if (!run.equals(f.getParent())) return false;
        String n = f.getFileName().toString();
        return n.equals("config.json") || n.equals("metrics.jsonl") || n.equals("data.npy") || n.equals("prior.npy") || n.equals(LOCK)
                || n.matches("samples-ipf\\d+\\.npy") || n.matches("plot-ipf\\d+\\.png");
    }

    public void writeConfig(TrainConfig c) throws IOException {
        AtomicFiles.write(dir.resolve("config.json"), (Json.write(c.toMap()) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Appends one row; a resumed run first rewrites the file with the rows its checkpoint holds. */
    public void appendMetrics(Map<String, Object> row) throws IOException {
        Files.writeString(dir.resolve("metrics.jsonl"), Json.write(row) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public void rewriteMetrics(List<Map<String, Object>> rows) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> r : rows) sb.append(Json.write(r)).append('\n');
        AtomicFiles.write(dir.resolve("metrics.jsonl"), sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * data.npy and prior.npy: the held-out items of each end for the user's data (in the user's units; fresh draws of
     * a Gaussian prior end, mapped to the user's units), fresh draws of both ends for the built-in presets.
     */
    public void writeEnds(TrainConfig c, Problem problem, Backend backend) throws IOException {
        Rng ends = new Rng(c.seed).fork(0xE2D5);
        Problem.HeldOut held = problem.heldOut();
        Standardisation units = c.preset.units();
        Points data = held != null ? held.data() : problem.data().sample(c.evalSamples, ends.fork(0));
        Points prior = held != null && held.prior() != null ? held.prior() : units.toUser(problem.prior().sample(c.evalSamples, ends.fork(1)));
        writeNpy(dir.resolve("data.npy"), Points.toTensor(data, backend, DType.F32, problem.data().itemShape()));
        writeNpy(dir.resolve("prior.npy"), Points.toTensor(prior, backend, DType.F32, problem.prior().itemShape()));
    }

    public void writeNpy(Path file, Tensor t) throws IOException {
        Npy.write(file, t.toFloats(), t.dims());
    }
}
