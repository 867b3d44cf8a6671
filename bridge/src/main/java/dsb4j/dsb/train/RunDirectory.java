package dsb4j.dsb.train;

import dsb4j.dsb.data.Points;
import dsb4j.dsb.data.Standardisation;
import dsb4j.dsb.io.Npy;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.io.Json;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * The files of one run (DESIGN §4): config.json, metrics.jsonl, samples-ipf{@code <K>}.npy, data.npy, prior.npy and
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

    private static void atomicWrite(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
