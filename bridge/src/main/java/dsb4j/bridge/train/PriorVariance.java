package dsb4j.bridge.train;

import dsb4j.engine.Choice;

/**
 * The variance of the 2-D toys' adaptive Gaussian prior, estimated like its per-coordinate mean from
 * {@link TrainConfig#priorPoints} data points.
 * POOLED is the reference code's (torch's {@code vec.var()}: one variance of all n·d values about their common mean);
 * DIAGONAL gives each coordinate its own unbiased variance, so the prior has the data's spread along each axis.
 * On the moons at the reference budget DIAGONAL starts IPF closer to the data and lets it improve over iterations,
 * where POOLED stalls (docs/results-2d.md, "DSB at the reference budget").
 */
public enum PriorVariance implements Choice {
    POOLED("pooled"), DIAGONAL("diagonal");

    private final String word;

    PriorVariance(String word) { this.word = word; }

    @Override public String word() { return word; }

    public static PriorVariance parse(String word) {
        return Choice.parse(PriorVariance.class, "--prior-variance", word);
    }

    @Override public String toString() { return word; }
}
