package dsb4j.bridge.data;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.engine.random.Rng;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDataTest {

    @Test void shippedDigitsLoadWithTheFixedSplit() throws IOException {
        ImageData.Split s = ImageData.mnist(null);
        assertEquals(8000, s.train().n());
        assertEquals(2000, s.heldOut().n());
        assertArrayEquals(new int[]{1, 28, 28}, s.train().itemShape());
        assertEquals(784, s.train().images().d());
        // the class counts of the README, split between the two parts
        int[] all = new int[10], a = s.train().classCounts(10), b = s.heldOut().classCounts(10);
        for (int k = 0; k < 10; k++) all[k] = a[k] + b[k];
        assertArrayEquals(new int[]{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, all);
        for (int k = 0; k < 10; k++) assertTrue(b[k] > 120, "held-out class " + k + " has only " + b[k]);
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        double mean = 0;
        for (float x : s.train().images().data()) { min = Math.min(min, x); max = Math.max(max, x); mean += x; }
        mean /= s.train().images().data().length;
        assertEquals(-1f, min);
        assertEquals(1f, max);
        assertEquals(-0.74, mean, 0.03, "MNIST's mean pixel in [−1, 1] (the reference's adaptive prior mean)");
        assertSame(s, ImageData.mnist(null), "read once per process");
    }

    @Test void heldOutImagesAreTheLastTwoThousand() throws IOException {
        ImageData.Split s = ImageData.mnist(null);
        ImageSet all = ImageData.resource("mnist10k");
        assertEquals(all.slice(8000, 10000).images(), s.heldOut().images());
        assertArrayEquals(java.util.Arrays.copyOfRange(all.labels(), 0, 8000), s.train().labels());
    }

    @Test void shippedFashionSubsetLoads() throws IOException {
        ImageData.Split s = ImageData.fashionShipped();
        assertEquals(1600, s.train().n());
        assertEquals(400, s.heldOut().n());
        int[] all = new int[10];
        for (int k = 0; k < 10; k++) all[k] = s.train().classCounts(10)[k] + s.heldOut().classCounts(10)[k];
        assertArrayEquals(new int[]{194, 216, 202, 195, 186, 200, 194, 215, 198, 200}, all);
    }

    @Test void imageSourcesDrawTensorsOfImageShape() throws IOException {
        DataSource src = ImageData.mnist(null).train().source();
        assertArrayEquals(new int[]{1, 28, 28}, src.itemShape());
        assertEquals(784, src.dim());
        Points p = src.sample(5, new Rng(1));
        assertEquals(5, p.n());
        assertEquals(p, src.sample(5, new Rng(1)), "draws depend on the generator only");
        assertArrayEquals(new int[]{2}, dsb4j.bridge.data.Toy2d.of("moons").itemShape(), "vectors keep the default shape");
        assertThrows(IllegalArgumentException.class, () -> new ShapedSource(src, 1, 28, 27));
    }

    @Test void aFolderWithTheFourStandardFilesLoads(@TempDir Path dir) throws IOException {
        writeIdx(dir, "train", 5, true);
        writeIdx(dir, "t10k", 3, false);
        ImageData.Split s = ImageData.mnist(dir);
        assertEquals(5, s.train().n());
        assertEquals(3, s.heldOut().n());
        assertEquals(-1f, s.train().images().get(0, 0));
        assertEquals(2, s.train().labels()[2]);
    }

    @Test void missingFilesAreNamed(@TempDir Path dir) throws IOException {
        writeIdx(dir, "train", 5, true);
        IOException e = assertThrows(IOException.class, () -> ImageData.mnist(dir));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte"), e.getMessage());
        IOException f = assertThrows(IOException.class, () -> ImageData.fashion(dir.resolve("nowhere")));
        assertTrue(f.getMessage().contains("apt-get install dataset-fashion-mnist"), f.getMessage());
        assertTrue(f.getMessage().contains("--prior-data-dir"), f.getMessage());
    }

    @Test void corruptResourceBytesFailWithTheName() {
        IOException e = assertThrows(IOException.class, () -> IdxReader.read("classpath:x-images", new byte[]{0x1f, (byte) 0x8b, 1, 2},
                "classpath:x-labels", new byte[0]));
        assertTrue(e.getMessage().startsWith("classpath:x-images"), e.getMessage());
    }

    /** {prefix}-images-idx3-ubyte(.gz) with n 28×28 images (pixel k of image i = (i + k) mod 256) and labels i mod 10. */
    static void writeIdx(Path dir, String prefix, int n, boolean gzip) throws IOException {
        byte[] img = new byte[16 + n * 784];
        putInt(img, 0, 2051); putInt(img, 4, n); putInt(img, 8, 28); putInt(img, 12, 28);
        for (int i = 0; i < n; i++) for (int k = 0; k < 784; k++) img[16 + i * 784 + k] = (byte) ((i + k) % 256);
        byte[] lab = new byte[8 + n];
        putInt(lab, 0, 2049); putInt(lab, 4, n);
        for (int i = 0; i < n; i++) lab[8 + i] = (byte) (i % 10);
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + (gzip ? ".gz" : "")), gzip ? gz(img) : img);
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte" + (gzip ? ".gz" : "")), gzip ? gz(lab) : lab);
    }

    private static byte[] gz(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) { z.write(b); }
        return out.toByteArray();
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24); b[off + 1] = (byte) (v >>> 16); b[off + 2] = (byte) (v >>> 8); b[off + 3] = (byte) v;
    }
}
