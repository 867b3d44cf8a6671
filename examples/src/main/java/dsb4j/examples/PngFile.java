package dsb4j.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * Writes a picture atomically: to {@code <name>.png.tmp} in the same folder, then one rename over the target, so
 * a viewer polling the run folder never reads half a PNG. It always replaces: a caller that must not overwrite
 * checks first.
 */
final class PngFile {
    private PngFile() {}

    static void write(BufferedImage img, Path png) throws IOException {
        Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
        try {
            if (!ImageIO.write(img, "png", tmp.toFile())) throw new IOException("no PNG writer in this Java runtime");
            Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
