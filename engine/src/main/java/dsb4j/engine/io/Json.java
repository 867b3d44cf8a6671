package dsb4j.engine.io;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON writer and reader: safetensors headers, and the command line's config.json, metrics.jsonl and
 * checkpoint metadata.
 *
 * <p>Writing: maps (keys turned to strings, insertion order kept — use a LinkedHashMap), lists and other
 * collections, arrays (primitive or object), numbers, strings, booleans, enums (their name) and null.
 * Doubles are written with {@link Double#toString} (shortest round-trip form, e.g. {@code 1.0E-4}), floats with
 * {@link Float#toString}. <b>NaN and ±Infinity are written as {@code null}</b>: JSON has no such numbers, and a
 * file that Python's json module and jq can read matters more than keeping a diverged loss's sign.
 * Strings escape quotes, backslashes, control characters and unpaired surrogates.
 *
 * <p>Reading: objects become {@code LinkedHashMap<String, Object>} (file order), arrays {@code ArrayList},
 * numbers {@code Long} when written without fraction or exponent and they fit, else {@code Double}; strings,
 * booleans and null as themselves. Errors name the offset, line and column.
 */
public final class Json {
    private Json() {}

    private static final int MAX_DEPTH = 512;

    // ---- writing ------------------------------------------------------------------------------------

    /** One line of JSON. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, -1, 0);
        return sb.toString();
    }

    /** Indented by two spaces per level, for files people read (config.json). */
    public static String writePretty(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, int indent, int depth) {
        if (depth > MAX_DEPTH) throw new IllegalArgumentException("Json.write: nesting deeper than " + MAX_DEPTH + " (a cycle?)");
        switch (v) {
            case null -> sb.append("null");
            case String s -> quote(sb, s);
            case Boolean b -> sb.append(b);
            case Double d -> sb.append(Double.isFinite(d) ? d.toString() : "null");
            case Float f -> sb.append(Float.isFinite(f) ? f.toString() : "null");
            case Integer _, Long _, Short _, Byte _, BigInteger _ -> sb.append(v);
            case BigDecimal b -> sb.append(b.toString());
            case Number n -> write(sb, n.doubleValue(), indent, depth);
            case Character c -> quote(sb, c.toString());
            case Enum<?> e -> quote(sb, e.name());
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) sb.append(',');
                    first = false;
                    newline(sb, indent, depth + 1);
                    quote(sb, String.valueOf(e.getKey()));
                    sb.append(indent >= 0 ? ": " : ":");
                    write(sb, e.getValue(), indent, depth + 1);
                }
                if (!m.isEmpty()) newline(sb, indent, depth);
                sb.append('}');
            }
            case Iterable<?> it -> {
                sb.append('[');
                boolean first = true;
                for (Object o : it) {
                    if (!first) sb.append(',');
                    first = false;
                    newline(sb, indent, depth + 1);
                    write(sb, o, indent, depth + 1);
                }
                if (!first) newline(sb, indent, depth);
                sb.append(']');
            }
            default -> {
                if (!v.getClass().isArray())
                    throw new IllegalArgumentException("Json.write: cannot write a " + v.getClass().getName() + " (" + v + ")");
                int n = Array.getLength(v);
                sb.append('[');
                for (int i = 0; i < n; i++) {
                    if (i > 0) sb.append(',');
                    newline(sb, indent, depth + 1);
                    write(sb, Array.get(v, i), indent, depth + 1);
                }
                if (n > 0) newline(sb, indent, depth);
                sb.append(']');
            }
        }
    }

    private static void newline(StringBuilder sb, int indent, int depth) {
        if (indent < 0) return;
        sb.append('\n');
        sb.append("  ".repeat(depth));
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
                    if (paired) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c) || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));   // lone surrogates would not survive UTF-8
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    // ---- reading ------------------------------------------------------------------------------------

    /** Any JSON value; the whole text must be one value (surrounding whitespace allowed). */
    public static Object parse(String text) {
        Reader r = new Reader(text);
        r.skipSpace();
        Object v = r.value(0);
        r.skipSpace();
        if (r.pos < text.length()) throw r.error("unexpected '" + text.charAt(r.pos) + "' after the value");
        return v;
    }

    /** A JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) throw new IllegalArgumentException("json: expected an object, got " + (v == null ? "null" : v.getClass().getSimpleName()));
        return (Map<String, Object>) v;
    }

    private static final class Reader {
        final String s;
        int pos;

        Reader(String s) {
            if (s == null) throw new IllegalArgumentException("json: null text");
            this.s = s;
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
            if (pos >= s.length()) throw error("unexpected end of input, expected a value");
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error("unexpected '" + c + "', expected a value");
                }
            };
        }

        Map<String, Object> object(int depth) {
            Map<String, Object> m = new LinkedHashMap<>();
            pos++;
            skipSpace();
            if (peek() == '}') { pos++; return m; }
            while (true) {
                skipSpace();
                if (peek() != '"') throw error("expected a string key");
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                m.put(key, value(depth + 1));
                skipSpace();
                char c = peek();
                pos++;
                if (c == '}') return m;
                if (c != ',') { pos--; throw error("expected ',' or '}' in an object"); }
            }
        }

        List<Object> array(int depth) {
            List<Object> a = new ArrayList<>();
            pos++;
            skipSpace();
            if (peek() == ']') { pos++; return a; }
            while (true) {
                skipSpace();
                a.add(value(depth + 1));
                skipSpace();
                char c = peek();
                pos++;
                if (c == ']') return a;
                if (c != ',') { pos--; throw error("expected ',' or ']' in an array"); }
            }
        }

        String string() {
            int start = pos;
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (pos >= s.length()) { pos = start; throw error("unterminated string"); }
                char c = s.charAt(pos++);
                if (c == '"') return sb.toString();
                if (c < 0x20) { pos--; throw error("raw control character in a string"); }
                if (c != '\\') { sb.append(c); continue; }
                if (pos >= s.length()) { pos = start; throw error("unterminated string"); }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) { pos -= 2; throw error("incomplete \\u escape"); }
                        try {
                            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            pos -= 2;
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> { pos -= 2; throw error("bad escape '\\" + e + "'"); }
                }
            }
        }

        Object number() {
            int start = pos;
            if (peek() == '-') pos++;
            if (peek() == '0') pos++;
            else if (isDigit(peek())) while (isDigit(peek())) pos++;
            else throw error("bad number");
            boolean integral = true;
            if (peek() == '.') {
                integral = false;
                pos++;
                if (!isDigit(peek())) throw error("bad number: digits expected after '.'");
                while (isDigit(peek())) pos++;
            }
            if (peek() == 'e' || peek() == 'E') {
                integral = false;
                pos++;
                if (peek() == '+' || peek() == '-') pos++;
                if (!isDigit(peek())) throw error("bad number: digits expected in the exponent");
                while (isDigit(peek())) pos++;
            }
            String t = s.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(t);
                } catch (NumberFormatException tooLong) {
                    return Double.parseDouble(t);
                }
            }
            return Double.parseDouble(t);
        }

        Object literal(String word, Object v) {
            if (!s.startsWith(word, pos)) throw error("unexpected token, expected " + word);
            pos += word.length();
            return v;
        }

        void expect(char c) {
            if (peek() != c) throw error("expected '" + c + "'");
            pos++;
        }

        char peek() { return pos < s.length() ? s.charAt(pos) : '\0'; }

        static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

        void skipSpace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
                pos++;
            }
        }

        IllegalArgumentException error(String what) {
            int line = 1, col = 1;
            for (int i = 0; i < Math.min(pos, s.length()); i++) {
                if (s.charAt(i) == '\n') { line++; col = 1; } else col++;
            }
            return new IllegalArgumentException("json: " + what + " at offset " + pos + " (line " + line + ", column " + col + ")");
        }
    }
}
