package dsb4j.engine.autograd;

import dsb4j.engine.Tensor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One recorded op: its inputs and backward rule, numbered in creation order. A leaf (a parameter) has no
 * inputs and no rule. Walking nodes by decreasing id visits every op after all of its consumers.
 */
public final class Node {
    private static final AtomicLong NEXT_ID = new AtomicLong();

    final long id = NEXT_ID.getAndIncrement();
    final String op;
    final Tensor[] inputs;
    final BackwardRule rule;

    Node(String op, Tensor[] inputs, BackwardRule rule) {
        this.op = op;
        this.inputs = inputs;
        this.rule = rule;
    }

    public static Node leaf() { return new Node("leaf", new Tensor[0], null); }

    public boolean isLeaf() { return rule == null; }

    public String op() { return op; }
}
