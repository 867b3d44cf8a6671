package dsb4j.engine.autograd;

import dsb4j.engine.Tensor;
import java.util.IdentityHashMap;
import java.util.Map;

/** The gradients of one backward pass, keyed by the leaf tensors (parameters) that require them. */
public final class Gradients {
    private final Map<Node, Tensor> byLeaf = new IdentityHashMap<>();

    void put(Node leaf, Tensor grad) { byLeaf.put(leaf, grad); }

    /** The gradient of {@code leaf}, or null when the loss does not depend on it. */
    public Tensor get(Tensor leaf) {
        return leaf.node() == null ? null : byLeaf.get(leaf.node());
    }

    public int size() { return byLeaf.size(); }
}
