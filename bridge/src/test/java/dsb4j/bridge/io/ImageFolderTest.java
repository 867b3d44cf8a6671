package dsb4j.bridge.io;

import static dsb4j.bridge.io.PngFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files a folder yields, in which order and layout, the grey/colour rules, JPEG, and every error. */
class ImageFolderTest {
    @TempDir Path tmp;
    final Random rnd = new Random(11);

    private Path folder(String name) throws IOException { return Files.createDirectories(tmp.resolve(name)); }

    private Spec png(Path dir, String name, int w, int h, int type, int depth) throws IOException {
        Spec s = random(rnd, w, h, type, depth, new int[]{0, 1, 2, 3, 4}, false, false);
        Files.write(dir.resolve(name), encode(s));
        return s;
    }

    @Test void readsImagesInNameOrderAsNchwIgnoringSubfoldersAndDotFiles() throws IOException {
        Path dir = folder("digits");
        Spec b = png(dir, "b.png", 3, 2, GREY, 8), a = png(dir, "a.png", 3, 2, GREY, 16);
        Spec c = png(dir, "c.PNG", 3, 2, GREY_ALPHA, 8), ten = png(dir, "10.png", 3, 2, GREY, 4);
        Files.writeString(dir.resolve(".DS_Store"), "junk");
        Files.write(dir.resolve(".hidden.png"), new byte[]{1, 2, 3});
        Files.writeString(Files.createDirectory(dir.resolve("sub")).resolve("notes.txt"), "ignored with its folder");
        Files.createDirectory(dir.resolve("sub.png"));

        ImageFolder.Images im = ImageFolder.read(dir);
        assertEquals(List.of("10.png", "a.png", "b.png", "c.PNG"), im.files());
        assertEquals(4, im.n());
        assertEquals(1, im.channels());
        assertEquals(2, im.height());
        assertEquals(3, im.width());
        assertNull(im.note());
        Spec[] inOrder = {ten, a, b, c};
        for (int i = 0; i < 4; i++)
            assertArrayEquals(expected(inOrder[i]), Arrays.copyOfRange(im.pixels(), i * 6, (i + 1) * 6), im.files().get(i));
    }

    @Test void colourImagesKeepTheirChannelsPlanar() throws IOException {
        Path dir = folder("colour");
        Spec x = png(dir, "x.png", 5, 3, RGB, 8), y = png(dir, "y.png", 5, 3, RGBA, 16), z = png(dir, "z.png", 5, 3, PALETTE, 4);
        z = new Spec(5, 3, PALETTE, 4, z.samples(), z.palette().clone(), new int[]{2}, false);
        z.palette()[0] = (byte) (z.palette()[1] + 1);            // certainly a colour palette
        Files.write(dir.resolve("z.png"), encode(z));
        ImageFolder.Images im = ImageFolder.read(dir);
        assertEquals(3, im.channels());
        assertNull(im.note());
        float[] want = new float[3 * 45];
        System.arraycopy(expected(x), 0, want, 0, 45);
        System.arraycopy(expected(y), 0, want, 45, 45);
        System.arraycopy(expected(z), 0, want, 90, 45);
        assertArrayEquals(want, im.pixels());
        // (image, channel, row, column): image 1, green, row 2, column 4
        assertEquals(expected(y)[15 + 2 * 5 + 4], im.pixels()[45 + 15 + 2 * 5 + 4]);
    }

    @Test void aFolderMixingGreyAndColourBecomesColourWithANote() throws IOException {
        Path dir = folder("mixed");
        Spec g = png(dir, "a.png", 4, 4, GREY, 8), c1 = png(dir, "b.png", 4, 4, RGB, 8), c2 = png(dir, "c.png", 4, 4, RGBA, 8);
        ImageFolder.Images im = ImageFolder.read(dir);
        assertEquals(3, im.channels());
        float[] grey = expected(g);
        for (int ch = 0; ch < 3; ch++) assertArrayEquals(grey, Arrays.copyOfRange(im.pixels(), ch * 16, ch * 16 + 16), "grey replicated");
        assertArrayEquals(expected(c1), Arrays.copyOfRange(im.pixels(), 48, 96));
        assertArrayEquals(expected(c2), Arrays.copyOfRange(im.pixels(), 96, 144));
        assertNotNull(im.note());
        assertTrue(im.note().startsWith(dir + ": 1 of the 3 images are grey and 2 colour"), im.note());
    }

