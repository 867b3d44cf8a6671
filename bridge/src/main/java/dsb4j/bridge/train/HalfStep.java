package dsb4j.bridge.train;

import dsb4j.bridge.cache.CacheSize;
import dsb4j.nn.optim.LrSchedule;

/**
 * The settings one IPF half-step uses: what it regresses on, how many optimiser steps of which batch at which
 * learning rates, the gradient clip (0 = off), the cache (trajectories or bridges per build, steps between builds,
 * chains simulated at once, DSB's transitions kept per chain: {@link TrainConfig#ALL_TIMES} for all N), the run's
 * seed, from which every cache and batch seed derives, and the loss floor the
 * divergence guard measures against (DSB: 2T/N per coordinate; 0 for bridge matching, whose targets carry no noise).
 */
public record HalfStep(Method method, int iters, int batch, LrSchedule learningRates, double gradClip,
                       int cacheTrajectories, int cacheRefresh, int simBatch, int cacheTimes, long seed, double lossFloor) {

    /** The size of the cache a half-step builds for states of {@code dim} values on a chain of {@code steps} steps. */
    public CacheSize cacheSize(int dim, int steps) {
        return method.bridgeMatching() ? CacheSize.bridges(cacheTrajectories, dim) : CacheSize.trajectories(cacheTrajectories, timesKept(steps), dim);
    }

    /** DSB: the transitions a cache keeps of each chain of {@code steps} steps. */
    public int timesKept(int steps) { return cacheTimes == TrainConfig.ALL_TIMES ? steps : cacheTimes; }
}
