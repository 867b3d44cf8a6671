package dsb4j.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The register block {@link SgemmBlock} picks for the JVM it runs in. Surefire runs it in the default JVM and again
 * with {@code -XX:UseAVX=2} (execution {@code avx2}, which sets {@code dsb4j.expectAvx2}): on an x86 machine with
 * AVX-512 the two JVMs must pick different blocks, so that SgemmTest and the parity suites cover both.
 */
class SgemmBlockTest {

    @Test
    void blockFitsTheRegisterFile() {
        System.out.println("SgemmBlockTest: " + SgemmBlock.describe());
        if (System.getProperty("dsb4j.gemm.block") != null) {
            return;
        }
        int regs = SgemmBlock.REGISTERS;
        assertTrue(regs == 16 || regs == 32, "registers " + regs);
        // accumulators + B vectors + one broadcast, with room for the JIT (it spilled at 15 of 16)
        int live = SgemmBlock.MR * SgemmBlock.NV + SgemmBlock.NV + 1;
        assertTrue(live <= regs - (regs == 16 ? 5 : 3), SgemmBlock.describe());
    }

    @Test
    void avx2JvmPicksTheSixteenRegisterBlock() {
        String arch = System.getProperty("os.arch");
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
        if (!Boolean.getBoolean("dsb4j.expectAvx2") || !x86 || System.getProperty("dsb4j.gemm.registers") != null
                || System.getProperty("dsb4j.gemm.block") != null) {
            return;
        }
        assertEquals(2, SgemmBlock.useAvx(), "UseAVX");
        assertTrue(FloatVector.SPECIES_PREFERRED.vectorBitSize() <= 256, "species");
        assertEquals(16, SgemmBlock.REGISTERS);
        assertEquals(4, SgemmBlock.MR);
        assertEquals(2, SgemmBlock.NV);
    }

    @Test
    void registerCountFollowsTheInstructionSet() {
        String arch = System.getProperty("os.arch");
        if (System.getProperty("dsb4j.gemm.registers") != null) {
            return;
        }
        if (arch.equals("aarch64")) {
            assertEquals(32, SgemmBlock.REGISTERS);
        } else if ((arch.equals("amd64") || arch.equals("x86_64")) && SgemmBlock.useAvx() >= 0) {
            assertEquals(SgemmBlock.useAvx() >= 3 ? 32 : 16, SgemmBlock.REGISTERS);
        }
    }
}
