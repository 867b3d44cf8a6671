package dsb4j.bridge.train;

import dsb4j.engine.Choice;

/**
 * How much training a preset's defaults buy: minutes on 2 cores, the reference code's own budget, or (the 2-D
 * benchmark presets only) the budget of the published DSB runs of the later papers' benchmark.
 */
public enum Budget implements Choice {
    QUICK("quick"), REFERENCE("reference"), PAPER("paper");

    private final String word;

    Budget(String word) { this.word = word; }

    @Override public String word() { return word; }

    public static Budget parse(String word) {
        return Choice.parse(Budget.class, "--budget", word);
    }

    @Override public String toString() { return word; }
}
