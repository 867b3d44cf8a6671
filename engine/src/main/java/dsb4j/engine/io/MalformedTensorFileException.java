package dsb4j.engine.io;

import java.io.IOException;

/** A tensor file that exists but is not what it claims: truncated, bad header, sizes that disagree. */
public class MalformedTensorFileException extends IOException {
    public MalformedTensorFileException(String message) { super(message); }
}
