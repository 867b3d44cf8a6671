package dsb4j.bridge.train;

/**
 * How much training a preset's defaults buy: minutes on 2 cores, the reference code's own budget, or (the 2-D
 * benchmark presets only) the budget of the published DSB runs of the later papers' benchmark.
 */
public enum Budget {
    QUICK("quick"), REFERENCE("reference"), PAPER("paper");

    private final String word;

    Budget(String word) { this.word = word; }

    public String word() { return word; }

    public static Budget parse(String word) {
        for (Budget b : values()) if (b.word.equals(word)) return b;
        throw new IllegalArgumentException("unknown budget '" + word + "'; available: quick, reference");
    }

    @Override public String toString() { return word; }
}
