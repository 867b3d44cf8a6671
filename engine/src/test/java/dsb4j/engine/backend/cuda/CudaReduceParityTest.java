package dsb4j.engine.backend.cuda;

import static dsb4j.engine.backend.SpiParity.*;

import dsb4j.engine.backend.ReduceOp;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CUDA reduce's two kernel shapes (a block per output, a thread per output) are both reached. reduce over every
 * axis subset and view against the scalar backend, and the strided batched GEMM, on every backend, are
 * {@link dsb4j.engine.backend.SpiContractTest}'s.
 */
class CudaReduceParityTest {

    static java.util.stream.Stream<String> targets() { return CudaTargets.names(); }

    /** The reduce kernel shape is a heuristic; on the emulator, check that the tests above reach both. */
    @ParameterizedTest @MethodSource("targets")
    void bothReduceKernelsAreExercised(String target) {
        CudaBackend cuda = CudaTargets.backend(target);
        if (!target.startsWith("emulator")) return;
        long block = CudaEmulator.launchesOf("reduce_block_f32"), thread = CudaEmulator.launchesOf("reduce_thread_f32");
        reduce(target, cuda, DType.F32, ReduceOp.SUM, Shape.of(4097), 1, view("packed", Layout.contiguous(Shape.of(4097))), new Rng(1));
        reduce(target, cuda, DType.F32, ReduceOp.SUM, Shape.of(67, 1023), 1, view("packed", Layout.contiguous(Shape.of(67, 1023))), new Rng(1));
        org.junit.jupiter.api.Assertions.assertEquals(block + 1, CudaEmulator.launchesOf("reduce_block_f32"), "block per output for a long contiguous run");
        org.junit.jupiter.api.Assertions.assertEquals(thread + 1, CudaEmulator.launchesOf("reduce_thread_f32"), "thread per output over a leading axis");
    }
}
