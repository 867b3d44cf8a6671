package dsb4j.engine.tensor;

/** A shape or argument that an op cannot accept; the message names the op and the shapes involved. */
public final class ShapeException extends IllegalArgumentException {
    public ShapeException(String op, String message) {
        super(op + ": " + message);
    }
}
