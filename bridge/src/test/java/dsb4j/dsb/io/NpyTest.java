package dsb4j.dsb.io;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.dsb.data.Points;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against .npy bytes built here by hand, following the format spec rather than the writer. */
class NpyTest {
    @TempDir Path tmp;

    /** magic, version, uint16 LE length, the dict, then the raw values. */
    private static byte[] npy(int major, String dict, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        byte[] h = dict.getBytes(StandardCharsets.US_ASCII);
        if (major == 1) out.writeBytes(new byte[]{(byte) h.length, (byte) (h.length >> 8)});
        else out.writeBytes(new byte[]{(byte) h.length, (byte) (h.length >> 8), 0, 0});
        out.writeBytes(h);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] f4(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    private static byte[] f8(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) b.putDouble(x);
        return b.array();
    }

    private Path file(String name, byte[] content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content);
        return p;
    }

    @Test void writesTheBytesNumpyWrites() throws IOException {
        // numpy.save of np.array([[1, 2, 3], [4, 5, 6]], dtype='<f4'): 10-byte prefix + 118-byte dict = 128
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        dict = dict + " ".repeat(118 - dict.length() - 1) + "\n";
        byte[] expected = npy(1, dict, f4(1, 2, 3, 4, 5, 6));
        Path p = tmp.resolve("a.npy");
        Npy.write(p, new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(expected, Files.readAllBytes(p));
        assertEquals(128 + 24, Files.size(p));
    }

    @Test void headerIsPaddedToSixtyFourBytesForAnyShape() throws IOException {
        int[][] shapes = {{}, {5}, {1, 1, 28, 28}, {123456789, 0}, {2, 1, 3, 1, 2, 1, 1, 1, 1, 2}};
        for (int[] shape : shapes) {
            long n = 1;
            for (int s : shape) n *= s;
            Path p = tmp.resolve("s" + shape.length + ".npy");
            Npy.write(p, new float[(int) n], shape);
            byte[] b = Files.readAllBytes(p);
            int headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
            assertEquals(0, (10 + headerLen) % 64, Arrays.toString(shape));
            assertEquals('\n', b[10 + headerLen - 1]);
            assertEquals(10 + headerLen + 4 * n, b.length);
            assertArrayEquals(shape, Npy.read(p).shape());
        }
        String dict = new String(Files.readAllBytes(tmp.resolve("s1.npy")), 10, 54, StandardCharsets.US_ASCII);
        assertTrue(dict.contains("'shape': (5,)"), dict);           // a 1-tuple keeps its comma
        dict = new String(Files.readAllBytes(tmp.resolve("s0.npy")), 10, 54, StandardCharsets.US_ASCII);
        assertTrue(dict.contains("'shape': ()"), dict);
    }

    @Test void readsHandBuiltFiles() throws IOException {
        // numpy's key order and spacing differ between versions; the reader must not care
        Npy.Array a = Npy.read(file("v1.npy", npy(1, "{'shape': (3,), 'fortran_order': False, 'descr': '<f4'}\n", f4(1.5f, -2, 3e-8f))));
        assertArrayEquals(new int[]{3}, a.shape());
        assertArrayEquals(new float[]{1.5f, -2, 3e-8f}, a.data());
        Npy.Array b = Npy.read(file("v2.npy", npy(2, "{\"descr\":\"<f8\",\"fortran_order\":False,\"shape\":(2,1)}\n", f8(0.1, 7))));
        assertArrayEquals(new int[]{2, 1}, b.shape());
        assertArrayEquals(new float[]{0.1f, 7f}, b.data());
        assertEquals(new Points(2, 1, new float[]{0.1f, 7f}), b.points());
        Npy.Array c = Npy.read(file("img.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1, 1, 2), }\n", f4(1, 2, 3, 4))));
        assertEquals(new Points(2, 2, new float[]{1, 2, 3, 4}), c.points());
    }

    @Test void roundTripsThroughPoints() throws IOException {
        Points p = new Points(4, 3, new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9, Float.NaN, Float.POSITIVE_INFINITY, -0f});
        Path f = tmp.resolve("sub/dir/p.npy");
        Npy.write(f, p);
        assertEquals(p, Npy.read(f).points());
        Npy.write(f, new float[]{1}, 1, 1);          // overwrite in place, atomically
        assertArrayEquals(new int[]{1, 1}, Npy.read(f).shape());
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test void clearErrors() throws IOException {
        String ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n";
        assertMessage(file("magic.npy", "PK\u0003\u0004 not numpy".getBytes(StandardCharsets.US_ASCII)), "bad magic");
        assertMessage(file("short.npy", npy(1, ok, f4(1))), "truncated .npy data", "needs 8 bytes", "has 4");
        assertMessage(file("long.npy", npy(1, ok, f4(1, 2, 3))), "4 bytes beyond");
        assertMessage(file("cut-header.npy", Arrays.copyOf(npy(1, ok, f4(1, 2)), 30)), "truncated .npy header");
        assertMessage(file("dtype.npy", npy(1, ok.replace("<f4", "<i8"), f4(1, 2, 3, 4))), "unsupported .npy dtype '<i8'");
        assertMessage(file("big-endian.npy", npy(1, ok.replace("<f4", ">f4"), f4(1, 2))), "'>f4'");
        assertMessage(file("fortran.npy", npy(1, ok.replace("False", "True"), f4(1, 2))), "Fortran-order");
        assertMessage(file("version.npy", npy(9, ok, f4(1, 2))), "version 9.0");
        assertMessage(file("noshape.npy", npy(1, "{'descr': '<f4', 'fortran_order': False}\n", f4())), "no 'shape'");
        var e = assertThrows(IOException.class, () -> Npy.read(tmp.resolve("absent.npy")));
        assertTrue(e.getMessage().contains("absent.npy"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Npy.write(tmp.resolve("x.npy"), new float[5], 2, 3));
    }

    private static void assertMessage(Path p, String... parts) {
        var e = assertThrows(IOException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().contains(p.getFileName().toString()), e.getMessage());
        for (String part : parts) assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
