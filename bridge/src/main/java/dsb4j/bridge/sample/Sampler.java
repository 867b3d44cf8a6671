package dsb4j.bridge.sample;

import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.TransitionMap;
import dsb4j.bridge.process.TimeSchedule;
import dsb4j.bridge.sim.Simulator;
import dsb4j.engine.Tensor;
import dsb4j.engine.random.Rng;

/**
 * What a trained bridge produces. Generation runs the backward chain from prior-end samples, encoding the
 * forward chain from data-end samples; both return the final mean without noise on the last step. Pairs
 * and trajectories keep the noise on every step (the bridge's coupling), and are laid out in chain index
 * order: index 0 = data end, index N = prior end.
 */
public final class Sampler {
    private final TransitionMap map;
    private final TimeSchedule schedule;

    public Sampler(TransitionMap map, TimeSchedule schedule) {
        this.map = map;
        this.schedule = schedule;
    }

    /** The end state of the chain from {@code start} [n, ...state]; the last step outputs its mean. */
    public Tensor run(Tensor start, Rng rng) {
        return Simulator.run(map, schedule, start, rng, true, null);
    }

    /** Both ends of each stochastic chain side by side, data end first: [n, 2·d] (states flattened). */
    public Tensor pairs(Tensor start, Rng rng) {
        Tensor end = Simulator.run(map, schedule, start, rng, false, null);
        Tensor a = start.reshape(start.dim(0), -1), b = end.reshape(end.dim(0), -1);
        return map.direction() == Direction.BACKWARD ? Tensor.concat(1, b, a) : Tensor.concat(1, a, b);
    }

    /** Every state of each stochastic chain, [n, N+1, ...state], index 0 = data end. */
    public Tensor trajectories(Tensor start, Rng rng) {
        int n = schedule.steps();
        Tensor[] states = new Tensor[n + 1];
        boolean backward = map.direction() == Direction.BACKWARD;
        states[backward ? n : 0] = start;
        Simulator.run(map, schedule, start, rng, false,
                (j, before, mean, after) -> states[backward ? n - 1 - j : j + 1] = after);
        return Tensor.stack(1, states);
    }
}
