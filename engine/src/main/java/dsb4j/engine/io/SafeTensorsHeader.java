package dsb4j.engine.io;

import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.*;

/**
 * The JSON header of a safetensors file: for each tensor its dtype, shape and byte range in the data
 * section, plus an optional {@code __metadata__} map of strings. Parsing validates everything the data
 * reader relies on: known dtypes, byte ranges that match the shapes, and ranges that tile the data
 * section exactly (no gaps, no overlaps) — the rules of the reference implementation.
 */
public record SafeTensorsHeader(List<Entry> entries, Map<String, String> metadata) {

    /** One tensor: byte range [begin, end) relative to the start of the data section. */
    public record Entry(String name, DType dtype, Shape shape, long begin, long end) {}

    /** The reference implementation refuses larger headers; so do we (a guard against garbage lengths). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    public SafeTensorsHeader {
        entries = List.copyOf(entries);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** Bytes of the data section the entries describe. */
    public long dataBytes() {
        return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).end();
    }

    /** The header JSON, padded with spaces to a multiple of 8 bytes (as the reference writer does). */
    byte[] encode() {
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        if (!metadata.isEmpty()) {
            b.append(Json.write(METADATA_KEY));
            b.append(":{");
            for (var e : metadata.entrySet()) {
                if (!first) b.append(',');
                first = false;
                b.append(Json.write(e.getKey()));
                b.append(':');
                b.append(Json.write(e.getValue()));
            }
            b.append('}');
            first = false;
        }
        for (Entry e : entries) {
            if (!first) b.append(',');
            first = false;
            b.append(Json.write(e.name()));
            b.append(":{\"dtype\":\"").append(e.dtype().safetensorsName()).append("\",\"shape\":[");
            int[] d = e.shape().dims();
            for (int i = 0; i < d.length; i++) b.append(i == 0 ? "" : ",").append(d[i]);
            b.append("],\"data_offsets\":[").append(e.begin()).append(',').append(e.end()).append("]}");
        }
        b.append('}');
        byte[] json = b.toString().getBytes(StandardCharsets.UTF_8);
        int pad = (8 - json.length % 8) % 8;
        byte[] out = Arrays.copyOf(json, json.length + pad);
        Arrays.fill(out, json.length, out.length, (byte) ' ');
        return out;
    }

    /** The 8-byte little-endian length prefix followed by the header. */
    byte[] encodeWithLength() {
        byte[] h = encode();
        ByteBuffer buf = ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(h.length).put(h);
        return buf.array();
    }

    /**
     * Parses and validates header bytes. Throws
     * {@link IllegalArgumentException} with the reason; the caller adds the file name.
     */
    static SafeTensorsHeader parse(byte[] bytes) {
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the header is not valid UTF-8");
        }
        if (!(Json.parse(json) instanceof Map<?, ?> parsed)) throw new IllegalArgumentException("the header must be a JSON object");
        @SuppressWarnings("unchecked") Map<String, Object> root = (Map<String, Object>) parsed;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (var e : root.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                if (!(e.getValue() instanceof Map<?, ?> m))
                    throw new IllegalArgumentException("__metadata__ must be an object of strings");
                for (var me : m.entrySet()) {
                    if (!(me.getValue() instanceof String v))
                        throw new IllegalArgumentException("__metadata__ value of \"" + me.getKey() + "\" is not a string");
                    metadata.put((String) me.getKey(), v);
                }
            } else {
                entries.add(entry(e.getKey(), e.getValue()));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : entries) {
            if (e.begin() != expected)
                throw new IllegalArgumentException("tensor '" + e.name() + "' starts at data byte " + e.begin() + " but the previous tensor ends at "
                        + expected + " (ranges must tile the data section without gaps or overlaps)");
            expected = e.end();
        }
        return new SafeTensorsHeader(entries, metadata);
    }

    private static Entry entry(String name, Object v) {
        if (!(v instanceof Map<?, ?> m)) throw new IllegalArgumentException("entry '" + name + "' is not an object");
        for (Object k : m.keySet())
            if (!Set.of("dtype", "shape", "data_offsets").contains(k))
                throw new IllegalArgumentException("entry '" + name + "' has an unknown field \"" + k + "\"");
        if (!(m.get("dtype") instanceof String dt)) throw new IllegalArgumentException("tensor '" + name + "' has no dtype");
        DType dtype;
        try {
            dtype = DType.fromSafetensorsName(dt);
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("tensor '" + name + "': " + ex.getMessage());
        }
        long[] dims = longs(name, "shape", m.get("shape"), -1);
        long[] off = longs(name, "data_offsets", m.get("data_offsets"), 2);
        int[] d = new int[dims.length];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor '" + name + "' has a dimension of " + dims[i]);
            d[i] = (int) dims[i];
            numel = Math.multiplyExact(numel, dims[i]);
        }
        if (numel > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor '" + name + "' has " + numel + " elements, more than dsb4j supports");
        if (off[1] < off[0]) throw new IllegalArgumentException("tensor '" + name + "' has data_offsets " + off[0] + " > " + off[1]);
        long want = numel * dtype.bytes();
        if (off[1] - off[0] != want)
            throw new IllegalArgumentException("tensor '" + name + "' of dtype " + dt + " and shape " + Arrays.toString(d) + " needs "
                    + want + " bytes but its data_offsets span " + (off[1] - off[0]));
        return new Entry(name, dtype, Shape.of(d), off[0], off[1]);
    }

    private static long[] longs(String name, String field, Object v, int size) {
        if (!(v instanceof List<?> l) || (size >= 0 && l.size() != size))
            throw new IllegalArgumentException("tensor '" + name + "': " + field + " must be a list" + (size >= 0 ? " of " + size + " integers" : " of integers"));
        long[] out = new long[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Long x) || x < 0)
                throw new IllegalArgumentException("tensor '" + name + "': " + field + " must hold non-negative integers, got " + l);
            out[i] = x;
        }
        return out;
    }
}
