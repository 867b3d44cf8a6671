package dsb4j.bridge.sim;

import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.TransitionMap;
import dsb4j.bridge.process.TimeSchedule;
import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.NoGrad;
import dsb4j.engine.backend.BufferScope;
import dsb4j.engine.random.Rng;

/**
 * Euler–Maruyama rollouts of one direction's chain, x ← G_j(x) + √(2γ_j)·Z for its steps j = 0…N−1,
 * without gradients. Observers see every transition; the mean-matching pairs are recorded through one.
 * Each step runs in its own {@link BufferScope}: an observer may keep the state after the step, but the
 * state before and the mean only until it returns.
 */
public final class Simulator {
    private Simulator() {}

    /** What a rollout reports after each transition j: the state before, the kernel mean, the state after. */
    @FunctionalInterface
    public interface Observer {
        void step(int j, Tensor before, Tensor mean, Tensor after);
    }

    /**
     * Runs the chain of {@code map} from {@code start} [B, ...state] and returns the end state. With
     * {@code lastNoiseFree} the final transition returns its mean (the sampler's convention); training
     * caches add noise on every step.
     */
    public static Tensor run(TransitionMap map, TimeSchedule schedule, Tensor start, Rng rng,
                             boolean lastNoiseFree, Observer observer) {
        Direction dir = map.direction();
        int n = schedule.steps();
        Tensor x = start;
        try (var ignored = NoGrad.enter()) {
            for (int j = 0; j < n; j++) {
                Tensor next;
                try (BufferScope scope = BufferScope.open()) {      // a device frees the step's intermediates at once
                    Tensor mean = map.mean(x, j);
                    if (lastNoiseFree && j == n - 1) {
                        next = mean;
                    } else {
                        Tensor z = Tensor.randn(x.backend(), x.dtype(), rng, x.dims());
                        next = mean.add(z.mul(Math.sqrt(2 * dir.gamma(schedule, j))));
                    }
                    if (observer != null) observer.step(j, x, mean, next);
                    scope.keep(next.storage());                     // the state passes to the caller's scope
                }
                x = next;
            }
        }
        return x;
    }
}
