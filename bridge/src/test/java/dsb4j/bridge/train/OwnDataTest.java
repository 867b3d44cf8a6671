package dsb4j.bridge.train;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.data.DataSet;
import dsb4j.bridge.data.Points;
import dsb4j.bridge.data.Toy2d;
import dsb4j.bridge.io.DataFiles;
import dsb4j.bridge.io.Npy;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.io.Json;
import dsb4j.engine.random.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's own data as a preset: units, held-out split, files written, config round trip, images of any shape. */
class OwnDataTest {
    static final Backend cpu = Backends.cpu(2);

    static Points moons(int n, long seed, double scale, double dx, double dy) {
        Points p = Toy2d.of("moons-cfm").sample(n, new Rng(seed));
        float[] v = p.data().clone();
        for (int i = 0; i < n; i++) {
            v[2 * i] = (float) (v[2 * i] * scale + dx);
            v[2 * i + 1] = (float) (v[2 * i + 1] * scale + dy);
        }
        return new Points(n, 2, v);
    }

    static TrainConfig tiny(OwnData problem) {
        TrainConfig c = problem.defaults(Budget.QUICK);
        c.ipfIters = 1;
        c.iters = 300;
        c.batch = 128;
        c.cacheTrajectories = c.simBatch = 640;
        c.evalSamples = 500;
        c.threads = 2;
        return c;
    }

    static Path run(TrainConfig c, Path dir) throws Exception {
        RunDirectory out = new RunDirectory(dir);
        Problem p = c.problem();
        out.writeEnds(c, p, cpu);
        new IpfLoop(c, p, cpu, out, null, null).run();
        return dir;
    }

    @Test void samplesComeBackInTheUsersUnits(@TempDir Path tmp) throws Exception {
        // the same moons in their own units and scaled by 1,000 and shifted: standardised, both train on the same numbers
        Points unit = moons(600, 1, 1, 0, 0), scaled = moons(600, 1, 1000, 5000, -3000);
        Path a = run(tiny(OwnData.of(DataSet.points("unit", unit), null, true)), tmp.resolve("unit"));
        Path b = run(tiny(OwnData.of(DataSet.points("scaled", scaled), null, true)), tmp.resolve("scaled"));
        float[] sa = Npy.read(a.resolve("samples-ipf1.npy")).data(), sb = Npy.read(b.resolve("samples-ipf1.npy")).data();
        assertEquals(sa.length, sb.length);
        double diff = 0, mx = 0, my = 0;
        for (int i = 0; i < sa.length; i += 2) {
            diff += Math.abs(sb[i] - (1000 * sa[i] + 5000)) + Math.abs(sb[i + 1] - (1000 * sa[i + 1] - 3000));
            mx += sb[i];
            my += sb[i + 1];
        }
        int n = sa.length / 2;
        assertTrue(diff / sa.length < 10, "scaled run = 1,000 × unit run + shift, up to rounding: mean |difference| " + diff / sa.length);
        double[] dm = scaled.mean(), var = scaled.variance();
        assertEquals(dm[0], mx / n, 0.5 * Math.sqrt(var[0]), "generated x mean in the user's units (a short run: within half an sd)");
        assertEquals(dm[1], my / n, 0.5 * Math.sqrt(var[1]), "generated y mean in the user's units");
        // data.npy holds exactly the held-out items, as read
        Points held = new dsb4j.bridge.data.HeldOutSplit(600, 60).heldOut(scaled);
        assertArrayEquals(held.data(), Npy.read(b.resolve("data.npy")).data());
        Map<String, Object> row = Json.parseObject(Files.readAllLines(b.resolve("metrics.jsonl")).get(1));
        for (String k : List.of("w2", "sw2", "mmd", "mean_error", "cov_error", "w2_rel", "w2_data", "w2_gaussian_fit", "prior_sw2"))
            assertTrue(row.containsKey(k), k + " in " + row);
        assertTrue(((Number) row.get("w2")).doubleValue() > 10, "W2 in the user's units (thousands), not standardised ones: " + row.get("w2"));
    }

