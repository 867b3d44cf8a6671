package dsb4j.bridge.train;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.drift.Direction;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.io.SafeTensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class IpfLoopTest {
    final Backend cpu = Backends.cpu(2);

    static TrainConfig tinyMoons() { return tiny("moons"); }

    static TrainConfig tiny(String preset) {
        TrainConfig c = Presets.defaults(preset, "quick");
        c.ipfIters = 2;
        c.iters = 30;
        c.batch = 64;
        c.cacheRefresh = 10;
        c.cacheTrajectories = c.simBatch = 32;
        c.evalSamples = 200;
        return c;
    }

    /** Stops the run at a chosen point, as a kill would, after the checkpoint before it was written. */
    static final class Kill extends RuntimeException {}

    /**
     * DSB on moons; bridge matching (DSBM-IPF, DSBM-IMF) on the Brownian-reference normal-to-moons. DSBM-IMF is
     * killed inside its first half-step, the one on the independent coupling.
     */
    @ParameterizedTest @ValueSource(strings = {"dsb", "dsbm", "dsbm-imf"})
    void resumedRunEndsWithTheSameFilesAsAnUninterruptedOne(String method, @TempDir Path tmp) throws Exception {
        TrainConfig c = tiny(method.equals("dsb") ? "moons" : "normal-to-moons");
        c.method = Method.parse(method);
        c.checkpointEvery = 10;
        Path whole = tmp.resolve("whole"), killed = tmp.resolve("killed");
        run(c, whole, null, null);

        int killIpf = method.equals("dsbm-imf") ? 1 : 2;
        Direction killDir = method.equals("dsbm-imf") ? Direction.BACKWARD : Direction.FORWARD;
        IpfLoop.Listener killer = new IpfLoop.Listener() {
            @Override public void onProgress(int ipf, Direction d, int step, int iters, double loss, double itPerS) {
                if (ipf == killIpf && d == killDir && step == 15) throw new Kill();
            }
        };
        assertThrows(Kill.class, () -> run(c, killed, killer, null));
        TrainState saved = Checkpointer.load(killed.resolve("checkpoint"), c, cpu);
        assertEquals(killIpf, saved.ipf);
        assertEquals(killDir, saved.direction);
        assertEquals(10, saved.step, "the last checkpoint inside the half-step");
        run(c, killed, null, saved);
        assertSameRun(whole, killed);
    }

    /**
     * On two threads a half-step builds each cache on a second thread while it trains on the one before
     * ({@link CachesAhead}); on one thread every cache is built when due. Same caches, same steps: the same files.
     */
    @ParameterizedTest @ValueSource(strings = {"dsb", "dsbm", "dsbm-imf"})
    void cachesBuiltAheadGiveTheRunOfCachesBuiltWhenDue(String method, @TempDir Path tmp) throws Exception {
        TrainConfig c = tiny(method.equals("dsb") ? "moons" : "normal-to-moons");
        c.method = Method.parse(method);
        c.cacheTrajectories = c.simBatch = 3000;    // builds long enough to be still running at the next refresh
        c.cacheRefresh = 5;
        Path due = tmp.resolve("due"), ahead = tmp.resolve("ahead");
        run(c, due, null, null, Backends.cpu(1));
        run(c, ahead, null, null, cpu);
        assertSameRun(due, ahead);
    }

    /**
     * Two run folders with the same samples and ends byte for byte, checkpoints holding the same tensors bit for bit,
     * and the same metrics rows but for their timings.
     */
    private void assertSameRun(Path a, Path b) throws Exception {
        for (String f : List.of("samples-ipf1.npy", "samples-ipf2.npy", "data.npy", "prior.npy"))
            if (Files.exists(a.resolve(f))) assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        var ta = SafeTensors.read(a.resolve("checkpoint/state.safetensors"), cpu).tensors();
        var tb = SafeTensors.read(b.resolve("checkpoint/state.safetensors"), cpu).tensors();
        assertEquals(ta.keySet(), tb.keySet());
        for (String k : ta.keySet()) assertArrayEquals(ta.get(k).toFloats(), tb.get(k).toFloats(), k);
        assertEquals(withoutTimes(a), withoutTimes(b));
    }

    @Test void nonFiniteLossStopsWithAMessageAndKeepsTheLastCheckpoint(@TempDir Path tmp) throws Exception {
        TrainConfig c = tinyMoons();
        c.ipfIters = 3;
        c.lr = 1e30;                         // blows the weights up within a few steps
        byte[][] before = new byte[1][];
        IpfLoop.Listener watch = new IpfLoop.Listener() {
            @Override public void onRow(Map<String, Object> row) {
                try {
                    before[0] = Files.readAllBytes(tmp.resolve("checkpoint/state.safetensors"));
                } catch (Exception e) {
                    before[0] = null;        // no checkpoint yet: the row comes before the first save
                }
            }
        };
        DivergenceException e = assertThrows(DivergenceException.class, () -> run(c, tmp, watch, null));
        assertTrue(e.getMessage().contains("IPF iteration") && e.getMessage().contains("step"), e.getMessage());
        if (before[0] != null) {
            assertArrayEquals(before[0], Files.readAllBytes(tmp.resolve("checkpoint/state.safetensors")));
            assertTrue(e.getMessage().contains("is kept"), e.getMessage());
        } else {
            assertTrue(e.getMessage().contains("no checkpoint was written yet"), "no false promise: " + e.getMessage());
        }
    }

    private void run(TrainConfig c, Path dir, IpfLoop.Listener l, TrainState resumed) throws Exception {
        run(c, dir, l, resumed, cpu);
    }

    private static void run(TrainConfig c, Path dir, IpfLoop.Listener l, TrainState resumed, Backend backend) throws Exception {
        RunDirectory out = new RunDirectory(dir);
        if (resumed != null) out.rewriteMetrics(resumed.metrics);
        new IpfLoop(c, c.problem(), backend, out, l, resumed).run();
    }

    private static List<String> withoutTimes(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve("metrics.jsonl")).stream()
                .map(s -> s.replaceAll("\"(seconds|it_per_s)\":[^,}]*", "")).toList();
    }
}
