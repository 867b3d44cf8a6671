package dsb4j.engine.backend.cuda;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.BackendProvider;

/**
 * Registers the CUDA backend with {@link dsb4j.engine.backend.Backends} (through
 * {@code META-INF/services/dsb4j.engine.backend.BackendProvider}). Whether it is usable is probed once per
 * process and never throws: load the libraries, {@code cuInit}, count devices. Where that fails the reason is
 * one line ("libcuda.so.1 not found ...", "no CUDA device ..."): {@code --device auto} then falls back to
 * the CPU and says why, {@code --device cuda} fails with it.
 */
public final class CudaProvider implements BackendProvider {

    /** The libraries when usable, else the reason (exactly one of them is null). */
    record Probe(CudaLibraries libraries, String reason) {}

    private static volatile Probe probe;

    static Probe probe() {
        Probe p = probe;
        if (p == null) {
            synchronized (CudaProvider.class) {
                if (probe == null) probe = run();
                p = probe;
            }
        }
        return p;
    }

    /** Needs no GPU and touches nothing beyond dlopen attempts until a driver library has loaded. */
    static Probe run() {
        try {
            LibraryDiscovery.Result found = LibraryDiscovery.find();
            if (found.reason() != null) return new Probe(null, found.reason());
            return check(found.libraries(), Integer.getInteger("dsb4j.cuda.device", 0));
        } catch (RuntimeException | LinkageError e) {
            return new Probe(null, oneLine("probing CUDA failed: " + e));
        }
    }

    /** Initialises the driver through {@code libs} and checks that device {@code ordinal} exists. */
    static Probe check(CudaLibraries libs, int ordinal) {
        try {
            Driver d = new Driver(libs.driver());
            d.init();
            int count = d.deviceCount();
            if (count == 0) return new Probe(null, "no CUDA device (the driver sees none)");
            if (ordinal < 0 || ordinal >= count)
                return new Probe(null, "CUDA device " + ordinal + " requested (dsb4j.cuda.device), " + count + " present");
            new Nvrtc(libs.nvrtc());                           // every symbol the backend binds must be there (cuBLAS may fail: plain GEMM)
            return new Probe(libs, null);
        } catch (CudaException e) {
            if (e.code() == Driver.CUDA_ERROR_NO_DEVICE) return new Probe(null, "no CUDA device (cuInit: CUDA_ERROR_NO_DEVICE)");
            return new Probe(null, oneLine(e.getMessage()));
        }
    }

    private static String oneLine(String s) {
        String line = s == null ? "unknown error" : s.strip();
        int nl = line.indexOf('\n');
        return nl < 0 ? line : line.substring(0, nl);
    }

    @Override public String name() { return "cuda"; }

    @Override public String unavailableReason() { return probe().reason(); }

    /** A backend on the device of {@code -Ddsb4j.cuda.device} (default 0); {@code threads} is for host backends. */
    @Override public Backend create(int threads) { return CudaBackend.open(CudaBackend.Options.fromSystemProperties()); }
}
