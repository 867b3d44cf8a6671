package dsb4j.bridge;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.DataSet;
import dsb4j.bridge.train.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding facade end to end, as the README shows it. */
class BridgeTest {

    static float[][] cloud(double x, int n, long seed) {
        Random r = new Random(seed);
        float[][] p = new float[n][];
        for (int i = 0; i < n; i++) p[i] = new float[]{(float) (x + 0.5 * r.nextGaussian()), (float) (0.5 * r.nextGaussian())};
        return p;
    }

    static double meanX(float[][] p) {
        double s = 0;
        for (float[] q : p) s += q[0] / p.length;
        return s;
    }

    @Test void transportTrainSaveLoadAndUse(@TempDir Path tmp) throws Exception {
        float[][] source = cloud(-2, 300, 1), target = cloud(2, 300, 2);
        List<TrainingListener.Progress> seen = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        TrainedBridge bridge = Bridge.transport(DataSet.points("source", source), DataSet.points("target", target))
                .ipfIterations(2)
                .iterations(200)
                .threads(2)
                .train(new TrainingListener() {
                    @Override public void onProgress(TrainingListener.Progress p) { seen.add(p); }
                    @Override public void onHalfStep(Map<String, Object> row) { rows.add(row); }
                });
        assertEquals(2 * 2 * 200, seen.size(), "one progress report per optimiser step");
        assertEquals(new TrainingListener.Progress(2, 2, dsb4j.bridge.drift.Direction.FORWARD, 200, 200, seen.getLast().loss()), seen.getLast());
        assertEquals(4, rows.size());
        assertTrue(rows.get(3).containsKey("w2"), rows.get(3).toString());

        float[][] moved = bridge.transport(source);
        assertEquals(300, moved.length);
        assertEquals(2, meanX(moved), 0.3, "the source cloud lands on the target");
        assertEquals(-2, meanX(bridge.encode(target)), 0.3, "and back");
        assertEquals(2, meanX(bridge.generate(200)), 0.3, "fresh draws of the prior end go to the data end");

        Path saved = tmp.resolve("bridge");
        bridge.save(saved);
        assertTrue(Files.isRegularFile(saved.resolve("config.json")) && Files.isRegularFile(saved.resolve("checkpoint/state.safetensors")));
        TrainedBridge loaded = TrainedBridge.load(saved);
        float[][] again = loaded.transport(source);
        for (int i = 0; i < moved.length; i++) assertArrayEquals(moved[i], again[i], "loaded bridge gives the same transport, row " + i);
        assertEquals(Method.DSBM_IMF, loaded.config().method);
        assertEquals(4, loaded.metrics().size());

        var e = assertThrows(IllegalArgumentException.class, () -> loaded.transport(new float[][]{{1, 2, 3}}));
        assertTrue(e.getMessage().contains("dimension 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loaded.transport(new float[][]{{1, Float.NaN}}));
    }

    @Test void generativeBridgeWritesARunFolderWhenAsked(@TempDir Path tmp) throws Exception {
        float[][] data = cloud(5, 200, 3);
        Path run = tmp.resolve("run");
        TrainedBridge bridge = Bridge.generative(DataSet.points("data", data)).ipfIterations(1).iterations(100).threads(2).seed(3)
                .output(run).train();
        for (String f : List.of("config.json", "metrics.jsonl", "samples-ipf1.npy", "data.npy", "prior.npy", "checkpoint/state.safetensors"))
            assertTrue(Files.exists(run.resolve(f)), f);
        assertEquals(5, meanX(bridge.generate(300, 9)), 0.5);
        assertArrayEquals(bridge.generate(5, 9)[4], bridge.generate(5, 9)[4], "the same seed, the same samples");
        assertThrows(IllegalArgumentException.class, () -> Bridge.generative(DataSet.points("bad", new float[][]{{1}, {2, 3}})));
        assertThrows(IllegalArgumentException.class, () -> Bridge.generative(DataSet.points("data", data)).iterations(0).train());
    }
}
