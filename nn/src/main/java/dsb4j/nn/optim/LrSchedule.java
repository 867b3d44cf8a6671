package dsb4j.nn.optim;

/**
 * A learning rate as a function of the optimiser step (counted from 0). Use:
 * {@code optimiser.setLr(schedule.lr(step))} before each step.
 */
@FunctionalInterface
public interface LrSchedule {
    double lr(long step);

    static LrSchedule constant(double lr) { return step -> lr; }

    /**
     * Cosine decay from {@code lr} at step 0 to {@code minLr} at {@code totalSteps} (and after):
     * minLr + (lr − minLr)·(1 + cos(π·step/total))/2, as torch's CosineAnnealingLR over one half-period.
     */
    static LrSchedule cosine(double lr, double minLr, long totalSteps) {
        if (totalSteps < 1) throw new IllegalArgumentException("cosine schedule: totalSteps must be positive, got " + totalSteps);
        return step -> step >= totalSteps ? minLr
                : minLr + (lr - minLr) * 0.5 * (1 + Math.cos(Math.PI * step / (double) totalSteps));
    }

    /**
     * Linear warm-up: the rate of {@code after} scaled by (step+1)/warmupSteps over the first warmupSteps
     * steps, then {@code after} itself. {@code after} sees the same step numbers (it is not shifted; see
     * {@link #warmupCosine} for a decay that starts when the warm-up ends).
     */
    static LrSchedule warmup(long warmupSteps, LrSchedule after) {
        if (warmupSteps < 0) throw new IllegalArgumentException("warm-up: steps must be ≥ 0, got " + warmupSteps);
        return step -> step < warmupSteps ? after.lr(step) * (step + 1) / (double) warmupSteps : after.lr(step);
    }

    /** Linear warm-up to {@code lr}, then cosine decay to {@code minLr} over the remaining steps. */
    static LrSchedule warmupCosine(double lr, double minLr, long warmupSteps, long totalSteps) {
        LrSchedule cos = cosine(lr, minLr, Math.max(1, totalSteps - warmupSteps));
        return step -> step < warmupSteps ? lr * (step + 1) / (double) warmupSteps : cos.lr(step - warmupSteps);
    }
}
