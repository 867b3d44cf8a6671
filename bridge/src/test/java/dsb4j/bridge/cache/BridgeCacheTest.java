package dsb4j.bridge.cache;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.TransitionMap;
import dsb4j.bridge.process.ReferenceProcess;
import dsb4j.bridge.process.TimeSchedule;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import org.junit.jupiter.api.Test;

/**
 * Bridge matching's training rows against closed forms of the Brownian chain (noise 2γ_k per step), on a
 * non-constant schedule so that the cumulative times t_k matter.
 */
class BridgeCacheTest {
    final Backend cpu = Backends.cpu(1);
    final TimeSchedule schedule = TimeSchedule.of(TimeSchedule.Kind.LINEAR, 10, 0.01, 0.1);
    final int n = schedule.steps();

    double time(int k) {
        double t = 0;
        for (int i = 0; i < k; i++) t += schedule.gamma(i);
        return t;
    }

    /** The Brownian chain run backward (prior end → data end): the sampler of a forward half-step. */
    static TransitionMap brownianBackward() {
        return new TransitionMap() {
            @Override public Direction direction() { return Direction.BACKWARD; }
            @Override public Tensor mean(Tensor x, int step) { return x; }
        };
    }

    /**
     * All chains start at one point a: a backward row's state at step k+1 is then the reference marginal
     * N(a, 2t_{k+1}) and its target is exactly (t_k/t_{k+1} − 1)(x − a); the network's index is N−1−k.
     */
    @Test void backwardRowsFollowTheBridgeFromTheDataEnd() {
        double a = 0.7;
        Rng rng = new Rng(3);
        BridgeCache c = BridgeCache.build(ReferenceProcess.brownian(schedule), ReferenceProcess.brownian(schedule),
                count -> Tensor.full(cpu, DType.F32, a, count, 1), 20_000, 5000, rng);
        assertEquals(20_000, c.pairs());
        checkRows(c, Direction.BACKWARD, a);
    }

    /** The mirror image: chains from the prior end b, forward rows at step k with target γ_k/(T − t_k)·(b − x). */
    @Test void forwardRowsFollowTheBridgeToThePriorEnd() {
        double b = -1.3;
        BridgeCache c = BridgeCache.build(brownianBackward(), ReferenceProcess.brownian(schedule),
                count -> Tensor.full(cpu, DType.F32, b, count, 1), 20_000, 20_000, new Rng(4));
        checkRows(c, Direction.FORWARD, b);
    }

    /** A row of a batch: the trained network's step index, the state and the target. */
    private interface Row { void accept(int index, double x, double y); }

    /** Visits the 200,000 rows of the cache's first 40 batches of 5,000. */
    private void forEachRow(BridgeCache c, Row row) {
        for (int batch = 0; batch < 40; batch++) {
            MeanMatchingData.Batch rows = c.batch(batch, 5000, cpu, DType.F64);
            double[] x = rows.states().toDoubles(), y = rows.targets().toDoubles(), s = rows.steps().toDoubles();
            for (int i = 0; i < x.length; i++) row.accept((int) s[i], x[i], y[i]);
        }
    }

    /** Count, mean and variance of a quantity, kept separately for each of n slots. */
    private final class PerSlot {
        final double[] sum = new double[n], sq = new double[n];
        final int[] count = new int[n];
        void add(int slot, double d) { sum[slot] += d; sq[slot] += d * d; count[slot]++; }
        double mean(int slot) { return sum[slot] / count[slot]; }
        double var(int slot) { return sq[slot] / count[slot] - mean(slot) * mean(slot); }
    }

