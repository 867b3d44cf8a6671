package dsb4j.bridge.train;

import java.io.IOException;

/** A run folder refused before any work: not empty, not a folder, or in use by another training. */
public final class RunFolderException extends IOException {
    public RunFolderException(String message) { super(message); }
}
