package dsb4j.engine.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * How a process decides its job without mpirun: no launcher, one rank, a missing library, another MPI's ABI, an
 * old Open MPI. Libraries are stand-ins whose MPI_Get_library_version is a Java upcall, so every branch runs on any
 * machine; the real libmpi, where installed, must pass the checks.
 */
class MpiDiscoveryTest {

    private static final AtomicInteger opened = new AtomicInteger();
    private static final MpiLibrary.Opener NEVER = name -> { opened.incrementAndGet(); throw new IllegalArgumentException(name + ": cannot open"); };

    @Test void withoutALauncherTheJobIsOneProcessAndNoLibraryIsOpened() {
        opened.set(0);
        assertSame(SingleProcess.INSTANCE, Collectives.open(Map.of("PATH", "/usr/bin"), NEVER));
        assertSame(SingleProcess.INSTANCE, Collectives.open(Map.of("OMPI_COMM_WORLD_SIZE", "1", "OMPI_COMM_WORLD_RANK", "0"), NEVER));
        assertEquals(0, opened.get(), "MPI must not be loaded for a job of one");
    }

    @Test void theLauncherSaysRankAndSize() {
        assertEquals(new Collectives.Launch(true, 3, 4), Collectives.launch(Map.of("OMPI_COMM_WORLD_SIZE", "4", "OMPI_COMM_WORLD_RANK", "3")));
        assertEquals(new Collectives.Launch(true, 1, 2), Collectives.launch(Map.of("PMI_SIZE", "2", "PMI_RANK", "1")));
        assertEquals(new Collectives.Launch(true, 5, -1), Collectives.launch(Map.of("PMIX_RANK", "5")));
        assertEquals(new Collectives.Launch(false, 0, -1), Collectives.launch(Map.of()));
    }

    @Test void aMissingLibraryIsOneLineSayingWhatToInstall() {
        var e = assertThrows(IllegalStateException.class, () -> Collectives.open(Map.of("OMPI_COMM_WORLD_SIZE", "2", "PATH", ""), NEVER));
        oneLine(e.getMessage());
        assertTrue(e.getMessage().startsWith("started by mpirun as one of 2 ranks, but no Open MPI library (libmpi.so.40)"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install openmpi-bin") && e.getMessage().contains("DSB_MPI_LIBRARY"), e.getMessage());
    }

    @Test void anExplicitLibraryIsTheOnlyCandidateAndItsFailureIsNamed() {
        Map<String, String> env = Map.of("OMPI_COMM_WORLD_SIZE", "2", "DSB_MPI_LIBRARY", "/nowhere/libmpi.so");
        assertEquals(List.of("/nowhere/libmpi.so"), MpiLibrary.candidates(env));
        var e = assertThrows(IllegalStateException.class, () -> Collectives.open(env, MpiLibrary.Opener.SYSTEM));
        oneLine(e.getMessage());
        assertTrue(e.getMessage().contains("DSB_MPI_LIBRARY=/nowhere/libmpi.so cannot be loaded (/nowhere/libmpi.so"), e.getMessage());
    }

    @Test void anotherAbiOrAnOldVersionOrNoMpiAtAllIsRefusedInOneLine() {
        var mpich = assertThrows(IllegalStateException.class, () -> MpiLibrary.checked(fake("MPICH Version:\t4.0\nMPICH Release date: 2022", false), "libmpi.so.12"));
        oneLine(mpich.getMessage());
        assertTrue(mpich.getMessage().contains("libmpi.so.12 is MPICH Version:") && mpich.getMessage().contains("not Open MPI"), mpich.getMessage());
        var old = assertThrows(IllegalStateException.class, () -> MpiLibrary.checked(fake("Open MPI v4.0.3, package: Debian", true), "libmpi.so.40"));
        assertEquals("libmpi.so.40 is Open MPI v4.0.3; dsb needs Open MPI 4.1 or newer", old.getMessage());
        var none = assertThrows(IllegalStateException.class, () -> MpiLibrary.checked(name -> Optional.empty(), "libz.so.1"));
        assertEquals("libz.so.1 is not an MPI library (no MPI_Init_thread)", none.getMessage());
    }

    @Test void theInstalledOpenMpiPassesTheChecks() throws Exception {
        Path found = MpiLibrary.candidates(System.getenv()).stream().map(Path::of).filter(Files::isRegularFile).findFirst()
                .orElse(Path.of("/usr/lib/x86_64-linux-gnu/libmpi.so.40"));
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(found), "no Open MPI installed: its version is not checked");
        MpiLibrary lib = MpiLibrary.checked(MpiLibrary.Opener.SYSTEM.open(found.toString()), found.toString());
        System.out.println("[mpi] " + lib.version + " at " + found);
        assertTrue(lib.version.startsWith("Open MPI v"), lib.version);
    }

    @Test void pathCandidatesIncludeTheLibraryBesideMpirun(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("ompi/bin")), lib = Files.createDirectories(tmp.resolve("ompi/lib"));
        Path mpirun = Files.createFile(bin.resolve("mpirun"));
        mpirun.toFile().setExecutable(true);
        Files.createFile(lib.resolve("libmpi.so.40"));
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/nonexistent:" + bin));
        assertEquals(List.of("libmpi.so.40", lib.resolve("libmpi.so.40").toRealPath().toString()),
                MpiLibrary.candidates(env).stream().filter(c -> !c.startsWith("/usr/")).toList());
    }

    // ---- a stand-in library: MPI_Init_thread present, MPI_Get_library_version an upcall writing a given string ----

    private static String version;

    @SuppressWarnings("unused")
    private static int libraryVersion(MemorySegment buf, MemorySegment len) {
        MemorySegment out = buf.reinterpret(8192);
        out.setString(0, version);
        len.reinterpret(4).set(ValueLayout.JAVA_INT, 0, version.length());
        return 0;
    }

    private static MpiLibrary.Opened fake(String v, boolean openMpiSymbols) {
        version = v;
        try {
            var h = MethodHandles.lookup().findStatic(MpiDiscoveryTest.class, "libraryVersion",
                    MethodType.methodType(int.class, MemorySegment.class, MemorySegment.class));
            MemorySegment stub = Linker.nativeLinker().upcallStub(h, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS), Arena.global());
            MemorySegment dummy = Arena.global().allocate(64);
            return name -> switch (name) {
                case "MPI_Get_library_version" -> Optional.of(stub);
                case "MPI_Init_thread" -> Optional.of(dummy);
                case "ompi_mpi_comm_world" -> openMpiSymbols ? Optional.of(dummy) : Optional.empty();
                default -> Optional.empty();
            };
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static void oneLine(String message) {
        assertFalse(message.contains("\n"), "one line: " + message);
    }
}
