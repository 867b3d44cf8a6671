package dsb4j.examples;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.io.Npy;
import dsb4j.engine.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line contract of docs/cli.md: exit codes, option errors, output files and their layouts. */
class CliTest {

    record Run(int code, String out, String err) {}

    static Run dsb(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
        try {
            return new Run(Main.run(args), out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test void badOptionsAreOneLineErrorsWithExitCodeTwo() {
        for (String[] args : List.of(new String[]{"train", "--no-such-option"}, new String[]{"train", "--steps", "abc"},
                new String[]{"train", "--steps", "21"}, new String[]{"train", "--preset", "nope"},
                new String[]{"train", "--device", "tpu"}, new String[]{"train", "--device", "cuda"},
                new String[]{"train", "--preset", "mnist", "--mlp", "64"}, new String[]{"train", "--mlp", "64,0"},
                new String[]{"train", "--method", "sgm"}, new String[]{"train", "--preset", "moons", "--budget", "paper"},
                new String[]{"train", "--budget", "lavish"},
                new String[]{"train", "--cache-times", "0"}, new String[]{"train", "--cache-times", "21"},
                new String[]{"train", "--cache-times", "some"}, new String[]{"train", "--method", "dsbm", "--cache-times", "1"},
                new String[]{"sample", "--n", "5"}, new String[]{"eval", "--preset", "moons", "--samples", "x.npy", "--w2-points", "1"})) {
            Run r = dsb(args);
            assertEquals(2, r.code(), String.join(" ", args) + " → " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertTrue(r.err().startsWith("dsb: "), r.err());
        }
        assertTrue(dsb("train", "--steps", "21").err().contains("--steps"));
        assertTrue(dsb("train", "--device", "cuda").err().contains("cuda"));
        assertTrue(dsb("train", "--method", "sgm").err().contains("--method"));
        assertTrue(dsb("train", "--budget", "lavish").err().contains("--budget must be one of quick, reference, paper"));
    }

    @Test void helpListsEveryTrainOptionWithItsDefault() {
        Run r = dsb("train", "--help");
        assertEquals(0, r.code());
        for (String o : List.of("--preset", "--out", "--ipf-iters", "--iters", "--batch", "--steps", "--lr", "--seed",
                "--device", "--threads", "--dim", "--resume", "--method")) assertTrue(r.out().contains(o), o);
        assertTrue(r.out().contains("Default: moons"));
    }

    @Test void presetsListsTheBudgets() {
        Run r = dsb("presets");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("moons-to-circles") && r.out().contains("gaussian"), r.out());
        Run paper = dsb("presets", "--budget", "paper");
        assertEquals(0, paper.code());
        for (String p : List.of("normal-to-moons", "normal-to-8gaussians", "normal-to-scurve", "moons-to-8gaussians"))
            assertTrue(paper.out().contains(p + " "), p + " in\n" + paper.out());
        assertFalse(paper.out().contains("gaussian ") || paper.out().contains("mnist"), "only the 2-D benchmark has the paper budget:\n" + paper.out());
        assertTrue(paper.out().lines().filter(l -> l.startsWith("normal-to-moons")).allMatch(l -> l.contains(" 0.999 ")), paper.out());
        Run bad = dsb("presets", "--budget", "lavish");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--budget must be one of quick, reference, paper, got 'lavish'"), bad.err());
    }

    @Test void benchPrintsColdAndWarmRates() {
        Run r = dsb("bench", "--preset", "moons", "--iters", "40", "--batch", "32", "--cache-trajectories", "64",
                "--cache-refresh", "10", "--eval-samples", "50", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = Json.parseObject(r.out().strip().lines().reduce((a, b) -> b).orElseThrow());
        for (String k : List.of("it_per_s", "it_per_s_warm", "it_per_s_no_cache", "samples_per_s"))
            assertTrue(m.get(k) instanceof Number n && n.doubleValue() > 0, k + " in " + r.out());
    }

    @Test @SuppressWarnings("unchecked")
    void trainSampleAndEvalWriteTheContractFiles(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        Run t = dsb("train", "--preset", "gaussian", "--dim", "3", "--ipf-iters", "2", "--iters", "20", "--batch", "32",
                "--cache-trajectories", "64", "--eval-samples", "300", "--out", run.toString(), "--threads", "2", "--mlp", "32,32");
        assertEquals(0, t.code(), t.err());
        for (String f : List.of("config.json", "metrics.jsonl", "samples-ipf1.npy", "samples-ipf2.npy", "data.npy", "prior.npy",
                "checkpoint/state.safetensors")) assertTrue(Files.exists(run.resolve(f)), f);
        Map<String, Object> config = Json.parseObject(Files.readString(run.resolve("config.json")));
        assertEquals(3L, ((Number) config.get("dim")).longValue());
        assertEquals("mlp", config.get("network"));
        assertEquals(List.of(32L, 32L), config.get("hidden"));
        List<String> rows = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(4, rows.size());
        for (String line : rows) {
            Map<String, Object> row = Json.parseObject(line);
            for (String k : List.of("ipf", "direction", "loss", "seconds", "it_per_s")) assertTrue(row.containsKey(k), k + " in " + line);
        }
        assertTrue(Json.parseObject(rows.get(3)).containsKey("cross_cov_error"));
        assertArrayEquals(new int[]{300, 3}, Npy.read(run.resolve("samples-ipf2.npy")).shape());

        Path pairs = tmp.resolve("pairs.npy"), traj = tmp.resolve("traj.npy");
        assertEquals(0, dsb("sample", "--checkpoint", run.toString(), "--n", "50", "--pairs", "--out", pairs.toString()).code());
        assertArrayEquals(new int[]{50, 6}, Npy.read(pairs).shape());
        assertEquals(0, dsb("sample", "--checkpoint", run.toString(), "--n", "7", "--trajectories", "--out", traj.toString()).code());
        assertArrayEquals(new int[]{7, 21, 3}, Npy.read(traj).shape());
        Run marginals = dsb("eval", "--preset", "gaussian", "--samples", traj.toString());
        assertEquals(0, marginals.code(), marginals.err());
        Map<String, Object> km = Json.parseObject(marginals.out().strip());
        assertEquals(21, ((List<?>) km.get("marginal_kl")).size(), marginals.out());
        assertTrue(((Number) km.get("marginal_kl_mean")).doubleValue() > 0 && km.containsKey("marginal_kl_floor"), marginals.out());
        assertEquals(2, dsb("sample", "--checkpoint", run.toString(), "--n", "9", "--direction", "encode", "--out", traj.toString()).code(),
                "an existing output is not replaced without --overwrite");
        assertEquals(0, dsb("sample", "--checkpoint", run.toString(), "--n", "9", "--direction", "encode", "--out", traj.toString(), "--overwrite").code());
        assertArrayEquals(new int[]{9, 3}, Npy.read(traj).shape());

        // An ensemble: the same run twice is that run exactly; with another seed's run it differs; another chain is refused.
        Path single = tmp.resolve("single.npy"), twice = tmp.resolve("twice.npy"), mixed = tmp.resolve("mixed.npy");
        assertEquals(0, dsb("sample", "--checkpoint", run.toString(), "--n", "40", "--out", single.toString()).code());
        assertEquals(0, dsb("sample", "--checkpoint", run.toString(), "--checkpoint", run.toString(), "--n", "40", "--out", twice.toString()).code());
        assertArrayEquals(Npy.read(single).data(), Npy.read(twice).data());
        Path other = tmp.resolve("other"), otherChain = tmp.resolve("other-chain");
        for (String[] extra : List.of(new String[]{"--dim", "3", "--seed", "43", "--out", other.toString()},
                new String[]{"--dim", "2", "--out", otherChain.toString()}))
            assertEquals(0, dsb(concat(new String[]{"train", "--preset", "gaussian", "--ipf-iters", "1", "--iters", "5", "--batch", "32",
                    "--cache-trajectories", "64", "--eval-samples", "50", "--threads", "2", "--mlp", "32,32"}, extra)).code());
        assertEquals(0, dsb("sample", "--checkpoint", run.toString(), "--checkpoint", other.toString(), "--n", "40", "--out", mixed.toString()).code());
        assertArrayEquals(new int[]{40, 3}, Npy.read(mixed).shape());
        assertFalse(java.util.Arrays.equals(Npy.read(single).data(), Npy.read(mixed).data()));
        Run refused = dsb("sample", "--checkpoint", run.toString(), "--checkpoint", otherChain.toString(), "--n", "4", "--out", mixed.toString(), "--overwrite");
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("dim 3 vs 2"), refused.err());

        Run e = dsb("eval", "--preset", "gaussian", "--dim", "3", "--samples", pairs.toString());
        assertEquals(0, e.code(), e.err());
        Map<String, Object> m = Json.parseObject(e.out().strip());
        assertTrue(m.containsKey("cross_cov_error") && m.containsKey("sw2"), e.out());
        for (String k : List.of("cross_cov_offdiag_error", "cross_cov_max_error", "mean_data_error", "var_data_error"))
            assertTrue(m.containsKey(k), k + " in " + e.out());

        // A finished run resumed does nothing more and keeps its files.
        byte[] before = Files.readAllBytes(run.resolve("samples-ipf2.npy"));
        assertEquals(0, dsb("train", "--resume", run.toString()).code());
        assertArrayEquals(before, Files.readAllBytes(run.resolve("samples-ipf2.npy")));
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test void malformedSamplesFileIsAClearError(@TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("bad.npy");
        Files.write(bad, new byte[]{1, 2, 3});
        Run r = dsb("eval", "--preset", "moons", "--samples", bad.toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("bad.npy"), r.err());
    }
}
