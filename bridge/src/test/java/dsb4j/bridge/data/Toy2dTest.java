package dsb4j.bridge.data;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.engine.random.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

class Toy2dTest {
    private static final List<String> REQUIRED = List.of("moons", "circles", "8gaussians", "checkerboard", "swissroll", "scurve");

    @Test void everyToyIsTwoDimensionalFiniteAndDeterministic() {
        assertTrue(Toy2d.names().containsAll(REQUIRED), Toy2d.names().toString());
        for (String name : Toy2d.names()) {
            DataSource s = Toy2d.of(name);
            assertEquals(name, s.name());
            assertEquals(2, s.dim());
            Points a = s.sample(500, new Rng(7)), b = s.sample(500, new Rng(7));
            assertEquals(a, b, name + ": same seed, same draws");
            assertNotEquals(a, s.sample(500, new Rng(8)), name);
            double max = 0;
            for (float v : a.data()) {
                assertTrue(Float.isFinite(v), name);
                max = Math.max(max, Math.abs(v));
            }
            // the reference's scale: coordinates of order ±7 to ±15, never tiny, never huge (the benchmark's shapes: ±3 to ±5)
            if (name.endsWith("-cfm") || name.endsWith("-runner")) assertTrue(max > 2.5 && max < 8, name + ": max |coordinate| " + max);
            else assertTrue(max > 5 && max < 25, name + ": max |coordinate| " + max);
        }
    }

    @Test void standardisedShapesHavePooledMeanZeroAndSdSeven() {
        // The reference standardises by the pooled (both coordinates) sample mean and sd, then × 7.
        for (String name : List.of("moons", "swissroll", "scurve")) {
            Points p = Toy2d.of(name).sample(200_000, new Rng(1));
            double s = 0, s2 = 0;
            for (float v : p.data()) { s += v; s2 += (double) v * v; }
            double mean = s / p.data().length, sd = Math.sqrt(s2 / p.data().length - mean * mean);
            assertEquals(0, mean, 0.05, name + " pooled mean");
            assertEquals(7, sd, 0.05, name + " pooled sd");
        }
    }

    @Test void circlesHaveRadiiFiveAndTen() {
        Points p = Toy2d.of("circles").sample(2000, new Rng(2));
        int inner = 0;
        for (int i = 0; i < p.n(); i++) {
            double r = Math.hypot(p.get(i, 0), p.get(i, 1));
            assertTrue(Math.abs(r - 5) < 1e-4 || Math.abs(r - 10) < 1e-4, "radius " + r);
            if (r < 7) inner++;
        }
        assertEquals(1000, inner, 100);
    }

    @Test void eightGaussiansSitAtRadiusTwelveWithSdOneAndAHalf() {
        Points p = Toy2d.of("8gaussians").sample(40_000, new Rng(3));
        int[] count = new int[8];
        double dev2 = 0;
        for (int i = 0; i < p.n(); i++) {
            double x = p.get(i, 0), y = p.get(i, 1);
            int k = Math.floorMod((int) Math.round(Math.atan2(y, x) / (Math.PI / 4)), 8);
            count[k]++;
            double cx = 12 * Math.cos(k * Math.PI / 4), cy = 12 * Math.sin(k * Math.PI / 4);
            dev2 += (x - cx) * (x - cx) + (y - cy) * (y - cy);
        }
        for (int c : count) assertEquals(5000, c, 300);
        assertEquals(1.5, Math.sqrt(dev2 / (2 * p.n())), 0.03);
    }

    @Test void checkerboardFillsAlternateCells() {
        Points p = Toy2d.of("checkerboard").sample(5000, new Rng(4));
        for (int i = 0; i < p.n(); i++) {
            double x = p.get(i, 0) / 7.5, y = p.get(i, 1) / 7.5;
            assertTrue(x >= -2 && x < 2 && y >= -2 && y < 2, x + ", " + y);
            // columns of even floor(x) hold rows [−2, −1) and [0, 1); odd ones [−1, 0) and [1, 2)
            assertEquals(Math.floorMod((int) Math.floor(x), 2), Math.floorMod((int) Math.floor(y), 2), x + ", " + y);
        }
    }

    @Test void moonsLieOnTheirArcs() {
        Points p = Toy2d.of("moons").sample(1000, new Rng(5));
        for (int i = 0; i < p.n(); i++) {
            double x = p.get(i, 0) / 7 * Toy2d.MOONS_SD + Toy2d.MOONS_MEAN, y = p.get(i, 1) / 7 * Toy2d.MOONS_SD + Toy2d.MOONS_MEAN;
            boolean outer = Math.abs(Math.hypot(x, y) - 1) < 1e-4 && y >= -1e-4;
            boolean inner = Math.abs(Math.hypot(x - 1, y - 0.5) - 1) < 1e-4 && y <= 0.5 + 1e-4;
            assertTrue(outer || inner, x + ", " + y);
        }
    }

