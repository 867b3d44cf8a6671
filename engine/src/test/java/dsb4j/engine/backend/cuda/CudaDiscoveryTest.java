package dsb4j.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.BackendProvider;
import dsb4j.engine.backend.Backends;
import java.io.IOException;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every machine can check: the provider is registered, says in one line why it is unavailable (or
 * works), {@code auto} falls back to the CPU naming that reason, {@code cuda} fails with it; the library
 * search order (toolkit folders, companions first, never the driver stub) and its messages; the probe's
 * reasons for a driver without devices (through the emulator).
 */
class CudaDiscoveryTest {

    @Test void providerIsRegisteredThroughServiceLoader() {
        List<String> names = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) names.add(p.getClass().getName());
        assertTrue(names.contains(CudaProvider.class.getName()), "providers found: " + names);
    }

    @Test void reasonIsOneLineOrNull() {
        String reason = new CudaProvider().unavailableReason();
        System.out.println("[cuda] on this machine: " + (reason == null ? "available" : "unavailable: " + reason));
        if (reason == null) return;
        assertFalse(reason.isBlank());
        assertFalse(reason.contains("\n"), reason);
        assertTrue(reason.contains("libcuda.so.1") || reason.contains("CUDA device") || reason.contains("libnvrtc")
                || reason.contains("CUDA_ERROR"), "a reason that names what is missing: " + reason);
    }

    @Test void autoFallsBackToCpuAndSaysWhy() {
        String reason = new CudaProvider().unavailableReason();
        List<String> lines = new ArrayList<>();
        Backend b = Backends.select("auto", 2, lines::add);
        assertEquals(1, lines.size(), "one report line: " + lines);
        if (reason != null) {
            assertEquals("cpu", b.name());
            assertTrue(lines.get(0).contains("cuda unavailable (" + reason + ")"), lines.get(0));
        } else {
            assertEquals("cuda", b.name());
            assertTrue(lines.get(0).contains("cuda"), lines.get(0));
            ((CudaBackend) b).close();
        }
    }

    @Test void namedCudaFailsWithTheReason() {
        String reason = new CudaProvider().unavailableReason();
        if (reason == null) {
            try (CudaBackend b = (CudaBackend) Backends.select("cuda", 1, s -> {})) {
                System.out.println("[cuda] " + b.describe());
            }
            return;
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.select("cuda", 1, s -> {}));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        IllegalStateException direct = assertThrows(IllegalStateException.class, () -> CudaBackend.open(CudaBackend.Options.fromSystemProperties()));
        assertTrue(direct.getMessage().contains(reason), direct.getMessage());
    }

    /** A loader that records what it was asked for and loads only the names it is told to. */
    static final class FakeLoader implements LibraryDiscovery.Loader {
        final List<String> asked = new ArrayList<>();
        final List<String> loadable;

        FakeLoader(String... loadable) { this.loadable = List.of(loadable); }

        @Override public SymbolLookup load(String nameOrPath) {
            asked.add(nameOrPath);
            for (String s : loadable) if (nameOrPath.endsWith(s)) return name -> java.util.Optional.empty();
            throw new IllegalArgumentException("Cannot open library: " + nameOrPath);
        }
    }

    static Path touch(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        return Files.write(p, new byte[]{1});
    }

    @Test void toolkitFoldersFollowCudaHomeThenCudaPath(@TempDir Path tmp) throws IOException {
        touch(tmp.resolve("home/targets/x86_64-linux/lib/x"));
        touch(tmp.resolve("home/lib64/x"));
        touch(tmp.resolve("path/lib/x"));
        List<Path> f = LibraryDiscovery.toolkitFolders(Map.of("CUDA_HOME", tmp.resolve("home").toString(), "CUDA_PATH", tmp.resolve("path").toString()));
        if (!System.getProperty("os.arch").contains("aarch64"))
            assertEquals(tmp.resolve("home/targets/x86_64-linux/lib").toRealPath(), f.get(0));
        assertTrue(f.indexOf(tmp.resolve("home/lib64").toRealPath()) < f.indexOf(tmp.resolve("path/lib").toRealPath()), f.toString());
    }

    @Test void theDriverIsNeverTheToolkitStub(@TempDir Path tmp) throws IOException {
        Path stubs = tmp.resolve("lib64/stubs");
        touch(stubs.resolve("libcuda.so"));
        FakeLoader loader = new FakeLoader();
        LibraryDiscovery.Found f = LibraryDiscovery.driver(List.of(stubs, tmp.resolve("lib64")), loader);
        assertNull(f.lookup());
        assertEquals("libcuda.so.1 not found (no NVIDIA driver on this machine)", f.failure());
        assertTrue(loader.asked.stream().allMatch(s -> s.endsWith("libcuda.so.1")), "asked for " + loader.asked);
        // a driver file in a known folder is used when the loader's own search fails
        touch(tmp.resolve("drv/libcuda.so.1"));
        FakeLoader found = new FakeLoader(tmp.resolve("drv/libcuda.so.1").toString());
        assertNotNull(LibraryDiscovery.driver(List.of(stubs, tmp.resolve("drv")), found).lookup());
    }

    @Test void nvrtcLoadsItsBuiltinsFirstAndPrefersTheNewestMajor(@TempDir Path tmp) throws IOException {
        Path lib = tmp.resolve("targets/x86_64-linux/lib");
        touch(lib.resolve("libnvrtc.so.12"));
        touch(lib.resolve("libnvrtc.so.13"));
        touch(lib.resolve("libnvrtc-builtins.so.13.0"));
        FakeLoader loader = new FakeLoader("libnvrtc-builtins.so.13.0", "libnvrtc.so.13");
        LibraryDiscovery.Found f = LibraryDiscovery.versioned("libnvrtc", "libnvrtc-builtins", List.of(lib), loader);
        assertNotNull(f.lookup());
        assertEquals(lib.resolve("libnvrtc.so.13").toString(), f.where());
        assertEquals(List.of(lib.resolve("libnvrtc-builtins.so.13.0").toString(), lib.resolve("libnvrtc.so.13").toString()), loader.asked);
    }

    @Test void aMissingOrBrokenToolkitIsNamed(@TempDir Path tmp) throws IOException {
        LibraryDiscovery.Found none = LibraryDiscovery.versioned("libnvrtc", "libnvrtc-builtins", List.of(tmp), new FakeLoader());
        assertTrue(none.failure().startsWith("libnvrtc.so.13/.12 not found in [" + tmp + "]"), none.failure());
        assertTrue(none.failure().contains("set CUDA_HOME"), none.failure());
        // a file that is there but is no library (an executable): the real loader's dlopen fails, and the
        // reason says which file (an executable, not junk bytes: the JVM warns about stack guards for those)
        Path exe = Path.of("/bin/true");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(exe), "no /bin/true to stand in for a broken library");
        Files.copy(exe, tmp.resolve("libnvrtc.so.13"));
        LibraryDiscovery.Found broken = LibraryDiscovery.versioned("libnvrtc", "libnvrtc-builtins", List.of(tmp), LibraryDiscovery.Loader.SYSTEM);
        if (broken.lookup() == null)                    // (unless a real libnvrtc.so.13 is on the loader path)
            assertTrue(broken.failure().contains("cannot load " + tmp.resolve("libnvrtc.so.13")), broken.failure());
    }

    @Test void probeNamesADriverWithoutDevices() {
        CudaTargets.backend("emulator");               // skips with the reason where the emulator cannot be built
        CudaLibraries libs = CudaEmulator.get().libraries();
        try {
            CudaEmulator.set("emu_set_device_count", 0);
            assertEquals("no CUDA device (the driver sees none)", CudaProvider.check(libs, 0).reason());
            CudaEmulator.set("emu_set_device_count", 1);
            assertEquals("CUDA device 3 requested (dsb4j.cuda.device), 1 present", CudaProvider.check(libs, 3).reason());
            CudaEmulator.set("emu_set_init_error", 100);
            assertEquals("no CUDA device (cuInit: CUDA_ERROR_NO_DEVICE)", CudaProvider.check(libs, 0).reason());
            CudaEmulator.set("emu_set_init_error", 34);
            assertEquals("cuInit failed: CUDA_ERROR_STUB_LIBRARY (34)", CudaProvider.check(libs, 0).reason());
        } finally {
            CudaEmulator.set("emu_set_init_error", 0);
            CudaEmulator.set("emu_set_device_count", 1);
        }
        assertNull(CudaProvider.check(libs, 0).reason());
    }
}
