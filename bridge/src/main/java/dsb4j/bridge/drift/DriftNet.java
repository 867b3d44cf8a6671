package dsb4j.bridge.drift;

import dsb4j.engine.Tensor;
import dsb4j.nn.Module;
import dsb4j.nn.models.TimeConditioned;

/**
 * A network as the mean map of one direction's transitions. The network sees the state and its own step
 * index (as a float), identically in training and sampling. Two parameterisations define the same estimator
 * and differ only in what a zero network means: MEAN (output = the mean; zero ↦ mean 0) and INCREMENT
 * (output = mean − x; zero ↦ identity).
 */
public final class DriftNet implements TransitionMap {
    public enum Parameterisation { MEAN, INCREMENT }

    private final Module module;
    private final Direction direction;
    private final Parameterisation parameterisation;

    public DriftNet(Module module, Direction direction, Parameterisation parameterisation) {
        if (!(module instanceof TimeConditioned))
            throw new IllegalArgumentException(module.getClass().getSimpleName() + " takes no time input; a drift net needs one");
        this.module = module;
        this.direction = direction;
        this.parameterisation = parameterisation;
    }

    public Module module() { return module; }
    @Override public Direction direction() { return direction; }
    public Parameterisation parameterisation() { return parameterisation; }

    /** The same parameterisation and direction over another module (e.g. the EMA copy). */
    public DriftNet over(Module other) { return new DriftNet(other, direction, parameterisation); }

    @Override public Tensor mean(Tensor x, int step) {
        Tensor out = ((TimeConditioned) module).forwardAt(x, step);
        return parameterisation == Parameterisation.MEAN ? out : x.add(out);
    }

    /** "Mean minus state" for a batch with per-row step indices [B]: what the mean-matching loss regresses. */
    public Tensor meanIncrement(Tensor x, Tensor steps) {
        Tensor out = ((TimeConditioned) module).forward(x, steps);
        return parameterisation == Parameterisation.MEAN ? out.sub(x) : out;
    }
}
