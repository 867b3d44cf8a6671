package dsb4j.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * NVRTC's compile policy through the emulator's stand-in compiler: a cubin for the device's own sm_XY, PTX for
 * compute_XY when no cubin can be had, the newest known virtual architecture below an unknown device, and
 * errors that name the function, the status and carry the compiler's log.
 */
class CudaCompilePolicyTest {

    static Nvrtc nvrtc() {
        CudaTargets.backend("emulator");               // skips with the reason where the emulator cannot be built
        return new Nvrtc(CudaEmulator.get().lookup());
    }

    static Nvrtc.Image compile(Nvrtc n, String source, int major, int minor) {
        return n.compileForDevice("t.cu", source, KernelSources.headers(), KernelSources.OPTIONS, major, minor);
    }

    @Test void cubinForTheDevicesOwnArchitecture() {
        Nvrtc.Image i = compile(nvrtc(), "// fine", 9, 0);
        assertTrue(i.cubin());
        assertEquals("sm_90", i.arch());
    }

    @Test void ptxWhenNoCubinCanBeHad() {
        Nvrtc n = nvrtc();
        try {
            CudaEmulator.set("emu_set_fail_cubin", 1);
            Nvrtc.Image i = compile(n, "// fine", 9, 0);
            assertFalse(i.cubin());
            assertEquals("compute_90", i.arch());
            assertEquals(0, i.bytes()[i.bytes().length - 1], "PTX comes NUL-terminated, as cuModuleLoadData wants it");
        } finally {
            CudaEmulator.set("emu_set_fail_cubin", 0);
        }
    }

    @Test void newestKnownArchitectureBelowAnUnknownDevice() {
        Nvrtc.Image i = compile(nvrtc(), "// fine", 12, 0);
        assertFalse(i.cubin());
        assertEquals("compute_90", i.arch());
    }

    @Test void sourceErrorsCarryTheLog() {
        Nvrtc n = nvrtc();                              // outside assertThrows: a skipped emulator is no exception
        CudaException e = assertThrows(CudaException.class, () -> compile(n, "#error planted", 9, 0));
        assertEquals("nvrtcCompileProgram", e.function());
        assertEquals("NVRTC_ERROR_COMPILATION", e.codeName());
        assertTrue(e.getMessage().contains("t.cu(1): error: a planted error"), e.getMessage());
    }

    @Test void aMissingBuiltinsLibraryIsNamed() {
        Nvrtc n = nvrtc();
        CudaException e = assertThrows(CudaException.class, () -> compile(n, "// DSB4J_EMU_NO_BUILTINS", 9, 0));
        assertEquals(7, e.code());
        assertTrue(e.getMessage().contains("libnvrtc-builtins"), e.getMessage());
    }

    @Test void driverErrorsAreNamed() {
        CudaTargets.backend("emulator");
        Driver d = new Driver(CudaEmulator.get().lookup());
        CudaException e = assertThrows(CudaException.class, () -> d.free(12345));
        assertEquals("cuMemFree_v2 failed: CUDA_ERROR_INVALID_VALUE (1)", e.getMessage());
        assertEquals("CUDA_ERROR_ILLEGAL_ADDRESS", d.errorName(700));
        assertEquals("CUDA_ERROR_LAUNCH_FAILED", d.errorName(719), "the table answers where the driver does not");
        assertEquals("CUBLAS_STATUS_INVALID_VALUE", Cublas.statusName(7));
    }
}