    private void checkRows(BridgeCache c, Direction trained, double pinned) {
        double total = time(n);
        PerSlot states = new PerSlot();
        forEachRow(c, (idx, x, y) -> {
            int k = trained == Direction.BACKWARD ? n - 1 - idx : idx;               // the transition x_k ↔ x_{k+1}
            double expected = trained == Direction.BACKWARD
                    ? (time(k) / time(k + 1) - 1) * (x - pinned)
                    : schedule.gamma(k) / (total - time(k)) * (pinned - x);
            assertEquals(expected, y, 1e-5 * (1 + Math.abs(x)), "target of a row at transition " + k);
            states.add(idx, x - pinned);
        });
        for (int idx = 0; idx < n; idx++) {
            int k = trained == Direction.BACKWARD ? n - 1 - idx : idx;
            double t = trained == Direction.BACKWARD ? time(k + 1) : total - time(k);   // distance in time from the pinned end
            assertTrue(states.count[idx] > 200_000 / n * 0.9, "steps are drawn uniformly: " + states.count[idx] + " rows at index " + idx);
            double mean = states.mean(idx), var = states.var(idx);
            // rows of one pair share its free end, so the spread of the mean is set by the 20,000 pairs, not the rows
            assertEquals(0, mean, 4 * Math.sqrt(2 * t / 20_000) + 1e-9, "state mean at index " + idx);
            assertEquals(2 * t, var, 0.05 * 2 * t + 1e-12, "state variance (the reference marginal 2t) at index " + idx);
        }
    }

    /**
     * On Gaussian data under the Brownian reference, DSB's trajectory targets and bridge matching's targets have
     * the same regression on the state at every step: slope (s² + 2t_k)/(s² + 2t_{k+1}) − 1 (E[x_k | x_{k+1}] − x_{k+1}).
     * Both estimators aim at one backward map; only their noise differs (bridge targets carry no transition noise).
     */
    @Test void sameRegressionAsDsbTargets() {
        double mu = 1.0, s2 = 4.0;
        int traj = 20_000;
        Rng r1 = new Rng(5), r2 = new Rng(6);
        ReferenceProcess ref = ReferenceProcess.brownian(schedule);
        MeanMatchingData dsb = TrajectoryCache.build(ref, schedule,
                count -> Tensor.randn(cpu, DType.F32, r1, count, 1).mul(Math.sqrt(s2)).add(mu), traj, traj, r1);
        MeanMatchingData dsbm = BridgeCache.build(ref, ref,
                count -> Tensor.randn(cpu, DType.F32, r2, count, 1).mul(Math.sqrt(s2)).add(mu), traj, traj, r2);
        double[][] fitDsb = slopes(dsb.batch(0, traj * n, cpu, DType.F64)), fitDsbm = slopes(dsbm.batch(0, traj * n, cpu, DType.F64));
        for (int idx = 0; idx < n; idx++) {
            int k = n - 1 - idx;
            double expected = (s2 + 2 * time(k)) / (s2 + 2 * time(k + 1)) - 1;
            assertEquals(expected, fitDsb[idx][0], 0.01, "DSB slope at index " + idx);
            assertEquals(expected, fitDsbm[idx][0], 0.01, "DSBM slope at index " + idx);
            // intercept: −slope·μ (the regression line passes through the mean, where the target's mean is 0)
            assertEquals(-expected * mu, fitDsbm[idx][1], 0.02, "DSBM intercept at index " + idx);
        }
    }

    /** Least-squares slope and intercept of target on state, per step index. */
    private double[][] slopes(MeanMatchingData.Batch b) {
        double[] x = b.states().toDoubles(), y = b.targets().toDoubles(), s = b.steps().toDoubles();
        double[][] out = new double[n][];
        for (int idx = 0; idx < n; idx++) {
            double sx = 0, sy = 0, sxx = 0, sxy = 0, c = 0;
            for (int i = 0; i < x.length; i++) if (s[i] == idx) { sx += x[i]; sy += y[i]; sxx += x[i] * x[i]; sxy += x[i] * y[i]; c++; }
            double slope = (sxy - sx * sy / c) / (sxx - sx * sx / c);
            out[idx] = new double[]{slope, (sy - slope * sx) / c};
        }
        return out;
    }

