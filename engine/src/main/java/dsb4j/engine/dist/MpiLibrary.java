package dsb4j.engine.dist;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds Open MPI's {@code libmpi}, opens it with global symbols and binds the dozen functions a {@link MpiCollective}
 * calls. Open MPI loads its components (the transports) with dlopen, and they resolve {@code libmpi}'s symbols
 * through the global namespace: the JDK's {@code SymbolLookup.libraryLookup} opens a library locally, so the
 * library is opened here with libc's {@code dlopen(RTLD_NOW | RTLD_GLOBAL)} through FFM (as Open MPI's own Java
 * binding does) and its symbols are looked up with {@code dlsym}.
 * <p>
 * The ABI is Open MPI's (3.0 to 5.x ship {@code libmpi.so.40}): handles are addresses of global objects
 * ({@code MPI_COMM_WORLD} = {@code &ompi_mpi_comm_world}, {@code MPI_FLOAT} = {@code &ompi_mpi_float},
 * {@code MPI_SUM} = {@code &ompi_mpi_op_sum}) and {@code MPI_IN_PLACE} is {@code (void*) 1}. MPICH and its
 * derivatives (Intel MPI, MVAPICH, Cray MPICH) use int handles and are refused with a line saying so. Open MPI 4.1
 * or newer is required (the oldest this was tested with).
 * <p>
 * Search order: {@code DSB_MPI_LIBRARY} (a path or soname; then only it), {@code libmpi.so.40} through the
 * loader's search, then {@code $OPAL_PREFIX/lib}, the {@code lib} folder beside the {@code mpirun} on {@code PATH},
 * and the distributions' private folders ({@code /usr/lib64/openmpi/lib} on Fedora and RHEL).
 */
final class MpiLibrary {
    static final String SONAME = "libmpi.so.40";
    static final int MIN_MAJOR = 4, MIN_MINOR = 1;
    /** mpi.h: MPI_THREAD_SERIALIZED (any thread may call, one at a time: the trainer's thread and shutdown hooks). */
    static final int THREAD_SERIALIZED = 2;
    private static final int RTLD_NOW = 2, RTLD_GLOBAL = 0x100;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout PTR = ValueLayout.ADDRESS;

    /** A library opened with global symbols. */
    interface Opened {
        /** The symbol's address, if the library (or what it loaded) defines it. */
        Optional<MemorySegment> find(String symbol);
    }

    /** Opens a library by path or soname; throws IllegalArgumentException with the loader's message when it cannot. */
    interface Opener {
        Opened open(String nameOrPath);

        Opener SYSTEM = MpiLibrary::dlopenGlobal;
    }

    final String where, version;
    private final MethodHandle initThread, finalizeH, finalizedH, commRank, commSize, iallreduceFloat, iallreduceDouble,
            ibcastBytes, ibarrier, test, abortH;

    private MpiLibrary(Opened lib, String where, String version) {
        this.where = where;
        this.version = version;
        MemorySegment comm = symbol(lib, "ompi_mpi_comm_world"), sum = symbol(lib, "ompi_mpi_op_sum");
        MemorySegment inPlace = MemorySegment.ofAddress(1);
        initThread = bind(lib, "MPI_Init_thread", FunctionDescriptor.of(INT, PTR, PTR, INT, PTR));
        finalizeH = bind(lib, "MPI_Finalize", FunctionDescriptor.of(INT));
        finalizedH = bind(lib, "MPI_Finalized", FunctionDescriptor.of(INT, PTR));
        commRank = MethodHandles.insertArguments(bind(lib, "MPI_Comm_rank", FunctionDescriptor.of(INT, PTR, PTR)), 0, comm);
        commSize = MethodHandles.insertArguments(bind(lib, "MPI_Comm_size", FunctionDescriptor.of(INT, PTR, PTR)), 0, comm);
        // MPI_Iallreduce(sendbuf, recvbuf, count, datatype, op, comm, request): in place, summed, over the world
        MethodHandle iallreduce = bind(lib, "MPI_Iallreduce", FunctionDescriptor.of(INT, PTR, PTR, INT, PTR, PTR, PTR, PTR));
        iallreduceFloat = MethodHandles.insertArguments(MethodHandles.insertArguments(iallreduce, 3, symbol(lib, "ompi_mpi_float"), sum, comm), 0, inPlace);
        iallreduceDouble = MethodHandles.insertArguments(MethodHandles.insertArguments(iallreduce, 3, symbol(lib, "ompi_mpi_double"), sum, comm), 0, inPlace);
        // MPI_Ibcast(buffer, count, datatype, root, comm, request)
        ibcastBytes = MethodHandles.insertArguments(MethodHandles.insertArguments(
                bind(lib, "MPI_Ibcast", FunctionDescriptor.of(INT, PTR, INT, PTR, INT, PTR, PTR)), 4, comm), 2, symbol(lib, "ompi_mpi_byte"));
        ibarrier = MethodHandles.insertArguments(bind(lib, "MPI_Ibarrier", FunctionDescriptor.of(INT, PTR, PTR)), 0, comm);
        test = bind(lib, "MPI_Test", FunctionDescriptor.of(INT, PTR, PTR, PTR));
        abortH = MethodHandles.insertArguments(bind(lib, "MPI_Abort", FunctionDescriptor.of(INT, PTR, INT)), 0, comm);
    }

