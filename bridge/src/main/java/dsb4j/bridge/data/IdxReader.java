package dsb4j.bridge.data;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads MNIST-format IDX files (plain or gzip, told apart by the gzip magic bytes 1f 8b).
 * Layout: a big-endian 4-byte magic {@code 00 00 type rank}, then {@code rank} big-endian int32 sizes, then
 * the values row-major. MNIST uses type 0x08 (unsigned byte): magic 2051 for images (rank 3: count, rows,
 * columns) and 2049 for labels (rank 1: count). Every problem is an {@link IOException} naming the file.
 */
public final class IdxReader {
    private IdxReader() {}

    public static final int IMAGES_MAGIC = 0x0803;   // 2051
    public static final int LABELS_MAGIC = 0x0801;   // 2049

    /** The header of an IDX file: its magic number and sizes. */
    public record Header(int magic, int[] dims) {
        public int count() { return dims[0]; }
        @Override public String toString() { return "IDX(magic " + magic + ", dims " + Arrays.toString(dims) + ")"; }
    }

    /** Images with their labels, in file order. */
    public record Labelled(Points images, int rows, int cols, int[] labels) {}

    /** Images as points of d = rows·cols with pixels p mapped to p/127.5 − 1, i.e. [0, 255] → [−1, 1]. */
    public static Points images(Path file) throws IOException {
        return decodeImages(file, readAll(file));
    }

    /** Labels as ints 0..255. */
    public static int[] labels(Path file) throws IOException {
        byte[] bytes = readAll(file);
        Header h = header(file, bytes, LABELS_MAGIC, 1);
        int[] out = new int[h.count()];
        int off = 8;
        for (int i = 0; i < out.length; i++) out[i] = bytes[off + i] & 0xFF;
        return out;
    }

    /** An image file with its label file; the counts must agree. */
    public static Labelled read(Path imagesFile, Path labelsFile) throws IOException {
        byte[] bytes = readAll(imagesFile);
        Header h = header(imagesFile, bytes, IMAGES_MAGIC, 3);
        Points images = decodeImages(imagesFile, bytes);
        int[] labels = labels(labelsFile);
        if (labels.length != images.n())
            throw new IOException("IDX count mismatch: " + imagesFile + " holds " + images.n() + " images but "
                    + labelsFile + " holds " + labels.length + " labels");
        return new Labelled(images, h.dims()[1], h.dims()[2], labels);
    }

    /**
     * An image file and its label file given as their raw bytes (plain or gzip), e.g. class-path resources;
     * {@code imagesName} and {@code labelsName} stand for the files in error messages.
     */
    public static Labelled read(String imagesName, byte[] imagesRaw, String labelsName, byte[] labelsRaw) throws IOException {
        Path imagesFile = Path.of(imagesName), labelsFile = Path.of(labelsName);
        byte[] bytes = bounded(imagesFile, new ByteArrayInputStream(imagesRaw));
        Header h = header(imagesFile, bytes, IMAGES_MAGIC, 3);
        Points images = decodeImages(imagesFile, bytes);
        byte[] lb = bounded(labelsFile, new ByteArrayInputStream(labelsRaw));
        Header lh = header(labelsFile, lb, LABELS_MAGIC, 1);
        int[] labels = new int[lh.count()];
        for (int i = 0; i < labels.length; i++) labels[i] = lb[8 + i] & 0xFF;
        if (labels.length != images.n())
            throw new IOException("IDX count mismatch: " + imagesName + " holds " + images.n() + " images but "
                    + labelsName + " holds " + labels.length + " labels");
        return new Labelled(images, h.dims()[1], h.dims()[2], labels);
    }

    /** The header of any unsigned-byte IDX file, checked against the file's length (reads the whole file). */
    public static Header header(Path file) throws IOException {
        byte[] bytes = readAll(file);
        if (bytes.length < 4) throw new IOException(file + ": truncated IDX file (" + bytes.length + " bytes, the magic alone needs 4)");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new IOException(file + String.format(": not an IDX file (magic bytes %02x %02x %02x %02x; IDX starts with 00 00)",
                    bytes[0], bytes[1], bytes[2], bytes[3]));
        int magic = readInt(bytes, 0);
        return header(file, bytes, magic, magic & 0xFF);
    }

    private static Points decodeImages(Path file, byte[] bytes) throws IOException {
        Header h = header(file, bytes, IMAGES_MAGIC, 3);
        int n = h.dims()[0], d = h.dims()[1] * h.dims()[2];
        float[] out = new float[n * d];
        int off = 4 + 4 * 3;
        for (int k = 0; k < out.length; k++) out[k] = (bytes[off + k] & 0xFF) / 127.5f - 1f;
        return new Points(n, d, out);
    }