    @Test void benchmarkShapesHaveTorchcfmGeometry() {
        // moons-cfm: 3·(arc point + u·(1, 1)) − 1 with u ~ U[0, 0.2)
        Points m = Toy2d.of("moons-cfm").sample(2000, new Rng(6));
        for (int i = 0; i < m.n(); i++) {
            double x = (m.get(i, 0) + 1) / 3, y = (m.get(i, 1) + 1) / 3, best = Double.MAX_VALUE;
            for (double u = 0; u < 0.2; u += 1e-4) {          // the shift that puts the point back on an arc
                double xo = x - u, yo = y - u;
                double outer = yo >= -1e-3 ? Math.abs(Math.hypot(xo, yo) - 1) : 1, inner = yo <= 0.5 + 1e-3 ? Math.abs(Math.hypot(xo - 1, yo - 0.5) - 1) : 1;
                best = Math.min(best, Math.min(outer, inner));
            }
            assertTrue(best < 2e-3, x + ", " + y + " is off both shifted arcs by " + best);
        }
        // moons-runner: 2·(arc point + 0.05·Z) − (1, 0): off the arcs by the noise's normal part, mean (0, 0.5)
        Points r = Toy2d.of("moons-runner").sample(20_000, new Rng(7));
        double d2 = 0, mx = 0, my = 0;
        for (int i = 0; i < r.n(); i++) {
            double x = (r.get(i, 0) + 1) / 2, y = r.get(i, 1) / 2;
            double outer = Math.abs(Math.hypot(x, Math.max(y, 0)) - 1), inner = Math.abs(Math.hypot(x - 1, Math.min(y, 0.5) - 0.5) - 1);
            double d = Math.min(outer, inner);
            assertTrue(d < 0.3, x + ", " + y + " is " + d + " off both arcs (6 noise sd)");
            d2 += d * d / r.n();
            mx += r.get(i, 0) / r.n();
            my += r.get(i, 1) / r.n();
        }
        assertTrue(d2 > 0.0015 && d2 < 0.0026, "mean squared distance to the arcs " + d2 + " (noise variance 0.0025)");
        assertEquals(0, mx, 0.03);
        assertEquals(0.5, my, 0.03);
        // 8gaussians-cfm: eight centres at radius 5, each coordinate with variance √0.1
        Points p = Toy2d.of("8gaussians-cfm").sample(40_000, new Rng(3));
        double dev2 = 0;
        int[] count = new int[8];
        for (int i = 0; i < p.n(); i++) {
            double x = p.get(i, 0), y = p.get(i, 1);
            int k = Math.floorMod((int) Math.round(Math.atan2(y, x) / (Math.PI / 4)), 8);
            count[k]++;
            dev2 += Math.pow(x - 5 * Math.cos(k * Math.PI / 4), 2) + Math.pow(y - 5 * Math.sin(k * Math.PI / 4), 2);
        }
        for (int c : count) assertEquals(5000, c, 300);
        assertEquals(Math.sqrt(0.1), dev2 / (2 * p.n()), 0.01);
        // scurve-cfm: 1.5·((sin t, sign(t)(cos t − 1)) + 0.05·Z), t ~ U[−3π/2, 3π/2]: near the curve, within a few noise sd
        Points sc = Toy2d.of("scurve-cfm").sample(5000, new Rng(8));
        double sumX = 0, sumZ = 0, sumZ2 = 0;
        for (int i = 0; i < sc.n(); i++) {
            double x = sc.get(i, 0) / 1.5, z = sc.get(i, 1) / 1.5, best = Double.MAX_VALUE;
            for (double t = -1.5 * Math.PI; t <= 1.5 * Math.PI; t += 1e-3)
                best = Math.min(best, Math.hypot(x - Math.sin(t), z - Math.signum(t) * (Math.cos(t) - 1)));
            assertTrue(best < 0.05 * 5, x + ", " + z + " is " + best + " off the curve");
            sumX += x;
            sumZ += z;
            sumZ2 += z * z;
        }
        assertEquals(0, sumX / sc.n(), 0.05);
        assertEquals(0, sumZ / sc.n(), 0.05);
        // E[(cos t − 1)²] over t ~ U[−3π/2, 3π/2] = 3/2 + 4/(3π), plus the noise's 0.0025
        assertEquals(1.5 + 4 / (3 * Math.PI) + 0.0025, sumZ2 / sc.n(), 0.06);
    }

    @Test void unknownNameListsTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Toy2d.of("spiral"));
        assertTrue(e.getMessage().contains("spiral") && e.getMessage().contains("moons") && e.getMessage().contains("scurve"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Toy2d.of(null));
    }

    @Test void referenceNamesAreAliases() {
        assertEquals("moons", Toy2d.of("moon").name());
        assertEquals("swissroll", Toy2d.of("swiss").name());
        assertEquals(Toy2d.of("checker").sample(10, new Rng(1)), Toy2d.of("checkerboard").sample(10, new Rng(1)));
    }
}
