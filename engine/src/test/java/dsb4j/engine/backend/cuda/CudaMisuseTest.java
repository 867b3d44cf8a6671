package dsb4j.engine.backend.cuda;

import static dsb4j.engine.backend.SpiParity.*;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dsb4j.engine.backend.UnaryOp;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Misuse of the CUDA backend's elementwise ops is a clear error. unary (with the device's tolerance table), binary, copy
 * and fill against the scalar backend, on every backend, are {@link dsb4j.engine.backend.SpiContractTest}'s.
 */
class CudaMisuseTest {

    static java.util.stream.Stream<String> targets() { return CudaTargets.names(); }

    /** Misuse is an exception naming the problem, never a device fault. */
    @ParameterizedTest @MethodSource("targets")
    void misuseIsAClearError(String target) {
        CudaBackend cuda = CudaTargets.backend(target);
        Layout l4 = Layout.contiguous(Shape.of(4));
        var host = SCALAR.allocate(DType.F32, 4);
        var dev = cuda.allocate(DType.F32, 4);
        var dev64 = cuda.allocate(DType.F64, 4);
        assertThrows(IllegalArgumentException.class, () -> cuda.unary(UnaryOp.NEG, 0, host, l4, dev, l4));
        assertThrows(IllegalArgumentException.class, () -> cuda.unary(UnaryOp.NEG, 0, dev, l4, dev64, l4));
        Layout tooFar = new Layout(Shape.of(4), new int[]{1}, 1);
        assertThrows(IllegalArgumentException.class, () -> cuda.unary(UnaryOp.NEG, 0, dev, tooFar, dev, l4));
        // nine axes that cannot merge (every stride reversed) exceed the kernels' rank limit of 8
        int[] nine = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        Layout rev = Layout.contiguous(Shape.of(nine)).permute(8, 7, 6, 5, 4, 3, 2, 1, 0);
        var big = cuda.allocate(DType.F32, 512);
        assertThrows(UnsupportedOperationException.class, () -> cuda.unary(UnaryOp.NEG, 0, big, rev, big, Layout.contiguous(Shape.of(nine))));
        dev.close();
        assertThrows(IllegalStateException.class, () -> cuda.fill(dev, l4, 1));
        dev64.close();
        big.close();
    }
}
