package dsb4j.engine.backend.cpu;

import static dsb4j.engine.backend.cpu.Parity.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.HeapStorage;
import dsb4j.engine.backend.ReduceOp;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CpuBackend.reduce against the scalar backend on reductions long enough to be split, and the same bits on 1 and 2
 * threads. Sums agree to 1e-6 of Σ|x| over each output's inputs; maxima exactly. Every axis set of rank-3 inputs in
 * many views and the size list on the last and the leading axis run in {@link dsb4j.engine.backend.SpiContractTest},
 * on every backend, with the same tolerance for the CPU.
 */
class ReduceParityTest {

    @BeforeAll static void lanes() { checkLanes("ReduceParityTest"); }

    /** Longer than one segment (full sums, long rows), many rows between float flushes, and the fork-join path. */
    @Test void longReductionsAndThreads() {
        Rng rng = new Rng(23);
        Object[][] cases = {
                {Shape.of(70001), new boolean[]{true}},
                {Shape.of(2, 40000), new boolean[]{false, true}},
                {Shape.of(40000, 3), new boolean[]{true, false}},
                {Shape.of(300, 333), new boolean[]{true, false}},
                {Shape.of(300, 333), new boolean[]{false, true}},
                {Shape.of(300, 333), new boolean[]{true, true}},
                {Shape.of(40, 50, 60), new boolean[]{true, false, true}},
                {Shape.of(40, 50, 60), new boolean[]{false, true, false}},
        };
        for (Object[] c : cases) {
            Shape s = (Shape) c[0];
            boolean[] red = (boolean[]) c[1];
            for (View v : List.of(inputs(s).get(0), inputs(s).get(2))) {
                for (ReduceOp op : ReduceOp.values()) {
                    float[] x = check(op, s, v, red, rng);
                    float[] one = run(CPUS.get(0), op, x, v, red), two = run(CPUS.get(1), op, x, v, red);
                    assertArrayEquals(one, two, op + " " + s + " " + v + ": 1 and 2 threads must agree bit for bit");
                }
            }
        }
    }

    static float[] check(ReduceOp op, Shape s, View v, boolean[] red, Rng rng) {
        float[] x = data(rng, v.storageSize());
        float[] expected = run(SCALAR, op, x, v, red);
        Tolerance tol = EXACT;
        if (op == ReduceOp.SUM) {
            float[] ax = x.clone();
            for (int i = 0; i < ax.length; i++) ax[i] = Math.abs(ax[i]);
            float[] scale = run(SCALAR, ReduceOp.SUM, ax, v, red);
            tol = (i, e) -> 1e-6 * scale[i] + Float.MIN_NORMAL;
        }
        for (CpuBackend cpu : CPUS)
            assertStorage(op + " over " + java.util.Arrays.toString(red) + " of " + s + " " + v + " threads " + cpu.threads(),
                    expected, run(cpu, op, x, v, red), tol);
        return x;
    }

    /** The output storage has 4 spare sentinel elements past the kept shape, which must stay untouched. */
    static float[] run(Backend b, ReduceOp op, float[] x, View v, boolean[] red) {
        int[] kept = v.layout().shape().dims();
        for (int a = 0; a < kept.length; a++) if (red[a]) kept[a] = 1;
        HeapStorage.F32 xs = f32(b, x), os = f32(b, sentinels(Shape.of(kept).numel() + 4));
        b.reduce(op, xs, v.layout(), red, os);
        return os.data;
    }
}
