package dsb4j.examples;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.Points;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The point pictures for d = 1 (densities), 2 (as today) and d > 2 (principal components) write readable PNGs. */
class ScatterPlotTest {

    @BeforeAll static void headless() { System.setProperty("java.awt.headless", "true"); }

    static Points gaussian(int n, int d, double scale, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) x[i] = (float) (scale * (i % d + 1) * r.nextGaussian());
        return new Points(n, d, x);
    }

    /** A picture of the given size with some pixels of the generated points' blue (more blue than red by far). */
    static void checkPicture(Path png, int width, int height) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "ImageIO reads " + png);
        assertEquals(width, img.getWidth());
        assertEquals(height, img.getHeight());
        int blue = 0;
        for (int y = 0; y < img.getHeight(); y++)
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y), r = (p >> 16) & 255, b = p & 255;
                if (b > r + 80) blue++;
            }
        assertTrue(blue > 50, "generated points drawn: " + blue + " blue pixels");
        assertFalse(Files.exists(png.resolveSibling(png.getFileName() + ".tmp")));
    }

    @Test void fiveDimensionsOnPrincipalComponents(@TempDir Path tmp) throws IOException {
        int m = 6, len = 21, d = 5;
        Points target = gaussian(800, d, 1, 1), generated = gaussian(800, d, 1.1, 2);
        Path png = tmp.resolve("d5.png");
        ScatterPlot.write(png, "d = 5", generated, target, gaussian(m * len, d, 1, 3).data(), m, len);
        checkPicture(png, 760, 760);
    }

    @Test void oneDimensionAsDensities(@TempDir Path tmp) throws IOException {
        Points target = gaussian(2000, 1, 1, 4), generated = gaussian(1500, 1, 1.3, 5);
        generated.data()[0] = Float.NaN;
        generated.data()[1] = 1e6f;                                                  // a straggler: into the end bin
        Path png = tmp.resolve("d1.png");
        ScatterPlot.write(png, "d = 1", generated, target, new float[2 * 11], 2, 11);
        checkPicture(png, 760, 520);
    }

    @Test void densityBinsHaveRoundWidths() {
        assertEquals(0.2, DensityPlot.roundWidth(0.13), 1e-15);
        assertEquals(0.025, DensityPlot.roundWidth(0.021), 1e-15);
        assertEquals(5, DensityPlot.roundWidth(3), 1e-12);
        assertEquals(10, DensityPlot.roundWidth(5.5), 1e-12);
        assertEquals(1, DensityPlot.roundWidth(1), 1e-12);
    }

    @Test void twoDimensionsAsBefore(@TempDir Path tmp) throws IOException {
        Path png = tmp.resolve("d2.png");
        Files.writeString(png, "an older picture");
        ScatterPlot.write(png, "moons", gaussian(500, 2, 1, 6), gaussian(500, 2, 1, 7), gaussian(4 * 21, 2, 1, 8).data(), 4, 21);
        checkPicture(png, 760, 760);
    }

    @Test void mismatchedShapesAreOneLineErrors(@TempDir Path tmp) {
        Path png = tmp.resolve("x.png");
        var e = assertThrows(IllegalArgumentException.class,
                () -> ScatterPlot.write(png, "x", gaussian(10, 3, 1, 1), gaussian(10, 2, 1, 1), new float[2 * 5 * 2], 2, 5));
        assertEquals(1, e.getMessage().lines().count());
        assertThrows(IllegalArgumentException.class,
                () -> ScatterPlot.write(png, "x", gaussian(10, 2, 1, 1), gaussian(10, 2, 1, 1), new float[7], 2, 5));
        assertFalse(Files.exists(png));
    }
}
