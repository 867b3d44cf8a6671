package dsb4j.bridge.drift;

import dsb4j.engine.Tensor;

/** The mean of one direction's Gaussian transition kernel: {@code mean(x, j)} for its j-th step (see {@link Direction}). */
public interface TransitionMap {
    Direction direction();

    /** x [B, ...state] ↦ the kernel mean, same shape. */
    Tensor mean(Tensor x, int step);
}
