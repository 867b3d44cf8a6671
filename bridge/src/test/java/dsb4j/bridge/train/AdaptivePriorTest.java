package dsb4j.bridge.train;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.Points;
import dsb4j.bridge.data.Toy2d;
import dsb4j.bridge.process.ReferenceProcess;
import dsb4j.engine.random.Rng;
import org.junit.jupiter.api.Test;

/** The toys' adaptive prior is the reference code's final_adaptive: per-coordinate mean, torch's pooled vec.var(). */
class AdaptivePriorTest {

    @Test void varianceIsPooledAndUnbiased() {
        // values 0, 0, 2, 2: common mean 1, squared deviations 4 in all, over n·d − 1 = 3
        assertEquals(4.0 / 3, BuiltInPreset.adaptiveVariance(new float[]{0, 0, 2, 2}, 4), 1e-12);
        // only the first `count` values count
        assertEquals(0.5, BuiltInPreset.adaptiveVariance(new float[]{1, 2, 100}, 2), 1e-12);
    }

    @Test void moonsPriorIsWiderThanTheMeanPerCoordinateVariance() {
        TrainConfig c = Presets.defaults("moons", "quick");
        c.seed = 11;
        ReferenceProcess ref = Presets.MOONS.problem(c).reference();
        Points p = Toy2d.of("moons").sample(100, new Rng(c.seed).fork(0xADA));
        double[] mean = ref.priorMean();
        double perCoordinate = 0;
        for (int i = 0; i < p.n(); i++) for (int j = 0; j < 2; j++) {
            double e = p.data()[i * 2 + j] - mean[j];
            perCoordinate += e * e / (2.0 * p.n());
        }
        double pooled = BuiltInPreset.adaptiveVariance(p.data(), 200);
        assertEquals(pooled, ref.priorVariance(), 1e-12);
        double spread = (mean[0] - mean[1]) * (mean[0] - mean[1]) / 4;   // the between-coordinate part
        assertEquals(perCoordinate * 200 / 199 + spread * 200 / 199, pooled, 1e-6 * pooled);
        System.out.printf("moons seed 11: pooled variance %.3f, mean per-coordinate variance %.3f, means %.3f %.3f%n",
                pooled, perCoordinate, mean[0], mean[1]);
    }
}
