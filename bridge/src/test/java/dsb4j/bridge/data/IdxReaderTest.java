package dsb4j.bridge.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir Path tmp;

    // 3 images of 2 × 2 pixels, written byte by byte: magic 00 00 08 03, then 3, 2, 2 as big-endian int32.
    private static final byte[] IMAGES = bytes(
            0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2,
            0, 255, 128, 127,
            10, 20, 30, 40,
            255, 255, 0, 0);
    private static final byte[] LABELS = bytes(0, 0, 8, 1, 0, 0, 0, 3, 7, 0, 9);

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    private Path file(String name, byte[] content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) { z.write(b); }
        return out.toByteArray();
    }

    @Test void readsImagesScaledToMinusOneOne() throws IOException {
        Points p = IdxReader.images(file("img-idx3-ubyte", IMAGES));
        assertEquals(3, p.n());
        assertEquals(4, p.d());
        assertEquals(-1f, p.get(0, 0));
        assertEquals(1f, p.get(0, 1));
        assertEquals(128 / 127.5f - 1, p.get(0, 2), 1e-7);
        assertEquals(20 / 127.5f - 1, p.get(1, 1), 1e-7);
        assertArrayEquals(new int[]{7, 0, 9}, IdxReader.labels(file("lab-idx1-ubyte", LABELS)));
        IdxReader.Header h = IdxReader.header(tmp.resolve("img-idx3-ubyte"));
        assertEquals(2051, h.magic());
        assertArrayEquals(new int[]{3, 2, 2}, h.dims());
    }

    @Test void gzipIsDetectedByItsMagic() throws IOException {
        Path img = file("img.gz", gzip(IMAGES)), lab = file("lab.whatever", gzip(LABELS));
        IdxReader.Labelled l = IdxReader.read(img, lab);
        assertEquals(IdxReader.images(file("img-plain", IMAGES)), l.images());
        assertArrayEquals(new int[]{7, 0, 9}, l.labels());
        assertEquals(2, l.rows());
        assertEquals(2, l.cols());
    }

    @Test void badMagicNamesFileAndNumbers() throws IOException {
        Path p = file("labels-as-images", LABELS);
        var e = assertThrows(IOException.class, () -> IdxReader.images(p));
        assertTrue(e.getMessage().contains("labels-as-images") && e.getMessage().contains("bad IDX magic 2049")
                && e.getMessage().contains("2051"), e.getMessage());
        byte[] junk = IMAGES.clone();
        junk[0] = 0x50;
        e = assertThrows(IOException.class, () -> IdxReader.images(file("junk", junk)));
        assertTrue(e.getMessage().contains("bad IDX magic"), e.getMessage());
        byte[] ints = IMAGES.clone();
        ints[2] = 0x0C;                           // int32 elements: not supported
        e = assertThrows(IOException.class, () -> IdxReader.images(file("ints", ints)));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        e = assertThrows(IOException.class, () -> IdxReader.header(file("picture.png", bytes(0x89, 'P', 'N', 'G', 13, 10, 26, 10))));
        assertTrue(e.getMessage().contains("picture.png") && e.getMessage().contains("not an IDX file"), e.getMessage());
    }

    @Test void truncatedFilesSayWhatIsMissing() throws IOException {
        var e = assertThrows(IOException.class, () -> IdxReader.images(file("short-data", Arrays.copyOf(IMAGES, IMAGES.length - 3))));
        assertTrue(e.getMessage().contains("short-data") && e.getMessage().contains("truncated IDX data")
                && e.getMessage().contains("need 12") && e.getMessage().contains("has 9"), e.getMessage());
        e = assertThrows(IOException.class, () -> IdxReader.images(file("short-header", Arrays.copyOf(IMAGES, 10))));
        assertTrue(e.getMessage().contains("truncated IDX header"), e.getMessage());
        e = assertThrows(IOException.class, () -> IdxReader.images(file("tiny", bytes(0, 0))));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        e = assertThrows(IOException.class, () -> IdxReader.labels(file("empty", new byte[0])));
        assertTrue(e.getMessage().contains("empty") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test void extraBytesMeanWrongDims() throws IOException {
        byte[] longer = Arrays.copyOf(IMAGES, IMAGES.length + 4);
        var e = assertThrows(IOException.class, () -> IdxReader.images(file("long", longer)));
        assertTrue(e.getMessage().contains("4 bytes beyond"), e.getMessage());
        byte[] zeroRows = IMAGES.clone();
        zeroRows[11] = 0;                          // rows = 0
        e = assertThrows(IOException.class, () -> IdxReader.images(file("zero-rows", zeroRows)));
        assertTrue(e.getMessage().contains("wrong IDX dims"), e.getMessage());
        byte[] negative = IMAGES.clone();
        negative[4] = (byte) 0x80;                 // count ≥ 2^31 reads as negative
        e = assertThrows(IOException.class, () -> IdxReader.images(file("negative", negative)));
        assertTrue(e.getMessage().contains("wrong IDX dims"), e.getMessage());
    }

    @Test void brokenGzipIsReported() throws IOException {
        byte[] z = gzip(IMAGES);
        var e = assertThrows(IOException.class, () -> IdxReader.images(file("cut.gz", Arrays.copyOf(z, z.length - 12))));
        assertTrue(e.getMessage().contains("cut.gz") && e.getMessage().contains("gzip"), e.getMessage());
        byte[] bad = z.clone();
        for (int i = 12; i < bad.length - 8; i++) bad[i] ^= 0x5A;
        e = assertThrows(IOException.class, () -> IdxReader.images(file("bad.gz", bad)));
        assertTrue(e.getMessage().contains("bad.gz"), e.getMessage());
    }

    @Test void countMismatchNamesBothFiles() throws IOException {
        Path img = file("three-images", IMAGES);
        Path lab = file("two-labels", bytes(0, 0, 8, 1, 0, 0, 0, 2, 1, 2));
        var e = assertThrows(IOException.class, () -> IdxReader.read(img, lab));
        assertTrue(e.getMessage().contains("three-images") && e.getMessage().contains("two-labels")
                && e.getMessage().contains("3 images") && e.getMessage().contains("2 labels"), e.getMessage());
    }

    @Test void missingFile() {
        var e = assertThrows(IOException.class, () -> IdxReader.images(tmp.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    /** The real 10,000 digits shipped with the library, read as files (the class-path copy of the module's resources). */
    @Test void readsTheRealMnist10k() throws Exception {
        Path dir = Path.of(IdxReaderTest.class.getResource("/dsb4j/data/mnist10k/mnist10k-images-idx3-ubyte.gz").toURI()).getParent();
        Path img = dir.resolve("mnist10k-images-idx3-ubyte.gz"), lab = dir.resolve("mnist10k-labels-idx1-ubyte.gz");
        IdxReader.Labelled l = IdxReader.read(img, lab);
        assertEquals(10_000, l.images().n());
        assertEquals(784, l.images().d());
        int[] count = new int[10];
        for (int y : l.labels()) count[y]++;
        assertArrayEquals(new int[]{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, count);   // the README's counts
        float min = 1, max = -1;
        double mean = 0;
        for (float v : l.images().data()) { min = Math.min(min, v); max = Math.max(max, v); mean += v; }
        assertEquals(-1f, min);
        assertEquals(1f, max);
        mean /= l.images().data().length;
        assertEquals(-0.74, mean, 0.03, "MNIST's mean pixel in [−1, 1] (reference: ≈ −0.74)");
    }

    @Test void dimsWhoseProductOverflowsAreRefused() throws IOException {
        // (2^21, 2^21, 2^22) multiply to 2^64, which wraps to 0 in a 64-bit count
        byte[] header = java.nio.ByteBuffer.allocate(16).putInt(2051).putInt(1 << 21).putInt(1 << 21).putInt(1 << 22).array();
        var e = assertThrows(IOException.class, () -> IdxReader.images(file("overflow", header)));
        assertTrue(e.getMessage().contains("64-bit"), e.getMessage());
    }

    @Test void aGzipBombIsRefusedAfterItsHeaderNotAfterInflatingIt() throws IOException {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(gz)) {
            z.write(java.nio.ByteBuffer.allocate(16).putInt(2051).putInt(2).putInt(28).putInt(28).array());
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) z.write(zeros);            // 64 MB where 1,568 bytes are promised
        }
        var e = assertThrows(IOException.class, () -> IdxReader.images(file("bomb.gz", gz.toByteArray())));
        assertTrue(e.getMessage().contains("more than 1 MB beyond"), "stopped reading 1 MB past the promise: " + e.getMessage());
    }
}
