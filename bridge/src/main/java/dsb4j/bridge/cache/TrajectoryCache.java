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
 * Memory: trajectories × N × 2 × d floats, held on the heap.
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
        int n = schedule.steps();
        TrajectoryCache cache = null;
        try (var ignored = NoGrad.enter()) {
            for (int first = 0; first < trajectories; first += chunk) {
                try (BufferScope scope = BufferScope.open()) {      // the chunk's device states: on the host once recorded
                    int count = Math.min(chunk, trajectories - first);
                    Tensor x0 = start.apply(count);
                    if (cache == null) {
                        int[] shape = x0.dims();
                        cache = new TrajectoryCache(trajectories * n, java.util.Arrays.copyOfRange(shape, 1, shape.length));
                    }
                    TrajectoryCache c = cache;
                    int base = first;
                    Simulator.run(sampler, schedule, x0, rng, false, (j, before, mean, after) -> {
                        Tensor target = mean.sub(sampler.mean(after, j));
                        int trainedStep = Direction.mirror(n, j);
                        c.put(j * trajectories + base, after.toFloats(), target.toFloats(), trainedStep, count);
                    });
                }
            }
        }
        cache.shuffle(rng);
        return cache;
    }

    private void put(int row, float[] s, float[] t, int step, int count) {
        System.arraycopy(s, 0, states, row * dim, count * dim);
        System.arraycopy(t, 0, targets, row * dim, count * dim);
        java.util.Arrays.fill(steps, row, row + count, step);
    }

    /** A fresh random order of the rows. */
    public void shuffle(Rng rng) { rng.shuffle(order); }

    public int rows() { return rows; }

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
