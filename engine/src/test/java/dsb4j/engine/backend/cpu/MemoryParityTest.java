package dsb4j.engine.backend.cpu;

import static dsb4j.engine.backend.cpu.Parity.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.HeapStorage;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** copy, fill, toFloats and toDoubles against the scalar backend: exact, through every view, into sentinels. */
class MemoryParityTest {

    @BeforeAll static void lanes() { checkLanes("MemoryParityTest"); }

    static List<Shape> shapes() {
        List<Shape> s = new ArrayList<>();
        s.add(Shape.SCALAR);
        for (int n : SIZES) s.add(Shape.of(n));
        for (int n : new int[]{L - 1, 2 * L + 3, 1000}) s.add(Shape.of(3, n));
        s.add(Shape.of(1000, 3));
        s.add(Shape.of(4, 5, L + 1));
        s.add(Shape.of(300, 333));                  // big enough for the fork-join path
        return s;
    }

    @Test void copyBetweenViews() {
        Rng rng = new Rng(31);
        for (Shape s : shapes()) {
            List<View> ins = inputs(s), outs = outputs(s);
            for (View in : ins) check(s, in, outs.get(0), rng);
            for (View out : outs) check(s, ins.get(0), out, rng);
            if (s.rank() >= 2) check(s, ins.get(3), outs.get(3), rng);   // transposed into transposed
        }
    }

    static void check(Shape s, View in, View out, Rng rng) {
        float[] src = data(rng, in.storageSize());
        float[] expected = copy(SCALAR, src, in, out);
        for (CpuBackend cpu : CPUS)
            assertStorage("copy " + s + " from " + in + " to " + out + " threads " + cpu.threads(), expected, copy(cpu, src, in, out), EXACT);
    }

    static float[] copy(Backend b, float[] src, View in, View out) {
        HeapStorage.F32 ss = f32(b, src), ds = f32(b, sentinels(out.storageSize()));
        b.copy(ss, in.layout(), ds, out.layout());
        return ds.data;
    }

    /** F32 ↔ F64 copies take the scalar path; they must still land in the right places. */
    @Test void copyAcrossDtypes() {
        Rng rng = new Rng(32);
        Shape s = Shape.of(3, 2 * L + 3);
        View in = inputs(s).get(3), out = outputs(s).get(2);
        float[] src = data(rng, in.storageSize());
        for (CpuBackend cpu : CPUS) {
            Storage wide = cpu.allocate(dsb4j.engine.tensor.DType.F64, out.storageSize());
            cpu.copy(f32(cpu, src), in.layout(), wide, out.layout());
            Storage back = f32(cpu, sentinels(out.storageSize()));
            cpu.copy(wide, out.layout(), back, out.layout());
            Storage ref = f32(SCALAR, sentinels(out.storageSize()));
            SCALAR.copy(f32(SCALAR, src), in.layout(), ref, out.layout());
            assertStorage("F32→F64→F32 copy", ((HeapStorage.F32) ref).data, ((HeapStorage.F32) back).data, EXACT);
        }
    }

    @Test void fillThroughViews() {
        for (Shape s : shapes()) {
            for (View out : outputs(s)) {
                float[] expected = fill(SCALAR, out, 0.37);
                for (CpuBackend cpu : CPUS)
                    assertStorage("fill " + s + " " + out + " threads " + cpu.threads(), expected, fill(cpu, out, 0.37), EXACT);
            }
        }
    }

    static float[] fill(Backend b, View out, double v) {
        HeapStorage.F32 ds = f32(b, sentinels(out.storageSize()));
        b.fill(ds, out.layout(), v);
        return ds.data;
    }

    @Test void hostCopiesOfViews() {
        Rng rng = new Rng(33);
        for (Shape s : shapes()) {
            for (View in : inputs(s)) {
                float[] src = data(rng, in.storageSize());
                float[] ef = SCALAR.toFloats(f32(SCALAR, src), in.layout());
                double[] ed = SCALAR.toDoubles(f32(SCALAR, src), in.layout());
                for (CpuBackend cpu : CPUS) {
                    assertArrayEquals(ef, cpu.toFloats(f32(cpu, src), in.layout()), "toFloats " + s + " " + in);
                    assertArrayEquals(ed, cpu.toDoubles(f32(cpu, src), in.layout()), "toDoubles " + s + " " + in);
                }
            }
        }
    }
}
