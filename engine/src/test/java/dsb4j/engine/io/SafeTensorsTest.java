package dsb4j.engine.io;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.tensor.DType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file format against bytes written by hand from the format's description (not by our writer):
 * the 8-byte little-endian length, the JSON header, then little-endian IEEE-754 elements.
 */
class SafeTensorsTest {
    private static final Backend B = Backends.scalar();

    @TempDir Path dir;

    /** 1.0f, -2.5f as little-endian floats; 0.5, -3.0 as little-endian doubles (from the IEEE-754 bit patterns). */
    private static final String DATA_A = "0000803f" + "000020c0";
    private static final String DATA_B = "000000000000e03f" + "00000000000008c0";

    /** A file whose JSON lists "b" before "a" while the data holds "a" first, with padding spaces and an escape. */
    static byte[] handWritten() {
        String json = "{\"b\": {\"dtype\":\"F64\",\"shape\":[2,1],\"data_offsets\":[8,24]}, "
                + "\"__metadata__\":{\"config\":\"{\\\"lr\\\": 1e-4}\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}   ";
        return fileBytes(json, DATA_A + DATA_B);
    }

    static byte[] fileBytes(String json, String dataHex) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = h.length;
        for (int i = 0; i < 8; i++) out.write((int) (n >>> (8 * i)) & 0xff);
        out.writeBytes(h);
        out.writeBytes(HexFormat.of().parseHex(dataHex));
        return out.toByteArray();
    }

    private Path put(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test void readsAHandWrittenFile() throws IOException {
        var c = SafeTensors.read(put("hand.safetensors", handWritten()), B);
        assertEquals(java.util.List.of("a", "b"), java.util.List.copyOf(c.tensors().keySet()), "data order");
        Tensor a = c.tensors().get("a"), b = c.tensors().get("b");
        assertEquals(DType.F32, a.dtype());
        assertArrayEquals(new int[]{2}, a.dims());
        assertArrayEquals(new float[]{1.0f, -2.5f}, a.toFloats());
        assertEquals(DType.F64, b.dtype());
        assertArrayEquals(new int[]{2, 1}, b.dims());
        assertArrayEquals(new double[]{0.5, -3.0}, b.toDoubles());
        assertEquals(Map.of("config", "{\"lr\": 1e-4}"), c.metadata());
    }

    @Test void writesTheExactBytesOfTheFormat() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", Tensor.of(B, new float[]{1.0f, -2.5f}, 2));
        m.put("b", Tensor.of(B, new double[]{0.5, -3.0}, 2, 1));
        Path p = dir.resolve("ours.safetensors");
        SafeTensors.write(p, m, Map.of("k", "v\"q"));
        String json = "{\"__metadata__\":{\"k\":\"v\\\"q\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[2,1],\"data_offsets\":[8,24]}}";
        json += " ".repeat((8 - json.length() % 8) % 8);
        assertArrayEquals(fileBytes(json, DATA_A + DATA_B), Files.readAllBytes(p));
    }

    @Test void roundTripsScalarsEmptyTensorsViewsAndUnicodeNames() throws IOException {
        Backend cpu = Backends.cpu(1);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("scalar", Tensor.scalar(cpu, DType.F64, 7.25));
        m.put("empty", Tensor.zeros(cpu, DType.F32, 0, 3));
        m.put("transposed", Tensor.of(cpu, new float[]{1, 2, 3, 4, 5, 6}, 2, 3).t());
        m.put("größe.µ", Tensor.of(cpu, new float[]{9}, 1));
        Path p = dir.resolve("rt.safetensors");
        SafeTensors.write(p, m);
        byte[] raw = Files.readAllBytes(p);
        assertEquals(0, (raw[0] & 0xff) % 8, "the header is padded to a multiple of 8 bytes");
        var c = SafeTensors.read(p, cpu);
        assertEquals(m.keySet(), c.tensors().keySet());
        for (var e : m.entrySet()) {
            Tensor r = c.tensors().get(e.getKey());
            assertEquals(e.getValue().shape(), r.shape(), e.getKey());
            assertEquals(e.getValue().dtype(), r.dtype(), e.getKey());
            assertArrayEquals(e.getValue().toDoubles(), r.toDoubles(), e.getKey());
        }
        assertTrue(c.metadata().isEmpty());
        assertEquals(SafeTensors.readHeader(p).entries().size(), 4);
    }

    private String failure(byte[] bytes) throws IOException {
        Path p = put("bad.safetensors", bytes);
        return assertThrows(MalformedTensorFileException.class, () -> SafeTensors.read(p, B)).getMessage();
    }

    private static void contains(String message, String... parts) {
        for (String s : parts) assertTrue(message.contains(s), "message '" + message + "' should mention '" + s + "'");
    }

    @Test void truncatedFilesNameTheShortfall() throws IOException {
        byte[] good = handWritten();
        contains(failure(Arrays.copyOf(good, good.length - 1)), "bad.safetensors", "truncated", "24 data bytes", "23");
        contains(failure(Arrays.copyOf(good, 5)), "truncated", "8-byte header length");
        contains(failure(Arrays.copyOf(good, 40)), "truncated", "header claims");
        contains(failure(new byte[0]), "truncated");
    }

    @Test void malformedHeadersAreNamed() throws IOException {
        contains(failure(fileBytes("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", "00000000")),
                "'a'", "unsupported dtype 'BF16'");
        contains(failure(fileBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", DATA_A)),
                "'a'", "needs 12 bytes", "span 8");
        contains(failure(fileBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", DATA_A)),
                "'a'", "starts at data byte 4");
        contains(failure(fileBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", DATA_A + "00")),
                "1 unexpected bytes");
        contains(failure(fileBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},}", DATA_A)), "bad header");
        contains(failure(fileBytes("[1,2]", "")), "must be a JSON object");
        contains(failure(fileBytes("{\"__metadata__\":{\"n\":3}}", "")), "__metadata__", "not a string");
        contains(failure(fileBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", DATA_A)), "non-negative");
        byte[] garbage = new byte[16];
        Arrays.fill(garbage, (byte) 0xff);
        contains(failure(garbage), "header length", "not plausible");
        byte[] notUtf8 = fileBytes("{}", "");
        notUtf8[8] = (byte) 0xc3;
        contains(failure(notUtf8), "UTF-8");
    }

    @Test void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path p = put("keep.safetensors", handWritten());
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("ok", Tensor.of(B, new float[]{1}, 1));
        bad.put("__metadata__", Tensor.of(B, new float[]{1}, 1));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(p, bad));
        assertThrows(IOException.class, () -> AtomicFiles.write(p, out -> {
            out.write(new byte[]{1, 2, 3});
            throw new IOException("disk full (simulated)");
        }));
        assertArrayEquals(handWritten(), Files.readAllBytes(p));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }
}
