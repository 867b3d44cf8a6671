package dsb4j.bridge.io;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.engine.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileIdentityTest {
    @TempDir Path tmp;

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test void aFileIsItsAbsolutePathSizeAndHash() throws Exception {
        byte[] content = new byte[3 << 20];                      // more than one read buffer
        new Random(1).nextBytes(content);
        Path f = Files.write(tmp.resolve("data.npy"), content);
        FileIdentity id = FileIdentity.of(f);
        assertEquals(f.toAbsolutePath().normalize().toString(), id.path());
        assertEquals(content.length, id.bytes());
        assertEquals(sha256(content), id.sha256());
        // the known digest of "abc", so the hex form is the standard one
        Path abc = Files.writeString(tmp.resolve("abc.csv"), "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", FileIdentity.of(abc).sha256());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", FileIdentity.of(Files.write(tmp.resolve("e"), new byte[0])).sha256());
    }

    @Test void thePathIsAbsoluteAndNormalised() throws IOException {
        Path f = Files.writeString(tmp.resolve("x.csv"), "x\n1\n");
        Path roundabout = tmp.resolve("sub/../x.csv");
        Files.createDirectory(tmp.resolve("sub"));
        assertEquals(f.toAbsolutePath().normalize().toString(), FileIdentity.of(roundabout).path());
        assertFalse(FileIdentity.of(roundabout).path().contains(".."));
    }

    @Test void aFolderHashesItsImageFilesByTheReadersRules() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("imgs"));
        byte[] a = PngFixture.encode(PngFixture.random(new Random(1), 3, 3, PngFixture.GREY, 8, new int[]{0}, false, false));
        byte[] b = PngFixture.encode(PngFixture.random(new Random(2), 3, 3, PngFixture.GREY, 8, new int[]{0}, false, false));
        Files.write(dir.resolve("b.png"), b);
        Files.write(dir.resolve("a.png"), a);
        Files.writeString(dir.resolve(".DS_Store"), "not hashed");
        Files.writeString(Files.createDirectory(dir.resolve("sub")).resolve("x.txt"), "not hashed");

        ByteArrayOutputStream expect = new ByteArrayOutputStream();
        for (var e : List.of(Map.entry("a.png", a), Map.entry("b.png", b))) {
            expect.writeBytes(e.getKey().getBytes(StandardCharsets.UTF_8));
            expect.write(0);
            long n = e.getValue().length;
            for (int k = 7; k >= 0; k--) expect.write((int) (n >>> (8 * k)));
            expect.writeBytes(java.security.MessageDigest.getInstance("SHA-256").digest(e.getValue()));
        }
        FileIdentity id = FileIdentity.of(dir);
        assertEquals(sha256(expect.toByteArray()), id.sha256());
        assertEquals(a.length + b.length, id.bytes());
        assertEquals(dir.toAbsolutePath().normalize().toString(), id.path());

        // ignored files do not change it; renaming an image does
        Files.writeString(dir.resolve(".DS_Store"), "changed");
        assertEquals(id, FileIdentity.of(dir));
        Files.move(dir.resolve("b.png"), dir.resolve("c.png"));
        assertNotEquals(id.sha256(), FileIdentity.of(dir).sha256());
        // a folder the reader refuses is refused here too, naming the file
        Files.writeString(dir.resolve("notes.txt"), "x");
        var e = assertThrows(IOException.class, () -> FileIdentity.of(dir));
        assertTrue(e.getMessage().startsWith(dir.resolve("notes.txt") + ": not a PNG or JPEG image"), e.getMessage());
    }

    @Test void roundTripsThroughAMapAndJson() throws IOException {
        FileIdentity id = FileIdentity.of(Files.writeString(tmp.resolve("x.csv"), "x\n1\n"));
        Map<String, Object> m = id.toMap();
        assertEquals(List.of("path", "bytes", "sha256"), List.copyOf(m.keySet()));
        assertEquals(id, FileIdentity.fromMap(m));
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = (Map<String, Object>) Json.parse(Json.write(m));
        assertEquals(id, FileIdentity.fromMap(parsed));
        assertEquals(id, FileIdentity.fromMap(Map.of("path", id.path(), "bytes", (double) id.bytes(), "sha256", id.sha256())));
        assertThrows(IllegalArgumentException.class, () -> FileIdentity.fromMap(Map.of("path", "p", "sha256", "s")));
    }

    @Test void aMissingFileIsNamed() {
        Path absent = tmp.resolve("absent.csv");
        var e = assertThrows(IOException.class, () -> FileIdentity.of(absent));
        assertTrue(e.getMessage().startsWith(absent + ": no such file or folder"), e.getMessage());
    }
}
