package dsb4j.examples;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.Points;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image grids: picture size from the layout, and the colours of known cells (value range, RGB planes, NaN). */
class ImageGridTest {

    static final int BLACK = 0x000000, WHITE = 0xFFFFFF, RED = 0xFF0000, GREEN = 0x00FF00;
    static final int M = ImageGrid.MARGIN, GAP = ImageGrid.GAP;

    @BeforeAll static void headless() { System.setProperty("java.awt.headless", "true"); }

    /**
     * Five images: 0 all lo, 1 all hi, 2 lo but hi at the top-right pixel and NaN at the bottom-left one,
     * 3 pure red (grey: above hi, clamped white), 4 pure green (grey: halfway, level 128).
     */
    static float[] probes(ImageFormat f) {
        int c = f.channels(), h = f.height(), w = f.width(), plane = h * w, v = f.values();
        float lo = (float) f.lo(), hi = (float) f.hi();
        float[] x = new float[5 * v];
        Arrays.fill(x, 0, v, lo);
        Arrays.fill(x, v, 2 * v, hi);
        Arrays.fill(x, 2 * v, 5 * v, lo);
        for (int ch = 0; ch < c; ch++) {
            x[2 * v + ch * plane + (w - 1)] = hi;                      // row 0, last column
            x[2 * v + ch * plane + (h - 1) * w] = Float.NaN;           // last row, column 0
        }
        if (c == 3) {
            Arrays.fill(x, 3 * v, 3 * v + plane, hi);                  // R plane of image 3
            Arrays.fill(x, 4 * v + plane, 4 * v + 2 * plane, hi);      // G plane of image 4
        } else {
            Arrays.fill(x, 3 * v, 4 * v, hi + 10 * (hi - lo));
            Arrays.fill(x, 4 * v, 5 * v, (lo + hi) / 2);
        }
        return x;
    }

    static int rgb(BufferedImage img, int x, int y) { return img.getRGB(x, y) & 0xFFFFFF; }

    void checkGrid(Path tmp, ImageFormat f, int scale, String name) throws IOException {
        assertEquals(scale, f.scale(), "zoom of " + f);
        int cw = f.width() * scale, ch = f.height() * scale, cols = 3;
        Path png = tmp.resolve(name + ".png");
        ImageGrid.write(png, probes(f), 5, f.channels(), f.height(), f.width(), f.lo(), f.hi(), cols, null);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(2 * M + cols * (cw + GAP) - GAP, img.getWidth(), "width of " + name);
        assertEquals(2 * M + 2 * (ch + GAP) - GAP, img.getHeight(), "height of " + name);
        int[] x = new int[5], y = new int[5];
        for (int k = 0; k < 5; k++) {
            x[k] = M + (k % cols) * (cw + GAP);
            y[k] = M + (k / cols) * (ch + GAP);
        }
        assertEquals(BLACK, rgb(img, x[0] + cw / 2, y[0] + ch / 2), name + ": lo draws black");
        assertEquals(BLACK, rgb(img, x[0], y[0]), name + ": the cell starts where the layout says");
        assertEquals(WHITE, rgb(img, x[1] + cw / 2, y[1] + ch / 2), name + ": hi draws white");
        assertEquals(WHITE, rgb(img, x[1] + cw - 1, y[1] + ch - 1), name + ": the cell is " + cw + " × " + ch);
        assertNotEquals(WHITE, rgb(img, x[1] + cw, y[1] + ch / 2), name + ": the gap after a cell is background");
        // top-right pixel of image 2 (a scale × scale block), its bottom-left NaN, the rest lo
        assertEquals(WHITE, rgb(img, x[2] + cw - 1, y[2]), name + ": row 0, last column");
        assertEquals(WHITE, rgb(img, x[2] + cw - scale, y[2] + scale - 1), name + ": the zoomed block");
        assertEquals(BLACK, rgb(img, x[2] + cw - scale - 1, y[2]), name + ": one pixel left of it");
        assertEquals(RED, rgb(img, x[2], y[2] + ch - 1), name + ": NaN draws red");
        assertEquals(BLACK, rgb(img, x[2] + cw - 1, y[2] + ch - 1), name + ": bottom-right stays lo");
        if (f.channels() == 3) {
            assertEquals(RED, rgb(img, x[3] + cw / 2, y[3] + ch / 2), name + ": the first plane is red");
            assertEquals(GREEN, rgb(img, x[4] + cw / 2, y[4] + ch / 2), name + ": the second plane is green");
        } else {
            assertEquals(WHITE, rgb(img, x[3] + cw / 2, y[3] + ch / 2), name + ": above hi clamps to white");
            assertEquals(0x808080, rgb(img, x[4] + cw / 2, y[4] + ch / 2), name + ": halfway is level 128");
        }
    }

