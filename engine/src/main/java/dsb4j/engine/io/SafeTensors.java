package dsb4j.engine.io;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tensor files in the safetensors layout, loadable by the Python ecosystem:
 * <pre>
 *   u64 little-endian N | N bytes of JSON header | data section (raw little-endian elements, row-major)
 * </pre>
 * The header maps each tensor name to {"dtype", "shape", "data_offsets": [begin, end)} (offsets into the
 * data section) and may hold a {@code __metadata__} map of strings. Writes are atomic ({@link AtomicFiles}).
 * Reads validate the whole file before building a tensor and fail with a {@link MalformedTensorFileException}
 * naming the file and the defect. dsb4j reads and writes F32 and F64; tensors keep their order
 * (the data order on read, the map order on write).
 */
public final class SafeTensors {
    private SafeTensors() {}

    /** A file's tensors (on the backend given to {@link #read}) and its metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /** Writes {@code tensors} (any backend, any layout) and {@code metadata} atomically to {@code file}. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<SafeTensorsHeader.Entry> entries = new ArrayList<>();
        long offset = 0;
        for (var e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null || name.isEmpty() || name.equals(SafeTensorsHeader.METADATA_KEY))
                throw new IllegalArgumentException("safetensors write " + file + ": invalid tensor name '" + name + "'");
            if (t == null) throw new IllegalArgumentException("safetensors write " + file + ": tensor '" + name + "' is null");
            long bytes = (long) t.numel() * t.dtype().bytes();
            entries.add(new SafeTensorsHeader.Entry(name, t.dtype(), t.shape(), offset, offset + bytes));
            offset += bytes;
        }
        for (var e : metadata.entrySet())
            if (e.getKey() == null || e.getValue() == null)
                throw new IllegalArgumentException("safetensors write " + file + ": null metadata key or value");
        byte[] head = new SafeTensorsHeader(entries, metadata).encodeWithLength();
        List<Tensor> values = new ArrayList<>(tensors.values());
        AtomicFiles.write(file, out -> {
            out.write(head);
            for (Tensor t : values) writeData(out, t);
        });
    }

    /** Reads and validates the whole file; tensors are created on {@code backend} in their stored dtype. */
    public static Contents read(Path file, Backend backend) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            SafeTensorsHeader h = header(file, ch);
            long dataStart = ch.position();
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (SafeTensorsHeader.Entry e : h.entries()) {
                long n = e.end() - e.begin();
                if (n > Integer.MAX_VALUE - 16) throw malformed(file, "tensor '" + e.name() + "' is larger than 2 GiB");
                ByteBuffer buf = ByteBuffer.allocate((int) n).order(ByteOrder.LITTLE_ENDIAN);
                readFully(file, ch, buf, dataStart + e.begin());
                out.put(e.name(), decode(backend, e.dtype(), e.shape(), buf));
            }
            return new Contents(out, h.metadata());
        }
    }

    /** The header alone (names, dtypes, shapes, metadata), after checking the file's size against it. */
    public static SafeTensorsHeader readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, ch);
        }
    }

    public static Map<String, String> readMetadata(Path file) throws IOException {
        return readHeader(file).metadata();
    }

    /** Reads and validates the header; leaves the channel at the start of the data section. */
    private static SafeTensorsHeader header(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) throw malformed(file, "truncated: " + size + " bytes, but a safetensors file starts with an 8-byte header length");
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, len, 0);
        long n = len.getLong(0);
        if (n < 0 || n > SafeTensorsHeader.MAX_HEADER_BYTES)
            throw malformed(file, "header length " + Long.toUnsignedString(n) + " is not plausible (limit "
                    + SafeTensorsHeader.MAX_HEADER_BYTES + "); not a safetensors file?");
        if (8 + n > size)
            throw malformed(file, "truncated: the header claims " + n + " bytes but only " + (size - 8) + " follow the length prefix");
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(file, ch, hb, 8);
        SafeTensorsHeader h;
        try {
            h = SafeTensorsHeader.parse(hb.array());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw malformed(file, "bad header: " + e.getMessage());
        }
        long have = size - 8 - n, want = h.dataBytes();
        if (have < want) throw malformed(file, "truncated: the header describes " + want + " data bytes but the file holds " + have);
        if (have > want) throw malformed(file, (have - want) + " unexpected bytes after the last tensor's data");
        ch.position(8 + n);
        return h;
    }

    private static void readFully(Path file, FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) throw malformed(file, "truncated while reading (the file shrank?)");
        }
        buf.flip();
    }

    private static Tensor decode(Backend b, DType dtype, Shape shape, ByteBuffer buf) {
        int n = shape.numel();
        if (dtype == DType.F32) {
            float[] a = new float[n];
            buf.asFloatBuffer().get(a);
            return Tensor.of(b, a, shape.dims());
        }
        double[] a = new double[n];
        buf.asDoubleBuffer().get(a);
        return Tensor.of(b, a, shape.dims());
    }

    /** Row-major little-endian elements, converted in chunks so a large tensor is not copied twice over. */
    private static void writeData(OutputStream out, Tensor t) throws IOException {
        final int chunk = 1 << 14;
        ByteBuffer buf = ByteBuffer.allocate(chunk * 8).order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype() == DType.F32) {
            float[] a = t.toFloats();
            for (int i = 0; i < a.length; i += chunk) {
                int m = Math.min(chunk, a.length - i);
                buf.clear();
                buf.asFloatBuffer().put(a, i, m);
                out.write(buf.array(), 0, m * 4);
            }
        } else {
            double[] a = t.toDoubles();
            for (int i = 0; i < a.length; i += chunk) {
                int m = Math.min(chunk, a.length - i);
                buf.clear();
                buf.asDoubleBuffer().put(a, i, m);
                out.write(buf.array(), 0, m * 8);
            }
        }
    }

    private static MalformedTensorFileException malformed(Path file, String what) {
        return new MalformedTensorFileException(file + ": " + what);
    }
}
