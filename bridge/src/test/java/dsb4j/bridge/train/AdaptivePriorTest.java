package dsb4j.bridge.train;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.Points;
import dsb4j.bridge.data.Toy2d;
import dsb4j.bridge.process.ReferenceProcess;
import dsb4j.engine.random.Rng;
import org.junit.jupiter.api.Test;

/**
 * The toys' adaptive prior: the reference code's final_adaptive (per-coordinate mean, torch's pooled vec.var()) with
 * {@code --prior-variance pooled}, each coordinate's own variance by default; the reference process is the pooled one's.
 */
class AdaptivePriorTest {

    @Test void varianceIsPooledAndUnbiased() {
        // values 0, 0, 2, 2: common mean 1, squared deviations 4 in all, over n·d − 1 = 3
        assertEquals(4.0 / 3, BuiltInPreset.adaptiveVariance(new float[]{0, 0, 2, 2}, 4), 1e-12);
        // only the first `count` values count
        assertEquals(0.5, BuiltInPreset.adaptiveVariance(new float[]{1, 2, 100}, 2), 1e-12);
    }

    @Test void coordinateVariancesAreUnbiasedPerColumn() {
        // rows (0, 10), (2, 10), (4, 16): column means 2 and 12, squared deviations 8 and 24, over n − 1 = 2
        float[] rows = {0, 10, 2, 10, 4, 16};
        double[] mean = BuiltInPreset.coordinateMeans(rows, 3, 2);
        assertArrayEquals(new double[]{2, 12}, mean, 1e-12);
        assertArrayEquals(new double[]{4, 12}, BuiltInPreset.coordinateVariances(rows, 3, 2, mean), 1e-12);
    }

    @Test void moonsDefaultPriorHasEachCoordinatesVarianceAndThePooledReference() {
        TrainConfig c = Presets.defaults("moons", "quick");
        assertEquals(PriorVariance.DIAGONAL, c.priorVariance);
        c.seed = 11;
        Problem problem = Presets.MOONS.problem(c);
        Points p = Toy2d.of("moons").sample(c.priorPoints, new Rng(c.seed).fork(0xADA));
        double[] want = BuiltInPreset.coordinateVariances(p.data(), p.n(), 2, BuiltInPreset.coordinateMeans(p.data(), p.n(), 2));
        double[][] cov = ((dsb4j.bridge.data.GaussianSource) problem.prior()).covariance();
        assertEquals(want[0], cov[0][0], 1e-9 * want[0]);
        assertEquals(want[1], cov[1][1], 1e-9 * want[1]);
        assertEquals(0, cov[0][1]);
        assertTrue(want[0] > 2 * want[1], "the moons are wider than tall: " + want[0] + " vs " + want[1]);
        assertEquals(BuiltInPreset.adaptiveVariance(p.data(), 2 * p.n()), problem.reference().priorVariance(), 1e-12);
    }

    @Test void configsWithoutTheKeysAreTheReferencePriorAndItWritesNoKeys() {
        TrainConfig c = Presets.defaults("moons", "quick");
        assertEquals("diagonal", c.toMap().get("prior_variance"));
        assertEquals(10_000, c.toMap().get("prior_points"));
        TrainConfig back = TrainConfig.fromMap(c.toMap());
        assertEquals(PriorVariance.DIAGONAL, back.priorVariance);
        assertEquals(10_000, back.priorPoints);
        // the reference code's prior (and that of every toy run made before the choice existed) writes neither key,
        // so those runs' configs and fingerprints stay as they were and they resume with the prior they started with
        c.priorVariance = PriorVariance.POOLED;
        c.priorPoints = 100;
        var m = c.toMap();
        assertFalse(m.containsKey("prior_variance") || m.containsKey("prior_points"), m.toString());
        assertEquals(PriorVariance.POOLED, TrainConfig.fromMap(m).priorVariance);
        assertEquals(100, TrainConfig.fromMap(m).priorPoints);
        assertFalse(Presets.defaults("gaussian", "quick").toMap().containsKey("prior_points"));
        c.priorPoints = 1;
        assertThrows(IllegalArgumentException.class, c::validate);
    }

    @Test void moonsPriorIsWiderThanTheMeanPerCoordinateVariance() {
        TrainConfig c = Presets.defaults("moons", "quick");
        c.priorVariance = PriorVariance.POOLED;
        c.seed = 11;
        ReferenceProcess ref = Presets.MOONS.problem(c).reference();
        Points p = Toy2d.of("moons").sample(c.priorPoints, new Rng(c.seed).fork(0xADA));
        double[] mean = ref.priorMean();
        double perCoordinate = 0;
        for (int i = 0; i < p.n(); i++) for (int j = 0; j < 2; j++) {
            double e = p.data()[i * 2 + j] - mean[j];
            perCoordinate += e * e / (2.0 * p.n());
        }
        int values = 2 * p.n();
        double pooled = BuiltInPreset.adaptiveVariance(p.data(), values);
        assertEquals(pooled, ref.priorVariance(), 1e-9 * pooled);
        double spread = (mean[0] - mean[1]) * (mean[0] - mean[1]) / 4;   // the between-coordinate part
        assertEquals((perCoordinate + spread) * values / (values - 1), pooled, 1e-6 * pooled);
        System.out.printf("moons seed 11: pooled variance %.3f, mean per-coordinate variance %.3f, means %.3f %.3f%n",
                pooled, perCoordinate, mean[0], mean[1]);
    }
}
