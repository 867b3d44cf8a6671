package dsb4j.nn;

import dsb4j.engine.Tensor;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Shape;
import dsb4j.engine.tensor.ShapeException;

/**
 * A named, trainable tensor. The value is a leaf that requires a gradient; optimisers replace it through
 * {@link #set} (never write into it), so a tensor once handed out — to a state dict, a checkpoint, an EMA —
 * stays as it was. The name is the dotted path from the top module ("t_encoder.layers.0.weight"), fixed when
 * the owning module sits in the tree (computed from the owners, so any construction order works).
 */
public final class Parameter {
    private final String local;
    private final Module owner;
    private Tensor value;

    /** A free-standing parameter (no module): its name is {@code name}. */
    public Parameter(String name, Tensor init) { this(name, init, null); }

    Parameter(String local, Tensor init, Module owner) {
        this.local = local;
        this.owner = owner;
        this.value = init.detach().requiringGrad();
    }

    /** The dotted path from the top module, e.g. "t_encoder.layers.0.weight". */
    public String name() { return owner == null ? local : owner.path(local); }

    /** The current value: a leaf tensor whose gradient {@code loss.backward()} reports. */
    public Tensor value() { return value; }

    public Shape shape() { return value.shape(); }

    public DType dtype() { return value.dtype(); }

    public long numel() { return value.numel(); }

    /** Replaces the value; shape, dtype and backend must stay the same. */
    public void set(Tensor t) {
        if (!t.shape().equals(value.shape()) || t.dtype() != value.dtype())
            throw new ShapeException("parameter " + name(), "new value " + t.shape() + " " + t.dtype()
                    + " does not match " + value.shape() + " " + value.dtype());
        if (t.backend() != value.backend())
            throw new IllegalArgumentException("parameter " + name() + ": new value lives on backend " + t.backend().name()
                    + ", the parameter on " + value.backend().name());
        value = t.detach().requiringGrad();
    }

    @Override public String toString() { return name() + " " + value.shape() + " " + value.dtype(); }
}
