package dsb4j.engine.backend;

import dsb4j.engine.Choice;

/**
 * Where tensors live and kernels run, as a user names it: the SIMD CPU backend, the plain scalar loops (the
 * reference every kernel is tested against), a CUDA GPU, or {@code auto} (CUDA when present, else the CPU).
 */
public enum Device implements Choice {
    CPU("cpu"), SCALAR("scalar"), CUDA("cuda"), AUTO("auto");

    private final String word;

    Device(String word) { this.word = word; }

    /** The name on the command line, in config.json and for {@link Backends#select}. */
    @Override public String word() { return word; }

    public static Device parse(String word) {
        return Choice.parse(Device.class, "--device", word);
    }

    @Override public String toString() { return word; }
}
