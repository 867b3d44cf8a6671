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
                assertEquals(new NetworkSpec.ReferenceMlp2d(), c.network);
                Problem p = c.problem();
                assertTrue(p.reference().isBrownian(), name);
                assertEquals(1.0, 2 * p.reference().schedule().total(), 1e-12, name + ": σ² = 2·Σγ");
                assertFalse(p.gaussianPrior(), name + ": the Brownian reference has no stationary law to start from");
            }
        }
    }

    @Test void endsAreTheBenchmarkShapes() {
        Rng rng = new Rng(1);
        Problem moons = Presets.defaults("normal-to-moons", "quick").problem();
        assertEquals(Toy2d.of("moons-cfm").sample(50, new Rng(2)), moons.data().sample(50, new Rng(2)));
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
