package dsb4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.train.Checkpointer;
import dsb4j.bridge.train.IpfLoop;
import dsb4j.bridge.train.Method;
import dsb4j.bridge.train.NetworkSpec;
import dsb4j.bridge.train.Presets;
import dsb4j.bridge.train.TrainConfig;
import dsb4j.bridge.train.TrainState;
import dsb4j.bridge.train.WeightsHash;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.dist.LocalJob;
import dsb4j.engine.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `mpirun -np 2 dsb train` on the Gaussian preset, as a user runs it (the ranks are JVMs of this test's classpath):
 * the job trains, rank 0 alone writes, the checkpoint holds the weights every rank agreed on after every half-step,
 * and the closed-form metrics meet the bars a single process meets with the same global batch; a job whose rank 1 is
 * killed mid-run ends on every rank with a line saying what is kept, and {@code --resume} then completes it with
 * weights bit-identical to the uninterrupted job's; a single process refuses to resume it, naming both sizes.
 */
class MpiCliTest {
    /** 2 IPF iterations of DSBM-IMF with 300 steps per half-step. */
    private static final String[] TRAIN = {"train", "--preset", "gaussian", "--method", "dsbm-imf", "--ipf-iters", "2", "--iters", "300",
            "--ema", "0", "--batch", "64", "--cache-trajectories", "640", "--mlp", "64,64", "--eval-samples", "4000", "--threads", "1",
            "--checkpoint-every", "100"};

    @TempDir static Path tmp;
    private static LocalJob.Result uninterrupted;

    @BeforeAll static void trainTwoRanks() throws Exception {
        Assumptions.assumeTrue(LocalJob.mpirun().isPresent(), "mpirun not found: the MPI checks are skipped (./test.sh installs Open MPI where it can)");
        Files.createDirectories(tmp.resolve("work"));
        uninterrupted = job(2, tmp.resolve("work"), args(TRAIN, "--out", "run")).await(600);
        System.out.printf("[mpi] 2-rank gaussian run: %.1f s%n", uninterrupted.seconds());
        assertEquals(0, uninterrupted.exitCode(), uninterrupted.output());
    }

    @Test void rankZeroAloneWritesAndItsCheckpointHoldsTheWeightsEveryRankAgreedOn() throws Exception {
        Path run = tmp.resolve("work/run");
        try (Stream<Path> s = Files.list(tmp.resolve("work"))) {
            assertEquals(List.of(run), s.toList(), "the ranks write nothing but rank 0's run folder");
        }
        String out = uninterrupted.output();
        assertTrue(out.contains("each trains on its own batches of 64 and its own cache of 640, so a step's global batch is 2 × 64 = 128"), out);
        assertEquals(1, out.split("config \\{", -1).length - 1, "rank 0 alone prints: " + out);
        Map<String, Object> config = Json.parseObject(Files.readString(run.resolve("config.json")));
        assertEquals(2, ((Number) config.get("ranks")).intValue());
        List<Map<String, Object>> rows = rows(run);
        assertEquals(4, rows.size());
        for (Map<String, Object> row : rows) assertNotNull(row.get("weights_sha256"), "every half-step's row holds the agreed hash: " + row);
        TrainConfig c = TrainConfig.fromMap(config);
        TrainState saved = Checkpointer.load(run.resolve("checkpoint"), c, Backends.cpu(1));
        assertEquals(rows.get(3).get("weights_sha256"), WeightsHash.of(saved, Direction.FORWARD), "the checkpoint's forward network");
        assertEquals(rows.get(2).get("weights_sha256"), WeightsHash.of(saved, Direction.BACKWARD), "the checkpoint's backward network");
    }

    @Test void twoRanksMeetTheClosedFormBarsOfOneProcessWithTheSameGlobalBatch() throws Exception {
        TrainConfig one = Presets.defaults("gaussian", "quick");
        one.method = Method.DSBM_IMF;
        one.ipfIters = 2;
        one.iters = 300;
        one.emaRate = 0;
        one.batch = 128;
        one.cacheTrajectories = one.simBatch = 1280;
        one.network = new NetworkSpec.Mlp(new int[]{64, 64});
        one.evalSamples = 4000;
        one.threads = 1;
        List<Map<String, Object>> single = new ArrayList<>();
        new IpfLoop(one, one.problem(), Backends.cpu(1), null, new IpfLoop.Listener() {
            @Override public void onRow(Map<String, Object> row) { single.add(row); }
        }, null).run();
        Map<String, Object> two = rows(tmp.resolve("work/run")).get(3), alone = single.get(3);
        for (String key : List.of("mean_data", "var_data", "cross_cov", "cross_cov_error", "mean_data_error", "var_data_error"))
            System.out.printf("[mpi] %-16s 1 process %.3f   2 ranks %.3f%n", key, num(alone, key), num(two, key));
        for (Map<String, Object> m : List.of(alone, two)) {
            // measured (mean, variance, cross-covariance, its error, worst coordinate's mean and variance errors):
            // 1 process -0.122, 1.008, 0.612, 0.052, 0.108, 0.085; 2 ranks -0.127, 0.990, 0.602, 0.050, 0.109, 0.074
            assertEquals(-0.1, num(m, "mean_data"), 0.05, "data-end mean " + m);
            assertEquals(1.0, num(m, "var_data"), 0.1, "data-end variance " + m);
            assertEquals(0.618, num(m, "cross_cov"), 0.06, "cross-covariance " + m);
            assertTrue(num(m, "mean_data_error") < 0.15 && num(m, "var_data_error") < 0.15, "worst coordinate " + m);
        }
        assertTrue(num(two, "cross_cov_error") < num(rows(tmp.resolve("work/run")).get(1), "cross_cov_error"),
                "the cross-covariance error shrinks from IPF 1 to 2");
    }

    @Test void aKilledRankEndsTheJobWithALineAndResumeCompletesItBitIdentically() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("killed"));
        LocalJob.Running job = job(2, work, args(TRAIN, "--out", "run"));
        Path state = work.resolve("run/checkpoint/state.safetensors"), lock = work.resolve("run/.lock");
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (!Files.isRegularFile(state) && job.process().isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
        assertTrue(Files.isRegularFile(state), "no checkpoint appeared: " + job.output());
        long rank0 = Long.parseLong(Files.readString(lock).strip().replace("pid ", ""));
        ProcessHandle rank1 = job.process().descendants().filter(p -> p.pid() != rank0 && p.info().command().orElse("").endsWith("java"))
                .findFirst().orElseThrow(() -> new AssertionError("no second rank among mpirun's processes"));
        long killed = System.nanoTime();
        rank1.destroyForcibly();                                                    // SIGKILL, as the OOM killer would
        LocalJob.Result r = job.await(120);
        System.out.printf("[mpi] rank 1 killed: the job ended %.1f s later%n", (System.nanoTime() - killed) / 1e9);
        assertNotEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("is kept; continue with mpirun -np 2 ./dsb train --resume run"), r.output());

        LocalJob.Result single = job(1, work, List.of("train", "--resume", "run")).await(120);    // mpirun -np 1: one process
        assertEquals(2, single.exitCode(), single.output());
        assertTrue(single.output().contains("dsb: --resume run was trained by 2 ranks (config.json: \"ranks\": 2) but this is one process; "
                + "resume it with mpirun -np 2 ./dsb train --resume run"), single.output());

        LocalJob.Result resumed = job(2, work, List.of("train", "--resume", "run")).await(600);
        assertEquals(0, resumed.exitCode(), resumed.output());
        assertTrue(resumed.output().contains("resuming run at IPF iteration 1"), resumed.output());
        assertEquals(rows(tmp.resolve("work/run")).get(3).get("weights_sha256"), rows(work.resolve("run")).get(3).get("weights_sha256"),
                "the resumed job ends with the uninterrupted job's weights");
    }

    /** {@code dsb} with {@code args} as {@code ranks} ranks in {@code dir}. */
    private static LocalJob.Running job(int ranks, Path dir, List<String> args) throws Exception {
        return LocalJob.start(ranks, List.of("--bind-to", "none"), LocalJob.java(Main.class.getName(), args.toArray(String[]::new)), dir, Map.of());
    }

    private static List<String> args(String[] base, String... more) {
        List<String> out = new ArrayList<>(List.of(base));
        out.addAll(List.of(more));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Path run) throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) rows.add(Json.parseObject(line));
        return rows;
    }

    private static double num(Map<String, Object> row, String key) { return ((Number) row.get(key)).doubleValue(); }
}
