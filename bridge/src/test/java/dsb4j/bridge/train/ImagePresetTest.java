package dsb4j.bridge.train;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.ImageData;
import dsb4j.bridge.data.ImageSet;
import dsb4j.bridge.drift.DriftNet;
import dsb4j.bridge.images.Classifier;
import dsb4j.bridge.images.Classifiers;
import dsb4j.bridge.io.Npy;
import dsb4j.bridge.process.ReferenceProcess;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.io.Json;
import dsb4j.nn.models.UNetConfig;
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
        for (Budget budget : List.of(Budget.QUICK, Budget.REFERENCE)) {
            TrainConfig c = Presets.MNIST.defaults(budget);
            assertEquals(30, c.steps);
            assertEquals(1e-5, c.gammaMin);
            assertEquals(0.1, c.gammaMax);
            assertEquals(784, c.dim);
            assertInstanceOf(NetworkSpec.UNet.class, c.network);
            assertEquals(1.0, c.gradClip);
            c.validate();
        }
        TrainConfig ref = Presets.defaults("mnist", "reference");
        assertEquals(DriftNet.Parameterisation.MEAN, ref.parameterisation);
        assertEquals(new NetworkSpec.UNet(NetworkSpec.Size.REFERENCE), ref.network);
        // the sizes built for 1×28×28 are exactly the named 28×28 nets
        int[] digit = {1, 28, 28};
        assertEquals(UNetConfig.reference28().toString(), ((NetworkSpec.UNet) ref.network).config(digit).toString());
        assertEquals(UNetConfig.tiny28().toString(), new NetworkSpec.UNet(NetworkSpec.Size.TINY).config(digit).toString());
        assertEquals(UNetConfig.small28().toString(), new NetworkSpec.UNet(NetworkSpec.Size.SMALL).config(digit).toString());
        assertEquals(List.of(20, 5000, 128, 1000, 100), List.of(ref.ipfIters, ref.iters, ref.batch, ref.cacheTrajectories, ref.cacheRefresh));
        assertEquals(0.999, ref.emaRate);
        assertEquals(1e-4, ref.lr);
        assertEquals(new NetworkSpec.UNet(NetworkSpec.Size.TINY), Presets.defaults("mnist", "quick").network);
        // the paper's method at the reference budget; bridge matching for mnist's quick budget only
        assertEquals(Method.DSB, ref.method);
        assertEquals(Method.DSBM, Presets.defaults("mnist", "quick").method);
        assertEquals(Method.DSB, Presets.defaults("mnist-to-fashion", "quick").method);
        assertTrue(Presets.ALL.containsAll(Presets.IMAGES));
    }

    @Test void mnistEndsAreImagesWithTheAdaptivePriorMean() {
        Problem p = Presets.defaults("mnist", "quick").problem();
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
        Problem p = c.problem();
        assertFalse(p.gaussianPrior());
        assertEquals(1000, p.reference().priorVariance());
        assertEquals(0, p.reference().priorMean()[0]);
        assertArrayEquals(new int[]{1, 28, 28}, p.prior().itemShape());
        assertTrue(p.prior().name().startsWith("fashion"), p.prior().name());
    }

    @Test void imageSettingsRoundTripAndStayOutOfOtherConfigs() {
        TrainConfig c = Presets.defaults("mnist-to-fashion", "quick");
        c.dataDir = Path.of("/data/mnist");
        c.priorDataDir = Path.of("/data/fashion");
        TrainConfig back = TrainConfig.fromMap(Json.parseObject(Json.write(c.toMap())));
        assertEquals(c.toMap(), back.toMap());
        assertEquals(Path.of("/data/fashion"), back.priorDataDir);
        Map<String, Object> moons = Presets.defaults("moons", "quick").toMap();
        assertFalse(moons.containsKey("unet") || moons.containsKey("data_dir") || moons.containsKey("prior_data_dir")
                || moons.containsKey("eval_batch"));
        assertEquals(50, back.evalBatch);
        c.network = new NetworkSpec.Mlp(new int[]{8});
        assertThrows(IllegalArgumentException.class, c::validate, "an MLP on images");
        assertThrows(IllegalArgumentException.class, () -> NetworkSpec.Size.parse("huge"));
    }

    @Test void tinyImageRunWritesFiniteImageSamples(@TempDir Path dir) throws Exception {
        TrainConfig c = Presets.defaults("mnist", "quick");
        c.network = new NetworkSpec.UNet(NetworkSpec.Size.TINY);
        c.ipfIters = 1;
        c.iters = 3;
        c.batch = 8;
        c.cacheTrajectories = c.simBatch = 8;
        c.cacheRefresh = 2;
        c.evalSamples = 6;
        c.evalBatch = 4;                     // generation in two chunks (4 + 2)
        c.validate();
        IpfLoop loop = new IpfLoop(c, c.problem(), cpu, new RunDirectory(dir), null, null);
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
        var e = assertThrows(IllegalStateException.class, () -> new IpfLoop(c, c.problem(), cpu, new RunDirectory(dir), null, null));
        assertTrue(e.getMessage().contains("--cache-trajectories"), e.getMessage());
    }
}