    @Test void transportHoldsOutBothEndsAndStartsFromThePriorsHeldOutItems(@TempDir Path tmp) throws Exception {
        Points to = moons(400, 2, 1, 0, 0), from = moons(300, 3, 1, 6, 0);
        OwnData problem = OwnData.of(DataSet.points("to", to), DataSet.points("from", from), true);
        assertTrue(problem.transport());
        TrainConfig c = tiny(problem);
        run(c, tmp);
        assertArrayEquals(new dsb4j.bridge.data.HeldOutSplit(300, 30).heldOut(from).data(), Npy.read(tmp.resolve("prior.npy")).data());
        assertArrayEquals(new int[]{30, 2}, Npy.read(tmp.resolve("samples-ipf1.npy")).shape(), "the prior's 30 held-out items, transported");
        var e = assertThrows(IllegalArgumentException.class, () -> OwnData.of(DataSet.points("to", to),
                DataSet.points("three", new Points(30, 3, new float[90])), true));
        assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OwnData.of(DataSet.points("few", new Points(19, 2, new float[38])), null, true));
    }

    @Test void configRoundTripsAndAChangedFileIsRefused(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("cloud.npy");
        Npy.write(file, moons(200, 4, 10, 1, 2));
        OwnData problem = OwnData.of(DataFiles.read(file, null), null, true);
        TrainConfig c = problem.defaults(Budget.QUICK);
        TrainConfig back = TrainConfig.fromMap(Json.parseObject(Json.write(c.toMap())));
        assertEquals(c.toMap(), back.toMap());
        assertEquals(c.fingerprint(), back.fingerprint());
        Map<String, Object> reversed = new java.util.LinkedHashMap<>();        // another JVM may order a map's keys otherwise
        List<String> keys = new java.util.ArrayList<>(c.toMap().keySet());
        java.util.Collections.reverse(keys);
        for (String k : keys) reversed.put(k, c.toMap().get(k));
        assertEquals(c.fingerprint(), TrainConfig.fromMap(reversed).fingerprint(), "the fingerprint does not depend on key order");
        assertEquals("cloud", back.preset.name());
        assertEquals(problem.units(), back.preset.units());
        assertEquals(c.problem().heldOut().data(), back.problem().heldOut().data(), "the same held-out items after reading the file again");
        Npy.write(file, moons(200, 5, 10, 1, 2));
        TrainConfig again = TrainConfig.fromMap(Json.parseObject(Json.write(c.toMap())));
        var e = assertThrows(IllegalArgumentException.class, again::problem);
        assertTrue(e.getMessage().contains("changed since"), e.getMessage());
    }

    @Test void threeChannelNonSquareImagesTrainEndToEnd(@TempDir Path tmp) throws Exception {
        int n = 40, c = 3, h = 8, w = 12;
        float[] px = new float[n * c * h * w];
        Rng rng = new Rng(6);
        for (int i = 0; i < n; i++) {                          // a bright square at a random place on a dark image, per channel
            int y0 = rng.nextInt(h - 3), x0 = rng.nextInt(w - 3);
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        px[((i * c + ch) * h + y) * w + x] = (y >= y0 && y < y0 + 3 && x >= x0 && x < x0 + 3) ? 200 + 20 * ch : 10;
        }
        OwnData problem = OwnData.of(DataSet.images("squares", px, n, c, h, w, true), null, true);
        assertTrue(problem.images());
        TrainConfig cfg = problem.defaults(Budget.QUICK);
        assertInstanceOf(NetworkSpec.UNet.class, cfg.network);
        cfg.ipfIters = 1;
        cfg.iters = 3;
        cfg.batch = 4;
        cfg.cacheTrajectories = cfg.simBatch = 4;
        cfg.cacheRefresh = 2;
        cfg.evalSamples = 6;
        cfg.evalBatch = 4;
        cfg.validate();
        run(cfg, tmp);
        Npy.Array a = Npy.read(tmp.resolve("samples-ipf1.npy"));
        assertArrayEquals(new int[]{6, 3, 8, 12}, a.shape());
        for (float v : a.data()) assertTrue(v >= 0 && v <= 255, "in the images' range 0…255: " + v);
        assertArrayEquals(new int[]{4, 3, 8, 12}, Npy.read(tmp.resolve("data.npy")).shape(), "10 % of 40 held out");
        Map<String, Object> row = Json.parseObject(Files.readAllLines(tmp.resolve("metrics.jsonl")).get(1));
        for (String k : List.of("sw2", "mmd", "mean_error", "prior_sw2")) assertTrue(row.containsKey(k), k + " in " + row);
    }
}
