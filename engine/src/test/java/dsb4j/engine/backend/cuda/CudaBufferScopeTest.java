package dsb4j.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dsb4j.engine.backend.BufferScope;
import dsb4j.engine.backend.StepScope;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Buffer scopes on the device backend: what a scope made and did not keep goes back to the allocator when it
 * closes (and is refused afterwards), kept buffers pass to the enclosing scope, unscoped ones to the GC, the
 * next allocation of the size reuses the released block, and scopes close innermost first.
 */
class CudaBufferScopeTest {

    static Stream<String> targets() { return CudaTargets.names(); }

    @ParameterizedTest @MethodSource("targets")
    void aScopeReleasesWhatItDidNotKeep(String target) {
        try (CudaBackend cuda = CudaAllocatorTest.fresh(target)) {
            CudaStorage dropped, kept, outside;
            try (BufferScope scope = BufferScope.open()) {
                dropped = cuda.allocate(DType.F32, 1000);
                kept = (CudaStorage) cuda.fromFloats(new float[]{1, 2, 3});
                outside = BufferScope.unscoped(() -> cuda.allocate(DType.F32, 7));
                scope.keep(kept);
            }
            assertTrue(dropped.isClosed(), "released at the scope's end");
            assertThrows(IllegalStateException.class, () -> cuda.toFloats(dropped, Layout.contiguous(Shape.of(1000))));
            assertFalse(kept.isClosed());
            assertArrayEquals(new float[]{1, 2, 3}, cuda.toFloats(kept, Layout.contiguous(Shape.of(3))));
            assertFalse(outside.isClosed(), "made unscoped: the scope does not own it");

            long misses = cuda.deviceAllocations();
            CudaStorage again = cuda.allocate(DType.F32, 1000);
            assertEquals(misses, cuda.deviceAllocations(), "the released block serves the next request of its size");
            again.close();
        }
    }

    @ParameterizedTest @MethodSource("targets")
    void keptBuffersPassToTheEnclosingScope(String target) {
        try (CudaBackend cuda = CudaAllocatorTest.fresh(target)) {
            CudaStorage state;
            try (BufferScope outer = BufferScope.open()) {
                try (BufferScope inner = BufferScope.open()) {
                    state = cuda.allocate(DType.F64, 16);
                    inner.keep(state);
                }
                assertFalse(state.isClosed(), "kept by the inner scope");
            }
            assertTrue(state.isClosed(), "owned, and not kept, by the outer one");
        }
    }

    @ParameterizedTest @MethodSource("targets")
    void scopesCloseInnermostFirst(String target) {
        try (CudaBackend cuda = CudaAllocatorTest.fresh(target)) {
            BufferScope outer = BufferScope.open();
            BufferScope inner = BufferScope.open();
            assertThrows(IllegalStateException.class, outer::close);
            inner.close();
            outer.close();
            CudaStorage after = cuda.allocate(DType.F32, 4);           // no scope open any more: not owned
            assertFalse(after.isClosed());
            after.close();
        }
    }

    /**
     * A step scope keeps what its holders hold at its end, releases the rest of the step's buffers, and releases what
     * they held at its start and hold no longer (a replaced parameter value); a buffer still held stays.
     */
    @ParameterizedTest @MethodSource("targets")
    void aStepScopeKeepsTheStateAndReleasesWhatItReplaced(String target) {
        try (CudaBackend cuda = CudaAllocatorTest.fresh(target)) {
            CudaStorage[] weight = {cuda.allocate(DType.F32, 5)}, moment = {cuda.allocate(DType.F32, 5)};
            CudaStorage old = weight[0], temporary;
            StepScope.Holder weights = each -> each.accept(weight[0]), moments = each -> each.accept(moment[0]);
            try (StepScope step = StepScope.open(weights, null, moments)) {
                temporary = cuda.allocate(DType.F32, 100);
                weight[0] = (CudaStorage) cuda.fromFloats(new float[]{1, 2, 3, 4, 5});
            }
            assertTrue(temporary.isClosed(), "made in the step and not held: released");
            assertTrue(old.isClosed(), "held before the step and replaced in it: released");
            assertFalse(weight[0].isClosed(), "the new value is kept");
            assertArrayEquals(new float[]{1, 2, 3, 4, 5}, cuda.toFloats(weight[0], Layout.contiguous(Shape.of(5))));
            assertFalse(moment[0].isClosed(), "held before and after (updated in place): kept");
            weight[0].close();
            moment[0].close();
        }
    }
}
