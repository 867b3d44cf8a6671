package dsb4j.bridge.io;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * JPEG decoding through javax.imageio. The only class of the readers that names java.desktop's classes, and
 * it is loaded only when a JPEG is met, so a runtime without java.desktop (a jlink image) still reads PNG
 * folders; {@link ImageFolder} checks the module is there before calling in.
 *
 * <p>Grey images give 1 channel, the rest 3 (RGB). Samples come from the raster where the colour model is
 * plain grey or RGB (so values are exactly as decoded), and through {@code getRGB} (sRGB) for anything else.
 */
final class ImageIoDecoder {
    private ImageIoDecoder() {}

    static {
        ImageIO.setUseCache(false);                     // decode in memory, no temporary files
    }

    static DecodedImage decode(Path file, byte[] bytes, String kind) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": not a readable " + kind + " image (" + oneLine(e) + ")");
        }
        if (img == null) throw new IOException(file + ": not a readable " + kind + " image (no decoder recognises its content)");
        int w = img.getWidth(), h = img.getHeight(), plane = w * h;
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        int space = cm.getColorSpace().getType();
        boolean direct = !(cm instanceof IndexColorModel);
        if (direct && space == ColorSpace.TYPE_GRAY && r.getNumBands() >= 1) return fromRaster(r, w, h, 1, cm.getComponentSize(0));
        if (direct && space == ColorSpace.TYPE_RGB && r.getNumBands() >= 3
                && cm.getComponentSize(0) == cm.getComponentSize(1) && cm.getComponentSize(1) == cm.getComponentSize(2))
            return fromRaster(r, w, h, 3, cm.getComponentSize(0));
        byte[] out = new byte[3 * plane];
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < plane; i++) {
            out[i] = (byte) (argb[i] >> 16);
            out[plane + i] = (byte) (argb[i] >> 8);
            out[2 * plane + i] = (byte) argb[i];
        }
        return DecodedImage.of8(w, h, 3, out);
    }

    /** The first {@code channels} bands; 16-bit samples kept whole, other depths scaled to 8 bits. */
    private static DecodedImage fromRaster(Raster r, int w, int h, int channels, int bits) {
        int plane = w * h;
        int[] band = new int[plane];
        if (bits == 16) {
            short[] out = new short[channels * plane];
            for (int c = 0; c < channels; c++) {
                r.getSamples(0, 0, w, h, c, band);
                for (int i = 0; i < plane; i++) out[c * plane + i] = (short) band[i];
            }
            return DecodedImage.of16(w, h, channels, out);
        }
        byte[] out = new byte[channels * plane];
        int max = (1 << Math.min(bits, 16)) - 1;
        for (int c = 0; c < channels; c++) {
            r.getSamples(0, 0, w, h, c, band);
            for (int i = 0; i < plane; i++) out[c * plane + i] = (byte) (bits == 8 ? band[i] : Math.round(band[i] * 255.0 / max));
        }
        return DecodedImage.of8(w, h, channels, out);
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage();
        return (m == null || m.isBlank() ? e.getClass().getSimpleName() : m).replaceAll("\\s+", " ").strip();
    }
}