    /** The library for this process, or an IllegalStateException saying in one line what is missing or wrong. */
    static MpiLibrary find(Map<String, String> env, Opener opener) {
        List<String> failures = new ArrayList<>();
        for (String candidate : candidates(env)) {
            Opened lib;
            try {
                lib = opener.open(candidate);
            } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
                if (candidate.contains("/") || env.containsKey("DSB_MPI_LIBRARY")) failures.add(e.getMessage());
                continue;
            }
            return checked(lib, candidate);
        }
        String explicit = env.get("DSB_MPI_LIBRARY");
        throw new IllegalStateException(explicit != null && !explicit.isBlank()
                ? "DSB_MPI_LIBRARY=" + explicit + " cannot be loaded (" + String.join("; ", failures) + ")"
                : "no Open MPI library (" + SONAME + ") on the loader path nor beside mpirun" + (failures.isEmpty() ? "" : " (" + String.join("; ", failures) + ")")
                + "; install Open MPI " + MIN_MAJOR + "." + MIN_MINOR + " or newer (Debian, Ubuntu: apt-get install openmpi-bin) or set DSB_MPI_LIBRARY to its libmpi.so");
    }

    /** The library after checking that it is Open MPI of a version this binding supports. */
    static MpiLibrary checked(Opened lib, String where) {
        if (lib.find("MPI_Init_thread").isEmpty())
            throw new IllegalStateException(where + " is not an MPI library (no MPI_Init_thread)");
        String version = libraryVersion(lib);
        if (lib.find("ompi_mpi_comm_world").isEmpty())
            throw new IllegalStateException(where + " is " + firstLine(version) + ", not Open MPI: dsb binds Open MPI's ABI only "
                    + "(MPICH, Intel MPI and MVAPICH use another); run with Open MPI " + MIN_MAJOR + "." + MIN_MINOR + " or newer");
        Matcher m = Pattern.compile("Open MPI v(\\d+)\\.(\\d+)(\\.\\d+)?").matcher(version);
        if (!m.find()) throw new IllegalStateException(where + ": cannot read Open MPI's version from '" + firstLine(version) + "'");
        int major = Integer.parseInt(m.group(1)), minor = Integer.parseInt(m.group(2));
        if (major < MIN_MAJOR || (major == MIN_MAJOR && minor < MIN_MINOR))
            throw new IllegalStateException(where + " is " + m.group() + "; dsb needs Open MPI " + MIN_MAJOR + "." + MIN_MINOR + " or newer");
        return new MpiLibrary(lib, where, m.group());
    }

    /** Where to look, in order, without duplicates. */
    static List<String> candidates(Map<String, String> env) {
        String explicit = env.get("DSB_MPI_LIBRARY");
        if (explicit != null && !explicit.isBlank()) return List.of(explicit);
        Set<String> out = new LinkedHashSet<>();
        out.add(SONAME);
        List<Path> dirs = new ArrayList<>();
        String prefix = env.get("OPAL_PREFIX");
        if (prefix != null && !prefix.isBlank()) dirs.add(Path.of(prefix, "lib"));
        String path = env.getOrDefault("PATH", "");
        for (String d : path.split(":")) {
            if (d.isEmpty()) continue;
            Path mpirun = Path.of(d, "mpirun");
            if (Files.isExecutable(mpirun)) {
                Path real = mpirun;
                try { real = mpirun.toRealPath(); } catch (java.io.IOException ignored) { /* keep the link */ }
                dirs.add(real.getParent().resolveSibling("lib"));
                break;
            }
        }
        dirs.add(Path.of("/usr/lib64/openmpi/lib"));
        dirs.add(Path.of("/usr/lib/x86_64-linux-gnu/openmpi/lib"));
        dirs.add(Path.of("/usr/lib/aarch64-linux-gnu/openmpi/lib"));
        for (Path d : dirs) if (Files.isRegularFile(d.resolve(SONAME))) out.add(d.resolve(SONAME).toString());
        return new ArrayList<>(out);
    }

    /** MPI_Get_library_version (callable before MPI_Init), e.g. "Open MPI v4.1.4, package: Debian OpenMPI, …". */
    private static String libraryVersion(Opened lib) {
        MethodHandle h = bind(lib, "MPI_Get_library_version", FunctionDescriptor.of(INT, PTR, PTR));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(8192), len = a.allocate(INT);     // MPICH's maximum; Open MPI's is 256
            int rc = (int) h.invokeExact(buf, len);
            return rc == 0 ? buf.getString(0) : "an MPI library whose version cannot be read (error " + rc + ")";
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- the calls MpiCollective makes (each returns MPI's error code; 0 is success) ----

    int initThread(int required, MemorySegment provided) {
        try { return (int) initThread.invokeExact(MemorySegment.NULL, MemorySegment.NULL, required, provided); } catch (Throwable t) { throw rethrow(t); }
    }

    int finalizeMpi() {
        try { return (int) finalizeH.invokeExact(); } catch (Throwable t) { throw rethrow(t); }
    }

    int finalized(MemorySegment flag) {
        try { return (int) finalizedH.invokeExact(flag); } catch (Throwable t) { throw rethrow(t); }
    }

    int commRank(MemorySegment out) {
        try { return (int) commRank.invokeExact(out); } catch (Throwable t) { throw rethrow(t); }
    }

    int commSize(MemorySegment out) {
        try { return (int) commSize.invokeExact(out); } catch (Throwable t) { throw rethrow(t); }
    }

    int iallreduceFloat(MemorySegment buf, int count, MemorySegment request) {
        try { return (int) iallreduceFloat.invokeExact(buf, count, request); } catch (Throwable t) { throw rethrow(t); }
    }

    int iallreduceDouble(MemorySegment buf, int count, MemorySegment request) {
        try { return (int) iallreduceDouble.invokeExact(buf, count, request); } catch (Throwable t) { throw rethrow(t); }
    }

    int ibcastBytes(MemorySegment buf, int count, int root, MemorySegment request) {
        try { return (int) ibcastBytes.invokeExact(buf, count, root, request); } catch (Throwable t) { throw rethrow(t); }
    }

    int ibarrier(MemorySegment request) {
        try { return (int) ibarrier.invokeExact(request); } catch (Throwable t) { throw rethrow(t); }
    }

    int test(MemorySegment request, MemorySegment flag, MemorySegment status) {
        try { return (int) test.invokeExact(request, flag, status); } catch (Throwable t) { throw rethrow(t); }
    }

    int abort(int code) {
        try { return (int) abortH.invokeExact(code); } catch (Throwable t) { throw rethrow(t); }
    }

    // ---- loading ----

    private static Opened dlopenGlobal(String nameOrPath) {
        var libc = LINKER.defaultLookup();
        MethodHandle dlopen = LINKER.downcallHandle(libc.find("dlopen").orElseThrow(), FunctionDescriptor.of(PTR, PTR, INT));
        MethodHandle dlsym = LINKER.downcallHandle(libc.find("dlsym").orElseThrow(), FunctionDescriptor.of(PTR, PTR, PTR));
        MethodHandle dlerror = LINKER.downcallHandle(libc.find("dlerror").orElseThrow(), FunctionDescriptor.of(PTR));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment handle = (MemorySegment) dlopen.invokeExact(a.allocateFrom(nameOrPath), RTLD_NOW | RTLD_GLOBAL);
            if (handle.equals(MemorySegment.NULL)) {
                MemorySegment err = (MemorySegment) dlerror.invokeExact();
                throw new IllegalArgumentException(err.equals(MemorySegment.NULL) ? "cannot load " + nameOrPath
                        : err.reinterpret(Integer.MAX_VALUE).getString(0));
            }
            return symbol -> {
                try (Arena s = Arena.ofConfined()) {
                    MemorySegment p = (MemorySegment) dlsym.invokeExact(handle, s.allocateFrom(symbol));
                    return p.equals(MemorySegment.NULL) ? Optional.empty() : Optional.of(p);
                } catch (Throwable t) {
                    throw rethrow(t);
                }
            };
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MemorySegment symbol(Opened lib, String name) {
        return lib.find(name).orElseThrow(() -> new IllegalStateException("Open MPI library without " + name));
    }

    private static MethodHandle bind(Opened lib, String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(symbol(lib, name), fd);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }
}
