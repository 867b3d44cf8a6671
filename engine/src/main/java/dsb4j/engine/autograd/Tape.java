package dsb4j.engine.autograd;

import dsb4j.engine.Tensor;
import dsb4j.engine.tensor.ShapeException;
import java.util.*;

/**
 * Records ops and runs reverse mode. The tape of a loss is the set of nodes it depends on, in creation
 * order; backward walks it in reverse with an explicit stack and sort (no recursion, so a 50-step rollout
 * of a deep net cannot overflow the stack), accumulating gradients with +=.
 */
public final class Tape {
    private Tape() {}

    /** Attaches {@code rule} to {@code out} when recording is on and some input requires a gradient. */
    public static Tensor record(String op, Tensor out, BackwardRule rule, Tensor... inputs) {
        if (NoGrad.active()) return out;
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) return out.withNode(new Node(op, inputs, rule));
        }
        return out;
    }

    /** d loss / d leaf for every leaf the scalar {@code loss} depends on. */
    public static Gradients backward(Tensor loss) {
        if (loss.numel() != 1) throw new ShapeException("backward", "needs a scalar loss, got shape " + loss.shape());
        if (!loss.requiresGrad()) throw new IllegalStateException("backward: the loss does not depend on any tensor that requires a gradient");
        List<Node> order = reachable(loss.node());
        order.sort(Comparator.comparingLong((Node n) -> n.id).reversed());

        Map<Node, Tensor> pending = new IdentityHashMap<>();
        Gradients result = new Gradients();
        try (var ignored = NoGrad.enter()) {
            pending.put(loss.node(), loss.onesLike());
            for (Node node : order) {
                Tensor g = pending.remove(node);
                if (g == null) continue;
                if (node.isLeaf()) { result.put(node, g.contiguous()); continue; }
                Tensor[] grads = node.rule.apply(g);
                for (int i = 0; i < node.inputs.length; i++) {
                    Tensor in = node.inputs[i];
                    if (in == null || !in.requiresGrad() || grads[i] == null) continue;
                    if (!grads[i].shape().equals(in.shape()))
                        throw new ShapeException(node.op + " backward", "gradient of shape " + grads[i].shape()
                                + " for input " + i + " of shape " + in.shape());
                    pending.merge(in.node(), grads[i], Tensor::add);
                }
            }
        }
        return result;
    }

    private static List<Node> reachable(Node root) {
        List<Node> out = new ArrayList<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        seen.add(root);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            out.add(n);
            for (Tensor in : n.inputs) {
                if (in != null && in.node() != null && seen.add(in.node())) stack.push(in.node());
            }
        }
        return out;
    }
}
