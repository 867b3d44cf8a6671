package dsb4j.bridge.io;

import dsb4j.bridge.data.Points;
import dsb4j.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files, so results open with {@code numpy.load}. Writes format 1.0, float32 little-endian
 * ({@code '<f4'}), C order: the magic {@code \x93NUMPY}, version 1 0, a little-endian uint16 header length, then
 * an ASCII dict padded with spaces and ended by a newline so the data starts at a multiple of 64 bytes.
 * Reads versions 1.0, 2.0 and 3.0 (4-byte header length), dtypes {@code '<f4'}, {@code '<f8'} (narrowed to
 * float) and {@code '|u1'} (uint8, as floats 0…255), C order only. Every problem is an {@link IOException} whose
 * one-line message starts with the file.
 */
public final class Npy {
    private Npy() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;

    /** The dtype a file held. Values are read as floats either way; uint8 becomes 0…255. */
    public enum Dtype {
        FLOAT32(4), FLOAT64(8), UINT8(1);

        /** Bytes per value in the file. */
        final int width;

        Dtype(int width) { this.width = width; }

        /** The dtype of a header's 'descr', or null for one this reader does not read. */
        static Dtype of(String descr) {
            return switch (descr) {
                case "<f4" -> FLOAT32;
                case "<f8" -> FLOAT64;
                case "|u1", "<u1", ">u1" -> UINT8;           // one byte has no byte order
                default -> null;
            };
        }
    }

    /** A float array, its shape (row-major) and the dtype it was read from. */
    public record Array(int[] shape, float[] data, Dtype dtype) {
        public Array {
            if (dtype == null) throw new IllegalArgumentException("Npy.Array: dtype is null");
            long n = 1;
            for (int s : shape) n = Math.multiplyExact(n, (long) s);
            if (n != data.length)
                throw new IllegalArgumentException("Npy.Array: shape " + Arrays.toString(shape) + " holds " + n + " values, got " + data.length);
        }

        /** Float32 data, as written by {@link #write}. */
        public Array(int[] shape, float[] data) { this(shape, data, Dtype.FLOAT32); }

        /** Rows are the first axis, all other axes flattened (a vector gives d = 1). */
        public Points points() {
            if (shape.length == 0) throw new IllegalArgumentException("Npy.Array.points: a 0-d array has no rows");
            long d = 1;
            for (int k = 1; k < shape.length; k++) d *= shape[k];
            return new Points(shape[0], (int) d, data);
        }
    }

    /** Writes (n, d). */
    public static void write(Path file, Points p) throws IOException { write(file, p.data(), p.n(), p.d()); }

