package dsb4j.bridge.cache;

import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.TransitionMap;
import dsb4j.bridge.process.TimeSchedule;
import dsb4j.bridge.sim.Simulator;
import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.NoGrad;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.BufferScope;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import java.util.function.IntFunction;

/**
 * The mean-matching training pairs of one half-step, simulated with the frozen map of the other direction.
 * For each transition j of that chain (mean G_j, state x before, x' after) it keeps
 * state = x' and target = G_j(x) − G_j(x'), and the step index of the network being trained, which
 * runs the same transition the other way (index N−1−j). Rows are served in a shuffled order.
 * A cache may keep only K of each chain's N transitions, drawn at random per chain (the published DSB runs keep one
 * random time per trajectory: pairs from different chains, at the price of simulating N times as many steps per pair).
 * Memory: trajectories × K × 2 × d floats, held on the heap.
 */
public final class TrajectoryCache implements MeanMatchingData {
    private final int rows, dim;
    private final int[] stateShape;
    private final float[] states, targets;
    private final float[] steps;
    private final int[] order;

    private TrajectoryCache(int rows, int[] stateShape) {
        this.rows = rows;
        this.stateShape = stateShape;
        int d = 1;
        for (int s : stateShape) d *= s;
        this.dim = d;
        long floats = (long) rows * d;
        if (floats > Integer.MAX_VALUE) throw new IllegalArgumentException("trajectory cache of " + rows + " × " + d + " floats is too large for one array");
        this.states = new float[(int) floats];
        this.targets = new float[(int) floats];
        this.steps = new float[rows];
        this.order = new int[rows];
        for (int i = 0; i < rows; i++) order[i] = i;
    }

    /**
     * Simulates {@code trajectories} chains of {@code sampler} (frozen; no gradients) in chunks of {@code chunk},
     * starting from {@code start.apply(count)}, and records every transition.
     */
    public static TrajectoryCache build(TransitionMap sampler, TimeSchedule schedule, IntFunction<Tensor> start,
                                        int trajectories, int chunk, Rng rng) {
        return build(sampler, schedule, start, trajectories, schedule.steps(), chunk, rng);
    }

    /**
     * As {@link #build(TransitionMap, TimeSchedule, IntFunction, int, int, Rng)}, keeping {@code times} of each chain's
     * N transitions (1 ≤ times ≤ N), distinct and drawn at random per chain from a generator forked off {@code rng};
     * with times = N every transition, and the same rows, order and random draws as the other form.
     */
    public static TrajectoryCache build(TransitionMap sampler, TimeSchedule schedule, IntFunction<Tensor> start,
                                        int trajectories, int times, int chunk, Rng rng) {
        int n = schedule.steps();
        if (times < 1 || times > n) throw new IllegalArgumentException("times per trajectory must be in [1, " + n + "], got " + times);
        int[] rowOf = times == n ? null : keptRows(trajectories, n, times, rng.fork(0x71E5));
        TrajectoryCache cache = null;
        try (var ignored = NoGrad.enter()) {
            for (int first = 0; first < trajectories; first += chunk) {
                try (BufferScope scope = BufferScope.open()) {      // the chunk's device states: on the host once recorded
                    int count = Math.min(chunk, trajectories - first);
                    Tensor x0 = start.apply(count);
                    if (cache == null) {
                        int[] shape = x0.dims();
                        cache = new TrajectoryCache(trajectories * times, java.util.Arrays.copyOfRange(shape, 1, shape.length));
                    }
                    TrajectoryCache c = cache;
                    int base = first;
                    Simulator.run(sampler, schedule, x0, rng, false,
                            (j, before, mean, after) -> c.record(sampler, j, mean, after, rowOf, j * trajectories + base, n));
                }
            }
        }
        cache.shuffle(rng);
        return cache;
    }

    /**
     * Where the kept transitions go: the row of transition j of chain i at [j·trajectories + i], or −1 where it is not
     * kept; {@code times} distinct steps per chain (a partial shuffle of 0 … N−1 with {@code pick}) at rows
     * i·times … i·times + times − 1.
     */
    private static int[] keptRows(int trajectories, int n, int times, Rng pick) {
        int[] rowOf = new int[Math.multiplyExact(trajectories, n)];
        java.util.Arrays.fill(rowOf, -1);
        int[] steps = new int[n];
        for (int i = 0; i < trajectories; i++) {
            for (int j = 0; j < n; j++) steps[j] = j;
            for (int s = 0; s < times; s++) {
                int r = s + pick.nextInt(n - s);
                int j = steps[r];
                steps[r] = steps[s];
                steps[s] = j;
                rowOf[j * trajectories + i] = i * times + s;
            }
        }
        return rowOf;
    }

    /**
     * Records transition j (mean G_j(x), state x' = {@code after}) of the chunk of chains whose first row (every
     * transition kept: {@code rowOf} null, rows step-major) or first entry in {@code rowOf} is {@code slot}. With some
     * transitions kept, the target's second evaluation G_j(x') runs on the kept chains alone: with one kept time per
     * chain that halves the cost of a build.
     */
    private void record(TransitionMap sampler, int j, Tensor mean, Tensor after, int[] rowOf, int slot, int n) {
        int count = after.dim(0), step = Direction.mirror(n, j);
        if (rowOf == null) {
            float[] s = after.toFloats(), t = mean.sub(sampler.mean(after, j)).toFloats();
            System.arraycopy(s, 0, states, slot * dim, count * dim);
            System.arraycopy(t, 0, targets, slot * dim, count * dim);
            java.util.Arrays.fill(steps, slot, slot + count, step);
            return;
        }
        int[] kept = java.util.stream.IntStream.range(0, count).filter(i -> rowOf[slot + i] >= 0).toArray();
        if (kept.length == 0) return;
        float[] x = gather(after.toFloats(), kept), m = gather(mean.toFloats(), kept);
        int[] shape = after.dims().clone();
        shape[0] = kept.length;
        float[] g = sampler.mean(Tensor.of(after.backend(), x, shape).to(after.dtype()), j).toFloats();
        for (int r = 0; r < kept.length; r++) {
            int row = rowOf[slot + kept[r]];
            for (int k = 0; k < dim; k++) {
                states[row * dim + k] = x[r * dim + k];
                targets[row * dim + k] = m[r * dim + k] - g[r * dim + k];
            }
            steps[row] = step;
        }
    }

    /** The rows {@code kept} of {@code values}, in that order. */
    private float[] gather(float[] values, int[] kept) {
        float[] out = new float[kept.length * dim];
        for (int r = 0; r < kept.length; r++) System.arraycopy(values, kept[r] * dim, out, r * dim, dim);
        return out;
    }

    /** A fresh random order of the rows. */
    public void shuffle(Rng rng) { rng.shuffle(order); }

    public int rows() { return rows; }

    @Override public long bytes() { return 4L * (states.length + targets.length + steps.length + order.length); }

    /** Minibatch number {@code b} of size {@code size} in the current order (wrapping around the end). */
    @Override public Batch batch(int b, int size, Backend backend, DType dtype) {
        float[] s = new float[size * dim], t = new float[size * dim], k = new float[size];
        for (int i = 0; i < size; i++) {
            int r = order[(int) (((long) b * size + i) % rows)];
            System.arraycopy(states, r * dim, s, i * dim, dim);
            System.arraycopy(targets, r * dim, t, i * dim, dim);
            k[i] = steps[r];
        }
        return Batch.of(s, t, k, stateShape, backend, dtype);
    }
}
