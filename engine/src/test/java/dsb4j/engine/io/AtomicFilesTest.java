package dsb4j.engine.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir Path dir;

    @Test void writesCreatesFoldersAndReplaces() throws IOException {
        Path f = dir.resolve("a/b/c.bin");
        AtomicFiles.write(f, new byte[]{1, 2, 3});
        assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(f));
        AtomicFiles.write(f, out -> out.write(new byte[]{9}));
        assertArrayEquals(new byte[]{9}, Files.readAllBytes(f));
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "only the target is left");
        }
    }

    @Test void anyFailureLeavesTheOldFileAndNoTemporary() throws IOException {
        Path f = dir.resolve("keep.bin");
        AtomicFiles.write(f, new byte[]{7, 7});
        assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[1 << 20]);                   // past the buffer: bytes reach the temporary file
            throw new IOException("simulated failure");
        }));
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(f, out -> {
            throw new UncheckedIOException(new IOException("unchecked"));
        }));
        assertArrayEquals(new byte[]{7, 7}, Files.readAllBytes(f));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
