package dsb4j.engine.backend.cpu;

import dsb4j.engine.random.CounterRandom;
import java.util.concurrent.ForkJoinPool;

/**
 * Counter-based random fills split over threads. Element i is CounterRandom's draw i, computed with the
 * same scalar Math calls as the scalar backend, so every split gives the same bits. (Vector LOG/COS would
 * be faster but are 1-ulp approximations of Math.log/Math.cos, which would break bit-identity.)
 */
final class RandomKernels {
    private RandomKernels() {}

    /** Generating one normal costs far more than touching one element; split sooner. */
    private static final int WORK_PER_DRAW = 16;

    static void normal(float[] out, long seed, ForkJoinPool pool) {
        Parallel.forRange(pool, out.length, WORK_PER_DRAW, (lo, hi) -> {
            for (int i = lo; i < hi; i++) out[i] = (float) CounterRandom.normal(seed, i);
        });
    }

    static void normal(double[] out, long seed, ForkJoinPool pool) {
        Parallel.forRange(pool, out.length, WORK_PER_DRAW, (lo, hi) -> {
            for (int i = lo; i < hi; i++) out[i] = CounterRandom.normal(seed, i);
        });
    }

    static void uniform(float[] out, long seed, ForkJoinPool pool) {
        Parallel.forRange(pool, out.length, WORK_PER_DRAW, (lo, hi) -> {
            for (int i = lo; i < hi; i++) out[i] = (float) CounterRandom.uniform(seed, i);
        });
    }

    static void uniform(double[] out, long seed, ForkJoinPool pool) {
        Parallel.forRange(pool, out.length, WORK_PER_DRAW, (lo, hi) -> {
            for (int i = lo; i < hi; i++) out[i] = CounterRandom.uniform(seed, i);
        });
    }
}
