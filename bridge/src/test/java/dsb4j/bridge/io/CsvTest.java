package dsb4j.bridge.io;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.Points;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
    @TempDir Path tmp;

    private Path file(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @Test void readsAllColumns() throws IOException {
        Csv.Table t = Csv.read(file("a.csv", "x,y,z\n1,2,3\n-4.5,5e-3,6\n"), null);
        assertEquals(List.of("x", "y", "z"), t.header());
        assertEquals(new Points(2, 3, new float[]{1, 2, 3, -4.5f, 5e-3f, 6}), t.points());
        assertEquals(t.points(), Csv.read(tmp.resolve("a.csv"), List.of()).points(), "an empty list means all columns too");
    }

    @Test void readsSelectedColumnsInTheGivenOrder() throws IOException {
        Path p = file("a.csv", "label,x,y\ncat,1,2\n\"dog, big\",3,4\nnot a number at all,5,6\n");
        Csv.Table t = Csv.read(p, List.of("y", "x"));
        assertEquals(List.of("y", "x"), t.header());
        assertEquals(new Points(3, 2, new float[]{2, 1, 4, 3, 6, 5}), t.points());
        assertEquals(new Points(3, 1, new float[]{1, 3, 5}), Csv.read(p, List.of("x")).points());
    }

    @Test void toleratesQuotesWhitespaceCrlfBomAndBlankLines() throws IOException {
        String text = "\uFEFF \"x\" , \"y value\",\"a \"\"quoted\"\" name\"\r\n"
                + "\r\n"
                + " 1 , 2 ,3\r\n"
                + "\t4,\t5 , \"6\"\r\n"
                + "   \r\n"
                + "\r\n";
        Csv.Table t = Csv.read(file("win.csv", text), null);
        assertEquals(List.of("x", "y value", "a \"quoted\" name"), t.header());
        assertEquals(new Points(2, 3, new float[]{1, 2, 3, 4, 5, 6}), t.points());
        assertEquals(new Points(2, 1, new float[]{2, 5}), Csv.read(tmp.resolve("win.csv"), List.of("y value")).points());
        // old Mac line ends and no final newline
        assertEquals(new Points(2, 1, new float[]{1, 2}), Csv.read(file("cr.csv", "x\r1\r2"), null).points());
    }

    @Test void readsManyRowsBeyondTheFirstGuessOfTheirCount() throws IOException {
        // a long first row makes the size-based guess too small, so the array must grow, keeping every value
        StringBuilder sb = new StringBuilder("a,b\n1.000000000000000000000000000000000000000,-1\n");
        Random rnd = new Random(1);
        float[] expect = new float[2 * 20_000];
        expect[0] = 1;
        expect[1] = -1;
        for (int i = 1; i < 20_000; i++) {
            int a = rnd.nextInt(1000), b = -rnd.nextInt(1000);
            sb.append(a).append(',').append(b).append('\n');
            expect[2 * i] = a;
            expect[2 * i + 1] = b;
        }
        Points p = Csv.read(file("many.csv", sb.toString()), null).points();
        assertEquals(new Points(20_000, 2, expect), p);
    }

    @Test void parsesDoublesLikeJavaAndRoundsToFloat() throws IOException {
        Points p = Csv.read(file("n.csv", "v\n0.1\n1E3\n-0\n+2.5\n.5\n3.4e38\n1e-50\n"), null).points();
        assertArrayEquals(new float[]{0.1f, 1000, -0f, 2.5f, 0.5f, 3.4e38f, 0f}, p.data());
    }

    @Test void emptyFileAndHeaderWithoutRows() throws IOException {
        assertMessage(file("empty.csv", ""), null, "the file is empty");
        assertMessage(file("blank.csv", "\n  \n\r\n"), null, "the file is empty");
        assertMessage(file("head.csv", "x,y\n\n\n"), null, "the header (x, y) has no data rows");
    }

    @Test void raggedRowsNameTheLine() throws IOException {
        assertMessage(file("short.csv", "x,y,z\n1,2,3\n\n4,5\n"), null, "line 4 has 2 values, the header has 3 columns");
        assertMessage(file("long.csv", "x,y\n1,2\n3,4,5\n"), null, "line 3 has 3 values, the header has 2 columns");
        // a stray comma shifts a value: the row is named as ragged, not by the value it moved
        assertMessage(file("shift.csv", "x,y\n1,2\n3,,4\n"), null, "line 3 has 3 values");
        // unselected columns are still counted
        assertMessage(file("sel.csv", "x,y,z\n1,2,3\n4,5\n"), List.of("x"), "line 3 has 2 values, the header has 3 columns");
        assertMessage(file("one.csv", "x,y\n1\n"), null, "line 2 has 1 value, the header has 2 columns");
        assertMessage(file("quote.csv", "x,y\n\"1,2\n"), null, "line 2", "double quote is not closed");
        assertMessage(file("qhead.csv", "\"x,y\n1,2\n"), null, "line 1", "double quote is not closed");
    }

    @Test void valuesThatAreNotNumbersAreQuoted() throws IOException {
        assertMessage(file("text.csv", "x,y\n1,2\n3,abc\n"), null, "line 3, column 'y': 'abc' is not a number");
        assertMessage(file("emptyval.csv", "x,y\n1, \n"), null, "line 2, column 'y': '' is not a number");
        assertMessage(file("comma.csv", "x,y\n1,2\n\n\n3,4;5\n"), null, "line 5, column 'y': '4;5' is not a number");
        assertMessage(file("javaf.csv", "x\n1.5f\n"), null, "line 2, column 'x': '1.5f' is not a number");
        // only selected columns are parsed
        assertEquals(new Points(1, 1, new float[]{3}), Csv.read(file("skip.csv", "x,y\n3,abc\n"), List.of("x")).points());
    }

    @Test void nonFiniteValuesNameRowLineAndColumn() throws IOException {
        String[] spellings = {"nan", "NaN", "inf", "-inf", "Infinity", "-Infinity", "+INF"};
        for (String s : spellings)
            assertMessage(file("nf.csv", "x,y\n1,2\n\n3," + s + "\n"), null, "row 2 (line 4), column 'y' is " + s + "; remove or fix non-finite values");
        assertMessage(file("big.csv", "x,y\n1,2\n1e39,2\n"), null, "row 2 (line 3), column 'x' is 1e39, beyond the float range");
        // a non-finite value in a column that is not read does no harm
        assertEquals(new Points(1, 1, new float[]{1}), Csv.read(file("ok.csv", "x,y\n1,nan\n"), List.of("x")).points());
    }

    @Test void columnSelectionErrors() throws IOException {
        Path p = file("data.csv", "x,y\n1,2\n");
        assertMessage(p, List.of("x", "z"), "no column 'z' in the header (columns: x, y)");
        assertMessage(p, List.of("x", "y", "x"), "column 'x' is asked for twice");
        assertMessage(file("dup.csv", "x,y,x\n1,2,3\n"), List.of("x"), "the header names column 'x' twice (columns 1 and 3)");
        assertEquals(new Points(1, 1, new float[]{2}), Csv.read(tmp.resolve("dup.csv"), List.of("y")).points());
    }

    @Test void fileProblemsNameTheFile() throws IOException {
        Path absent = tmp.resolve("absent.csv");
        var e = assertThrows(IOException.class, () -> Csv.read(absent, null));
        assertTrue(e.getMessage().startsWith(absent + ": no such CSV file"), e.getMessage());
        Path dir = Files.createDirectory(tmp.resolve("dir.csv"));
        e = assertThrows(IOException.class, () -> Csv.read(dir, null));
        assertTrue(e.getMessage().startsWith(dir + ": is a folder"), e.getMessage());
        Path bin = tmp.resolve("bin.csv");
        Files.write(bin, new byte[]{'x', '\n', '1', '\n', (byte) 0xFF, (byte) 0xFE, 0, '\n'});
        assertMessage(bin, null, "is not UTF-8 text");
    }

    @Test void heapRefusalSaysHowMuchAndWhatToDo() {
        Path p = tmp.resolve("data.csv");
        var e = assertThrows(IOException.class, () -> HeapCheck.require(p, 1L << 50, "800,000,000 values"));
        String m = e.getMessage();
        assertTrue(m.startsWith(p + ": needs 1125899.9 GB of heap for 800,000,000 values, "), m);
        assertTrue(m.matches(".* [0-9.]+ [MG]B free; give Java more memory with DSB_JAVA_OPTS=-Xmx[0-9]+g"), m);
        assertDoesNotThrow(() -> HeapCheck.require(p, 1 << 20, "small"));
    }

    /** The message starts with the file, is one line and holds every part. */
    private static void assertMessage(Path p, List<String> columns, String... parts) {
        var e = assertThrows(IOException.class, () -> Csv.read(p, columns));
        String m = e.getMessage();
        assertTrue(m.startsWith(p + ": "), m);
        assertFalse(m.contains("\n"), m);
        for (String part : parts) assertTrue(m.contains(part), "'" + part + "' missing from: " + m);
    }
}