    @Test void readsGreyAndColourJpegLikeImageIo() throws IOException {
        Path dir = folder("jpeg");
        BufferedImage grey = new BufferedImage(29, 31, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage colour = new BufferedImage(29, 31, BufferedImage.TYPE_3BYTE_BGR);
        fillSmooth(grey.getRaster());
        fillSmooth(colour.getRaster());
        assertTrue(ImageIO.write(grey, "jpg", dir.resolve("a.jpg").toFile()));
        assertTrue(ImageIO.write(colour, "jpeg", dir.resolve("b.JPEG").toFile()));
        ImageFolder.Images im = ImageFolder.read(dir);
        assertEquals(List.of("a.jpg", "b.JPEG"), im.files());
        assertEquals(3, im.channels());
        assertEquals(31, im.height());
        assertEquals(29, im.width());
        assertNotNull(im.note());
        int plane = 29 * 31;
        // exactly ImageIO's own decoding of each file
        var a = ImageFolderPngTest.imageIo(Files.readAllBytes(dir.resolve("a.jpg")));
        var b = ImageFolderPngTest.imageIo(Files.readAllBytes(dir.resolve("b.JPEG")));
        assertEquals(1, a.channels());
        assertEquals(3, b.channels());
        for (int ch = 0; ch < 3; ch++) assertArrayEquals(a.values(), Arrays.copyOfRange(im.pixels(), ch * plane, (ch + 1) * plane));
        assertArrayEquals(b.values(), Arrays.copyOfRange(im.pixels(), 3 * plane, 6 * plane));
        // and close to what was written, channel by channel (JPEG is lossy): red is red
        double err = 0;
        WritableRaster src = colour.getRaster();
        for (int ch = 0; ch < 3; ch++) for (int y = 0; y < 31; y++) for (int x = 0; x < 29; x++)
            err += Math.abs(src.getSample(x, y, ch) - im.pixels()[3 * plane + ch * plane + y * 29 + x]);
        assertTrue(err / (3 * plane) < 6, "mean error " + err / (3 * plane));
        // a grey JPEG folder alone is one channel
        Path g = folder("greyjpeg");
        Files.copy(dir.resolve("a.jpg"), g.resolve("a.jpg"));
        ImageFolder.Images gi = ImageFolder.read(g);
        assertEquals(1, gi.channels());
        assertArrayEquals(a.values(), gi.pixels());
    }

    /** Smooth gradients per band (what JPEG keeps well), different in each band. */
    private static void fillSmooth(WritableRaster r) {
        for (int b = 0; b < r.getNumBands(); b++) for (int y = 0; y < r.getHeight(); y++) for (int x = 0; x < r.getWidth(); x++)
            r.setSample(x, y, b, (b == 0 ? 8 * x : b == 1 ? 8 * y : 4 * (x + y)) % 256);
    }

    @Test void theContentDecidesTheDecoderNotTheName() throws IOException {
        Path dir = folder("misnamed");
        Spec s = random(rnd, 3, 3, GREY, 8, new int[]{0}, false, false);
        Files.write(dir.resolve("a.jpg"), encode(s));                // a PNG named .jpg: read without ImageIO
        ImageFolder.Images im = ImageFolder.read(dir, false);
        assertArrayEquals(expected(s), im.pixels());
    }

    @Test void withoutJavaDesktopPngReadsAndJpegSaysWhatItNeeds() throws IOException {
        Path pngs = folder("pngs"), jpegs = folder("jpegs");
        Spec s = png(pngs, "a.png", 2, 2, GREY, 8);
        assertArrayEquals(expected(s), ImageFolder.read(pngs, false).pixels());
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY), "jpg", jpegs.resolve("x.jpg").toFile());
        assertMessage(jpegs, false, jpegs.resolve("x.jpg"), "reading JPEG needs a Java runtime with the java.desktop module", "PNG reads without it");
    }

    @Test void aJvmWithoutJavaDesktopReadsPngFolders() throws Exception {
        // the real thing: javax.imageio absent from the runtime, so any accidental use on the PNG path fails
        Path pngs = folder("pngs"), jpegs = folder("jpegs");
        Spec s = png(pngs, "a.png", 2, 2, GREY, 8);
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY), "jpg", jpegs.resolve("x.jpg").toFile());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--limit-modules", "java.base", "-cp", System.getProperty("java.class.path"), NoDesktopCheck.class.getName(),
                pngs.toString(), jpegs.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertEquals("ok 1 1 2 2 " + expected(s)[1], lines.get(0), out);
        assertTrue(lines.get(1).startsWith("error " + jpegs.resolve("x.jpg") + ": reading JPEG needs a Java runtime with the java.desktop module"), out);
        assertEquals("desktop false", lines.get(2), out);
    }

    @Test void whichFilesErrors() throws IOException {
        Path dir = folder("folderA");
        png(dir, "a.png", 2, 2, GREY, 8);
        Files.writeString(dir.resolve("notes.txt"), "hello");
        assertMessage(dir, true, dir.resolve("notes.txt"),
                "not a PNG or JPEG image (an image folder holds .png, .jpg or .jpeg files only; sub-folders are ignored)");

        Path empty = folder("empty");
        assertMessage(empty, true, empty, "no images in the folder");
        Files.writeString(empty.resolve(".DS_Store"), "x");
        Files.createDirectory(empty.resolve("inner"));
        assertMessage(empty, true, empty, "no images in the folder");

        assertMessage(tmp.resolve("absent"), true, tmp.resolve("absent"), "no such folder");
        Path file = Files.writeString(tmp.resolve("file.png"), "x");
        assertMessage(file, true, file, "not a folder");
    }

    @Test void imagesOfAnotherSizeNameBothFiles() throws IOException {
        Path dir = folder("folderA");
        png(dir, "a.png", 28, 28, GREY, 8);
        png(dir, "b.png", 32, 32, GREY, 8);
        var e = assertThrows(IOException.class, () -> ImageFolder.read(dir));
        assertEquals(dir.resolve("b.png") + ": 32×32, but " + dir.resolve("a.png") + " is 28×28; all images of a folder must have one size", e.getMessage());

        Path many = folder("many");
        for (int i = 0; i < 200; i++) png(many, String.format("%03d.png", i), i == 150 ? 4 : i == 170 ? 5 : 3, 3, GREY, 8);
        assertMessage(many, true, many.resolve("150.png"), "4×3, but", "000.png is 3×3");
    }

    @Test void undecodableFilesAreNamedFirstInFileOrder() throws IOException {
        Spec ok = random(rnd, 4, 4, GREY, 8, new int[]{0}, false, false);
        byte[] good = encode(ok);
        byte[] badCrc = good.clone();
        badCrc[good.length - 20] ^= 1;                       // inside the last IDAT's data
        byte[] filter7 = encodeWithRawFilter(ok, 7);
        Spec pal = new Spec(2, 1, PALETTE, 8, new int[]{0, 5}, new byte[]{1, 2, 3, 4, 5, 6}, new int[]{0}, false);
        byte[] brokenJpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 2, 3};
        Object[][] cases = {
            {Arrays.copyOf(good, good.length / 2), "truncated PNG"},
            {badCrc, "damaged PNG (the checksum of its IDAT chunk does not match)"},
            {filter7, "filter type 7"},
            {encode(pal), "palette index 5, beyond its 2 colours"},
            {new byte[0], "an empty file, not an image"},
            {"GIF89a...".getBytes(StandardCharsets.US_ASCII), "neither a PNG nor a JPEG image"},
            {brokenJpeg, "not a readable JPEG image"},
        };
        int k = 0;
        for (Object[] c : cases) {
            Path dir = folder("bad" + k++);
            Files.write(dir.resolve("a.png"), good);
            Files.write(dir.resolve("b.png"), (byte[]) c[0]);
            assertMessage(dir, true, dir.resolve("b.png"), (String) c[1]);
        }
        // many files decoded in parallel: the first bad one in name order is named, every time
        Path dir = folder("parallel");
        for (int i = 0; i < 300; i++) Files.write(dir.resolve(String.format("%03d.png", i)), i == 120 || i == 250 ? badCrc : good);
        for (int run = 0; run < 3; run++) assertMessage(dir, true, dir.resolve("120.png"), "checksum");
    }

    /** A valid file except that every row claims filter type {@code type}. */
    private static byte[] encodeWithRawFilter(Spec s, int type) {
        Spec f = new Spec(s.width(), s.height(), s.type(), s.depth(), s.samples(), s.palette(), new int[]{type}, false);
        return encode(f);
    }

    private static void assertMessage(Path dir, boolean desktop, Path named, String... parts) {
        var e = assertThrows(IOException.class, () -> ImageFolder.read(dir, desktop));
        String m = e.getMessage();
        assertTrue(m.startsWith(named + ": "), m);
        assertFalse(m.contains("\n"), m);
        for (String part : parts) assertTrue(m.contains(part), "'" + part + "' missing from: " + m);
    }
}
