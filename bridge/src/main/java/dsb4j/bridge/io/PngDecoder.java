package dsb4j.bridge.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A PNG decoder of our own, so PNG folders load without java.desktop (absent from jlink runtimes) and faster
 * than through javax.imageio. Reads every standard format: grey 1/2/4/8/16 bits, grey+alpha and RGB(A) 8/16,
 * palette 1/2/4/8, plain or Adam7-interlaced, all five row filters. Chunk CRCs are checked, so a damaged file is
 * named rather than read as noise. Ancillary chunks (gAMA, tRNS, text …) are skipped: pixels are taken as
 * stored, and alpha is dropped, not composited (a transparent pixel keeps its stored colour).
 *
 * <p>Grey images (and palettes whose every entry is grey) give 1 channel, colour 3. Grey samples of fewer than
 * 8 bits are scaled to 0…255 (a 1-bit image gives 0 and 255), as the PNG standard says they mean.
 */
final class PngDecoder {
    private PngDecoder() {}

    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    // Adam7: where each of the seven passes starts and how far apart its pixels lie
    private static final int[] X0 = {0, 4, 0, 2, 0, 1, 0}, Y0 = {0, 0, 4, 0, 2, 0, 1};
    private static final int[] DX = {8, 8, 4, 4, 2, 2, 1}, DY = {8, 8, 8, 4, 4, 2, 2};

    static final int GREY = 0, RGB = 2, PALETTE = 3, GREY_ALPHA = 4, RGBA = 6;

    static boolean isPng(byte[] b) {
        return b.length >= SIGNATURE.length && Arrays.equals(b, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length);
    }

