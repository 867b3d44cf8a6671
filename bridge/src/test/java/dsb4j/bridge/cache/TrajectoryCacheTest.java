package dsb4j.bridge.cache;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.process.ReferenceProcess;
import dsb4j.bridge.process.TimeSchedule;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import org.junit.jupiter.api.Test;

/**
 * The mean-matching pairs of the reference chain. For Gaussian data the best backward map of each step is
 * linear and its residual is known exactly: with x ~ N(μ, s²) and x' = (1−c)x + √(2γ)Z the target
 * (1−c)(x − x') has residual variance (1−c)²·s²·2γ / ((1−c)²s² + 2γ) given x', close to 2γ
 * (docs/method.md §1.4 item 4, §6.3 item 4). A lower value would mean the target leaks the state.
 */
class TrajectoryCacheTest {
    final Backend cpu = Backends.cpu(1);

    @Test void residualOfTheBestLinearBackwardMapIsTwoGamma() {
        int n = 10, d = 1, traj = 20_000;
        TimeSchedule s = TimeSchedule.of(TimeSchedule.Kind.CONSTANT, n, 0.05, 0.05);
        ReferenceProcess ref = new ReferenceProcess(s, new double[]{0}, 1.0);
        Rng rng = new Rng(5);
        TrajectoryCache cache = TrajectoryCache.build(ref, s,
                count -> Tensor.randn(cpu, DType.F32, rng, count, d).mul(2.0).add(1.0), traj, 5000, rng);
        assertEquals(traj * n, cache.rows());
        TrajectoryCache.Batch all = cache.batch(0, cache.rows(), cpu, DType.F64);
        double[] x = all.states().toDoubles(), y = all.targets().toDoubles(), k = all.steps().toDoubles();
        double c = 0.05, s2 = 4.0;
        double[] expected = new double[n];                  // by the trained network's step index k = N−1−j
        for (int j = 0; j < n; j++) {
            expected[n - 1 - j] = (1 - c) * (1 - c) * s2 * 0.1 / ((1 - c) * (1 - c) * s2 + 0.1);
            s2 = (1 - c) * (1 - c) * s2 + 0.1;
        }
        for (int step = 0; step < n; step++) {
            // least squares y ≈ a + b·x over the rows of this step
            double sx = 0, sy = 0, sxx = 0, sxy = 0, cnt = 0;
            for (int i = 0; i < x.length; i++) if (k[i] == step) { sx += x[i]; sy += y[i]; sxx += x[i] * x[i]; sxy += x[i] * y[i]; cnt++; }
            assertEquals(traj, cnt, "rows of step " + step);
            double b = (sxy - sx * sy / cnt) / (sxx - sx * sx / cnt), a = (sy - b * sx) / cnt, rss = 0;
            for (int i = 0; i < x.length; i++) if (k[i] == step) { double e = y[i] - a - b * x[i]; rss += e * e; }
            assertEquals(expected[step], rss / cnt, 0.04 * expected[step], "residual variance at step " + step);
        }
    }

    @Test void batchesFollowOneShuffledOrderAndWrap() {
        TimeSchedule s = TimeSchedule.of(TimeSchedule.Kind.CONSTANT, 2, 0.1, 0.1);
        Rng rng = new Rng(1);
        TrajectoryCache c = TrajectoryCache.build(ReferenceProcess.brownian(s), s,
                count -> Tensor.randn(cpu, DType.F32, rng, count, 3), 5, 5, rng);
        assertEquals(10, c.rows());
        double[] first = c.batch(0, 10, cpu, DType.F32).states().toDoubles();
        double[] wrapped = c.batch(1, 10, cpu, DType.F32).states().toDoubles();
        assertArrayEquals(first, wrapped);
        double[] steps = c.batch(0, 10, cpu, DType.F32).steps().toDoubles();
        int zeros = 0;
        for (double v : steps) if (v == 0) zeros++;
        assertEquals(5, zeros, "each trajectory gives one pair per step");
    }

