package dsb4j.bridge.io;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.Points;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
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
        assertMessage(file("dtype.npy", npy(1, ok.replace("<f4", "<i8"), f4(1, 2, 3, 4))), "unsupported .npy dtype '<i8'", "'|u1' uint8");
        assertMessage(file("big-endian.npy", npy(1, ok.replace("<f4", ">f4"), f4(1, 2))), "'>f4'");
        assertMessage(file("fortran.npy", npy(1, ok.replace("False", "True"), f4(1, 2))), "Fortran-order");
        assertMessage(file("version.npy", npy(9, ok, f4(1, 2))), "version 9.0");
        assertMessage(file("noshape.npy", npy(1, "{'descr': '<f4', 'fortran_order': False}\n", f4())), "no 'shape'");
        var e = assertThrows(IOException.class, () -> Npy.read(tmp.resolve("absent.npy")));
        assertTrue(e.getMessage().contains("absent.npy"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Npy.write(tmp.resolve("x.npy"), new float[5], 2, 3));
    }

    @Test void readsUint8AndSaysWhichDtypeTheFileHad() throws IOException {
        byte[] pixels = {0, 1, 127, (byte) 128, (byte) 200, (byte) 255};
        for (String descr : new String[]{"|u1", "<u1"}) {
            Npy.Array a = Npy.read(file("u8.npy", npy(1, "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2, 3), }\n", pixels)));
            assertArrayEquals(new int[]{2, 3}, a.shape());
            assertArrayEquals(new float[]{0, 1, 127, 128, 200, 255}, a.data(), descr);
            assertEquals(Npy.Dtype.UINT8, a.dtype());
        }
        assertEquals(Npy.Dtype.FLOAT32, Npy.read(file("f4.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n", f4(2)))).dtype());
        assertEquals(Npy.Dtype.FLOAT64, Npy.read(file("f8.npy", npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }\n", f8(2)))).dtype());
        assertEquals(Npy.Dtype.FLOAT32, new Npy.Array(new int[]{1}, new float[]{3}).dtype(), "the 2-argument constructor means float32");
        Path w = tmp.resolve("w.npy");
        Npy.write(w, new float[]{1, 2}, 2);
        assertEquals(Npy.Dtype.FLOAT32, Npy.read(w).dtype());
    }

    @Test void readsManyValuesAcrossChunkBoundaries() throws IOException {
        // more than one 1 MB read step for each dtype, with values that tell positions apart
        int n = 300_001;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = i * 0.5 - 7;
        Npy.Array a = Npy.read(file("big8.npy", npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (" + n + ",), }\n", f8(v))));
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) v[i];
        assertArrayEquals(f, a.data());
        Npy.Array b = Npy.read(file("big4.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ",), }\n", f4(f))));
        assertArrayEquals(f, b.data());
        byte[] u = new byte[3 * n];
        for (int i = 0; i < u.length; i++) u[i] = (byte) (i * 7);
        Npy.Array c = Npy.read(file("bigu.npy", npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (" + n + ", 3), }\n", u)));
        for (int i = 0; i < u.length; i++) assertEquals(u[i] & 0xFF, c.data()[i], "value " + i);
    }

    @Test void refusesShapesWhoseCountOverflows() throws IOException {
        // 65536^4 = 2^64 wraps to 0 in a 64-bit product: it must be refused, not read as an empty array
        assertMessage(file("wrap.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536, 65536, 65536), }\n", f4())),
                "shape (65536, 65536, 65536, 65536) is too large");
        assertMessage(file("dim.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3000000000,), }\n", f4())), "is too large");
        assertMessage(file("digits.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999999,), }\n", f4())), "is too large");
        // fits a long but not one Java array
        assertMessage(file("many.npy", npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (100000, 100000), }\n", new byte[0])),
                "10,000,000,000 values", "more than");
        assertMessage(file("neg.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 2), }\n", f4())), "negative size");
        assertMessage(file("junk.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }\n", f4())), "bad .npy shape");
    }

    @Test void checksTheFileSizeBeforeAllocating() throws IOException {
        // a header promising 2 billion values over a 4-byte body: refused from the sizes alone, with no 8 GB allocation
        assertMessage(file("promise.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 2), }\n", f4(1))),
                "truncated .npy data", "needs 8000000000 bytes", "has 4");
    }

    @Test void refusesArraysTheHeapCannotHold() throws IOException {
        // a sparse file of 2.1 billion uint8 values: 8.4 GB as floats, more than this test JVM's heap allows
        long count = 2_100_000_000L;
        Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() * 0.75 < count * 4, "the heap is large enough to hold it");
        Path p = file("huge.npy", npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (" + count + ",), }\n", new byte[0]));
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(f.length() + count);
        }
        var e = assertThrows(IOException.class, () -> Npy.read(p));
        String m = e.getMessage();
        assertTrue(m.startsWith(p.toString() + ": needs 8.4 GB of heap for 2,100,000,000 values"), m);
        assertTrue(m.contains("free; give Java more memory with DSB_JAVA_OPTS=-Xmx"), m);
        assertFalse(m.contains("\n"), m);
    }

    @Test void namesTheFileForFoldersAndEmptyFiles() throws IOException {
        assertMessage(file("empty.npy", new byte[0]), "bad magic");
        Path dir = Files.createDirectory(tmp.resolve("dir.npy"));
        var e = assertThrows(IOException.class, () -> Npy.read(dir));
        assertTrue(e.getMessage().startsWith(dir + ": is a folder"), e.getMessage());
    }

    private static void assertMessage(Path p, String... parts) {
        var e = assertThrows(IOException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        for (String part : parts) assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
