package dsb4j.bridge.process;

import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.TransitionMap;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.BufferScope;
import dsb4j.engine.tensor.ShapeException;
import java.util.Arrays;

/**
 * The analytic forward chain of IPF iteration 1 (never a network): F_k(x) = x − (γ_{k+1}/v)(x − m), an
 * Euler–Maruyama Ornstein–Uhlenbeck chain pulled to the prior N(m, v·I). m is one value for every
 * coordinate or one per coordinate. With v = ∞ it is Brownian motion (F_k(x) = x), the reference for
 * transport between two data sets.
 */
public final class ReferenceProcess implements TransitionMap {
    private final TimeSchedule schedule;
    private final double[] mean;
    private final double variance;
    private Tensor meanRow;                     // m as [1, ...state] on the backend last used

    public ReferenceProcess(TimeSchedule schedule, double[] mean, double variance) {
        if (!(variance > 0)) throw new IllegalArgumentException("reference variance must be positive, got " + variance);
        if (mean.length == 0) throw new IllegalArgumentException("reference mean needs at least one value");
        this.schedule = schedule;
        this.mean = mean.clone();
        this.variance = variance;
    }

    public static ReferenceProcess brownian(TimeSchedule schedule) {
        return new ReferenceProcess(schedule, new double[]{0}, Double.POSITIVE_INFINITY);
    }

    public TimeSchedule schedule() { return schedule; }
    public double[] priorMean() { return mean.clone(); }
    public double priorVariance() { return variance; }
    public boolean isBrownian() { return Double.isInfinite(variance); }

    @Override public Direction direction() { return Direction.FORWARD; }

    @Override public Tensor mean(Tensor x, int step) {
        if (isBrownian()) return x;
        double c = schedule.gamma(step) / variance;
        if (mean.length == 1) return x.mul(1 - c).add(c * mean[0]);
        return x.mul(1 - c).add(meanRow(x).mul(c));      // x − c(x − m)
    }

    private Tensor meanRow(Tensor x) {
        int[] dims = x.dims();
        dims[0] = 1;
        int per = x.numel() / Math.max(x.dim(0), 1);
        if (per != mean.length)
            throw new ShapeException("reference", "mean of " + mean.length + " coordinates for states of shape " + x.shape());
        Tensor m = meanRow;
        if (m == null || m.backend() != x.backend() || m.dtype() != x.dtype() || !Arrays.equals(m.dims(), dims)) {
            m = BufferScope.unscoped(() -> Tensor.of(x.backend(), mean, dims).to(x.dtype()));   // outlives any step
            meanRow = m;
        }
        return m;
    }
}