    @Test void oversizedCacheIsRefusedWithAHint() {
        var e = assertThrows(IllegalStateException.class, () -> CacheSize.trajectories(Integer.MAX_VALUE / 4, 30, 784).checkFits());
        assertTrue(e.getMessage().startsWith("trajectory cache needs") && e.getMessage().contains("--cache-trajectories"), e.getMessage());
        assertEquals(1000L * 30 * (2 * 784 + 1) * 4, CacheSize.trajectories(1000, 30, 784).bytes(), "N × 2 × d floats plus the step, per trajectory");
    }

    /**
     * Keeping K random times per chain: the same chains as the full cache from the same generator (the pick draws from
     * a fork of it), K rows per chain at K distinct steps, the steps spread evenly over the chains. The targets' second
     * evaluation runs on the kept rows alone, where a vector kernel may round a row as its tail instead (1 ulp).
     */
    @Test void keptTimesAreARandomSubsetOfTheSameChains() {
        int n = 8, d = 2, traj = 4000;
        TimeSchedule s = TimeSchedule.of(TimeSchedule.Kind.CONSTANT, n, 0.05, 0.05);
        ReferenceProcess ref = new ReferenceProcess(s, new double[]{0.5, -1}, 2.0);
        java.util.function.IntFunction<TrajectoryCache> build = times -> {
            Rng rng = new Rng(9);
            return TrajectoryCache.build(ref, s, count -> Tensor.randn(cpu, DType.F32, rng, count, d).add(3.0), traj, times, 1500, rng);
        };
        TrajectoryCache all = build.apply(n);
        java.util.Map<String, float[]> full = rows(all);
        assertEquals(traj * n, full.size());
        for (int times : new int[]{1, 3}) {
            TrajectoryCache some = build.apply(times);
            assertEquals(traj * times, some.rows());
            java.util.Map<String, float[]> kept = rows(some);
            assertEquals(traj * times, kept.size(), "distinct rows");
            assertTrue(full.keySet().containsAll(kept.keySet()), "every kept state is one of the full cache's chains at that step, bit for bit");
            for (var e : kept.entrySet())
                for (int j = 0; j < d; j++) assertEquals(full.get(e.getKey())[j], e.getValue()[j], 1e-5, "target of " + e.getKey());
            double[] k = some.batch(0, some.rows(), cpu, DType.F64).steps().toDoubles();
            int[] perStep = new int[n];
            for (double v : k) perStep[(int) v]++;
            for (int j = 0; j < n; j++)
                assertEquals(traj * times / (double) n, perStep[j], 5 * Math.sqrt(traj * times / (double) n), "rows at step " + j + ": " + java.util.Arrays.toString(perStep));
        }
        assertThrows(IllegalArgumentException.class, () -> build.apply(n + 1));
        assertThrows(IllegalArgumentException.class, () -> build.apply(0));
        assertEquals(1000L * (2 * 2 + 1) * 4, CacheSize.trajectories(1000, 1, 2).bytes(), "one kept time: 2 × d floats plus the step, per chain");
    }

    /** Each row's target by "step:state" with the state's float bits. */
    private java.util.Map<String, float[]> rows(TrajectoryCache c) {
        TrajectoryCache.Batch b = c.batch(0, c.rows(), cpu, DType.F32);
        float[] x = b.states().toFloats(), y = b.targets().toFloats(), k = b.steps().toFloats();
        int d = x.length / k.length;
        java.util.Map<String, float[]> out = new java.util.HashMap<>();
        for (int i = 0; i < k.length; i++) {
            StringBuilder sb = new StringBuilder().append(k[i]);
            for (int j = 0; j < d; j++) sb.append(':').append(Float.floatToIntBits(x[i * d + j]));
            out.put(sb.toString(), java.util.Arrays.copyOfRange(y, i * d, i * d + d));
        }
        return out;
    }
}