    /**
     * An OU reference (v = 1.5, pull point m = 0.5), chains from one point a: a backward row's state at index k+1
     * is the reference marginal N(m + α_{0→k+1}(a − m), s²_{0→k+1}), and its target is Gaussian conditioning of
     * x_k ~ N(μ_k, s²_{0→k}) on x_{k+1} = m + α_k(x_k − m) + √(2γ_k)Z, written out here independently of the
     * bridge weights the cache uses.
     */
    @Test void ouBackwardRowsAreGaussianConditioning() {
        double a = 2.0, m = 0.5, v = 1.5;
        ReferenceProcess ou = new ReferenceProcess(schedule, new double[]{m}, v);
        BridgeCache c = BridgeCache.build(ou, ou, count -> Tensor.full(cpu, DType.F32, a, count, 1), 20_000, 20_000, new Rng(12));
        double[] mu = new double[n + 1], s2 = new double[n + 1];
        mu[0] = a;
        for (int k = 0; k < n; k++) {
            double alpha = 1 - schedule.gamma(k) / v;
            mu[k + 1] = m + alpha * (mu[k] - m);
            s2[k + 1] = alpha * alpha * s2[k] + 2 * schedule.gamma(k);
        }
        PerSlot states = new PerSlot();
        forEachRow(c, (idx, x, y) -> {
            int k = n - 1 - idx;
            double alpha = 1 - schedule.gamma(k) / v;
            double gain = alpha * s2[k] / (alpha * alpha * s2[k] + 2 * schedule.gamma(k));
            double expected = mu[k] + gain * (x - m - alpha * (mu[k] - m));
            assertEquals(expected - x, y, 1e-5 * (1 + Math.abs(x)), "OU target at transition " + k);
            states.add(k, x - mu[k + 1]);
        });
        for (int k = 0; k < n; k++) {
            double mean = states.mean(k), var = states.var(k);
            assertEquals(0, mean, 4 * Math.sqrt(s2[k + 1] / 20_000), "state mean at index " + (k + 1));
            assertEquals(s2[k + 1], var, 0.05 * s2[k + 1], "state variance at index " + (k + 1));
        }
    }

    /** The forward targets under the same OU reference: x_{k+1} given x_k and the pinned prior end b. */
    @Test void ouForwardTargetsAreGaussianConditioning() {
        double b = -1.0, m = 0.5, v = 1.5;
        ReferenceProcess ou = new ReferenceProcess(schedule, new double[]{m}, v);
        BridgeCache c = BridgeCache.build(brownianBackward(), ou, count -> Tensor.full(cpu, DType.F32, b, count, 1), 500, 500, new Rng(13));
        MeanMatchingData.Batch rows = c.batch(0, 5000, cpu, DType.F64);
        double[] x = rows.states().toDoubles(), y = rows.targets().toDoubles(), st = rows.steps().toDoubles();
        for (int i = 0; i < x.length; i++) {
            int k = (int) st[i];
            double alpha = 1 - schedule.gamma(k) / v, g2 = 2 * schedule.gamma(k);
            double contraction = 1, noise = 0;                  // x_N given x_{k+1}: m + A(x_{k+1} − m), variance V
            for (int j = k + 1; j < n; j++) {
                double f = 1 - schedule.gamma(j) / v;
                contraction *= f;
                noise = f * f * noise + 2 * schedule.gamma(j);
            }
            double mu = m + alpha * (x[i] - m);
            double expected = mu + g2 * contraction / (contraction * contraction * g2 + noise) * (b - m - contraction * (mu - m));
            assertEquals(expected - x[i], y[i], 1e-5 * (1 + Math.abs(x[i])), "OU forward target at transition " + k);
        }
    }

    @Test void batchesReplay() {
        BridgeCache c = BridgeCache.build(ReferenceProcess.brownian(schedule), ReferenceProcess.brownian(schedule),
                count -> Tensor.randn(cpu, DType.F32, new Rng(count), count, 3), 6, 4, new Rng(8));
        BridgeCache again = BridgeCache.build(ReferenceProcess.brownian(schedule), ReferenceProcess.brownian(schedule),
                count -> Tensor.randn(cpu, DType.F32, new Rng(count), count, 3), 6, 4, new Rng(8));
        assertArrayEquals(c.batch(3, 12, cpu, DType.F32).states().toDoubles(), again.batch(3, 12, cpu, DType.F32).states().toDoubles());
        assertArrayEquals(c.batch(3, 12, cpu, DType.F32).targets().toDoubles(), c.batch(3, 12, cpu, DType.F32).targets().toDoubles());
        assertFalse(java.util.Arrays.equals(c.batch(3, 12, cpu, DType.F32).states().toDoubles(),
                c.batch(4, 12, cpu, DType.F32).states().toDoubles()), "another batch draws other states");
    }

