package dsb4j.engine.backend.cpu;

import static dsb4j.engine.backend.cpu.Parity.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.GroupNormShape;
import dsb4j.engine.backend.HeapStorage;
import dsb4j.engine.random.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fused group norm + affine + SiLU kernels against the scalar backend's composition of primitives
 * ({@link dsb4j.engine.backend.GroupNormSiluByOps}) on random data: planes shorter than a vector, with a tail,
 * exactly one vector, one and several channels per group, a batch large enough to split over threads (whose results
 * must agree bit for bit). Float sums in another order and x̂ rounded differently: 1e-4 relative, plus 2e-5 of the
 * largest |value| for the gradient's cancellations.
 */
class GroupNormParityTest {

    @BeforeAll static void lanes() { checkLanes("GroupNormParityTest"); }

    /** n, channels, groups, area. */
    static final int[][] CASES = {{1, 1, 1, 1}, {2, 3, 1, L - 1}, {3, 6, 3, 2 * L + 3}, {2, 4, 2, L}, {5, 8, 4, 49},
            {8, 16, 8, 784}};

    @Test void forwardAndGradientMatchScalar() {
        Rng rng = new Rng(71);
        for (int[] k : CASES) {
            GroupNormShape s = new GroupNormShape(k[0], k[1], k[2], k[3], 1e-5);
            int size = s.numel(), nc = s.n() * s.channels();
            float[] x = shifted(data(rng, size), 1.5f), a = data(rng, nc), b = data(rng, nc), dy = data(rng, size);
            float[][] expected = run(SCALAR, s, x, a, b, dy);
            float[][] first = null;
            for (CpuBackend cpu : CPUS) {
                float[][] got = run(cpu, s, x, a, b, dy);
                String[] names = {"y", "stats", "dx", "da", "db"};
                for (int i = 0; i < names.length; i++)
                    assertStorage(names[i] + " " + s + " threads " + cpu.threads(), expected[i], got[i], scaled(expected[i]));
                if (first == null) first = got;
                else for (int i = 0; i < names.length; i++) assertArrayEquals(first[i], got[i], names[i] + " " + s + ": thread counts disagree");
            }
        }
    }

    /** y, stats, dx, da, db, each with 3 sentinel elements past its end that must stay untouched. */
    static float[][] run(Backend be, GroupNormShape s, float[] x, float[] a, float[] b, float[] dy) {
        int size = s.numel(), nc = s.n() * s.channels();
        float[] y = sentinels(size + 3), stats = sentinels(2 * s.count() + 3), dx = sentinels(size + 3);
        float[] da = sentinels(nc + 3), db = sentinels(nc + 3);
        HeapStorage.F32 xs = f32(be, x), as = f32(be, a), bs = f32(be, b), ss = new HeapStorage.F32(be, stats);
        be.groupNormSilu(s, xs, as, bs, new HeapStorage.F32(be, y), ss);
        be.groupNormSiluGrad(s, xs, ss, as, bs, f32(be, dy), new HeapStorage.F32(be, dx), new HeapStorage.F32(be, da),
                new HeapStorage.F32(be, db));
        return new float[][]{y, stats, dx, da, db};
    }

    static float[] shifted(float[] v, float by) {
        for (int i = 0; i < v.length; i++) v[i] += by;
        return v;
    }

    static Tolerance scaled(float[] expected) {
        double max = 0;
        for (float e : expected) if (e != SENTINEL) max = Math.max(max, Math.abs(e));
        double floor = 2e-5 * max;
        return (i, e) -> 1e-4 * Math.abs(e) + floor + Float.MIN_NORMAL;
    }
}
