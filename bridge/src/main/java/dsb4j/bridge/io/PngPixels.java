package dsb4j.bridge.io;

import static dsb4j.bridge.io.PngDecoder.GREY;
import static dsb4j.bridge.io.PngDecoder.GREY_ALPHA;
import static dsb4j.bridge.io.PngDecoder.PALETTE;
import static dsb4j.bridge.io.PngDecoder.RGB;
import static dsb4j.bridge.io.PngDecoder.RGBA;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Unpacks unfiltered PNG rows into planar samples: the one place that knows how each colour type and bit
 * depth packs its pixels. A row may be a full image row or one row of an Adam7 pass, whose pixels lie
 * {@code dx} apart starting at column {@code x0}. Alpha is skipped; palette indices are looked up.
 */
final class PngPixels {
    private final int width, height, channels, type, depth, plane;
    private final byte[] palette;
    private final byte[] out8;
    private final short[] out16;

    PngPixels(int width, int height, int channels, int type, int depth, byte[] palette) {
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.type = type;
        this.depth = depth;
        this.palette = palette;
        this.plane = width * height;
        this.out8 = depth == 16 ? null : new byte[channels * plane];
        this.out16 = depth == 16 ? new short[channels * plane] : null;
    }

    DecodedImage image() {
        return out8 != null ? DecodedImage.of8(width, height, channels, out8) : DecodedImage.of16(width, height, channels, out16);
    }

    /** The {@code pw} pixels of one row whose bytes start at {@code b[at]}, for image row {@code y}. */
    void row(Path file, byte[] b, int at, int y, int x0, int dx, int pw) throws IOException {
        int o = y * width + x0;
        switch (type) {
            case GREY -> {
                if (depth == 8 && dx == 1) System.arraycopy(b, at, out8, o, pw);
                else if (depth == 8) for (int j = 0; j < pw; j++) out8[o + j * dx] = b[at + j];
                else if (depth == 16) for (int j = 0; j < pw; j++) out16[o + j * dx] = be16(b, at + 2 * j);
                else {
                    int scale = 255 / ((1 << depth) - 1);   // 255, 85 or 17: exact for 1, 2 and 4 bits
                    for (int j = 0; j < pw; j++) out8[o + j * dx] = (byte) (packed(b, at, j) * scale);
                }
            }
            case GREY_ALPHA -> interleaved(b, at, o, dx, pw, 2, 1);
            case RGB -> interleaved(b, at, o, dx, pw, 3, 3);
            case RGBA -> interleaved(b, at, o, dx, pw, 4, 3);
            case PALETTE -> {
                int colours = palette.length / 3;
                for (int j = 0; j < pw; j++) {
                    int index = depth == 8 ? b[at + j] & 0xFF : packed(b, at, j);
                    if (index >= colours)
                        throw new IOException(file + ": damaged PNG (pixel " + (x0 + j * dx) + "," + y + " has palette index "
                                + index + ", beyond its " + colours + " colours)");
                    for (int c = 0; c < channels; c++) out8[c * plane + o + j * dx] = palette[3 * index + c];
                }
            }
            default -> throw new IllegalStateException("PngPixels: colour type " + type);
        }
    }

    /** Pixels of {@code spp} samples each, of which the first {@code keep} are colour (the rest is alpha). */
    private void interleaved(byte[] b, int at, int o, int dx, int pw, int spp, int keep) {
        for (int c = 0; c < keep; c++) {
            int base = c * plane + o;
            if (depth == 8) for (int j = 0; j < pw; j++) out8[base + j * dx] = b[at + spp * j + c];
            else for (int j = 0; j < pw; j++) out16[base + j * dx] = be16(b, at + 2 * (spp * j + c));
        }
    }

    /** Sample j of a row packed at 1, 2 or 4 bits per sample, leftmost pixel in the high bits. */
    private int packed(byte[] b, int at, int j) {
        int bit = j * depth;
        int shift = 8 - depth - (bit & 7);
        return (b[at + (bit >> 3)] >> shift) & ((1 << depth) - 1);
    }

    private static short be16(byte[] b, int i) { return (short) ((b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF)); }
}
