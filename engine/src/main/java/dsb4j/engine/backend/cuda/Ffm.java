package dsb4j.engine.backend.cuda;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The few FFM helpers the bindings share. Device pointers and {@code size_t} travel as {@code long}
 * (same registers as a pointer on x86-64 and aarch64), host pointers as {@link MemorySegment}.
 */
final class Ffm {
    private Ffm() {}

    static final Linker LINKER = Linker.nativeLinker();
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;
    static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

    /** {@code int f(args...)}: every CUDA, NVRTC and cuBLAS call returns a status code. */
    static FunctionDescriptor status(MemoryLayout... args) { return FunctionDescriptor.of(INT, args); }

    /** A downcall to {@code name}, or a {@link CudaException} naming the library that lacks it. */
    static MethodHandle bind(SymbolLookup lib, String library, String name, FunctionDescriptor fd) {
        MemorySegment sym = lib.find(name).orElseThrow(() -> new CudaException(name, "symbol not found in " + library));
        return LINKER.downcallHandle(sym, fd);
    }

    /** A downcall, or null when the library lacks the symbol (optional features). */
    static MethodHandle bindOptional(SymbolLookup lib, String name, FunctionDescriptor fd) {
        return lib.find(name).map(s -> LINKER.downcallHandle(s, fd)).orElse(null);
    }

    /** The NUL-terminated string at {@code p}, or null for NULL. */
    static String string(MemorySegment p) {
        return p == null || p.equals(MemorySegment.NULL) ? null : p.reinterpret(Integer.MAX_VALUE).getString(0);
    }

    /** Rethrows what a downcall threw: only errors and runtime exceptions can come out of one. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
