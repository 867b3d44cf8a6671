package dsb4j.dsb.train;

import dsb4j.dsb.cache.CacheSize;
import dsb4j.nn.optim.LrSchedule;

/**
 * The settings one IPF half-step uses: what it regresses on, how many optimiser steps of which batch at which
 * learning rates, the gradient clip (0 = off), the cache (trajectories or bridges per build, steps between builds,
 * chains simulated at once) and the run's seed, from which every cache and batch seed derives.
 */
public record HalfStep(Method method, int iters, int batch, LrSchedule learningRates, double gradClip,
                       int cacheTrajectories, int cacheRefresh, int simBatch, long seed) {

    /** The size of the cache a half-step builds for states of {@code dim} values on a chain of {@code steps} steps. */
    public CacheSize cacheSize(int dim, int steps) {
        return method.bridgeMatching() ? CacheSize.bridges(cacheTrajectories, dim) : CacheSize.trajectories(cacheTrajectories, steps, dim);
    }
}
