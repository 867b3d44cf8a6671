package dsb4j.dsb.io;

import dsb4j.dsb.data.Points;
import dsb4j.engine.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files, so results open with {@code numpy.load}. Writes format 1.0, float32 little-endian
 * ({@code '<f4'}), C order: the magic {@code \x93NUMPY}, version 1 0, a little-endian uint16 header length, then
 * an ASCII dict padded with spaces and ended by a newline so the data starts at a multiple of 64 bytes.
 * Reads versions 1.0, 2.0 and 3.0 (4-byte header length), dtypes {@code '<f4'} and {@code '<f8'} (narrowed to
 * float), C order only.
 */
public final class Npy {
    private Npy() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;

    /** A float array and its shape (row-major). */
    public record Array(int[] shape, float[] data) {
        public Array {
            long n = 1;
            for (int s : shape) n *= s;
            if (n != data.length)
                throw new IllegalArgumentException("Npy.Array: shape " + Arrays.toString(shape) + " holds " + n + " values, got " + data.length);
        }

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

    public static Array read(Path file) throws IOException {
        byte[] b;
        try {
            b = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such .npy file", e);
        }
        if (b.length < MAGIC.length + 2 || !Arrays.equals(Arrays.copyOf(b, MAGIC.length), MAGIC))
            throw new IOException(file + ": not a .npy file (bad magic; expected \\x93NUMPY)");
        int major = b[6] & 0xFF, minor = b[7] & 0xFF;
        if (major < 1 || major > 3 || minor != 0)
            throw new IOException(file + ": unsupported .npy version " + major + "." + minor + " (readable: 1.0, 2.0, 3.0)");
        int lenBytes = major == 1 ? 2 : 4;
        int start = 8 + lenBytes;
        if (b.length < start) throw new IOException(file + ": truncated .npy header (" + b.length + " bytes)");
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen = major == 1 ? (le.getShort(8) & 0xFFFF) : (le.getInt(8) & 0xFFFFFFFFL);
        if (start + headerLen > b.length)
            throw new IOException(file + ": truncated .npy header (says " + headerLen + " bytes, the file has " + (b.length - start) + " after the length)");
        String dict = new String(b, start, (int) headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

        Matcher m = DESCR.matcher(dict);
        if (!m.find()) throw new IOException(file + ": .npy header has no 'descr': " + dict.strip());
        String descr = m.group(1);
        int width = switch (descr) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new IOException(file + ": unsupported .npy dtype '" + descr + "' (readable: '<f4' float32, '<f8' float64, little-endian)");
        };
        m = FORTRAN.matcher(dict);
        if (!m.find()) throw new IOException(file + ": .npy header has no 'fortran_order': " + dict.strip());
        if (m.group(1).equals("True")) throw new IOException(file + ": Fortran-order .npy arrays are not supported (save with C order)");
        m = SHAPE.matcher(dict);
        if (!m.find()) throw new IOException(file + ": .npy header has no 'shape': " + dict.strip());
        int[] shape = parseShape(file, m.group(1));

        long count = 1;
        for (int s : shape) count *= s;
        long have = b.length - start - headerLen;
        if (count > Integer.MAX_VALUE) throw new IOException(file + ": shape " + Arrays.toString(shape) + " is too large to read into one array");
        if (have < count * width)
            throw new IOException(file + ": truncated .npy data: shape " + Arrays.toString(shape) + " of " + descr + " needs "
                    + count * width + " bytes, the file has " + have);
        if (have > count * width)
            throw new IOException(file + ": .npy file has " + (have - count * width) + " bytes beyond shape " + Arrays.toString(shape) + " of " + descr);
        float[] data = new float[(int) count];
        le.position((int) (start + headerLen));
        if (width == 4) le.asFloatBuffer().get(data);
        else for (int i = 0; i < data.length; i++) data[i] = (float) le.getDouble();
        return new Array(shape, data);
    }

    private static int[] parseShape(Path file, String inner) throws IOException {
        String[] parts = inner.split(",");
        int k = 0;
        int[] shape = new int[parts.length];
        for (String p : parts) {
            String t = p.strip();
            if (t.isEmpty()) continue;                      // trailing comma of "(5,)", or "()"
            if (t.endsWith("L")) t = t.substring(0, t.length() - 1);   // Python 2 longs
            try {
                shape[k] = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new IOException(file + ": bad .npy shape (" + inner + ")");
            }
            if (shape[k] < 0) throw new IOException(file + ": negative size in .npy shape (" + inner + ")");
            k++;
        }
        return Arrays.copyOf(shape, k);
    }
}
