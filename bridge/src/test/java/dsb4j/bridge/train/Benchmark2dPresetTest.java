package dsb4j.bridge.train;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.Points;
import dsb4j.bridge.data.Toy2d;
import dsb4j.engine.random.Rng;
import org.junit.jupiter.api.Test;

/** The presets of the later papers' 2-D benchmark: their ends, a Brownian reference with σ² = 1, both budgets valid. */
class Benchmark2dPresetTest {

    @Test void everyBenchmarkPresetIsListedAndValid() {
        assertTrue(Presets.ALL.containsAll(Presets.BENCHMARK_2D));
        for (BuiltInPreset preset : Presets.BENCHMARK_2D) {
            String name = preset.name();
            for (Budget budget : Budget.values()) {
                TrainConfig c = preset.defaults(budget);
                c.validate();
                assertEquals(2, c.dim);
                assertEquals(budget == Budget.PAPER ? new NetworkSpec.Mlp(new int[]{256, 256}, 1.0 / 20) : new NetworkSpec.ReferenceMlp2d(), c.network);
                Problem p = c.problem();
                assertTrue(p.reference().isBrownian(), name);
                assertEquals(1.0, 2 * p.reference().schedule().total(), 1e-12, name + ": σ² = 2·Σγ");
                assertFalse(p.gaussianPrior(), name + ": the Brownian reference has no stationary law to start from");
            }
        }
    }

    @Test void thePaperBudgetIsThePublishedDsbRuns() {
        TrainConfig c = Presets.defaults("normal-to-moons", "paper");
        assertEquals(Method.DSB, c.method);
        assertEquals(20, c.ipfIters);
        assertEquals(10_000, c.iters);
        assertEquals(128, c.batch);
        assertEquals(1e-4, c.lr);
        assertEquals(LrDecay.CONSTANT, c.lrSchedule);
        assertTrue(c.warmStart);
        assertEquals(0.999, c.emaRate, "steadies the modes' weights from iteration to iteration");
        assertEquals(10_000, c.cacheTrajectories);
        assertEquals(1, c.cacheTimes, "one random time per simulated chain");
        assertEquals(78, c.cacheRefresh, "simulated again after each pass over the 10,000 pairs");
        assertEquals(67_330, c.network.parameters(new int[]{2}), "256-256 on [x, t]");
        assertEquals(0.05, c.toMap().get("time_scale"));
        assertEquals(1, c.toMap().get("cache_times"));
        assertEquals(c.toMap(), TrainConfig.fromMap(c.toMap()).toMap(), "config.json round trip");
        c.preset.setSteps(c, 40);
        assertEquals(new NetworkSpec.Mlp(new int[]{256, 256}, 1.0 / 40), c.network, "t = k/N stays in [0, 1)");
        for (BuiltInPreset other : Presets.ALL) {
            if (Presets.BENCHMARK_2D.contains(other)) continue;
            assertFalse(other.offers(Budget.PAPER), other.name());
            var e = assertThrows(IllegalArgumentException.class, () -> other.defaults(Budget.PAPER));
            assertTrue(e.getMessage().contains("normal-to-moons"), e.getMessage());
        }
    }

    @Test void configsWithoutTheNewKeysReadAsBefore() {
        TrainConfig quick = Presets.defaults("normal-to-moons", "quick");
        quick.method = Method.DSB;
        quick.network = new NetworkSpec.Mlp(new int[]{64});
        var m = quick.toMap();
        assertFalse(m.containsKey("cache_times") || m.containsKey("time_scale"), m.toString());
        TrainConfig back = TrainConfig.fromMap(m);
        assertEquals(TrainConfig.ALL_TIMES, back.cacheTimes);
        assertEquals(new NetworkSpec.Mlp(new int[]{64}, 1.0), back.network);
        TrainConfig paperDsbm = Presets.defaults("normal-to-moons", "paper");
        paperDsbm.method = Method.DSBM;
        assertFalse(paperDsbm.toMap().containsKey("cache_times"), "bridge matching keeps no transitions");
        paperDsbm.method = Method.DSB;
        paperDsbm.cacheTimes = 21;
        assertThrows(IllegalArgumentException.class, paperDsbm::validate, "more times than N = 20");
    }

    /** normal-to-moons's data changed: configs name the new shape; those without it resume with the former moons. */
    @Test void formerNormalToMoonsRunsKeepTheirData() {
        TrainConfig now = Presets.defaults("normal-to-moons", "quick");
        var m = now.toMap();
        assertEquals("moons-runner", m.get("data_shape"));
        assertSame(Presets.NORMAL_TO_MOONS, TrainConfig.fromMap(m).preset);
        m.remove("data_shape");
        TrainConfig former = TrainConfig.fromMap(m);
        assertEquals(Toy2d.of("moons-cfm").sample(50, new Rng(2)), former.problem().data().sample(50, new Rng(2)));
        assertEquals(m, former.toMap(), "its config (and fingerprint) stay as they were written");
        assertNotEquals(now.fingerprint(), former.fingerprint());
        assertNotNull(now.chainMismatch(former), "the two moons are different chains for an ensemble");
        m.put("data_shape", "moons-square");
        var e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromMap(m));
        assertTrue(e.getMessage().contains("moons-square"), e.getMessage());
        assertFalse(Presets.defaults("normal-to-scurve", "quick").toMap().containsKey("data_shape"), "unchanged presets record nothing new");
    }

    @Test void endsAreTheBenchmarkShapes() {
        Rng rng = new Rng(1);
        Problem moons = Presets.defaults("normal-to-moons", "quick").problem();
        assertEquals(Toy2d.of("moons-runner").sample(50, new Rng(2)), moons.data().sample(50, new Rng(2)));
        Points z = moons.prior().sample(20_000, rng);
        double s = 0, s2 = 0;
        for (float v : z.data()) { s += v; s2 += (double) v * v; }
        assertEquals(0, s / z.data().length, 0.02, "N(0, I) mean");
        assertEquals(1, s2 / z.data().length, 0.03, "N(0, I) variance");
        Problem scurve = Presets.defaults("normal-to-scurve", "quick").problem();
        assertEquals(Toy2d.of("scurve-cfm").sample(50, new Rng(5)), scurve.data().sample(50, new Rng(5)));
        Problem transport = Presets.defaults("moons-to-8gaussians", "quick").problem();
        assertEquals(Toy2d.of("8gaussians-cfm").sample(50, new Rng(3)), transport.data().sample(50, new Rng(3)));
        assertEquals(Toy2d.of("moons-cfm").sample(50, new Rng(4)), transport.prior().sample(50, new Rng(4)));
    }
}
