package dsb4j.bridge.train;

import java.util.Arrays;

/**
 * What a half-step regresses on: DSB's mean matching on simulated trajectories, or DSBM's bridge matching on the
 * reference's bridges between the chains' ends — started from the reference's own coupling (DSBM-IPF) or from data
 * and prior drawn independently (DSBM-IMF, whose every coupling has both marginals right).
 */
public enum Method {
    DSB("dsb"), DSBM("dsbm"), DSBM_IMF("dsbm-imf");

    private final String word;

    Method(String word) { this.word = word; }

    /** The name used on the command line and in config.json. */
    public String word() { return word; }

    /** Whether the half-steps fit bridges between chain ends (both DSBM variants) rather than DSB's trajectories. */
    public boolean bridgeMatching() { return this != DSB; }

    public static Method parse(String word) {
        for (Method m : values()) if (m.word.equals(word)) return m;
        throw new IllegalArgumentException("--method must be one of " + String.join(", ", Arrays.stream(values()).map(Method::word).toList())
                + ", got '" + word + "'");
    }

    @Override public String toString() { return word; }
}