    /** Chains from six distinct prior-end points: each forward row gives its pair's end back as x + target/q. */
    @Test void aBatchUsesEveryPairEqually() {
        int pairs = 6;
        BridgeCache c = BridgeCache.build(brownianBackward(), ReferenceProcess.brownian(schedule), count -> {
            double[] ends = new double[count];
            for (int i = 0; i < count; i++) ends[i] = i;
            return Tensor.of(cpu, ends, count, 1).to(DType.F32);
        }, pairs, pairs, new Rng(9));
        MeanMatchingData.Batch b = c.batch(0, 2 * pairs, cpu, DType.F64);
        double[] x = b.states().toDoubles(), y = b.targets().toDoubles(), s = b.steps().toDoubles();
        int[] uses = new int[pairs];
        for (int i = 0; i < x.length; i++) {
            int k = (int) s[i];
            double end = x[i] + y[i] * (time(n) - time(k)) / schedule.gamma(k);
            uses[(int) Math.round(end)]++;
            assertEquals(Math.round(end), end, 1e-4);
        }
        assertArrayEquals(new int[]{2, 2, 2, 2, 2, 2}, uses, "two passes over the six pairs");
    }

    /**
     * DSBM-IMF's first coupling: the two ends keep their own laws (N(1, 1) and N(−2, 4) here) and are
     * uncorrelated, where the reference's coupling of the same data end is strongly correlated (1/√(1 + 2T)).
     */
    @Test void independentCouplingKeepsBothMarginalsAndNoCorrelation() {
        int pairs = 20_000;
        Rng draws = new Rng(11);
        BridgeCache c = BridgeCache.independent(
                count -> Tensor.randn(cpu, DType.F32, draws, count, 1).add(1.0),
                count -> Tensor.randn(cpu, DType.F32, draws, count, 1).mul(2.0).sub(2.0),
                ReferenceProcess.brownian(schedule), Direction.BACKWARD, pairs, 3000, new Rng(12));
        double[] m = moments(c.dataEnds(), c.priorEnds());
        assertEquals(1.0, m[0], 0.05, "data-end mean");
        assertEquals(-2.0, m[1], 0.1, "prior-end mean");
        assertEquals(1.0, m[2], 0.05, "data-end variance");
        assertEquals(4.0, m[3], 0.2, "prior-end variance");
        assertEquals(0.0, m[4], 0.04, "correlation of the two ends");

        BridgeCache reference = BridgeCache.build(ReferenceProcess.brownian(schedule), ReferenceProcess.brownian(schedule),
                count -> Tensor.randn(cpu, DType.F32, draws, count, 1).add(1.0), pairs, 3000, new Rng(13));
        double[] r = moments(reference.dataEnds(), reference.priorEnds());
        assertEquals(1 / Math.sqrt(1 + 2 * time(n)), r[4], 0.04, "the reference coupling's correlation, for contrast");
    }

    /** Means, variances and correlation of paired samples: {mean a, mean b, var a, var b, corr}. */
    private static double[] moments(float[] a, float[] b) {
        int len = a.length;
        double ma = 0, mb = 0;
        for (int i = 0; i < len; i++) { ma += a[i]; mb += b[i]; }
        ma /= len;
        mb /= len;
        double va = 0, vb = 0, cab = 0;
        for (int i = 0; i < len; i++) {
            va += (a[i] - ma) * (a[i] - ma);
            vb += (b[i] - mb) * (b[i] - mb);
            cab += (a[i] - ma) * (b[i] - mb);
        }
        return new double[]{ma, mb, va / len, vb / len, cab / Math.sqrt(va * vb)};
    }

    @Test void oversizedCacheIsRefusedWithAHint() {
        var e = assertThrows(IllegalStateException.class, () -> CacheSize.bridges(Integer.MAX_VALUE, 784).checkFits());
        assertTrue(e.getMessage().startsWith("bridge cache needs") && e.getMessage().contains("--cache-trajectories"), e.getMessage());
        assertEquals(300L * 2 * 784 * 4, CacheSize.bridges(300, 784).bytes(), "two ends of d floats per trajectory");
    }
}
