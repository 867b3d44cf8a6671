package dsb4j.engine.backend.cuda;

import static dsb4j.engine.backend.SpiParity.*;

import dsb4j.engine.backend.ReduceOp;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * reduce over every axis subset (both kernel shapes: a block per output and a thread per output) against the scalar
 * backend, held to the device's double accumulation. The strided batched GEMM, which every backend meets alike, is
 * {@link dsb4j.engine.backend.SpiContractTest}'s.
 */
class CudaReduceParityTest {

    static java.util.stream.Stream<String> targets() { return CudaTargets.names(); }

    static List<Shape> reduceShapes() {
        return List.of(Shape.of(0), Shape.of(1), Shape.of(W - 1), Shape.of(W + 1), Shape.of(4097), Shape.of(3, 2 * W + 3),
                Shape.of(2 * W + 3, 3), Shape.of(1000, 3), Shape.of(67, 1023), Shape.of(4, 5, W + 1), Shape.of(2, 3, 4, 5),
                Shape.of(0, 5));
    }

    @ParameterizedTest @MethodSource("targets")
    void reduceEveryAxisSubsetAndView(String target) {
        CudaBackend cuda = CudaTargets.backend(target);
        Rng rng = new Rng(21);
        for (DType t : DTYPES)
            for (ReduceOp op : ReduceOp.values())
                for (Shape s : reduceShapes()) {
                    List<View> views = new ArrayList<>(outputs(s));
                    if (s.rank() >= 1 && s.numel() > 0) views.add(inputs(s).get(views.size() + 1));   // broadcast-first
                    for (int mask = 0; mask < 1 << s.rank(); mask++)
                        for (View v : views) reduce(cuda, t, op, s, mask, v, rng);
                }
    }

    static void reduce(CudaBackend cuda, DType t, ReduceOp op, Shape s, int mask, View in, Rng rng) {
        boolean[] red = new boolean[s.rank()];
        int[] keep = s.dims();
        for (int a = 0; a < red.length; a++) if ((mask >> a & 1) == 1) { red[a] = true; keep[a] = 1; }
        int nOut = Shape.of(keep).numel();
        double[] x = data(rng, in.storageSize());
        // Sums may add in another order (a tree per block): allow for that relative to the sum of magnitudes.
        double[] magnitude = new double[nOut + 3];
        if (op == ReduceOp.SUM) {
            Storage xs = SCALAR.fromDoubles(abs(x)), m = SCALAR.allocate(DType.F64, nOut + 3);
            SCALAR.reduce(ReduceOp.SUM, xs, in.layout(), red, m);
            magnitude = all(m);
        }
        double[] mag = magnitude;
        Tol tol = op == ReduceOp.MAX ? EXACT
                : (i, e) -> (t == DType.F32 ? 1.2e-7 * Math.abs(e) : 0) + 1e-13 * mag[i] + Double.MIN_NORMAL;
        check("reduce " + op + " " + t + " " + s + " mask " + Integer.toBinaryString(mask) + " " + in, cuda, new DType[]{t, t},
                new double[][]{x, sentinels(nOut + 3)}, 1, (b, st) -> b.reduce(op, st[0], in.layout(), red, st[1]), tol);
    }

    /** The reduce kernel shape is a heuristic; on the emulator, check that the tests above reach both. */
    @ParameterizedTest @MethodSource("targets")
    void bothReduceKernelsAreExercised(String target) {
        CudaBackend cuda = CudaTargets.backend(target);
        if (!target.startsWith("emulator")) return;
        long block = CudaEmulator.launchesOf("reduce_block_f32"), thread = CudaEmulator.launchesOf("reduce_thread_f32");
        reduce(cuda, DType.F32, ReduceOp.SUM, Shape.of(4097), 1, view("packed", Layout.contiguous(Shape.of(4097))), new Rng(1));
        reduce(cuda, DType.F32, ReduceOp.SUM, Shape.of(67, 1023), 1, view("packed", Layout.contiguous(Shape.of(67, 1023))), new Rng(1));
        org.junit.jupiter.api.Assertions.assertEquals(block + 1, CudaEmulator.launchesOf("reduce_block_f32"), "block per output for a long contiguous run");
        org.junit.jupiter.api.Assertions.assertEquals(thread + 1, CudaEmulator.launchesOf("reduce_thread_f32"), "thread per output over a leading axis");
    }
}
