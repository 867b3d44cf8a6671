package dsb4j.engine.autograd;

import dsb4j.engine.Tensor;

/**
 * How an op passes the gradient of its output back to its inputs: a function of the values the op saved
 * (captured by the lambda) and the upstream gradient. Returns one gradient per input, in input order,
 * each of that input's shape; null where an input needs none. Runs with recording off.
 */
@FunctionalInterface
public interface BackwardRule {
    Tensor[] apply(Tensor grad);
}
