package dsb4j.engine.backend.cuda;

import java.lang.foreign.SymbolLookup;

/**
 * The loaded CUDA libraries a backend binds to: the driver, NVRTC and (optionally, null when absent) cuBLAS.
 * Found once per process by {@link LibraryDiscovery}; tests may point all three at a host-side stand-in.
 *
 * @param description where each came from, for the one-line device report
 */
record CudaLibraries(SymbolLookup driver, SymbolLookup nvrtc, SymbolLookup cublas, String description) {}
