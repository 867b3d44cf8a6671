package dsb4j.bridge.io;

import static dsb4j.bridge.io.PngFixture.*;
import static org.junit.jupiter.api.Assertions.*;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our PNG decoder against two oracles: the samples the test encoder was given, and javax.imageio's decoding
 * of the same bytes. Covers every colour type and bit depth, each filter type, Adam7, odd sizes, and files
 * written by ImageIO's own encoder (its filter choices, its chunk layout).
 */
class ImageFolderPngTest {
    @TempDir Path tmp;

    static final int[][] FORMATS = {
        {GREY, 1}, {GREY, 2}, {GREY, 4}, {GREY, 8}, {GREY, 16}, {RGB, 8}, {RGB, 16},
        {PALETTE, 1}, {PALETTE, 2}, {PALETTE, 4}, {PALETTE, 8}, {GREY_ALPHA, 8}, {GREY_ALPHA, 16}, {RGBA, 8}, {RGBA, 16}};
    static final int[][] SIZES = {{1, 1}, {5, 3}, {3, 9}, {29, 31}};
    static final int[][] FILTERS = {{0}, {1}, {2}, {3}, {4}, {0, 1, 2, 3, 4}, {4, 3, 2, 1}};

    /** Planar floats and channel count, as ImageFolder lays them out. */
    record Pixels(int channels, float[] values) {}

    static Pixels ours(Path name, byte[] png) throws IOException {
        DecodedImage d = PngDecoder.decode(name, png);
        float[] out = new float[d.channels() * d.width() * d.height()];
        d.copyTo(out, 0, d.channels());
        return new Pixels(d.channels(), out);
    }

