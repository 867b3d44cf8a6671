package dsb4j.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.engine.Tensor;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import org.junit.jupiter.api.Test;

/** {@link CpuBackend#onThisThread}: which ops stay on the calling thread, and that results do not change. */
class OnThisThreadTest {
    final CpuBackend cpu = new CpuBackend(2);

    @Test void opsStayOnTheThreadExactlyWhileAskedAndTheOuterRuleComesBack() {
        boolean[] alone = {true};
        assertNotNull(cpu.pool());
        cpu.onThisThread(() -> alone[0], () -> {
            assertNull(cpu.pool(), "asked to stay");
            alone[0] = false;
            assertNotNull(cpu.pool(), "asked op by op: now the workers again");
            cpu.onThisThread(() -> true, () -> {
                assertNull(cpu.pool(), "nested");
                return null;
            });
            assertNotNull(cpu.pool(), "the outer rule after the nested one");
            return null;
        });
        assertNotNull(cpu.pool());
        assertNull(new CpuBackend(1).onThisThread(() -> false, new CpuBackend(1)::pool), "one thread has no workers anyway");
    }

    @Test void aProductAndANoiseDrawKeepTheirBitsOnOneThread() {
        Tensor a = Tensor.randn(cpu, DType.F32, new Rng(1), 300, 257), b = Tensor.randn(cpu, DType.F32, new Rng(2), 257, 129);
        float[] split = a.matmul(b).add(Tensor.randn(cpu, DType.F32, new Rng(3), 300, 129)).toFloats();
        float[] alone = cpu.onThisThread(() -> true,
                () -> a.matmul(b).add(Tensor.randn(cpu, DType.F32, new Rng(3), 300, 129)).toFloats());
        assertArrayEquals(split, alone);
    }
}
