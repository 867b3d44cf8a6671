package dsb4j.bridge.train;

import dsb4j.engine.Choice;

/**
 * What a half-step regresses on: DSB's mean matching on simulated trajectories, or DSBM's bridge matching on the
 * reference's bridges between the chains' ends — started from the reference's own coupling (DSBM-IPF) or from data
 * and prior drawn independently (DSBM-IMF, whose every coupling has both marginals right).
 */
public enum Method implements Choice {
    DSB("dsb"), DSBM("dsbm"), DSBM_IMF("dsbm-imf");

    private final String word;

    Method(String word) { this.word = word; }

    /** The name used on the command line and in config.json. */
    @Override public String word() { return word; }

    /** Whether the half-steps fit bridges between chain ends (both DSBM variants) rather than DSB's trajectories. */
    public boolean bridgeMatching() { return this != DSB; }

    public static Method parse(String word) {
        return Choice.parse(Method.class, "--method", word);
    }

    @Override public String toString() { return word; }
}
