package dsb4j.examples;

import static dsb4j.examples.CliTest.dsb;
import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.Points;
import dsb4j.bridge.io.Npy;
import dsb4j.engine.io.Json;
import dsb4j.engine.random.Rng;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `dsb train --data`, `sample --from`, `eval --checkpoint` on the user's own files, and the refusals of bad ones. */
class OwnDataCliTest {

    static final String[] TINY = {"--ipf-iters", "1", "--iters", "40", "--batch", "64", "--cache-trajectories", "128",
            "--eval-samples", "100", "--threads", "2"};

    /** n points on a noisy circle of radius 1,000 around (5,000, −200, 30), as float64. */
    static Path cloud(Path file, int n, long seed) throws IOException {
        Rng r = new Rng(seed);
        float[] v = new float[n * 3];
        for (int i = 0; i < n; i++) {
            double t = 2 * Math.PI * r.nextDouble();
            v[3 * i] = (float) (5000 + 1000 * Math.cos(t) + 30 * r.nextGaussian());
            v[3 * i + 1] = (float) (-200 + 1000 * Math.sin(t) + 30 * r.nextGaussian());
            v[3 * i + 2] = (float) (30 + 100 * r.nextGaussian());
        }
        Npy.write(file, new Points(n, 3, v));
        return file;
    }

