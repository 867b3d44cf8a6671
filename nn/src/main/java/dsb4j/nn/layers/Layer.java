package dsb4j.nn.layers;

import dsb4j.engine.Tensor;
import dsb4j.nn.Module;

/** A module with one input and one output; what {@link Sequential} chains. */
public abstract class Layer extends Module {
    public abstract Tensor forward(Tensor x);
}