    @Test void greyMnistSize(@TempDir Path tmp) throws IOException {
        checkGrid(tmp, new ImageFormat(1, 28, 28, -1, 1), 2, "grey28");
    }

    @Test void rgb32InPixelUnits(@TempDir Path tmp) throws IOException {
        checkGrid(tmp, new ImageFormat(3, 32, 32, 0, 255), 2, "rgb32");
    }

    @Test void oddNonSquareKeepsRowsAndColumnsApart(@TempDir Path tmp) throws IOException {
        checkGrid(tmp, new ImageFormat(1, 17, 23, 0, 255), 3, "grey17x23");
    }

    @Test void rgb64StaysUnzoomed(@TempDir Path tmp) throws IOException {
        checkGrid(tmp, new ImageFormat(3, 64, 64, -1, 1), 1, "rgb64");
        assertEquals(4, new ImageFormat(1, 16, 16, 0, 1).scale());
        assertEquals(1, new ImageFormat(3, 128, 128, 0, 1).scale());
    }

    @Test void columnsAreCappedToTheWidth(@TempDir Path tmp) throws IOException {
        Path png = tmp.resolve("wide.png");
        ImageGrid.write(png, new float[100 * 784], 100, 1, 28, 28, -1, 1, 100, null);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(2 * M + 30 * 58 - GAP, img.getWidth(), "30 cells of 56 px fit in 1,800");
        assertEquals(2 * M + 4 * 58 - GAP, img.getHeight(), "100 images in rows of 30");
        ImageGrid.write(png, new float[8 * 3 * 256 * 256], 8, 3, 256, 256, 0, 255, 8, "large");
        img = ImageIO.read(png.toFile());
        assertTrue(img.getWidth() <= ImageGrid.MAX_WIDTH, "width " + img.getWidth());
        assertEquals(2 * M + 6 * 258 - GAP, img.getWidth(), "six 256-px cells a row");
    }

    @Test void stripsShowAtMostSixteenFramesEndsIncluded() {
        ImageFormat mnist = new ImageFormat(1, 28, 28, -1, 1);
        assertEquals(2, ImageGrid.every(31, mnist));
        assertEquals(16, ImageGrid.frames(31, 2));
        assertEquals(2, ImageGrid.every(17, mnist));
        assertEquals(9, ImageGrid.frames(17, 2));
        assertEquals(1, ImageGrid.every(16, mnist));
        assertEquals(7, ImageGrid.every(101, mnist));
        assertEquals(16, ImageGrid.frames(101, 7), "100 = 14 strides of 7 and a short last one to the data end");
        ImageFormat large = new ImageFormat(3, 256, 256, 0, 255);
        assertEquals(6, ImageGrid.every(31, large), "six frames of 256 px fit");
        assertEquals(6, ImageGrid.frames(31, 6));
    }

    /** Chains (m, len, C, H, W): the data end (index 0) is hi, every other state lo. */
    static float[] chains(int m, int len, ImageFormat f) {
        float[] tr = new float[m * len * f.values()];
        Arrays.fill(tr, (float) f.lo());
        for (int s = 0; s < m; s++) Arrays.fill(tr, s * len * f.values(), (s * len + 1) * f.values(), (float) f.hi());
        return tr;
    }