    /** A folder of n grey PNGs of w × h: a bright square at a place that depends on the image and the seed. */
    static Path pngs(Path dir, int n, int w, int h, long seed) throws IOException {
        Files.createDirectories(dir);
        Rng r = new Rng(seed);
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            int x0 = r.nextInt(w - 3), y0 = r.nextInt(h - 3);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, x >= x0 && x < x0 + 3 && y >= y0 && y < y0 + 3 ? 230 : 20);
            ImageIO.write(img, "png", dir.resolve(String.format("img%03d.png", i)).toFile());
        }
        return dir;
    }

    static String[] args(String[] head, String... tail) { return CliTest.concat(head, tail); }

    @Test @SuppressWarnings("unchecked")
    void pointCloudTrainSampleEval(@TempDir Path tmp) throws Exception {
        Path data = cloud(tmp.resolve("ring.npy"), 300, 1), run = tmp.resolve("run");
        CliTest.Run dry = dsb(args(new String[]{"train", "--data", data.toString(), "--out", run.toString(), "--dry-run"}, TINY));
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("memory:") && dry.out().contains("data end: --data ring (300 items of shape [3], 30 held out)"), dry.out());
        assertFalse(Files.exists(run), "a dry run writes nothing");

        CliTest.Run t = dsb(args(new String[]{"train", "--data", data.toString(), "--out", run.toString()}, TINY));
        assertEquals(0, t.code(), t.err());
        Map<String, Object> config = Json.parseObject(Files.readString(run.resolve("config.json")));
        Map<String, Object> d = (Map<String, Object>) config.get("data");
        assertEquals(List.of(300L, 3L), d.get("shape"));
        assertEquals(64, ((String) d.get("sha256")).length());
        assertEquals("per-coordinate", ((Map<String, Object>) config.get("standardisation")).get("kind"));
        assertArrayEquals(new int[]{30, 3}, Npy.read(run.resolve("data.npy")).shape(), "data.npy = the 30 held-out items");
        Map<String, Object> row = Json.parseObject(Files.readAllLines(run.resolve("metrics.jsonl")).get(1));
        assertTrue(row.containsKey("w2") && row.containsKey("w2_data") && row.containsKey("w2_gaussian_fit"), row.toString());
        assertTrue(Files.isRegularFile(run.resolve("plot-ipf1.png")), "a PCA scatter for d = 3");

        Path from = cloud(tmp.resolve("mine.npy"), 25, 2), out = tmp.resolve("out.npy");
        CliTest.Run s = dsb("sample", "--checkpoint", run.toString(), "--from", from.toString(), "--out", out.toString());
        assertEquals(0, s.code(), s.err());
        Npy.Array moved = Npy.read(out);
        assertArrayEquals(new int[]{25, 3}, moved.shape());
        double meanX = 0;
        for (int i = 0; i < 25; i++) meanX += moved.data()[3 * i] / 25;
        assertTrue(meanX > 2000, "outputs in the data's units (x around 5,000), got " + meanX);
        assertEquals(0, dsb("sample", "--checkpoint", run.toString(), "--from", from.toString(), "--direction", "encode",
                "--out", tmp.resolve("enc.npy").toString()).code());
        assertEquals(0, dsb("sample", "--checkpoint", run.toString(), "--n", "7", "--trajectories", "--out", tmp.resolve("tr.npy").toString()).code());
        assertArrayEquals(new int[]{7, 21, 3}, Npy.read(tmp.resolve("tr.npy")).shape());

        CliTest.Run e = dsb("eval", "--checkpoint", run.toString(), "--samples", run.resolve("samples-ipf1.npy").toString());
        assertEquals(0, e.code(), e.err());
        Map<String, Object> m = Json.parseObject(e.out().strip());
        assertEquals(((Number) row.get("w2")).doubleValue(), ((Number) m.get("w2")).doubleValue(), 1e-9,
                "eval scores the run's samples against its held-out items exactly as training did");

        CliTest.Run wrong = dsb("sample", "--checkpoint", run.toString(), "--from", tmp.resolve("run/data.npy").resolveSibling("nothing.npy").toString(),
                "--out", tmp.resolve("x.npy").toString());
        assertEquals(2, wrong.code(), wrong.err());
        Npy.write(tmp.resolve("two.npy"), new Points(3, 2, new float[6]));
        CliTest.Run shape = dsb("sample", "--checkpoint", run.toString(), "--from", tmp.resolve("two.npy").toString(), "--out", tmp.resolve("x.npy").toString());
        assertEquals(2, shape.code());
        assertTrue(shape.err().contains("[2]") && shape.err().contains("[3]"), shape.err());
    }

    @Test void imageFoldersTransportAndGrid(@TempDir Path tmp) throws Exception {
        Path a = pngs(tmp.resolve("a"), 24, 8, 8, 1), b = pngs(tmp.resolve("b"), 20, 8, 8, 2), run = tmp.resolve("run");
        CliTest.Run t = dsb("train", "--data", a.toString(), "--prior", b.toString(), "--out", run.toString(), "--ipf-iters", "1",
                "--iters", "2", "--batch", "4", "--cache-trajectories", "4", "--cache-refresh", "2", "--eval-samples", "4", "--threads", "2");
        assertEquals(0, t.code(), t.err());
        assertArrayEquals(new int[]{2, 1, 8, 8}, Npy.read(run.resolve("samples-ipf1.npy")).shape(), "b's 2 held-out images, transported");
        assertArrayEquals(new int[]{2, 1, 8, 8}, Npy.read(run.resolve("prior.npy")).shape());
        Path grid = tmp.resolve("grid.png"), out = tmp.resolve("out.npy");
        CliTest.Run s = dsb("sample", "--checkpoint", run.toString(), "--from", b.toString(), "--out", out.toString(), "--grid", grid.toString());
        assertEquals(0, s.code(), s.err());
        for (float v : Npy.read(out).data()) assertTrue(v >= 0 && v <= 255, "pixels in 0…255: " + v);
        assertNotNull(ImageIO.read(grid.toFile()), "a PNG grid");
    }

    @Test void badDataIsAOneLineRefusalNamingTheFile(@TempDir Path tmp) throws Exception {
        Path ok = cloud(tmp.resolve("ok.npy"), 100, 3);
        Path ragged = Files.writeString(tmp.resolve("ragged.csv"), "x,y\n1,2\n3,4\n5\n");
        Path csv = Files.writeString(tmp.resolve("xy.csv"), "x,y\n" + "1,2\n".repeat(30));
        StringBuilder nan = new StringBuilder("x,y\n");
        for (int i = 0; i < 30; i++) nan.append(i == 7 ? "nan" : i).append(",1\n");
        Path nanCsv = Files.writeString(tmp.resolve("nan.csv"), nan);
        Path few = cloud(tmp.resolve("few.npy"), 12, 4);
        Path empty = Files.writeString(tmp.resolve("empty.csv"), "");
        Path mixed = pngs(tmp.resolve("mixed"), 3, 8, 8, 5);
        pngs(tmp.resolve("mixed-other"), 1, 9, 8, 6);
        Files.move(tmp.resolve("mixed-other/img000.png"), mixed.resolve("img999.png"));
        Path withText = pngs(tmp.resolve("text"), 3, 8, 8, 7);
        Files.writeString(withText.resolve("readme.txt"), "hello");
        Npy.write(tmp.resolve("d2.npy"), new Points(100, 2, new float[200]));
        String[][] cases = {
                {"missing.npy", "no such file", "--data", tmp.resolve("missing.npy").toString()},
                {"--preset and --data", "", "--data", ok.toString(), "--preset", "moons"},
                {"ragged.csv", "line 4", "--data", ragged.toString()},
                {"xy.csv", "'z'", "--data", csv.toString(), "--columns", "x,z"},
                {"nan.csv", "row 8", "--data", nanCsv.toString()},
                {"few.npy", "12 items", "--data", few.toString()},
                {"empty.csv", "empty", "--data", empty.toString()},
                {"img999.png", "one size", "--data", mixed.toString()},
                {"readme.txt", "not a PNG or JPEG", "--data", withText.toString()},
                {"[3]", "[2]", "--data", ok.toString(), "--prior", tmp.resolve("d2.npy").toString()},
                {"--dim", "", "--data", ok.toString(), "--dim", "4"},
                {"--prior", "", "--prior", ok.toString()},
        };
        for (String[] c : cases) {
            Path out = tmp.resolve("out-" + c[0].replaceAll("\\W", ""));
            CliTest.Run r = dsb(args(new String[]{"train", "--out", out.toString()}, java.util.Arrays.copyOfRange(c, 2, c.length)));
            String what = String.join(" ", java.util.Arrays.copyOfRange(c, 2, c.length));
            assertEquals(2, r.code(), what + " → " + r.err());
            assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
            assertTrue(r.err().contains(c[0]) && r.err().contains(c[1]), what + " → " + r.err());
            assertFalse(Files.exists(out), "nothing written for " + what);
        }
    }
}
