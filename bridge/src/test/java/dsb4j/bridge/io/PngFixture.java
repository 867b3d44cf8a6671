package dsb4j.bridge.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A small PNG encoder for the tests, written from the PNG specification rather than from the decoder: every
 * colour type and bit depth, a chosen filter per row (so Sub, Up, Average and Paeth are each exercised, not
 * left to an encoder's heuristics), Adam7 interlacing, image data split over several IDAT chunks, and
 * ancillary chunks the decoder must skip. Also the expected decoding of what it writes.
 */
final class PngFixture {
    private PngFixture() {}

    static final int GREY = 0, RGB = 2, PALETTE = 3, GREY_ALPHA = 4, RGBA = 6;

    /** What to write: samples interleaved per pixel (spp each), row-major, each below 2^depth. */
    record Spec(int width, int height, int type, int depth, int[] samples, byte[] palette, int[] filters, boolean interlace) {
        int spp() { return switch (type) { case RGB -> 3; case GREY_ALPHA -> 2; case RGBA -> 4; default -> 1; }; }
    }

    /** Random samples for the given format; for palettes, {@code colours} random entries (grey ones if asked). */
    static Spec random(Random rnd, int w, int h, int type, int depth, int[] filters, boolean interlace, boolean greyPalette) {
        int spp = switch (type) { case RGB -> 3; case GREY_ALPHA -> 2; case RGBA -> 4; default -> 1; };
        int[] s = new int[w * h * spp];
        byte[] palette = null;
        int limit = 1 << depth;
        if (type == PALETTE) {
            int colours = Math.min(limit, 1 + rnd.nextInt(limit));
            palette = new byte[3 * colours];
            for (int i = 0; i < colours; i++) {
                int g = rnd.nextInt(256);
                for (int c = 0; c < 3; c++) palette[3 * i + c] = (byte) (greyPalette ? g : rnd.nextInt(256));
            }
            limit = colours;
        }
        for (int i = 0; i < s.length; i++) s[i] = rnd.nextInt(limit);
        return new Spec(w, h, type, depth, s, palette, filters, interlace);
    }

    static byte[] encode(Spec p) { return encode(p, 64, true); }

    /** The file, its image data cut into IDAT chunks of {@code idatSize} bytes, with a tEXt chunk if {@code extras}. */
    static byte[] encode(Spec p, int idatSize, boolean extras) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        byte[] ihdr = new byte[13];
        put32(ihdr, 0, p.width());
        put32(ihdr, 4, p.height());
        ihdr[8] = (byte) p.depth();
        ihdr[9] = (byte) p.type();
        ihdr[12] = (byte) (p.interlace() ? 1 : 0);
        chunk(out, "IHDR", ihdr);
        if (extras) chunk(out, "tEXt", "Comment\0written by PngFixture".getBytes(StandardCharsets.ISO_8859_1));
        if (p.palette() != null) chunk(out, "PLTE", p.palette());
        if (extras && p.palette() != null) chunk(out, "tRNS", new byte[]{0});   // transparency the decoder drops
        byte[] z = deflate(filtered(p));
        for (int at = 0; at < z.length; at += idatSize) {
            byte[] part = new byte[Math.min(idatSize, z.length - at)];
            System.arraycopy(z, at, part, 0, part.length);
            chunk(out, "IDAT", part);
        }
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** The rows as the zlib stream holds them: per pass, each row's filter byte then the filtered row. */
    static byte[] filtered(Spec p) {
        int[][] passes = p.interlace()
                ? new int[][]{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}
                : new int[][]{{0, 0, 1, 1}};
        int bitsPerPixel = p.spp() * p.depth(), bpp = Math.max(1, bitsPerPixel / 8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int row = 0;
        for (int[] pass : passes) {
            int pw = (p.width() - pass[0] + pass[2] - 1) / pass[2], ph = (p.height() - pass[1] + pass[3] - 1) / pass[3];
            if (pw <= 0 || ph <= 0) continue;
            int rowBytes = (pw * bitsPerPixel + 7) / 8;
            byte[] prev = new byte[rowBytes];           // the row above the first is zeros
            for (int r = 0; r < ph; r++, row++) {
                byte[] raw = new byte[rowBytes];
                int y = pass[1] + r * pass[3];
                for (int j = 0; j < pw; j++) {
                    int x = pass[0] + j * pass[2];
                    for (int c = 0; c < p.spp(); c++) put(raw, j * p.spp() + c, p.depth(), p.samples()[(y * p.width() + x) * p.spp() + c]);
                }
                int f = p.filters()[row % p.filters().length];
                out.write(f);
                out.writeBytes(filter(f, raw, prev, bpp));
                prev = raw;
            }
        }
        return out.toByteArray();
    }

    /** Filter types 0 to 4 as the specification defines them; any other type writes the row unfiltered. */
    static byte[] filter(int type, byte[] raw, byte[] prev, int bpp) {
        byte[] out = new byte[raw.length];
        for (int i = 0; i < raw.length; i++) {
            int a = i >= bpp ? raw[i - bpp] & 0xFF : 0, b = prev[i] & 0xFF, c = i >= bpp ? prev[i - bpp] & 0xFF : 0;
            int predictor = switch (type) {
                case 1 -> a;
                case 2 -> b;
                case 3 -> (a + b) / 2;
                case 4 -> paeth(a, b, c);
                default -> 0;
            };
            out[i] = (byte) (raw[i] - predictor);
        }
        return out;
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /** Sample k of a row at the given depth: bytes for 8, big-endian pairs for 16, high bits first below 8. */
    private static void put(byte[] row, int k, int depth, int v) {
        if (depth == 8) row[k] = (byte) v;
        else if (depth == 16) {
            row[2 * k] = (byte) (v >> 8);
            row[2 * k + 1] = (byte) v;
        } else {
            int bit = k * depth;
            row[bit / 8] |= (byte) (v << (8 - depth - bit % 8));
        }
    }

    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(6);
        d.setInput(data);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] head = new byte[8];
        put32(head, 0, data.length);
        System.arraycopy(type.getBytes(StandardCharsets.ISO_8859_1), 0, head, 4, 4);
        CRC32 crc = new CRC32();
        crc.update(head, 4, 4);
        crc.update(data);
        byte[] tail = new byte[4];
        put32(tail, 0, (int) crc.getValue());
        out.writeBytes(head);
        out.writeBytes(data);
        out.writeBytes(tail);
    }

    static void put32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** Colour channels the decoder should give: grey types and all-grey palettes 1, the rest 3. */
    static int channels(Spec p) {
        if (p.type() == GREY || p.type() == GREY_ALPHA) return 1;
        if (p.type() == PALETTE) {
            for (int i = 0; i < p.palette().length; i += 3)
                if (p.palette()[i] != p.palette()[i + 1] || p.palette()[i] != p.palette()[i + 2]) return 3;
            return 1;
        }
        return 3;
    }

    /** What the file should decode to, planar (C, H, W), values 0…255: from the samples, independently of the decoder. */
    static float[] expected(Spec p) {
        int w = p.width(), h = p.height(), plane = w * h, channels = channels(p), spp = p.spp();
        float[] out = new float[channels * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < channels; c++) {
                float v;
                if (p.type() == PALETTE) v = p.palette()[3 * p.samples()[i] + c] & 0xFF;
                else {
                    int s = p.samples()[i * spp + c];
                    v = p.depth() == 16 ? s / 257f : p.depth() == 8 ? s : s * 255 / ((1 << p.depth()) - 1);
                }
                out[c * plane + i] = v;
            }
        }
        return out;
    }
}
