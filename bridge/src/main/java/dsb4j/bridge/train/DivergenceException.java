package dsb4j.bridge.train;

/** Training produced a non-finite or exploding loss (see {@link HalfBridgeTrainer#BLOWUP}); nothing of that half-step is checkpointed. */
public final class DivergenceException extends RuntimeException {
    public DivergenceException(String message) { super(message); }
}
