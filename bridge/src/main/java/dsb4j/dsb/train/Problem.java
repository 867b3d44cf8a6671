package dsb4j.dsb.train;

import dsb4j.dsb.data.DataSource;
import dsb4j.dsb.process.ReferenceProcess;

/**
 * What a run bridges: the distribution at the data end (index 0), the one at the prior end (index N), and the
 * reference process of IPF iteration 1. {@code gaussianPrior} is true when the prior end is the reference's own
 * Gaussian (generation); false for transport between two data sets.
 */
public record Problem(DataSource data, DataSource prior, ReferenceProcess reference, boolean gaussianPrior) {}
