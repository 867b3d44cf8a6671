package dsb4j.bridge.io;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.DataSet;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each path the command line accepts as --data becomes, and how bad ones are refused. */
class DataFilesTest {

    /** An .npy of the given dtype descriptor and shape with the raw little-endian body. */
    static Path npy(Path file, String descr, int[] shape, byte[] body) throws IOException {
        StringBuilder dict = new StringBuilder("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (");
        for (int s : shape) dict.append(s).append(", ");
        dict.append("), }");
        while ((10 + dict.length() + 1) % 64 != 0) dict.append(' ');
        dict.append('\n');
        ByteBuffer b = ByteBuffer.allocate(10 + dict.length() + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) dict.length());
        b.put(dict.toString().getBytes(StandardCharsets.US_ASCII)).put(body);
        Files.write(file, b.array());
        return file;
    }

    static byte[] doubles(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) b.putDouble(x);
        return b.array();
    }

    static void png(Path file, int w, int h, int grey) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, (grey + x + y) & 0xFF);
        ImageIO.write(img, "png", file.toFile());
    }

    @Test void pointCloudsFromNpyAndCsv(@TempDir Path tmp) throws IOException {
        DataSet a = DataFiles.read(npy(tmp.resolve("cloud.npy"), "<f8", new int[]{2, 3}, doubles(1, 2, 3, 4, 5, 6)), null);
        assertArrayEquals(new int[]{3}, a.itemShape());
        assertEquals(2, a.n());
        assertEquals("cloud", a.name());
        assertEquals("npy", a.origin().format());
        assertEquals(64, a.origin().sha256().length());
        Path csv = tmp.resolve("cloud.csv");
        Files.writeString(csv, "x,y,z\n1,2,3\n4,5,6\n");
        DataSet b = DataFiles.read(csv, List.of("z", "x"));
        assertArrayEquals(new float[]{3, 1, 6, 4}, b.items().data());
        assertEquals(List.of("z", "x"), b.origin().columns());
    }

    @Test void imagesFromNpyAndFolders(@TempDir Path tmp) throws IOException {
        byte[] px = new byte[2 * 4 * 5];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 6);
        DataSet grey = DataFiles.read(npy(tmp.resolve("grey.npy"), "|u1", new int[]{2, 4, 5}, px), null);
        assertArrayEquals(new int[]{1, 4, 5}, grey.itemShape());
        assertTrue(grey.eightBit());
        assertEquals(234, grey.items().data()[39]);
        DataSet rgb = DataFiles.read(npy(tmp.resolve("rgb.npy"), "|u1", new int[]{1, 3, 2, 2}, new byte[12]), null);
        assertArrayEquals(new int[]{3, 2, 2}, rgb.itemShape());
        Path folder = Files.createDirectory(tmp.resolve("digits"));
        for (int i = 0; i < 3; i++) png(folder.resolve("d" + i + ".png"), 6, 4, 10 * i);
        DataSet f = DataFiles.read(folder, null);
        assertArrayEquals(new int[]{1, 4, 6}, f.itemShape());
        assertEquals(3, f.n());
        assertEquals("digits", f.name());
        assertEquals("images", f.origin().format());
        assertTrue(f.eightBit());
        assertEquals(20 + 5 + 3, f.items().get(2, 3 * 6 + 5), "pixel (row 3, column 5) of the third image");
    }

    @Test void badFilesAreOneLineErrorsNamingTheFile(@TempDir Path tmp) throws IOException {
        assertMessage(tmp.resolve("missing.npy"), null, "missing.npy", "no such file");
        assertMessage(npy(tmp.resolve("vector.npy"), "<f8", new int[]{3}, doubles(1, 2, 3)), null, "vector.npy", "reshape(-1, 1)");
        assertMessage(npy(tmp.resolve("hwc.npy"), "|u1", new int[]{1, 4, 4, 3}, new byte[48]), null, "hwc.npy", "channels last");
        assertMessage(npy(tmp.resolve("nan.npy"), "<f8", new int[]{3, 2}, doubles(1, 2, 3, Double.NaN, 5, 6)), null, "nan.npy", "row 1");
        Path txt = Files.writeString(tmp.resolve("points.txt"), "1 2\n");
        assertMessage(txt, null, "points.txt", "not a data file");
        Path ok = npy(tmp.resolve("ok.npy"), "<f8", new int[]{1, 2}, doubles(1, 2));
        assertMessage(ok, List.of("x"), "ok.npy", "--columns applies to .csv");
        Path folder = Files.createDirectory(tmp.resolve("mixed"));
        png(folder.resolve("a.png"), 4, 4, 0);
        png(folder.resolve("b.png"), 5, 4, 0);
        assertMessage(folder, null, "b.png", "one size");
        Path ragged = Files.writeString(tmp.resolve("ragged.csv"), "x,y\n1,2\n3\n");
        assertMessage(ragged, null, "ragged.csv", "line 3");
        assertMessage(Files.writeString(tmp.resolve("empty.csv"), ""), null, "empty.csv", "empty");
    }

    private static void assertMessage(Path p, List<String> columns, String... parts) {
        IOException e = assertThrows(IOException.class, () -> DataFiles.read(p, columns));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        for (String part : parts) assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
    }
}
