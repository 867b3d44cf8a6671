package dsb4j.examples;

import static dsb4j.examples.CliTest.dsb;
import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.Points;
import dsb4j.bridge.io.Npy;
import dsb4j.bridge.train.RunDirectory;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.io.Json;
import dsb4j.engine.io.SafeTensors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost, nothing mixed: every case of the reliability issue (#19) as a regression test. Outputs are never
 * overwritten without --overwrite (and a run's own files never), a run folder holds one run at a time, --resume
 * checks what it resumes, a blown-up half-step is not kept, sizes that cannot fit are refused before any work,
 * and every refusal is one line with exit code 2.
 */
class ReliabilityTest {

    static final String[] TINY_GAUSSIAN = {"--preset", "gaussian", "--dim", "2", "--iters", "10", "--batch", "16",
            "--cache-trajectories", "32", "--eval-samples", "50", "--threads", "2", "--mlp", "16"};

    static CliTest.Run train(Path out, String... extra) {
        return dsb(CliTest.concat(CliTest.concat(new String[]{"train", "--out", out.toString()}, TINY_GAUSSIAN), extra));
    }

    static void refused(CliTest.Run r, String... parts) {
        assertEquals(2, r.code(), r.err() + r.out());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        for (String p : parts) assertTrue(r.err().contains(p), "'" + p + "' in: " + r.err());
    }

    // 1. sample --out overwrote any file, even the checkpoint it read
    @Test void sampleNeverReplacesARunFileAndAnExistingFileOnlyWithOverwrite(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, train(run, "--ipf-iters", "1").code());
        Path state = run.resolve("checkpoint/state.safetensors");
        byte[] before = Files.readAllBytes(state), data = Files.readAllBytes(run.resolve("data.npy"));
        refused(dsb("sample", "--checkpoint", run.toString(), "--n", "10", "--out", state.toString()), "state.safetensors", "file of the run");
        refused(dsb("sample", "--checkpoint", run.toString(), "--n", "10", "--out", run.resolve("data.npy").toString(), "--overwrite"), "data.npy");
        assertArrayEquals(before, Files.readAllBytes(state));
        assertArrayEquals(data, Files.readAllBytes(run.resolve("data.npy")));
        Path mine = Files.writeString(tmp.resolve("mine.npy"), "precious");
        refused(dsb("sample", "--checkpoint", run.toString(), "--n", "10", "--out", mine.toString()), "mine.npy", "exists", "--overwrite");
        assertEquals("precious", Files.readString(mine));
        assertEquals(0, dsb("sample", "--checkpoint", run.toString(), "--n", "10", "--out", mine.toString(), "--overwrite").code());
        assertArrayEquals(new int[]{10, 2}, Npy.read(mine).shape());
        Path fresh = run.resolve("extra.npy");
        assertEquals(0, dsb("sample", "--checkpoint", run.toString(), "--n", "4", "--out", fresh.toString()).code(), "a new file in the run folder is fine");
    }

    // 2. train --out onto an existing run replaced and mixed it
    @Test void trainRefusesAnExistingFolderAndOverwriteReplacesItWhole(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, train(run, "--ipf-iters", "2").code());
        byte[] samples2 = Files.readAllBytes(run.resolve("samples-ipf2.npy"));
        refused(train(run, "--ipf-iters", "1", "--seed", "7"), "--out", "already holds", "--resume", "--overwrite");
        assertArrayEquals(samples2, Files.readAllBytes(run.resolve("samples-ipf2.npy")));
        assertEquals(4, Files.readAllLines(run.resolve("metrics.jsonl")).size());
        assertEquals(0, train(run, "--ipf-iters", "1", "--seed", "7", "--overwrite").code());
        assertFalse(Files.exists(run.resolve("samples-ipf2.npy")), "nothing of the old run is left");
        assertEquals(2, Files.readAllLines(run.resolve("metrics.jsonl")).size());
        assertEquals(7L, ((Number) Json.parseObject(Files.readString(run.resolve("config.json"))).get("seed")).longValue());

        Path notARun = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(notARun.resolve("thesis.tex"), "years of work");
        refused(train(notARun, "--overwrite"), "not a dsb run folder");
        assertEquals("years of work", Files.readString(notARun.resolve("thesis.tex")));
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        refused(train(file), "a-file", "is a file");
        refused(train(tmp.resolve("never"), "--lr", "-1"), "--lr");
        assertFalse(Files.exists(tmp.resolve("never")), "a refused run leaves no folder behind");
    }

    // 3. two trainings into one folder at once both ran
    @Test void aFolderInUseIsRefusedAndAStaleLockIsNot(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, train(run, "--ipf-iters", "1").code());
        try (RunDirectory other = RunDirectory.resume(run)) {               // another training holds the folder
            refused(train(run, "--overwrite"), "--out", "in use");
            refused(dsb("train", "--resume", run.toString()), "--resume", "in use");
        }
        assertFalse(Files.exists(run.resolve(RunDirectory.LOCK)), "the lock goes with its run");
        Path stale = Files.createDirectories(tmp.resolve("stale"));
        Files.writeString(stale.resolve(RunDirectory.LOCK), "pid 999999999\n");   // left by a killed process
        assertEquals(0, train(stale, "--ipf-iters", "1").code(), "no process holds the lock: the folder is free");
    }

    // 4. --resume trusted config.json
    @Test void resumeRefusesAnotherRunsCheckpointEditedSettingsAndNewOptions(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        assertEquals(0, train(a, "--ipf-iters", "1").code());
        assertEquals(0, train(b, "--ipf-iters", "1", "--seed", "5").code());
        Files.copy(b.resolve("checkpoint/state.safetensors"), a.resolve("checkpoint/state.safetensors"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        refused(dsb("train", "--resume", a.toString()), "disagree on 'seed'");

        Path c = tmp.resolve("c");
        assertEquals(0, train(c, "--ipf-iters", "1").code());
        CliTest.Run done = dsb("train", "--resume", c.toString(), "--threads", "1");
        assertEquals(0, done.code(), done.err());
        assertTrue(done.out().contains("finished all 1 IPF iterations"), done.out());
        refused(dsb("train", "--resume", c.toString(), "--lr", "0.5"), "--lr", "only --threads, --device and --mpi-timeout");
        edit(c, "ipf_iters", 3);
        refused(dsb("train", "--resume", c.toString()), "disagree on 'ipf_iters'");
        edit(c, "ipf_iters", 1);
        edit(c, "ema_rate", 5);
        refused(dsb("train", "--resume", c.toString()), "--ema");
        edit(c, "ema_rate", 0.0);
        edit(c, "steps", 2_000_000_000);
        refused(dsb("train", "--resume", c.toString()), "--steps");
    }

    private static void edit(Path run, String key, Object value) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>(Json.parseObject(Files.readString(run.resolve("config.json"))));
        m.put(key, value);
        Files.writeString(run.resolve("config.json"), Json.write(m));
    }

    // 5. a blown-up half-step was kept as good
    @Test void aBlownUpHalfStepIsNotCheckpointedAndNaNSamplesAreNotWritten(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        CliTest.Run r = dsb("train", "--preset", "moons", "--ipf-iters", "2", "--iters", "200", "--lr", "1", "--lr-schedule", "constant",
                "--cache-trajectories", "256", "--eval-samples", "100", "--threads", "2", "--out", run.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("IPF iteration 1") && r.err().contains("step"), r.err());
        assertTrue(r.err().contains("no checkpoint was written yet"), "no false promise of a kept checkpoint: " + r.err());
        assertFalse(Files.exists(run.resolve("checkpoint/state.safetensors")), "the diverged half-step is not checkpointed");

        Path good = tmp.resolve("good");
        assertEquals(0, train(good, "--ipf-iters", "1").code());
        Path state = good.resolve("checkpoint/state.safetensors");
        var contents = SafeTensors.read(state, Backends.scalar());
        Map<String, Tensor> poisoned = new LinkedHashMap<>();
        for (var e : contents.tensors().entrySet()) {
            float[] v = e.getValue().toFloats();
            Arrays.fill(v, Float.NaN);
            poisoned.put(e.getKey(), Tensor.of(Backends.scalar(), v, e.getValue().dims()));
        }
        SafeTensors.write(state, poisoned, contents.metadata());
        Path out = tmp.resolve("nan.npy");
        CliTest.Run s = dsb("sample", "--checkpoint", good.toString(), "--n", "20", "--out", out.toString());
        assertEquals(1, s.code(), s.err());
        assertTrue(s.err().contains("non-finite"), s.err());
        assertFalse(Files.exists(out));
    }

    // 6. out-of-memory stack traces instead of refusals
    @Test void sizesThatCannotFitAreRefusedBeforeAnyWork(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("never");
        for (String[] a : List.of(new String[]{"--batch", "1000000000"}, new String[]{"--steps", "2000000000"},
                new String[]{"--mlp", "40000,40000"}, new String[]{"--eval-samples", "1000000000"}))
            refused(train(out, a), a[0].substring(2, 5));
        refused(dsb("train", "--preset", "gaussian", "--dim", "100000", "--out", out.toString()), "cache");
        assertFalse(Files.exists(out));
        Path run = tmp.resolve("run");
        assertEquals(0, train(run, "--ipf-iters", "1").code());
        refused(dsb("sample", "--checkpoint", run.toString(), "--n", "1000000000", "--out", tmp.resolve("x.npy").toString()), "--n");
        refused(dsb("eval", "--preset", "moons", "--samples", "/dev/zero"), "/dev/zero");
        Path wide = tmp.resolve("wide.npy");
        Npy.write(wide, new Points(3, 100_000, new float[300_000]));
        CliTest.Run e = dsb("eval", "--preset", "gaussian", "--dim", "100000", "--samples", wide.toString());
        assertEquals(0, e.code(), "d = 100,000 is scored without its 80 GB covariance: " + e.err());
        // a gzip bomb: a valid header for 10 images, then 200 MB of zeros that compress to a few hundred kilobytes
        Path mnist = Files.createDirectories(tmp.resolve("mnist"));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(ByteBuffer.allocate(16).putInt(2051).putInt(10).putInt(28).putInt(28).array());
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) z.write(zeros);
        }
        Files.write(mnist.resolve("train-images-idx3-ubyte.gz"), gz.toByteArray());
        for (String f : List.of("train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) Files.write(mnist.resolve(f), new byte[8]);
        refused(dsb("train", "--preset", "mnist", "--data-dir", mnist.toString(), "--out", out.toString()), "train-images-idx3-ubyte.gz", "beyond");
        assertFalse(Files.exists(out));
    }

    // 7. messages that did not say what was wrong
    @Test void refusalsNameTheOptionOrFileAndTheReason(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("never");
        refused(train(out, "--threads", "100000"), "--threads");
        refused(train(out, "--eval-samples", "2000000000"), "--eval-samples");
        refused(train(out, "--clip", "-1"), "--clip");
        refused(train(out, "--checkpoint-every", "-1"), "--checkpoint-every");
        Path run = tmp.resolve("run");
        assertEquals(0, train(run, "--ipf-iters", "1").code());
        refused(dsb("sample", "--checkpoint", run.toString(), "--threads", "0", "--out", tmp.resolve("x.npy").toString()), "--threads");
        float[] v = new float[20];
        v[7] = Float.POSITIVE_INFINITY;                       // row 3 of (10, 2)
        Npy.write(tmp.resolve("inf.npy"), new Points(10, 2, v));
        refused(dsb("eval", "--preset", "moons", "--samples", tmp.resolve("inf.npy").toString()), "row 3");
        Files.writeString(tmp.resolve("bare.safetensors"), "");
        Path noConfig = Files.createDirectories(tmp.resolve("noconfig/checkpoint"));
        SafeTensors.write(noConfig.resolve("state.safetensors"), Map.of(), Map.of("format", "dsb4j-checkpoint-2"));
        refused(dsb("sample", "--checkpoint", tmp.resolve("noconfig").toString(), "--out", tmp.resolve("y.npy").toString()), "no configuration");
    }

    // 8. litter and late validation
    @Test void resumeClearsTemporariesAndAFolderWithOneHeldOutImageIsRefusedUpFront(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        assertEquals(0, train(run, "--ipf-iters", "1").code());
        Path orphan = Files.writeString(run.resolve("checkpoint/.state.safetensors.123.tmp"), "half a checkpoint");
        Path orphan2 = Files.writeString(run.resolve(".config.json.456.tmp"), "");
        assertEquals(0, dsb("train", "--resume", run.toString()).code());
        assertFalse(Files.exists(orphan) || Files.exists(orphan2), "temporaries of a killed process are removed on resume");

        Path mnist = Files.createDirectories(tmp.resolve("mnist"));
        writeIdx(mnist, "train", 30);
        writeIdx(mnist, "t10k", 1);
        Path out = tmp.resolve("never");
        refused(dsb("train", "--preset", "mnist", "--data-dir", mnist.toString(), "--out", out.toString()), "t10k-images-idx3-ubyte", "at least 2");
        assertFalse(Files.exists(out));
    }

    /** A valid IDX pair of n blank 28×28 digits labelled 0. */
    private static void writeIdx(Path dir, String part, int n) throws IOException {
        Files.write(dir.resolve(part + "-images-idx3-ubyte"), ByteBuffer.allocate(16 + n * 784).putInt(2051).putInt(n).putInt(28).putInt(28).array());
        Files.write(dir.resolve(part + "-labels-idx1-ubyte"), ByteBuffer.allocate(8 + n).putInt(2049).putInt(n).array());
    }
}
