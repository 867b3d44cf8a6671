package dsb4j.engine.io;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test void writesInInsertionOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("a", 2.5);
        m.put("list", List.of(1L, "two", true));
        m.put("nested", new LinkedHashMap<>(Map.of("k", List.of())));
        m.put("none", null);
        m.put("ints", new int[]{3, 4});
        assertEquals("{\"z\":1,\"a\":2.5,\"list\":[1,\"two\",true],\"nested\":{\"k\":[]},\"none\":null,\"ints\":[3,4]}", Json.write(m));
    }

    @Test void numbers() {
        assertEquals("[1.0E-4,1.0,-0.0,0.1,1.0E300,42,-7]", Json.write(List.of(1e-4, 1.0, -0.0, 0.1f, 1e300, 42, (short) -7)));
        // JSON has no NaN or infinities: they become null
        assertEquals("[null,null,null,null]", Json.write(List.of(Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN)));
        assertEquals("{\"loss\":null}", Json.write(Map.of("loss", Double.NaN)));
    }

    @Test void escapesStrings() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001/é😀\"", Json.write("a\"b\\c\n\t\r\b\f\u0001/é😀"));
        assertEquals("\"\\ud800x\"", Json.write("\ud800x"));              // a lone surrogate cannot go to UTF-8 raw
        assertEquals("\"\\u2028\"", Json.write("\u2028"));
        String tricky = "quote\" back\\ nl\n tab\t ctl\u001f emoji😀 lone\udc00 end";
        assertEquals(tricky, Json.parse(Json.write(tricky)));
    }

    @Test void parsesWhatItWrites() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preset", "moons");
        m.put("dim", 2);
        m.put("lr", 1e-3);
        m.put("seed", 1L << 40);
        m.put("warm_start", false);
        m.put("hidden", List.of(256, 256));
        m.put("nested", Map.of("x", List.of(Map.of("y", -1.5e-7))));
        m.put("null", null);
        Object back = Json.parse(Json.write(m));
        Map<String, Object> expected = new LinkedHashMap<>(m);
        expected.put("dim", 2L);                       // integers come back as Long
        expected.put("hidden", List.of(256L, 256L));
        assertEquals(expected, back);
        assertEquals(new ArrayList<>(m.keySet()), new ArrayList<>(((Map<?, ?>) back).keySet()), "file order kept");
        assertEquals(Json.write(m), Json.write(Json.parse(Json.writePretty(m))));
    }

    @Test void parsesStandardJson() {
        Object v = Json.parse(" {\"a\" : [ 1 , -0.5e+2 , 3E-1, 12345678901234567890, \"\\u00e9\\ud83d\\ude00\\/\" ],\n \"b\": {} } ");
        Map<?, ?> m = (Map<?, ?>) v;
        List<?> a = (List<?>) m.get("a");
        assertEquals(1L, a.get(0));
        assertEquals(-50.0, a.get(1));
        assertEquals(0.3, a.get(2));
        assertEquals(1.2345678901234567e19, a.get(3));             // too big for long: a double
        assertEquals("é😀/", a.get(4));
        assertEquals(Map.of(), m.get("b"));
        assertNull(Json.parse("null"));
        assertEquals(Boolean.TRUE, Json.parse("true"));
        assertEquals(Arrays.asList(1L, null), Json.parse("[1,null]"));
    }

    @Test void errorsSayWhereAndWhat() {
        assertError("{\"a\":1,}", "expected a string key", "offset 7");
        assertError("{\"a\" 1}", "expected ':'", "line 1, column 6");
        assertError("[1 2]", "expected ',' or ']'");
        assertError("{\n  \"a\": tru }", "expected true", "line 2");
        assertError("\"abc", "unterminated string");
        assertError("[01]", "expected ',' or ']'");
        assertError("1.", "digits expected after '.'");
        assertError("-", "bad number");
        assertError("\"\\x\"", "bad escape");
        assertError("\"\\u12g4\"", "bad \\u escape");
        assertError("{} extra", "after the value");
        assertError("", "unexpected end");
        assertError("\"a\tb\"", "raw control character");
        assertError("[".repeat(600), "nesting deeper");
        var e = assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
        assertTrue(e.getMessage().contains("expected an object"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }

    private static void assertError(String text, String... parts) {
        var e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text), text);
        for (String p : parts) assertTrue(e.getMessage().contains(p), text + " → " + e.getMessage());
    }
}
