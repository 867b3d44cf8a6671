package dsb4j.bridge.train;

import dsb4j.bridge.data.DataSource;
import dsb4j.bridge.data.Points;
import dsb4j.bridge.process.ReferenceProcess;

/**
 * What a run bridges: the distribution at the data end (index 0), the one at the prior end (index N), and the
 * reference process of IPF iteration 1. {@code gaussianPrior} is true when the prior end is a Gaussian that the OU
 * reference is pulled towards (generation; the toys' diagonal prior keeps the reference's mean, not its one variance);
 * false for transport between two data sets and for a Brownian reference.
 * {@code heldOut} (the user's data only; null for the built-in presets) holds the items training never sees, in the
 * user's units: the metrics compare against them instead of fresh draws.
 */
public record Problem(DataSource data, DataSource prior, ReferenceProcess reference, boolean gaussianPrior, HeldOut heldOut) {

    public Problem(DataSource data, DataSource prior, ReferenceProcess reference, boolean gaussianPrior) {
        this(data, prior, reference, gaussianPrior, null);
    }

    /** The held-out items of the data end and, for transport, of the prior end (null for a Gaussian prior). */
    public record HeldOut(Points data, Points prior) {}
}