    /** Writes {@code data} with the given shape, atomically (temporary file, then rename). */
    public static void write(Path file, float[] data, int... shape) throws IOException {
        long n = 1;
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException("Npy.write " + file + ": negative size in shape " + Arrays.toString(shape));
            n *= s;
        }
        if (n != data.length)
            throw new IllegalArgumentException("Npy.write " + file + ": shape " + Arrays.toString(shape) + " holds " + n + " values, got " + data.length);
        byte[] header = header(shape);
        AtomicFiles.write(file, out -> {
            out.write(header);
            ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : data) {
                if (!buf.hasRemaining()) { out.write(buf.array(), 0, buf.position()); buf.clear(); }
                buf.putFloat(v);
            }
            out.write(buf.array(), 0, buf.position());
        });
    }

    /** Magic, version 1.0, length and the padded dict: a multiple of 64 bytes. */
    static byte[] header(int[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (");
        for (int k = 0; k < shape.length; k++) dict.append(k == 0 ? "" : " ").append(shape[k]).append(',');
        if (shape.length > 1) dict.setLength(dict.length() - 1);    // (5,) for one axis, (2, 3) for more
        dict.append("), }");
        int prefix = MAGIC.length + 2 + 2;
        int total = ((prefix + dict.length() + 1 + ALIGN - 1) / ALIGN) * ALIGN;
        while (dict.length() < total - prefix - 1) dict.append(' ');
        dict.append('\n');
        if (dict.length() > 0xFFFF) throw new IllegalArgumentException("Npy: header for shape " + Arrays.toString(shape) + " is too long");
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) dict.length());
        b.put(dict.toString().getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    /** numpy itself refuses headers over 10 kB by default; anything this large is a damaged or hostile file. */
    private static final long MAX_HEADER = 1L << 20;

    /** Bytes read per step: large enough for bulk conversion, small enough to stay out of the way of the heap. */
    private static final int CHUNK = 1 << 20;

    /**
     * Reads a whole file. The header's promise (shape × item size) is checked against the file's size and the
     * free heap before the float array is allocated; the values are then read in 1 MB chunks, so a file is
     * never held in memory twice.
     */
    public static Array read(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new IOException(file + ": is a folder, not a .npy file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, ch);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such .npy file", e);
        } catch (AccessDeniedException e) {
            throw new IOException(file + ": cannot read the .npy file (permission denied)", e);
        }
    }

    private static Array read(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer pre = ByteBuffer.allocate((int) Math.min(12, size)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, pre, 0);
        byte[] b = pre.array();
        if (b.length < MAGIC.length + 2 || !Arrays.equals(Arrays.copyOf(b, MAGIC.length), MAGIC))
            throw new IOException(file + ": not a .npy file (bad magic; expected \\x93NUMPY)");
        int major = b[6] & 0xFF, minor = b[7] & 0xFF;
        if (major < 1 || major > 3 || minor != 0)
            throw new IOException(file + ": unsupported .npy version " + major + "." + minor + " (readable: 1.0, 2.0, 3.0)");
        int lenBytes = major == 1 ? 2 : 4;
        int start = 8 + lenBytes;
        if (size < start) throw new IOException(file + ": truncated .npy header (" + size + " bytes)");
        long headerLen = major == 1 ? (pre.getShort(8) & 0xFFFF) : (pre.getInt(8) & 0xFFFFFFFFL);
        if (start + headerLen > size)
            throw new IOException(file + ": truncated .npy header (says " + headerLen + " bytes, the file has " + (size - start) + " after the length)");
        if (headerLen > MAX_HEADER)
            throw new IOException(file + ": .npy header of " + headerLen + " bytes is too long (a damaged file?)");
        ByteBuffer h = ByteBuffer.allocate((int) headerLen);
        readFully(file, ch, h, start);
        String dict = new String(h.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        Matcher m = DESCR.matcher(dict);
        if (!m.find()) throw new IOException(file + ": .npy header has no 'descr': " + dict.strip());
        String descr = m.group(1);
        Dtype dtype = Dtype.of(descr);
        if (dtype == null)
            throw new IOException(file + ": unsupported .npy dtype '" + descr + "' (readable: '<f4' float32, '<f8' float64, '|u1' uint8)");
        m = FORTRAN.matcher(dict);
        if (!m.find()) throw new IOException(file + ": .npy header has no 'fortran_order': " + dict.strip());
        if (m.group(1).equals("True")) throw new IOException(file + ": Fortran-order .npy arrays are not supported (save with C order)");
        m = SHAPE.matcher(dict);
        if (!m.find()) throw new IOException(file + ": .npy header has no 'shape': " + dict.strip());
        int[] shape = parseShape(file, m.group(1));

        long count = 1;
        for (int s : shape) count *= s;                 // parseShape checked that this product fits
        String shown = Arrays.toString(shape);
        long bytesOut = HeapCheck.floatBytes(file, count, "shape " + shown);
        long have = size - start - headerLen;
        long need = count * dtype.width;
        if (have < need)
            throw new IOException(file + ": truncated .npy data: shape " + shown + " of " + descr + " needs "
                    + need + " bytes, the file has " + have);
        if (have > need)
            throw new IOException(file + ": .npy file has " + (have - need) + " bytes beyond shape " + shown + " of " + descr);
        HeapCheck.require(file, bytesOut, HeapCheck.count(count) + " values");
        float[] data = new float[(int) count];
        readValues(file, ch, start + headerLen, dtype, data);
        return new Array(shape, data, dtype);
    }

    /** Bulk-converts chunk by chunk through little-endian buffer views: no per-element calls on the channel. */
    private static void readValues(Path file, FileChannel ch, long pos, Dtype dtype, float[] data) throws IOException {
        int perChunk = CHUNK / dtype.width;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, (long) data.length * dtype.width)).order(ByteOrder.LITTLE_ENDIAN);
        double[] wide = dtype == Dtype.FLOAT64 ? new double[Math.min(perChunk, data.length)] : null;
        for (int at = 0; at < data.length; ) {
            int n = Math.min(perChunk, data.length - at);
            buf.clear().limit(n * dtype.width);
            readFully(file, ch, buf, pos);
            buf.flip();
            pos += (long) n * dtype.width;
            switch (dtype) {
                case FLOAT32 -> buf.asFloatBuffer().get(data, at, n);
                case FLOAT64 -> {
                    buf.asDoubleBuffer().get(wide, 0, n);
                    for (int i = 0; i < n; i++) data[at + i] = (float) wide[i];
                }
                case UINT8 -> {
                    byte[] a = buf.array();
                    for (int i = 0; i < n; i++) data[at + i] = a[i] & 0xFF;
                }
            }
            at += n;
        }
    }

    /** Fills {@code buf} from {@code pos} on; the sizes were checked, so an early end means the file changed under us. */
    private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) throw new IOException(file + ": the .npy file ended early (was it changed while being read?)");
            pos += r;
        }
    }

    /**
     * The sizes of "(2, 3)", "(5,)" or "()". Sizes and their product are checked in 64 bits, so a hostile header
     * such as (65536, 65536, 65536, 65536) is refused rather than wrapping around to 0 values.
     */
    private static int[] parseShape(Path file, String inner) throws IOException {
        String[] parts = inner.split(",");
        int k = 0;
        int[] shape = new int[parts.length];
        long product = 1;
        for (String p : parts) {
            String t = p.strip();
            if (t.isEmpty()) continue;                      // trailing comma of "(5,)", or "()"
            if (t.endsWith("L")) t = t.substring(0, t.length() - 1);   // Python 2 longs
            if (!t.matches("-?[0-9]+")) throw new IOException(file + ": bad .npy shape (" + inner + ")");
            if (t.startsWith("-")) throw new IOException(file + ": negative size in .npy shape (" + inner + ")");
            long size = t.length() > 18 ? Long.MAX_VALUE : Long.parseLong(t);
            if (size > Integer.MAX_VALUE)
                throw new IOException(file + ": .npy shape (" + inner.strip() + ") is too large (a size beyond "
                        + HeapCheck.count(Integer.MAX_VALUE) + ")");
            try {
                product = Math.multiplyExact(product, size);
            } catch (ArithmeticException e) {
                throw new IOException(file + ": .npy shape (" + inner.strip() + ") is too large (more than "
                        + HeapCheck.count(Long.MAX_VALUE) + " values)");
            }
            shape[k++] = (int) size;
        }
        return Arrays.copyOf(shape, k);
    }
}
