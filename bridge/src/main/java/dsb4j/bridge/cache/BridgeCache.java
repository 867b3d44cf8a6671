package dsb4j.bridge.cache;

import dsb4j.bridge.data.Points;
import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.TransitionMap;
import dsb4j.bridge.eval.GaussianBridge;
import dsb4j.bridge.process.ReferenceProcess;
import dsb4j.bridge.sim.Simulator;
import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.NoGrad;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.BufferScope;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * The training data of bridge matching (DSBM-IPF: Shi, De Bortoli, Campbell, Doucet 2023, "Diffusion Schrödinger
 * Bridge Matching"), the alternative to DSB's {@link TrajectoryCache}. It keeps only the two ends (x_0, x_N) of
 * chains simulated with the frozen other direction (their coupling), and draws every training row afresh: a
 * transition k, a state on the reference chain's bridge between the two ends, and as target the bridge's mean of
 * the next state in the trained direction. For the Brownian reference (noise 2γ per step, t_k = γ_0 + … + γ_{k−1}):
 * <pre>
 *   state at time t:               x_0 + (t/T)(x_N − x_0) + √(2t(T − t)/T)·Z
 *   backward, x_{k+1} → x_k:       E[x_k | x_{k+1}, x_0] = x_0 + (t_k / t_{k+1})(x_{k+1} − x_0)
 *   forward,  x_k → x_{k+1}:       E[x_{k+1} | x_k, x_N] = x_k + (γ_k / (T − t_k))(x_N − x_k)
 * </pre>
 * and the same for the OU reference with the weights of its discrete bridge ({@link GaussianBridge#bridgeWeights}:
 * the backward target is the bridge of steps 0…k+1 at index k, the forward one that of steps k…N at index 1);
 * all exact for the time-discrete chain. Fitting them is a Markovian projection of the coupling glued to the
 * reference's bridges: each half-step re-imposes those bridges, so fitting errors do not pile up in the path
 * measure from one IPF iteration to the next as they do with DSB's trajectory targets. The targets also carry
 * no transition noise (DSB's loss floor of 2T/N per coordinate does not apply).
 * Memory: trajectories × 2 × d floats.
 */
public final class BridgeCache implements MeanMatchingData {
    private final int pairs, dim, steps;
    private final int[] stateShape;
    private final float[] starts, ends;         // x_0 and x_N of each pair, row-major
    private final double[] pull;                // the reference's pull point m (one value, or one per coordinate)
    private final double[] c0, cN, sd;          // state at index s: m + c0[s](x_0 − m) + cN[s](x_N − m) + sd[s]·Z
    private final double[] fromNear, fromFar;   // transition k: next-state mean m + fromNear[k](x − m) + fromFar[k](pinned end − m)
    private final Direction trained;
    private final int[] order;
    private final Rng draws;

    private BridgeCache(int pairs, int[] stateShape, ReferenceProcess reference, Direction trained, Rng draws) {
        this.pairs = pairs;
        this.stateShape = stateShape;
        this.dim = Arrays.stream(stateShape).reduce(1, (a, b) -> a * b);
        if ((long) pairs * dim > Integer.MAX_VALUE) throw new IllegalArgumentException("bridge cache of " + pairs + " × " + dim + " floats is too large for one array");
        this.pull = reference.priorMean();
        if (pull.length != 1 && pull.length != dim)
            throw new IllegalArgumentException("reference mean of " + pull.length + " coordinates for states of " + dim);
        double[] gammas = reference.schedule().gammas();
        double v = reference.priorVariance();
        this.steps = gammas.length;
        GaussianBridge.BridgeWeights w = GaussianBridge.bridgeWeights(gammas, v);
        this.c0 = w.c0();
        this.cN = w.cN();
        this.sd = Arrays.stream(w.tau2()).map(t -> Math.sqrt(Math.max(t, 0))).toArray();
        this.trained = trained;
        this.fromNear = new double[steps];
        this.fromFar = new double[steps];
        for (int k = 0; k < steps; k++) {
            if (trained == Direction.BACKWARD) {            // x_k from x_{k+1} (near) and x_0 (far): steps 0…k+1 at index k
                GaussianBridge.BridgeWeights b = GaussianBridge.bridgeWeights(Arrays.copyOfRange(gammas, 0, k + 1), v);
                fromNear[k] = b.cN()[k];
                fromFar[k] = b.c0()[k];
            } else {                                        // x_{k+1} from x_k (near) and x_N (far): steps k…N at index 1
                GaussianBridge.BridgeWeights f = GaussianBridge.bridgeWeights(Arrays.copyOfRange(gammas, k, steps), v);
                fromNear[k] = f.c0()[1];
                fromFar[k] = f.cN()[1];
            }
        }
        this.starts = new float[pairs * dim];
        this.ends = new float[pairs * dim];
        this.order = new int[pairs];
        for (int i = 0; i < pairs; i++) order[i] = i;
        this.draws = draws;
    }

    /**
     * Simulates {@code trajectories} chains of {@code sampler} (frozen; noise on every step) in chunks of
     * {@code chunk} from {@code start.apply(count)} and keeps their ends; the network trained on it runs the
     * other direction. A forward sampler starts at the data end (index 0), a backward one at the prior end (N).
     */
    public static BridgeCache build(TransitionMap sampler, ReferenceProcess reference, IntFunction<Tensor> start,
                                    int trajectories, int chunk, Rng rng) {
        boolean fromData = sampler.direction() == Direction.FORWARD;
        return collect(trajectories, chunk, reference, sampler.direction().opposite(), rng, count -> {
            Tensor x = start.apply(count);
            Tensor end = Simulator.run(sampler, reference.schedule(), x, rng, false, null);
            return fromData ? new Tensor[]{x, end} : new Tensor[]{end, x};
        });
    }

    /**
     * The independent coupling (DSBM-IMF's first half-step): {@code trajectories} data-end states from
     * {@code dataEnd} paired row by row with as many prior-end states from {@code priorEnd}, drawn in chunks of
     * {@code chunk}. Both marginals are exact, unlike the reference's own coupling; the bridges then carry each
     * pair as in {@link #build}.
     */
    public static BridgeCache independent(IntFunction<Tensor> dataEnd, IntFunction<Tensor> priorEnd, ReferenceProcess reference,
                                          Direction trained, int trajectories, int chunk, Rng rng) {
        return collect(trajectories, chunk, reference, trained, rng,
                count -> new Tensor[]{dataEnd.apply(count), priorEnd.apply(count)});
    }

    /** {x_0, x_N} of {@code count} pairs. */
    private interface Ends { Tensor[] draw(int count); }

    private static BridgeCache collect(int trajectories, int chunk, ReferenceProcess reference, Direction trained, Rng rng, Ends ends) {
        BridgeCache cache = null;
        try (var ignored = NoGrad.enter()) {
            for (int first = 0; first < trajectories; first += chunk) {
                try (BufferScope scope = BufferScope.open()) {
                    int count = Math.min(chunk, trajectories - first);
                    Tensor[] pair = ends.draw(count);
                    if (cache == null) {
                        int[] shape = pair[0].dims();
                        cache = new BridgeCache(trajectories, Arrays.copyOfRange(shape, 1, shape.length), reference, trained, rng.fork(0xB41D6E));
                    }
                    int at = first * cache.dim;
                    System.arraycopy(pair[0].toFloats(), 0, cache.starts, at, count * cache.dim);
                    System.arraycopy(pair[1].toFloats(), 0, cache.ends, at, count * cache.dim);
                }
            }
        }
        rng.shuffle(cache.order);
        return cache;
    }

    /**
     * A cache over a given coupling: row i of {@code starts} (data end, x_0) is paired with row i of {@code ends}
     * (prior end, x_N), e.g. pairs drawn from an entropic-OT plan; the network trained on it runs {@code trained}.
     */
    public static BridgeCache fromPairs(Points starts, Points ends, ReferenceProcess reference, Direction trained, Rng rng) {
        if (starts.n() != ends.n() || starts.d() != ends.d())
            throw new IllegalArgumentException("bridge pairs: " + starts + " and " + ends + " differ in shape");
        BridgeCache cache = new BridgeCache(starts.n(), new int[]{starts.d()}, reference, trained, rng.fork(0xB41D6E));
        System.arraycopy(starts.data(), 0, cache.starts, 0, cache.starts.length);
        System.arraycopy(ends.data(), 0, cache.ends, 0, cache.ends.length);
        rng.shuffle(cache.order);
        return cache;
    }

    public int pairs() { return pairs; }

    /** The pairs' data ends and prior ends, row-major (package-private, for tests). */
    float[] dataEnds() { return starts; }
    float[] priorEnds() { return ends; }

    @Override public long bytes() { return 4L * (starts.length + ends.length + order.length); }

    /**
     * Minibatch {@code b}: pairs in one shuffled order (wrapping around the end, so each is used equally),
     * each with a transition and a bridge state drawn from generators forked by {@code b}.
     */
    @Override public Batch batch(int b, int size, Backend backend, DType dtype) {
        float[] s = new float[size * dim], t = new float[size * dim], k = new float[size];
        Rng rng = draws.fork(b);
        boolean backward = trained == Direction.BACKWARD;
        for (int i = 0; i < size; i++) {
            int p = order[(int) (((long) b * size + i) % pairs)];
            int step = Math.min((int) (rng.nextDouble() * steps), steps - 1);   // the transition x_step ↔ x_{step+1}
            int at = backward ? step + 1 : step;                                // the index of the network's input state
            double near = fromNear[step], far = fromFar[step];
            for (int j = 0, o = i * dim, src = p * dim; j < dim; j++, o++) {
                double m = pull[pull.length == 1 ? 0 : j];
                double x0 = starts[src + j] - m, xn = ends[src + j] - m;     // centred on the pull point
                double x = c0[at] * x0 + cN[at] * xn + sd[at] * rng.nextGaussian();
                s[o] = (float) (x + m);
                t[o] = (float) (near * x + far * (backward ? x0 : xn) - x);
            }
            k[i] = backward ? Direction.mirror(steps, step) : step;
        }
        return Batch.of(s, t, k, stateShape, backend, dtype);
    }
}
