package dsb4j.bridge.process;

import java.util.Arrays;

/**
 * The step sizes γ_1…γ_N of the chains, in forward order: {@code gamma(k)} is the step of the transition
 * X_k → X_{k+1}. The reference ramps are symmetric (rise to γ_max at the middle, fall back), but the
 * backward direction never relies on that: it asks for {@link #gammaBackward(int)} explicitly.
 */
public final class TimeSchedule {
    public enum Kind { LINEAR, GEOMETRIC, CONSTANT }

    private final double[] gammas;

    private TimeSchedule(double[] gammas) {
        for (double g : gammas)
            if (!(g > 0) || !Double.isFinite(g)) throw new IllegalArgumentException("step sizes must be positive and finite: " + Arrays.toString(gammas));
        this.gammas = gammas;
    }

    /** The reference code's schedule: half = ramp(γmin, γmax, N/2), γ = half ++ reverse(half). N must be even. */
    public static TimeSchedule of(Kind kind, int steps, double gammaMin, double gammaMax) {
        if (steps < 2 || steps % 2 != 0) throw new IllegalArgumentException("--steps must be even and at least 2, got " + steps);
        if (kind == Kind.CONSTANT) {
            double[] g = new double[steps];
            Arrays.fill(g, gammaMax);
            return new TimeSchedule(g);
        }
        int half = steps / 2;
        double[] g = new double[steps];
        for (int i = 0; i < half; i++) {
            double f = half == 1 ? 0 : (double) i / (half - 1);
            g[i] = kind == Kind.LINEAR ? gammaMin + f * (gammaMax - gammaMin)
                    : gammaMin * Math.pow(gammaMax / gammaMin, f);
            g[steps - 1 - i] = g[i];
        }
        return new TimeSchedule(g);
    }

    public static TimeSchedule ofGammas(double... gammas) { return new TimeSchedule(gammas.clone()); }

    public int steps() { return gammas.length; }

    /** Step size of the forward transition k → k+1 (k = 0…N−1). */
    public double gamma(int k) { return gammas[k]; }

    /** Step size of the j-th transition of the backward chain (X_{N−j} → X_{N−1−j}), j = 0…N−1. */
    public double gammaBackward(int j) { return gammas[gammas.length - 1 - j]; }

    /** T = Σγ. */
    public double total() {
        double t = 0;
        for (double g : gammas) t += g;
        return t;
    }

    public double[] gammas() { return gammas.clone(); }

    @Override public String toString() { return "TimeSchedule" + Arrays.toString(gammas); }
}
