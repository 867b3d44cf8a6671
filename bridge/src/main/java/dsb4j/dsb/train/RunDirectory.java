package dsb4j.dsb.train;

import dsb4j.dsb.io.Npy;
import dsb4j.engine.Tensor;
import dsb4j.engine.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * The files of one run (DESIGN §4): config.json, metrics.jsonl, samples-ipf<K>.npy, data.npy, prior.npy and
 * checkpoint/. Plots are added by the command line, which owns the drawing code.
 */
public final class RunDirectory {
    private final Path dir;

    public RunDirectory(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
    }

    public Path path() { return dir; }
    public Path checkpointDir() { return dir.resolve("checkpoint"); }
    public Path samples(int ipf) { return dir.resolve("samples-ipf" + ipf + ".npy"); }
    public Path plot(int ipf) { return dir.resolve("plot-ipf" + ipf + ".png"); }

    public void writeConfig(TrainConfig c) throws IOException {
        atomicWrite(dir.resolve("config.json"), Json.write(c.toMap()) + "\n");
    }

    /** Appends one row; a resumed run first rewrites the file with the rows its checkpoint holds. */
    public void appendMetrics(Map<String, Object> row) throws IOException {
        Files.writeString(dir.resolve("metrics.jsonl"), Json.write(row) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public void rewriteMetrics(List<Map<String, Object>> rows) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> r : rows) sb.append(Json.write(r)).append('\n');
        atomicWrite(dir.resolve("metrics.jsonl"), sb.toString());
    }

    public void writeSamples(int ipf, Tensor samples) throws IOException { writeNpy(samples(ipf), samples); }

    public void writeNpy(Path file, Tensor t) throws IOException {
        Npy.write(file, t.toFloats(), t.dims());
    }

    private static void atomicWrite(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
