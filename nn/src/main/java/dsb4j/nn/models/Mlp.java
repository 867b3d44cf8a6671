package dsb4j.nn.models;

import dsb4j.engine.Tensor;
import dsb4j.nn.Init;
import dsb4j.nn.ModuleList;
import dsb4j.nn.layers.Layer;
import dsb4j.nn.layers.Linear;
import java.util.ArrayList;
import java.util.List;

/**
 * Linear layers "layers.0", "layers.1", ... with an activation between them and none after the last:
 * the reference code's MLP (bridge/models/basic/layers.py), whose parameter names this keeps.
 */
public final class Mlp extends Layer {
    private final List<Linear> layers = new ArrayList<>();
    private final Layer activation;
    private final int in, out;

    /** {@code widths}: the output size of each layer in turn. */
    public Mlp(Init init, int in, int[] widths, Layer activation) {
        if (widths.length == 0) throw new IllegalArgumentException("Mlp needs at least one layer");
        this.activation = activation;
        this.in = in;
        this.out = widths[widths.length - 1];
        ModuleList<Linear> h = child("layers", new ModuleList<>());
        int prev = in;
        for (int w : widths) {
            layers.add(h.add(new Linear(init, prev, w)));
            prev = w;
        }
    }

    public int in() { return in; }
    public int out() { return out; }

    @Override public Tensor forward(Tensor x) {
        int last = layers.size() - 1;
        for (int i = 0; i < last; i++) x = layers.get(i).forward(x, activation);
        return layers.get(last).forward(x);
    }
}
