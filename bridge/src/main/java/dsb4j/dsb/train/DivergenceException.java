package dsb4j.dsb.train;

/** Training produced a non-finite loss or weights; the last good checkpoint is left as it was. */
public final class DivergenceException extends RuntimeException {
    public DivergenceException(String message) { super(message); }
}
