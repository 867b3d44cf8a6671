package dsb4j.nn.optim;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.NoGrad;
import dsb4j.engine.backend.StepScope;
import dsb4j.engine.backend.Storage;
import dsb4j.nn.Module;
import dsb4j.nn.Parameter;
import dsb4j.nn.StateDict;
import java.util.List;
import java.util.function.Consumer;

/**
 * An exponential moving average of a module's parameters, kept in a shadow module of the same
 * architecture (made with {@link Module#replicate()}, starting as a copy of the source):
 * {@code shadow ← rate·shadow + (1−rate)·source} per {@link #update()}, as the reference's EMAHelper
 * (no warm-up). The shadow is what simulates and samples when EMA is on; it stays in eval mode.
 */
public final class Ema implements StepScope.Holder {
    public static final double DEFAULT_RATE = 0.999;

    private final Module source, shadow;
    private final List<Parameter> from, to;
    private final double rate;

    public Ema(Module source) { this(source, DEFAULT_RATE); }

    public Ema(Module source, double rate) {
        if (!(rate >= 0 && rate <= 1)) throw new IllegalArgumentException("Ema: rate must be in [0, 1], got " + rate);
        this.source = source;
        this.rate = rate;
        this.shadow = source.replicate();
        shadow.copyFrom(source);
        shadow.train(false);
        from = source.parameters();
        to = shadow.parameters();
    }

    public double rate() { return rate; }

    /** The averaged copy (same class as the source). */
    public Module shadow() { return shadow; }

    public void update() {
        try (var ignored = NoGrad.enter()) {
            for (int i = 0; i < from.size(); i++) {
                Tensor s = to.get(i).value().detach(), p = from.get(i).value().detach();
                to.get(i).set(s.mul(rate).add(p.mul(1 - rate)));
            }
        }
    }

    /** The buffers of the shadow's values: what a training step ({@link StepScope}) must keep. */
    @Override public void heldBuffers(Consumer<Storage> each) { shadow.heldBuffers(each); }

    /** Copies the averaged values into {@code target} (same architecture). */
    public void copyTo(Module target) { target.copyFrom(shadow); }

    /** Restarts the average at the source's current values. */
    public void reset() { shadow.copyFrom(source); }

    /** The shadow's values (for checkpoints). */
    public StateDict state() { return shadow.stateDict(); }

    public void loadState(StateDict sd) { shadow.load(sd); }
}