    /** Checks magic, rank, sizes and that the payload is exactly as long as the sizes say. */
    private static Header header(Path file, byte[] bytes, int wantMagic, int wantRank) throws IOException {
        if (bytes.length < 4) throw new IOException(file + ": truncated IDX file (" + bytes.length + " bytes, the magic alone needs 4)");
        int magic = readInt(bytes, 0);
        if (magic != wantMagic || (magic >>> 16) != 0) {
            String what = wantMagic == IMAGES_MAGIC ? "an image file (unsigned bytes, 3 dims)" : wantMagic == LABELS_MAGIC
                    ? "a label file (unsigned bytes, 1 dim)" : "an unsigned-byte IDX file of rank " + wantRank;
            throw new IOException(file + ": bad IDX magic " + magic + String.format(" (bytes %02x %02x %02x %02x)",
                    bytes[0], bytes[1], bytes[2], bytes[3]) + ", expected " + wantMagic + " for " + what);
        }
        if (((magic >> 8) & 0xFF) != 0x08)
            throw new IOException(file + ": IDX element type 0x" + Integer.toHexString((magic >> 8) & 0xFF) + " is not supported (only 0x08, unsigned byte)");
        int headerBytes = 4 + 4 * wantRank;
        if (bytes.length < headerBytes)
            throw new IOException(file + ": truncated IDX header (" + bytes.length + " bytes, rank " + wantRank + " needs " + headerBytes + ")");
        int[] dims = new int[wantRank];
        for (int k = 0; k < wantRank; k++) {
            dims[k] = readInt(bytes, 4 + 4 * k);
            if (dims[k] < 0 || (k > 0 && dims[k] == 0))
                throw new IOException(file + ": wrong IDX dims " + Arrays.toString(Arrays.copyOf(dims, k + 1)) + " (size " + k + " must be positive)");
        }
        long count = count(file, dims, headerBytes);
        long have = bytes.length - (long) headerBytes;
        if (have < count)
            throw new IOException(file + ": truncated IDX data: dims " + Arrays.toString(dims) + " need " + count
                    + " value bytes after the header, the file has " + have);
        if (have > count)
            throw new IOException(file + ": IDX file has " + (have - count) + " bytes beyond what dims " + Arrays.toString(dims)
                    + " describe (" + count + " values): wrong dims or a corrupted header");
        return new Header(magic, dims);
    }

    /** The number of values the dims describe, refused when it overflows or cannot be one array after the header. */
    private static long count(Path file, int[] dims, int headerBytes) throws IOException {
        long count = 1;
        try {
            for (int d : dims) count = Math.multiplyExact(count, (long) d);
        } catch (ArithmeticException e) {
            throw new IOException(file + ": IDX dims " + Arrays.toString(dims) + " describe more values than a 64-bit count holds");
        }
        if (count > Integer.MAX_VALUE - 8L - headerBytes)
            throw new IOException(file + ": IDX dims " + Arrays.toString(dims) + " hold " + count + " values, too many for one array");
        return count;
    }

    /** The file's bytes (gunzipped when it starts with the gzip magic), read no further than its header promises. */
    static byte[] readAll(Path file) throws IOException {
        if (!Files.exists(file)) throw new IOException(file + ": no such IDX file");
        if (!Files.isRegularFile(file)) throw new IOException(file + ": not a regular file");
        try (InputStream in = Files.newInputStream(file)) {
            return bounded(file, in);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such IDX file", e);
        }
    }

    /**
     * The IDX bytes of a plain or gzip stream, decompressing only what the header's dims promise (plus a little, to
     * tell a longer file): a small gzip that expands to gigabytes is refused after its header, not after inflating
     * it. The memory for the values is checked against the heap before it is taken. A stream shorter than promised
     * comes back short, for {@link #header(Path, byte[], int, int)} to name.
     */
    static byte[] bounded(Path file, InputStream raw) throws IOException {
        InputStream in = new java.io.BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        try {
            if (gzip) in = new GZIPInputStream(in, 1 << 16);
            byte[] head = in.readNBytes(4);
            if (head.length < 4 || head[0] != 0 || head[1] != 0) return head;      // header() names what is wrong
            int rank = head[3] & 0xFF;
            if (rank < 1 || rank > 8) return head;
            int headerBytes = 4 + 4 * rank;
            byte[] dimBytes = in.readNBytes(4 * rank);
            if (dimBytes.length < 4 * rank) return concat(head, dimBytes);
            int[] dims = new int[rank];
            for (int k = 0; k < rank; k++) {
                dims[k] = readInt(dimBytes, 4 * k);
                if (dims[k] < 0 || (k > 0 && dims[k] == 0)) return concat(head, dimBytes);
            }
            long count = count(file, dims, headerBytes);
            dsb4j.bridge.io.HeapCheck.require(file, headerBytes + count, String.format("%,d IDX values", count));
            byte[] all = new byte[(int) (headerBytes + count)];
            System.arraycopy(head, 0, all, 0, 4);
            System.arraycopy(dimBytes, 0, all, 4, dimBytes.length);
            int got = in.readNBytes(all, headerBytes, (int) count);
            if (got < count) return Arrays.copyOf(all, headerBytes + got);
            byte[] probe = in.readNBytes(1 << 20);
            if (probe.length > 0)
                throw new IOException(file + ": IDX file has " + (probe.length == 1 << 20 ? "more than 1 MB" : probe.length + " bytes")
                        + " beyond what dims " + Arrays.toString(dims) + " describe (" + count + " values): wrong dims or a corrupted header");
            return all;
        } catch (EOFException e) {
            throw new IOException(file + ": truncated gzip stream", e);
        } catch (ZipException e) {
            throw new IOException(file + ": corrupted gzip stream: " + e.getMessage(), e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }
}
