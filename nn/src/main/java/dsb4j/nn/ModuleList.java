package dsb4j.nn;

import java.util.ArrayList;
import java.util.List;

/** Children named "0", "1", ... with no forward of their own (PyTorch's nn.ModuleList, for its names). */
public final class ModuleList<M extends Module> extends Module {
    private final List<M> items = new ArrayList<>();

    public M add(M m) {
        items.add(child(Integer.toString(items.size()), m));
        return m;
    }

    public M get(int i) { return items.get(i); }

    public int size() { return items.size(); }

    public List<M> items() { return java.util.Collections.unmodifiableList(items); }
}