    @Test void generationPictureKeepsTheMnistLayout(@TempDir Path tmp) throws IOException {
        ImageFormat f = new ImageFormat(1, 28, 28, -1, 1);
        int m = 24, len = 31;
        float[] gen = new float[100 * 784];
        Arrays.fill(gen, 1f);
        Path png = tmp.resolve("plot-ipf1.png");
        ImageGrid.iteration(png, "mnist, IPF iteration 1 of 2", false, new Points(100, 784, gen), chains(m, len, f), m, len, f);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(950, img.getWidth(), "16 frames of 56 px and margins, as before");
        int gridTop = M + ImageGrid.TEXT, gridHeight = 8 * 58 - GAP;
        assertEquals(gridTop + gridHeight + M + ImageGrid.TEXT + 4 * 58 - GAP + M, img.getHeight(), "four strips below 8 × 8");
        int gridLeft = (950 - (8 * 58 - GAP)) / 2;
        assertEquals(WHITE, rgb(img, gridLeft + 7 * 58 + 55, gridTop + 7 * 58 + 55), "64 samples: the last cell of 8 × 8");
        int stripTop = gridTop + gridHeight + M + ImageGrid.TEXT;
        assertEquals(BLACK, rgb(img, M + 28, stripTop + 3 * 58 + 28), "the fourth strip starts at the prior end");
        assertEquals(WHITE, rgb(img, M + 15 * 58 + 28, stripTop + 3 * 58 + 28), "and ends at the data end");
        assertEquals(WHITE, rgb(img, M + 15 * 58 + 28, stripTop + 28));
        assertFalse(Files.exists(tmp.resolve("plot-ipf1.png.tmp")), "the temporary file is renamed");
    }

    @Test void transportPictureShowsInputThenOutput(@TempDir Path tmp) throws IOException {
        ImageFormat f = new ImageFormat(3, 16, 16, 0, 255);                   // ×4: 64-px cells
        int m = 5, len = 11;
        Path png = tmp.resolve("transport.png");
        Files.writeString(png, "an older picture");
        ImageGrid.iteration(png, "t", true, new Points(3, 768, new float[3 * 768]), chains(m, len, f), m, len, f);
        BufferedImage img = ImageIO.read(png.toFile());
        int pair = 2 * 64 + GAP + ImageGrid.PAIR_GAP, gridWidth = 4 * (pair + GAP) - GAP;
        assertEquals(Math.max(gridWidth, 11 * 66 - GAP) + 2 * M, img.getWidth());
        int left = (img.getWidth() - gridWidth) / 2, top = M + ImageGrid.TEXT;
        assertEquals(BLACK, rgb(img, left + 32, top + 32), "input: the prior end");
        assertEquals(WHITE, rgb(img, left + 64 + GAP + 32, top + 32), "output: the data end");
        assertEquals(WHITE, rgb(img, left + 64 + GAP + 32, top + 66 + 32), "the fifth pair starts row 2");
    }

    @Test void badShapesAreOneLineErrors(@TempDir Path tmp) {
        Path png = tmp.resolve("x.png");
        for (Runnable r : new Runnable[]{
                () -> new ImageFormat(2, 28, 28, 0, 1),
                () -> new ImageFormat(1, 28, 28, 1, 1),
                () -> new ImageFormat(1, 0, 28, 0, 1),
                () -> uncheck(() -> ImageGrid.write(png, new float[783], 1, 1, 28, 28, 0, 1, 8, null)),
                () -> uncheck(() -> ImageGrid.chains(png, new float[10], 1, 2, new ImageFormat(1, 2, 2, 0, 1), 1, null))}) {
            var e = assertThrows(IllegalArgumentException.class, r::run);
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        assertFalse(Files.exists(png));
    }

    interface Io { void run() throws IOException; }

    static void uncheck(Io io) {
        try {
            io.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
