package dsb4j.engine.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON a safetensors header needs: objects (kept in file order), arrays, strings, integers.
 * Parsing is strict (no trailing commas, no comments); trailing spaces after the top-level object are
 * allowed because writers pad the header to a multiple of 8 bytes. Errors name the byte position.
 */
final class HeaderJson {
    private HeaderJson() {}

    /** Parses one JSON object; values are Map, List, String, Long, Double, Boolean or null. */
    static Map<String, Object> parseObject(String s) {
        Parser p = new Parser(s);
        p.skipSpace();
        if (p.peek() != '{') throw p.error("the header must be a JSON object");
        Map<String, Object> m = p.object();
        p.skipSpace();
        if (p.pos != s.length()) throw p.error("unexpected content after the header object");
        return m;
    }

    static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) { this.s = s; }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " (at character " + pos + " of the header)");
        }

        char peek() { return pos < s.length() ? s.charAt(pos) : '\0'; }

        void skipSpace() {
            while (pos < s.length() && " \t\n\r".indexOf(s.charAt(pos)) >= 0) pos++;
        }

        void expect(char c) {
            skipSpace();
            if (peek() != c) throw error("expected '" + c + "'");
            pos++;
        }

        Object value() {
            skipSpace();
            char c = peek();
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) yield number();
                    throw error(c == '\0' ? "unexpected end of the header" : "unexpected character '" + c + "'");
                }
            };
        }

        Map<String, Object> object() {
            expect('{');
            Map<String, Object> m = new LinkedHashMap<>();
            skipSpace();
            if (peek() == '}') { pos++; return m; }
            while (true) {
                skipSpace();
                if (peek() != '"') throw error("expected a quoted key");
                String key = string();
                if (m.containsKey(key)) throw error("duplicate key \"" + key + "\"");
                expect(':');
                m.put(key, value());
                skipSpace();
                char c = peek();
                pos++;
                if (c == '}') return m;
                if (c != ',') { pos--; throw error("expected ',' or '}'"); }
            }
        }

        List<Object> array() {
            expect('[');
            List<Object> l = new ArrayList<>();
            skipSpace();
            if (peek() == ']') { pos++; return l; }
            while (true) {
                l.add(value());
                skipSpace();
                char c = peek();
                pos++;
                if (c == ']') return l;
                if (c != ',') { pos--; throw error("expected ',' or ']'"); }
            }
        }

        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= s.length()) throw error("unterminated string");
                char c = s.charAt(pos++);
                if (c == '"') return b.toString();
                if (c < 0x20) { pos--; throw error("control character in a string"); }
                if (c != '\\') { b.append(c); continue; }
                if (pos >= s.length()) throw error("unterminated escape");
                char e = s.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> b.append(e);
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (pos + 4 > s.length()) throw error("short \\u escape");
                        try {
                            b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> { pos--; throw error("bad escape '\\" + e + "'"); }
                }
            }
        }

        Object number() {
            int start = pos;
            if (peek() == '-') pos++;
            while (pos < s.length() && "0123456789+-.eE".indexOf(s.charAt(pos)) >= 0) pos++;
            String t = s.substring(start, pos);
            try {
                if (t.matches("-?\\d+")) return Long.parseLong(t);
                return Double.parseDouble(t);
            } catch (NumberFormatException ex) {
                pos = start;
                throw error("bad number '" + t + "'");
            }
        }

        Object literal(String word, Object v) {
            if (!s.startsWith(word, pos)) throw error("unexpected token");
            pos += word.length();
            return v;
        }
    }
}
