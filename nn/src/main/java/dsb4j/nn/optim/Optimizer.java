package dsb4j.nn.optim;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.autograd.NoGrad;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.backend.StepScope;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.Parameter;
import dsb4j.nn.StateDict;
import dsb4j.nn.Tensors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Shared bookkeeping of the optimisers: the parameter list, the learning rate, per-parameter state
 * tensors kept under "&lt;slot&gt;.&lt;parameter name&gt;", and the step that runs the update inside {@link NoGrad}.
 * Updates are tensor ops (any backend) that install new parameter values; a parameter's tensor is never
 * written in place (a backend's fused update may update the optimiser's own moment buffers in place).
 * Parameters without a gradient in a step are skipped and keep their state, as in PyTorch.
 */
public abstract class Optimizer implements StepScope.Holder {
    protected final List<Parameter> params;
    private final Map<String, Integer> index = new HashMap<>();
    protected double lr;

    Optimizer(String who, List<Parameter> params, double lr) {
        if (params.isEmpty()) throw new IllegalArgumentException(who + ": no parameters to optimise");
        if (!(lr >= 0)) throw new IllegalArgumentException(who + ": learning rate must be non-negative, got " + lr);
        this.params = List.copyOf(params);
        for (int i = 0; i < this.params.size(); i++)
            if (index.put(this.params.get(i).name(), i) != null)
                throw new IllegalArgumentException(who + ": parameter name '" + this.params.get(i).name() + "' appears twice");
        this.lr = lr;
    }

    public final double lr() { return lr; }

    public final void setLr(double lr) {
        if (!(lr >= 0)) throw new IllegalArgumentException("learning rate must be non-negative, got " + lr);
        this.lr = lr;
    }

    public final List<Parameter> parameters() { return params; }

    /** One update from the gradients of a backward pass (possibly clipped with {@link GradClip}). */
    public final void step(Gradients g) {
        try (var ignored = NoGrad.enter()) {
            for (int i = 0; i < params.size(); i++) {
                Parameter p = params.get(i);
                Tensor grad = g.get(p.value());
                if (grad != null) update(i, p, grad);
            }
        }
    }

    /** Updates parameter {@code i} from its gradient. Runs with recording off. */
    protected abstract void update(int i, Parameter p, Tensor grad);

    /** The state slots this optimiser keeps per parameter, e.g. "m" and "v". */
    protected abstract String[] slots();

    protected abstract Tensor slot(int slot, int param);

    protected abstract void setSlot(int slot, int param, Tensor value);

    /** Per-parameter step counts (bias correction); null for optimisers without. */
    protected long[] steps() { return null; }

    /** The live state tensors (moments; not copies): what must outlive a step's buffer scope. */
    public final List<Tensor> stateTensors() {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < params.size(); i++)
            for (int s = 0; s < slots().length; s++)
                if (slot(s, i) != null) out.add(slot(s, i));
        return out;
    }

    /** The buffers of the live state tensors: what a training step ({@link StepScope}) must keep. */
    @Override public final void heldBuffers(Consumer<Storage> each) {
        for (Tensor t : stateTensors()) each.accept(t.storage());
    }

    /** Copies of the moments and step counts, by "slot.param" name (for checkpoints). */
    public final StateDict state() {
        StateDict sd = new StateDict();
        String[] slots = slots();
        for (int i = 0; i < params.size(); i++) {
            String name = params.get(i).name();
            for (int s = 0; s < slots.length; s++) {
                Tensor t = slot(s, i);
                if (t != null) sd.put(slots[s] + "." + name, Tensors.copyOf(t));
            }
            if (steps() != null && steps()[i] > 0)
                sd.put("step." + name, Tensor.scalar(Backends.scalar(), DType.F64, steps()[i]));   // a host scalar on any backend
        }
        return sd;
    }

    /** Restores what {@link #state()} produced; names and shapes are checked before anything changes. */
    public final void loadState(StateDict sd) {
        String who = getClass().getSimpleName() + ".loadState";
        String[] slots = slots();
        for (String key : sd.names()) {
            int dot = key.indexOf('.');
            String slot = dot < 0 ? key : key.substring(0, dot), name = dot < 0 ? "" : key.substring(dot + 1);
            Integer i = index.get(name);
            boolean known = slot.equals("step") ? steps() != null : java.util.Arrays.asList(slots).contains(slot);
            if (!known || i == null)
                throw new IllegalArgumentException(who + ": unexpected entry '" + key + "' (slots " + java.util.Arrays.toString(slots)
                        + (steps() != null ? " and step" : "") + " of the optimised parameters)");
            Tensor t = sd.get(key);
            Parameter p = params.get(i);
            if (slot.equals("step")) {
                if (t.numel() != 1) throw new IllegalArgumentException(who + ": '" + key + "' must hold one number, has shape " + t.shape());
            } else if (!t.shape().equals(p.shape()) || t.dtype() != p.dtype()) {
                throw new IllegalArgumentException(who + ": '" + key + "' is " + t.shape() + " " + t.dtype()
                        + " but parameter '" + name + "' is " + p.shape() + " " + p.dtype());
            }
        }
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            for (int s = 0; s < slots.length; s++) {
                Tensor t = sd.get(slots[s] + "." + p.name());
                setSlot(s, i, t == null ? null : Tensors.copyOf(t.to(p.value().backend())));
            }
            if (steps() != null) {
                Tensor t = sd.get("step." + p.name());
                steps()[i] = t == null ? 0 : Math.round(t.item());
            }
        }
    }
}
