package dsb4j.examples;

import dsb4j.dsb.train.TrainConfig;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;

/** Small pieces the commands share. */
final class CliSupport {
    private CliSupport() {}

    /** The backend of --device/--threads, made current; an unavailable device is a usage error (exit 2). */
    static Backend backend(TrainConfig c) {
        if (!java.util.List.of("cpu", "cuda", "auto", "scalar").contains(c.device))
            throw new Main.UsageError("--device must be cpu, cuda or auto, got '" + c.device + "'");
        try {
            Backend b = Backends.select(c.device, c.threads, System.out::println);
            Backends.setCurrent(b);
            return b;
        } catch (IllegalStateException e) {
            throw new Main.UsageError("--device " + c.device + ": " + e.getMessage());
        }
    }
}
