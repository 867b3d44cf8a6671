package dsb4j.dsb.train;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.dsb.data.ImageData;
import dsb4j.dsb.data.ImageSet;
import dsb4j.dsb.drift.DriftNet;
import dsb4j.dsb.images.Classifier;
import dsb4j.dsb.images.Classifiers;
import dsb4j.dsb.io.Npy;
import dsb4j.dsb.process.ReferenceProcess;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePresetTest {
    static final Backend cpu = Backends.cpu(2);

    /** The metric's classifier would take half a minute to train: a quick one stands in. */
    @BeforeAll static void quickClassifier() throws Exception {
        ImageSet train = ImageData.mnist(null).train().head(500);
        Classifiers.register(false, cpu, Classifier.train("smoke-test", train, 10, cpu, new Classifier.Recipe(1, 50, 3e-3, 1), null));
        Classifiers.register(false, Backends.current(), Classifiers.mnist(cpu));
    }

    @Test void mnistFollowsTheReferenceSettings() {
        for (String budget : Presets.BUDGETS) {
            TrainConfig c = Presets.defaults("mnist", budget);
            assertEquals(30, c.steps);
            assertEquals(1e-5, c.gammaMin);
            assertEquals(0.1, c.gammaMax);
            assertEquals(784, c.dim);
            assertEquals("unet", c.network);
            assertEquals(1.0, c.gradClip);
            c.validate();
        }
        TrainConfig ref = Presets.defaults("mnist", "reference");
        assertEquals(DriftNet.Parameterisation.MEAN, ref.parameterisation);
        assertEquals("reference28", ref.unet);
        assertEquals(List.of(20, 5000, 128, 1000, 100), List.of(ref.ipfIters, ref.iters, ref.batch, ref.cacheTrajectories, ref.cacheRefresh));
        assertEquals(0.999, ref.emaRate);
        assertEquals(1e-4, ref.lr);
        assertEquals("tiny28", Presets.defaults("mnist", "quick").unet);
        // the paper's method at the reference budget; bridge matching for mnist's quick budget only
        assertEquals(TrainConfig.DSB, ref.method);
        assertEquals(TrainConfig.DSBM, Presets.defaults("mnist", "quick").method);
        assertEquals(TrainConfig.DSB, Presets.defaults("mnist-to-fashion", "quick").method);
        assertTrue(Presets.NAMES.containsAll(Presets.IMAGES));
        assertFalse(Presets.COMING.contains("mnist"));
    }

    @Test void mnistEndsAreImagesWithTheAdaptivePriorMean() {
        Problem p = Presets.problem(Presets.defaults("mnist", "quick"));
        assertArrayEquals(new int[]{1, 28, 28}, p.data().itemShape());
        assertArrayEquals(new int[]{1, 28, 28}, p.prior().itemShape());
        assertTrue(p.gaussianPrior());
        ReferenceProcess r = p.reference();
        assertEquals(1.0, r.priorVariance());
        assertEquals(-0.74, r.priorMean()[0], 0.08, "scalar mean of 100 images");
        assertEquals(1.50015, r.schedule().total(), 1e-9);
    }

    @Test void mnistToFashionIsTransportWithANearlyBrownianReference() {
        TrainConfig c = Presets.defaults("mnist-to-fashion", "quick");
        Problem p = Presets.problem(c);
        assertFalse(p.gaussianPrior());
        assertEquals(1000, p.reference().priorVariance());
        assertEquals(0, p.reference().priorMean()[0]);
        assertArrayEquals(new int[]{1, 28, 28}, p.prior().itemShape());
        assertTrue(p.prior().name().startsWith("fashion"), p.prior().name());
    }

    @Test void imageSettingsRoundTripAndStayOutOfOtherConfigs() {
        TrainConfig c = Presets.defaults("mnist-to-fashion", "quick");
        c.dataDir = "/data/mnist";
        c.priorDataDir = "/data/fashion";
        TrainConfig back = TrainConfig.fromMap(Json.parseObject(Json.write(c.toMap())));
        assertEquals(c.toMap(), back.toMap());
        assertEquals("/data/fashion", back.priorDataDir);
        Map<String, Object> moons = Presets.defaults("moons", "quick").toMap();
        assertFalse(moons.containsKey("unet") || moons.containsKey("data_dir") || moons.containsKey("prior_data_dir")
                || moons.containsKey("eval_batch"));
        assertEquals(50, back.evalBatch);
        c.unet = "huge";
        assertThrows(IllegalArgumentException.class, c::validate);
    }

    @Test void tinyImageRunWritesFiniteImageSamples(@TempDir Path dir) throws Exception {
        TrainConfig c = Presets.defaults("mnist", "quick");
        c.unet = "tiny28";
        c.ipfIters = 1;
        c.iters = 3;
        c.batch = 8;
        c.cacheTrajectories = c.simBatch = 8;
        c.cacheRefresh = 2;
        c.evalSamples = 6;
        c.evalBatch = 4;                     // generation in two chunks (4 + 2)
        c.validate();
        IpfLoop loop = new IpfLoop(c, Presets.problem(c), cpu, new RunDirectory(dir), null, null);
        loop.run();
        Npy.Array a = Npy.read(dir.resolve("samples-ipf1.npy"));
        assertArrayEquals(new int[]{6, 1, 28, 28}, a.shape());
        for (float x : a.data()) assertTrue(Float.isFinite(x));
        List<String> rows = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertEquals(2, rows.size());
        Map<String, Object> last = Json.parseObject(rows.get(1));
        for (String k : List.of("fd", "class_hist", "min_class_frac", "confidence", "sw2", "prior_sw2"))
            assertTrue(last.containsKey(k), k + " in " + last);
        assertTrue(((Number) last.get("fd")).doubleValue() >= 0);
    }

    @Test void aCacheTooLargeForTheHeapIsRefusedBeforeTraining(@TempDir Path dir) {
        TrainConfig c = Presets.defaults("mnist", "quick");
        c.cacheTrajectories = 50_000_000;
        var e = assertThrows(IllegalStateException.class, () -> new IpfLoop(c, Presets.problem(c), cpu, new RunDirectory(dir), null, null));
        assertTrue(e.getMessage().contains("--cache-trajectories"), e.getMessage());
    }
}
