package dsb4j.bridge.io;

import dsb4j.bridge.data.Points;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * Points from a CSV file of numbers, as pandas' {@code to_csv(index=False)}, R's {@code write.csv} or a
 * spreadsheet writes them. The first non-blank line is a header of column names (double quotes allowed, as
 * in {@code "x","y"}); every further non-blank line holds one point, its values separated by commas. Tolerated:
 * whitespace around values, Windows line ends, blank lines anywhere, a UTF-8 byte-order mark, fields in
 * double quotes (a quoted field may hold commas, e.g. a label column that is not read).
 *
 * <p>Only the selected columns are parsed; the others are skipped unread, so a text column does no harm, but
 * every row must have as many fields as the header. {@code nan}, {@code inf} and their spellings parse, but a
 * non-finite value in a selected column is an error: training on it would only produce NaN losses later.
 * Every problem is one {@link IOException} line naming the file and the line (and, for values, the data row
 * and column).
 */
public final class Csv {
    private Csv() {}

    /** The selected columns' names, in the order of {@code points}' coordinates, and the rows read. */
    public record Table(List<String> header, Points points) {}

    /** Bytes per float stored. */
    private static final long FLOAT = Float.BYTES;

    /**
     * Reads {@code columns} (all of them when null or empty, else the named ones in the given order) of every
     * data row into n × d points.
     */
    public static Table read(Path file, List<String> columns) throws IOException {
        if (Files.isDirectory(file)) throw new IOException(file + ": is a folder, not a CSV file");
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new Reader(file, in, Files.size(file)).read(columns);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such CSV file", e);
        } catch (AccessDeniedException e) {
            throw new IOException(file + ": cannot read the CSV file (permission denied)", e);
        }
    }

    /** One pass over one file; holds the line count that every message names. */
    private static final class Reader {
        final Path file;
        final BufferedReader in;
        final long fileBytes;
        int line;                                      // 1-based number of the line last read

        Reader(Path file, BufferedReader in, long fileBytes) {
            this.file = file;
            this.in = in;
            this.fileBytes = fileBytes;
        }

        /** The next non-blank line, or null at the end. */
        String next() throws IOException {
            try {
                String s;
                while ((s = in.readLine()) != null) {
                    line++;
                    if (line == 1 && !s.isEmpty() && s.charAt(0) == '\uFEFF') s = s.substring(1);
                    if (!s.isBlank()) return s;
                }
                return null;
            } catch (CharacterCodingException e) {
                throw new IOException(file + ": line " + (line + 1) + " is not UTF-8 text (is this a CSV file?)", e);
            }
        }

        Table read(List<String> columns) throws IOException {
            String first = next();
            if (first == null)
                throw new IOException(file + ": the file is empty; a CSV file needs a header line of column names, then one line of numbers per point");
            List<String> header = Fields.header(first, file, line);
            int[] pick = select(header, columns);      // pick[j] = the header column of coordinate j
            int cols = header.size(), d = pick.length;
            int[] slot = new int[cols];                // slot[c] = the coordinate column c fills, or -1
            Arrays.fill(slot, -1);
            for (int j = 0; j < d; j++) slot[pick[j]] = j;
            List<String> names = new ArrayList<>(d);
            for (int c : pick) names.add(header.get(c));

            float[] data = null;
            int rows = 0;
            String s;
            while ((s = next()) != null) {
                long end = Math.multiplyExact((long) rows + 1, (long) d);
                if (data == null) data = allocate(estimateValues(s, d), rows);
                if (end > data.length) data = grow(data, end, rows);
                int fields;
                try {
                    fields = Fields.row(s, slot, data, rows * d, this, rows + 1, names);
                } catch (IOException e) {
                    // a row with a field too many or too few is best named as such, not by the value it shifted
                    int counted = Fields.count(s);
                    if (counted >= 0 && counted != cols) throw ragged(counted, cols);
                    throw e;
                }
                if (fields != cols) throw ragged(fields, cols);
                rows++;
            }
            if (rows == 0)
                throw new IOException(file + ": the header (" + String.join(", ", header) + ") has no data rows below it");
            long values = (long) rows * d;
            if (data.length != values) {
                HeapCheck.require(file, values * FLOAT, HeapCheck.count(values) + " values");
                data = Arrays.copyOf(data, (int) values);
            }
            return new Table(List.copyOf(names), new Points(rows, d, data));
        }

        /** Where each requested column sits in the header. */
        int[] select(List<String> header, List<String> columns) throws IOException {
            if (columns == null || columns.isEmpty()) {
                int[] all = new int[header.size()];
                for (int c = 0; c < all.length; c++) all[c] = c;
                return all;
            }
            HashSet<String> seen = new HashSet<>();
            int[] pick = new int[columns.size()];
            for (int j = 0; j < pick.length; j++) {
                String name = columns.get(j);
                if (!seen.add(name))
                    throw new IOException(file + ": column '" + name + "' is asked for twice (columns: " + String.join(", ", columns) + ")");
                int at = header.indexOf(name);
                if (at < 0)
                    throw new IOException(file + ": no column '" + name + "' in the header (columns: " + String.join(", ", header) + ")");
                int again = header.subList(at + 1, header.size()).indexOf(name);
                if (again >= 0)
                    throw new IOException(file + ": the header names column '" + name + "' twice (columns " + (at + 1) + " and "
                            + (at + 2 + again) + "); rename one to select it");
                pick[j] = at;
            }
            return pick;
        }

        /**
         * A first guess at the values of the whole file from its size and the first data line, to avoid regrowing.
         * A guess the heap could not take (a short first line in a file of long ones) starts small instead: only
         * what the rows really need may be refused.
         */
        long estimateValues(String firstRow, int d) {
            long rowsGuess = fileBytes / (firstRow.length() + 1L) + 1;
            long guess = Math.min(Integer.MAX_VALUE - 8L, Math.max(1024L, rowsGuess + rowsGuess / 16) * d);
            return guess * FLOAT <= HeapCheck.free() / 2 ? guess : Math.min(guess, 1L << 20);
        }

        float[] allocate(long values, int rows) throws IOException {
            HeapCheck.require(file, values * FLOAT, HeapCheck.count(values) + " values (at row " + HeapCheck.count(rows + 1L) + ")");
            return new float[(int) values];
        }

        /** Grows by half, so the old and the new array together stay near 2.5 times the data. */
        float[] grow(float[] data, long need, int rows) throws IOException {
            long max = Integer.MAX_VALUE - 8L;
            if (need > max)
                throw new IOException(file + ": line " + line + ": more than " + HeapCheck.count(max) + " values, more than one Java array can hold");
            long values = Math.min(max, Math.max(need, data.length + (data.length >> 1)));
            float[] bigger = allocate(values, rows);
            System.arraycopy(data, 0, bigger, 0, data.length);
            return bigger;
        }

        IOException ragged(int fields, int cols) {
            return new IOException(file + ": line " + line + " has " + fields + " value" + (fields == 1 ? "" : "s")
                    + ", the header has " + cols + " column" + (cols == 1 ? "" : "s"));
        }

        IOException valueError(int row, String column, String what) {
            return new IOException(file + ": row " + row + " (line " + line + "), column '" + column + "' " + what);
        }

        IOException notANumber(String column, String text) {
            return new IOException(file + ": line " + line + ", column '" + column + "': '" + text + "' is not a number");
        }
    }

    /** Splitting lines into fields without regular expressions or per-field arrays. */
    private static final class Fields {
        private Fields() {}

        /** The header's names: quotes removed, whitespace around them stripped. */
        static List<String> header(String s, Path file, int line) throws IOException {
            List<String> names = new ArrayList<>();
            int at = 0, n = s.length();
            while (true) {
                int end = fieldEnd(s, at);
                if (end < 0) throw new IOException(file + ": line " + line + ": a double quote is not closed");
                names.add(unquote(s, at, end).strip());
                if (end == n) return names;
                at = end + 1;
            }
        }

        /**
         * Parses the selected fields of one data line into {@code out} (field c to {@code out[base + slot[c]]}
         * where slot[c] >= 0) and returns how many fields the line has.
         */
        static int row(String s, int[] slot, float[] out, int base, Reader r, int row, List<String> names) throws IOException {
            int at = 0, n = s.length(), field = 0;
            while (true) {
                int end = fieldEnd(s, at);
                if (end < 0) throw new IOException(r.file + ": line " + r.line + ": a double quote is not closed");
                if (field < slot.length && slot[field] >= 0) {
                    String name = names.get(slot[field]);
                    out[base + slot[field]] = value(unquote(s, at, end).strip(), r, row, name);
                }
                field++;
                if (end == n) return field;
                at = end + 1;
            }
        }

        /** How many fields a line has, or -1 for an unclosed quote. */
        static int count(String s) {
            int at = 0, n = s.length(), field = 0;
            while (true) {
                int end = fieldEnd(s, at);
                if (end < 0) return -1;
                field++;
                if (end == n) return field;
                at = end + 1;
            }
        }

        /** The comma (or line end) after the field starting at {@code at}; -1 for an unclosed quote. */
        static int fieldEnd(String s, int at) {
            int n = s.length(), i = at;
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
            if (i < n && s.charAt(i) == '"') {
                for (i++; ; i++) {                     // "" inside quotes is an escaped quote: skipped as two quotes
                    if (i >= n) return -1;
                    if (s.charAt(i) == '"') {
                        if (i + 1 < n && s.charAt(i + 1) == '"') i++;
                        else break;
                    }
                }
            }
            int comma = s.indexOf(',', i);
            return comma < 0 ? n : comma;
        }

        /** The field's text, without the surrounding quotes if it has them. */
        static String unquote(String s, int from, int to) {
            String t = s.substring(from, to).strip();
            if (t.length() >= 2 && t.charAt(0) == '"' && t.charAt(t.length() - 1) == '"')
                return t.substring(1, t.length() - 1).replace("\"\"", "\"");
            return t;
        }

        /** A finite float, or an error naming row and column. */
        static float value(String t, Reader r, int row, String column) throws IOException {
            double v;
            try {
                v = Double.parseDouble(t);
                char last = t.charAt(t.length() - 1);
                if (last == 'd' || last == 'D' || last == 'f' || last == 'F') throw r.notANumber(column, t);   // Java's 1.5f, 2d
            } catch (NumberFormatException e) {
                v = nonFinite(t);
                if (v == 0) throw r.notANumber(column, t);
            }
            if (Double.isNaN(v) || Double.isInfinite(v))
                throw r.valueError(row, column, "is " + t + "; remove or fix non-finite values");
            float f = (float) v;
            if (Float.isInfinite(f))
                throw r.valueError(row, column, "is " + t + ", beyond the float range (±3.4e38); rescale the data");
            return f;
        }

        /** NaN or ±Infinity for numpy's and R's spellings (nan, inf, -inf, NA is not one), else 0. */
        static double nonFinite(String t) {
            String u = t.toLowerCase(Locale.ROOT);
            boolean neg = u.startsWith("-");
            if (neg || u.startsWith("+")) u = u.substring(1);
            return switch (u) {
                case "nan" -> Double.NaN;
                case "inf", "infinity" -> neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                default -> 0;
            };
        }
    }
}
