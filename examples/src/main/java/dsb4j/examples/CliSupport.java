package dsb4j.examples;

import dsb4j.bridge.train.TrainConfig;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;

/** Small pieces the commands share. */
final class CliSupport {
    private CliSupport() {}

    /** A value parsed from an option; a bad one is a usage error (exit 2) with the parser's message. */
    static <T> T parse(java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new Main.UsageError(e.getMessage());
        }
    }

    /** The backend of --device/--threads, made current; an unavailable device is a usage error (exit 2). */
    static Backend backend(TrainConfig c) {
        try {
            Backend b = Backends.select(c.device.word(), c.threads, System.out::println);
            Backends.setCurrent(b);
            return b;
        } catch (IllegalStateException e) {
            throw new Main.UsageError("--device " + c.device + ": " + e.getMessage());
        }
    }

    /** The checkpoint folder of a run folder given as RUN or RUN/checkpoint. */
    static java.nio.file.Path checkpointDir(java.nio.file.Path p) {
        java.nio.file.Path inner = p.resolve("checkpoint");
        return java.nio.file.Files.isDirectory(inner) ? inner : p;
    }
}
