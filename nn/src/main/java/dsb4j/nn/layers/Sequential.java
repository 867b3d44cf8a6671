package dsb4j.nn.layers;

import dsb4j.engine.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Layers applied in order, registered as "0", "1", ... like PyTorch's nn.Sequential (activations count too). */
public final class Sequential extends Layer {
    private final List<Layer> layers = new ArrayList<>();

    public Sequential(Layer... layers) {
        for (Layer l : layers) add(l);
    }

    public Sequential add(Layer l) {
        layers.add(child(Integer.toString(layers.size()), l));
        return this;
    }

    public Layer get(int i) { return layers.get(i); }
    public int size() { return layers.size(); }

    @Override public Tensor forward(Tensor x) { return forward(x, 0, layers.size()); }

    /** Runs layers [from, to) only (e.g. the part after a normalisation that is modulated in between). */
    public Tensor forward(Tensor x, int from, int to) {
        for (int i = from; i < to; i++) x = layers.get(i).forward(x);
        return x;
    }
}