    /** javax.imageio's decoding, read from its raster and colour model in the same layout and scale. */
    static Pixels imageIo(byte[] file) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(file));
        int w = img.getWidth(), h = img.getHeight(), plane = w * h;
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        if (cm instanceof IndexColorModel icm) {
            boolean grey = true;
            for (int i = 0; i < icm.getMapSize(); i++) grey &= icm.getRed(i) == icm.getGreen(i) && icm.getRed(i) == icm.getBlue(i);
            int channels = grey ? 1 : 3;
            float[] out = new float[channels * plane];
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
                int index = r.getSample(x, y, 0);
                out[y * w + x] = icm.getRed(index);
                if (channels == 3) {
                    out[plane + y * w + x] = icm.getGreen(index);
                    out[2 * plane + y * w + x] = icm.getBlue(index);
                }
            }
            return new Pixels(channels, out);
        }
        int channels = cm.getNumColorComponents() >= 3 ? 3 : 1, bits = cm.getComponentSize(0);
        float[] out = new float[channels * plane];
        for (int c = 0; c < channels; c++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            int s = r.getSample(x, y, c);
            out[c * plane + y * w + x] = bits == 16 ? s / 257f : bits == 8 ? s : s * 255 / ((1 << bits) - 1);
        }
        return new Pixels(channels, out);
    }

    @Test void everyFormatSizeFilterAndInterlaceMatchesTheSourceAndImageIo() throws IOException {
        Random rnd = new Random(42);
        int cases = 0;
        for (int[] f : FORMATS) for (int[] size : SIZES) for (boolean interlace : new boolean[]{false, true}) for (int[] filters : FILTERS) {
            Spec spec = random(rnd, size[0], size[1], f[0], f[1], filters, interlace, false);
            byte[] png = encode(spec, 1 + rnd.nextInt(80), rnd.nextBoolean());
            String label = "type " + f[0] + " depth " + f[1] + " " + size[0] + "×" + size[1] + (interlace ? " Adam7" : "") + " filters " + Arrays.toString(filters);
            Pixels got = ours(Path.of("case.png"), png);
            assertEquals(channels(spec), got.channels(), label);
            assertArrayEquals(expected(spec), got.values(), label);
            Pixels ref = imageIo(png);
            assertEquals(ref.channels(), got.channels(), label);
            assertArrayEquals(ref.values(), got.values(), label);
            cases++;
        }
        assertEquals(FORMATS.length * SIZES.length * 2 * FILTERS.length, cases);
    }

    @Test void paletteOfGreysIsOneChannelAndColourPaletteThree() throws IOException {
        Random rnd = new Random(7);
        for (int depth : new int[]{1, 2, 4, 8}) {
            Spec grey = random(rnd, 6, 5, PALETTE, depth, new int[]{4}, false, true);
            Pixels g = ours(Path.of("g.png"), encode(grey));
            assertEquals(1, g.channels());
            assertArrayEquals(expected(grey), g.values());
            Spec colour = new Spec(2, 1, PALETTE, depth, new int[]{0, 1}, new byte[]{10, 10, 10, 1, 2, 3}, new int[]{0}, false);
            Pixels c = ours(Path.of("c.png"), encode(colour));
            assertEquals(3, c.channels());
            assertArrayEquals(new float[]{10, 1, 10, 2, 10, 3}, c.values());
        }
    }

    @Test void sixteenBitSamplesScaleByTwoFiftySeven() throws IOException {
        Spec p = new Spec(4, 1, GREY, 16, new int[]{0, 257, 65535, 1000}, null, new int[]{1}, false);
        assertArrayEquals(new float[]{0, 1, 255, 1000 / 257f}, ours(Path.of("s.png"), encode(p)).values());
        // low bit depths stretch to 0…255
        Spec one = new Spec(3, 1, GREY, 1, new int[]{0, 1, 0}, null, new int[]{0}, false);
        assertArrayEquals(new float[]{0, 255, 0}, ours(Path.of("b.png"), encode(one)).values());
        Spec two = new Spec(4, 1, GREY, 2, new int[]{0, 1, 2, 3}, null, new int[]{0}, false);
        assertArrayEquals(new float[]{0, 85, 170, 255}, ours(Path.of("b.png"), encode(two)).values());
    }

    @Test void alphaIsDroppedNotComposited() throws IOException {
        // a fully transparent white pixel stays white
        Spec rgba = new Spec(1, 1, RGBA, 8, new int[]{255, 255, 255, 0}, null, new int[]{0}, false);
        assertArrayEquals(new float[]{255, 255, 255}, ours(Path.of("a.png"), encode(rgba)).values());
        Spec ga = new Spec(2, 1, GREY_ALPHA, 8, new int[]{200, 0, 100, 255}, null, new int[]{0}, false);
        Pixels p = ours(Path.of("ga.png"), encode(ga));
        assertEquals(1, p.channels());
        assertArrayEquals(new float[]{200, 100}, p.values());
    }

    @Test void aMissingIendIsToleratedButMissingImageDataIsNot() throws IOException {
        Spec spec = random(new Random(5), 9, 7, RGB, 8, new int[]{1, 4}, false, false);
        byte[] png = encode(spec, 20, false);                   // several IDAT chunks of 20 bytes
        byte[] noIend = Arrays.copyOf(png, png.length - 12);
        assertArrayEquals(expected(spec), ours(Path.of("n.png"), noIend).values());
        // cut after a whole IDAT chunk: the chunks are intact, the zlib stream is not
        int lastIdat = png.length - 12 - (12 + (deflate(filtered(spec)).length % 20 == 0 ? 20 : deflate(filtered(spec)).length % 20));
        byte[] cut = Arrays.copyOf(png, lastIdat);
        var e = assertThrows(IOException.class, () -> ours(Path.of("cut.png"), cut));
        assertTrue(e.getMessage().startsWith("cut.png: truncated PNG (its image data holds "), e.getMessage());
        var e2 = assertThrows(IOException.class, () -> ours(Path.of("mid.png"), Arrays.copyOf(png, lastIdat + 10)));
        assertTrue(e2.getMessage().startsWith("mid.png: truncated PNG (the file ends inside its IDAT chunk)"), e2.getMessage());
    }

    @Test void filesWrittenByImageIoDecodeAsImageIoReadsThem() throws IOException {
        Random rnd = new Random(3);
        int k = 0;
        for (int[] size : new int[][]{{5, 3}, {29, 31}, {64, 17}}) {
            int w = size[0], h = size[1];
            BufferedImage[] images = {
                new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY),
                new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY),
                new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR),
                new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB),
                new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED),
                new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY),
                component(ColorSpace.CS_GRAY, true, DataBuffer.TYPE_BYTE, w, h),
                component(ColorSpace.CS_GRAY, true, DataBuffer.TYPE_USHORT, w, h),
                component(ColorSpace.CS_sRGB, false, DataBuffer.TYPE_USHORT, w, h),
                component(ColorSpace.CS_sRGB, true, DataBuffer.TYPE_USHORT, w, h),
            };
            for (BufferedImage img : images) {
                WritableRaster r = img.getRaster();
                int max = (1 << img.getSampleModel().getSampleSize(0)) - 1;
                // smooth content with noise, so that ImageIO's adaptive filtering picks different filters per row
                for (int b = 0; b < r.getNumBands(); b++) for (int y = 0; y < h; y++) for (int x = 0; x < w; x++)
                    r.setSample(x, y, b, Math.min(max, Math.max(0, (int) ((x + y * 0.5) * max / (w + h)) + rnd.nextInt(3) - 1)));
                for (boolean interlace : new boolean[]{false, true}) {
                    Path f = tmp.resolve("img" + k++ + ".png");
                    write(img, f, interlace);
                    byte[] bytes = Files.readAllBytes(f);
                    assertEquals(interlace ? 1 : 0, bytes[28], "interlace flag in IHDR");
                    Pixels ref = imageIo(bytes), got = ours(f, bytes);
                    String label = f.getFileName() + " type " + img.getType() + " bands " + r.getNumBands();
                    assertEquals(ref.channels(), got.channels(), label);
                    assertArrayEquals(ref.values(), got.values(), label);
                }
            }
        }
    }

    private static BufferedImage component(int space, boolean alpha, int type, int w, int h) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(space), alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, type);
        return new BufferedImage(cm, cm.createCompatibleWritableRaster(w, h), false, null);
    }

    static void write(BufferedImage img, Path f, boolean interlace) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setProgressiveMode(interlace ? ImageWriteParam.MODE_DEFAULT : ImageWriteParam.MODE_DISABLED);
        Files.deleteIfExists(f);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(f.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
