package dsb4j.engine.backend.cpu;

import static dsb4j.engine.backend.cpu.Parity.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.HeapStorage;
import dsb4j.engine.backend.ReduceOp;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CpuBackend.reduce against the scalar backend: SUM and MAX over every axis set of rank-3 inputs in many
 * views, the size list on the last and the leading axis, reductions long enough to be split, and the
 * same bits on 1 and 2 threads. Sums agree to 1e-6 of Σ|x| over each output's inputs; maxima exactly.
 */
class ReduceParityTest {

    @BeforeAll static void lanes() { checkLanes("ReduceParityTest"); }

    static final List<Shape> RANK3 = List.of(Shape.of(3, 5, L + 1), Shape.of(L + 1, 4, 2 * L + 3), Shape.of(2, 3, 1023),
            Shape.of(1000, 2, 3), Shape.of(3, 1, 4097), Shape.of(2, 1, 1), Shape.of(0, 3, 4), Shape.of(3, 0, 4));

    /** Every subset of the axes of a rank-r shape, the empty one and the full one included. */
    static List<boolean[]> axisSets(int r) {
        List<boolean[]> sets = new ArrayList<>();
        for (int m = 0; m < 1 << r; m++) {
            boolean[] red = new boolean[r];
            for (int a = 0; a < r; a++) red[a] = (m >> a & 1) != 0;
            sets.add(red);
        }
        return sets;
    }

    /** Packed, offset, two permutations, step-2 slices of the first and last axes, two broadcasts. */
    static List<View> views(Shape s) {
        List<View> v = new ArrayList<>(inputs(s));
        int[] d = s.dims();
        v.add(view("permuted(2,0,1)", Layout.contiguous(Shape.of(d[1], d[2], d[0])).permute(2, 0, 1)));
        v.add(view("permuted(1,0,2)", Layout.contiguous(Shape.of(d[1], d[0], d[2])).permute(1, 0, 2)));
        v.add(view("step2-first", Layout.contiguous(Shape.of(2 * d[0], d[1], d[2])).slice(0, 0, 2 * d[0], 2)));
        return v;
    }

    @Test void everyAxisSetOfRank3Views() {
        Rng rng = new Rng(21);
        for (Shape s : RANK3)
            for (View v : views(s))
                for (boolean[] red : axisSets(3))
                    for (ReduceOp op : ReduceOp.values()) check(op, s, v, red, rng);
    }

    @Test void sizeListOnLastAndLeadingAxes() {
        Rng rng = new Rng(22);
        for (int n : SIZES) {
            for (Shape s : List.of(Shape.of(n), Shape.of(3, n), Shape.of(n, 3), Shape.of(n, L + 1)))
                for (View v : inputs(s))
                    for (boolean[] red : axisSets(s.rank()))
                        for (ReduceOp op : ReduceOp.values()) check(op, s, v, red, rng);
        }
    }

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
