package dsb4j.engine.backend.cpu;

import static dsb4j.engine.backend.cpu.Parity.*;

import dsb4j.engine.backend.HeapStorage;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.Shape;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * F32 → F64 → F32 copies through views on the CPU land in the right places. copy, fill, toFloats and toDoubles
 * against the scalar backend (exact, through every view, into sentinels) run in
 * {@link dsb4j.engine.backend.SpiContractTest}, on every backend.
 */
class MemoryParityTest {

    @BeforeAll static void lanes() { checkLanes("MemoryParityTest"); }

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
}