    static DecodedImage decode(Path file, byte[] b) throws IOException {
        if (!isPng(b)) throw new IOException(file + ": not a PNG image (the file does not start with the PNG signature)");
        int width = 0, height = 0, depth = 0, type = -1, interlace = 0;
        byte[] palette = null;
        int[] idat = new int[16];                       // (offset, length) of each IDAT chunk
        int idats = 0;
        CRC32 crc = new CRC32();
        int pos = SIGNATURE.length;
        boolean end = false;
        while (!end) {
            if (pos == b.length && idats > 0) break;    // no IEND after whole chunks: the image data decides if anything is missing
            if (pos + 8 > b.length) throw new IOException(file + ": truncated PNG (the file ends before its IEND chunk)");
            long length = be32(b, pos) & 0xFFFFFFFFL;
            String chunk = new String(b, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (pos + 12 + length > b.length) throw new IOException(file + ": truncated PNG (the file ends inside its " + chunk + " chunk)");
            int data = pos + 8, len = (int) length;
            crc.reset();
            crc.update(b, pos + 4, 4 + len);
            if ((int) crc.getValue() != be32(b, data + len))
                throw new IOException(file + ": damaged PNG (the checksum of its " + chunk + " chunk does not match)");
            if (pos == SIGNATURE.length && !chunk.equals("IHDR")) throw new IOException(file + ": damaged PNG (the first chunk is " + chunk + ", not IHDR)");
            switch (chunk) {
                case "IHDR" -> {
                    if (len != 13) throw new IOException(file + ": damaged PNG (IHDR of " + len + " bytes, not 13)");
                    width = be32(b, data);
                    height = be32(b, data + 4);
                    depth = b[data + 8];
                    type = b[data + 9];
                    interlace = b[data + 12];
                    checkHeader(file, width, height, depth, type, b[data + 10], b[data + 11], interlace);
                }
                case "PLTE" -> {
                    if (len % 3 != 0 || len == 0 || len > 3 * 256) throw new IOException(file + ": damaged PNG (a palette of " + len + " bytes)");
                    palette = Arrays.copyOfRange(b, data, data + len);
                }
                case "IDAT" -> {
                    if (2 * idats + 2 > idat.length) idat = Arrays.copyOf(idat, 2 * idat.length);
                    idat[2 * idats] = data;
                    idat[2 * idats + 1] = len;
                    idats++;
                }
                case "IEND" -> end = true;
                default -> {
                    if (Character.isUpperCase(chunk.charAt(0)))     // a critical chunk we cannot skip safely
                        throw new IOException(file + ": unsupported PNG (unknown critical chunk " + chunk + ")");
                }
            }
            pos = data + len + 4;
        }
        if (idats == 0) throw new IOException(file + ": damaged PNG (no image data: no IDAT chunk)");
        if (type == PALETTE && palette == null) throw new IOException(file + ": damaged PNG (a palette image without a PLTE chunk)");

        int spp = switch (type) { case RGB -> 3; case GREY_ALPHA -> 2; case RGBA -> 4; default -> 1; };
        int bpp = Math.max(1, spp * depth / 8);         // bytes per pixel, as the filters count them
        int passes = interlace == 1 ? 7 : 1;
        long raw = 0;
        for (int p = 0; p < passes; p++) raw += passBytes(width, height, spp * depth, interlace, p);
        boolean greyPalette = type == PALETTE && isGrey(palette);
        int channels = type == GREY || type == GREY_ALPHA || greyPalette ? 1 : 3;
        long samples = (long) channels * width * height;
        if (raw > Integer.MAX_VALUE - 8 || samples > Integer.MAX_VALUE - 8)
            throw new IOException(file + ": PNG of " + width + "×" + height + " is too large to read");
        HeapCheck.require(file, raw + samples * (depth == 16 ? 2 : 1), width + "×" + height + " pixels");
        byte[] bytes = inflate(file, b, idat, idats, (int) raw);

        PngPixels out = new PngPixels(width, height, channels, type, depth, palette);
        int at = 0;
        for (int p = 0; p < passes; p++) {
            int x0 = interlace == 1 ? X0[p] : 0, y0 = interlace == 1 ? Y0[p] : 0;
            int dx = interlace == 1 ? DX[p] : 1, dy = interlace == 1 ? DY[p] : 1;
            int pw = (width - x0 + dx - 1) / dx, ph = (height - y0 + dy - 1) / dy;
            if (pw <= 0 || ph <= 0) continue;
            int rowBytes = (int) ((pw * (long) (spp * depth) + 7) / 8);
            unfilter(file, bytes, at, ph, rowBytes, bpp);
            for (int r = 0; r < ph; r++) out.row(file, bytes, at + r * (rowBytes + 1) + 1, y0 + r * dy, x0, dx, pw);
            at += ph * (rowBytes + 1);
        }
        return out.image();
    }

    private static void checkHeader(Path file, int w, int h, int depth, int type, int compression, int filter, int interlace) throws IOException {
        if (w <= 0 || h <= 0) throw new IOException(file + ": damaged PNG (size " + w + "×" + h + ")");
        boolean ok = switch (type) {
            case GREY -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
            case PALETTE -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
            case RGB, GREY_ALPHA, RGBA -> depth == 8 || depth == 16;
            default -> false;
        };
        if (!ok) throw new IOException(file + ": damaged PNG (colour type " + type + " with bit depth " + depth + " does not exist)");
        if (compression != 0 || filter != 0 || (interlace != 0 && interlace != 1))
            throw new IOException(file + ": unsupported PNG (compression " + compression + ", filter method " + filter + ", interlace " + interlace + ")");
    }

    /** Filtered bytes of one pass (the whole image when not interlaced): a filter byte and the packed row, per row. */
    private static long passBytes(int w, int h, int bitsPerPixel, int interlace, int p) {
        int x0 = interlace == 1 ? X0[p] : 0, y0 = interlace == 1 ? Y0[p] : 0;
        int dx = interlace == 1 ? DX[p] : 1, dy = interlace == 1 ? DY[p] : 1;
        long pw = (w - x0 + dx - 1) / dx, ph = (h - y0 + dy - 1) / dy;
        if (pw <= 0 || ph <= 0) return 0;
        return ph * (1 + (pw * bitsPerPixel + 7) / 8);
    }

    private static boolean isGrey(byte[] palette) {
        for (int i = 0; i < palette.length; i += 3)
            if (palette[i] != palette[i + 1] || palette[i] != palette[i + 2]) return false;
        return true;
    }

    /** The IDAT chunks are one zlib stream; it must fill exactly the filtered rows. */
    private static byte[] inflate(Path file, byte[] b, int[] idat, int idats, int size) throws IOException {
        byte[] out = new byte[size];
        Inflater inf = new Inflater();
        try {
            int got = 0;
            for (int k = 0; k < idats && got < size && !inf.finished(); k++) {
                inf.setInput(b, idat[2 * k], idat[2 * k + 1]);
                while (got < size && !inf.finished() && !inf.needsInput()) {
                    int n = inf.inflate(out, got, size - got);
                    if (n == 0 && inf.needsDictionary()) throw new IOException(file + ": damaged PNG (its image data asks for a preset dictionary)");
                    got += n;
                    if (n == 0) break;                  // no progress without more input: on to the next chunk
                }
            }
            if (got < size)
                throw new IOException(file + ": truncated PNG (its image data holds " + got + " of the " + size + " bytes its size needs)");
        } catch (DataFormatException e) {
            throw new IOException(file + ": damaged PNG (its compressed image data is invalid: " + e.getMessage() + ")");
        } finally {
            inf.end();
        }
        return out;
    }

    /** Undoes the row filters in place; {@code bpp} is how far back "left" lies. */
    private static void unfilter(Path file, byte[] b, int at, int rows, int rowBytes, int bpp) throws IOException {
        int prev = -1;                                  // start of the previous row's bytes; none above the first
        for (int r = 0; r < rows; r++) {
            int filter = b[at] & 0xFF, cur = at + 1;
            switch (filter) {
                case 0 -> {}
                case 1 -> { for (int i = bpp; i < rowBytes; i++) b[cur + i] += b[cur + i - bpp]; }
                case 2 -> { if (prev >= 0) for (int i = 0; i < rowBytes; i++) b[cur + i] += b[prev + i]; }
                case 3 -> {
                    for (int i = 0; i < rowBytes; i++) {
                        int left = i >= bpp ? b[cur + i - bpp] & 0xFF : 0, up = prev >= 0 ? b[prev + i] & 0xFF : 0;
                        b[cur + i] += (byte) ((left + up) >>> 1);
                    }
                }
                case 4 -> {
                    for (int i = 0; i < rowBytes; i++) {
                        int a = i >= bpp ? b[cur + i - bpp] & 0xFF : 0, up = prev >= 0 ? b[prev + i] & 0xFF : 0;
                        int c = i >= bpp && prev >= 0 ? b[prev + i - bpp] & 0xFF : 0;
                        int p = a + up - c, pa = Math.abs(p - a), pb = Math.abs(p - up), pc = Math.abs(p - c);
                        b[cur + i] += (byte) (pa <= pb && pa <= pc ? a : pb <= pc ? up : c);
                    }
                }
                default -> throw new IOException(file + ": damaged PNG (row " + r + " has filter type " + filter + "; valid are 0 to 4)");
            }
            prev = cur;
            at = cur + rowBytes;
        }
    }

    static int be32(byte[] b, int i) {
        return (b[i] & 0xFF) << 24 | (b[i + 1] & 0xFF) << 16 | (b[i + 2] & 0xFF) << 8 | (b[i + 3] & 0xFF);
    }
}
