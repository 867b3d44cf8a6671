package dsb4j.bridge.data;

import dsb4j.engine.random.Rng;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 2D toy distributions of the DSB reference code ({@code JTT94/diffusion_schrodinger_bridge:bridge/data/two_dim.py},
 * which calls scikit-learn's generators with noise 0), at the same scales: coordinates of order ±7 to ±15.
 *
 * <p>Two deliberate differences, so that a source is one fixed distribution whatever n is:
 * <ul>
 *   <li>The reference standardises moons, scurve and swissroll by the mean and standard deviation of its own
 *       10,000-point sample, pooled over both coordinates, then multiplies by 7. We use the population values of
 *       the same pooled statistics (closed forms below), so the shapes match the reference up to sampling error.</li>
 *   <li>scikit-learn places moons and circles at evenly spaced angles (n/2 points per arc); we draw the arc
 *       uniformly at random and the angle uniformly, i.i.d. per point: the same law in the limit.</li>
 * </ul>
 * Every point uses a fixed number of draws from the generator, in a fixed order.
 */
public final class Toy2d implements DataSource {
    private interface Generator { void point(Rng rng, double[] xy); }

    private static final Map<String, Generator> SHAPES = new LinkedHashMap<>();
    private static final Map<String, String> ALIASES = Map.of(
            "moon", "moons", "circle", "circles", "checker", "checkerboard", "swiss", "swissroll");

    // Pooled (both coordinates) population mean and standard deviation of the unscaled shapes.
    // moons: outer arc (cos θ, sin θ), inner arc (1 − cos θ, 0.5 − sin θ), θ ~ U[0, π]:
    //   E = (0 + 2/π + 1 + 0.5 − 2/π)/4 = 3/8,  E[z²] = (1/2 + 1/2 + 3/2 + 3/4 − 2/π)/4.
    static final double MOONS_MEAN = 0.375;
    static final double MOONS_SD = Math.sqrt((3.25 - 2 / Math.PI) / 4 - 0.375 * 0.375);
    // scurve: (sin t, sign(t)(cos t − 1)), t ~ U[−3π/2, 3π/2]: E = 0, E[z²] = (1/2 + 3/2 + 4/(3π))/2.
    static final double SCURVE_MEAN = 0;
    static final double SCURVE_SD = Math.sqrt(1 + 2 / (3 * Math.PI));
    // swissroll: (t cos t, t sin t), t ~ U[3π/2, 9π/2]: E[t cos t] = 2, E[t sin t] = 2/(3π), E[t²] = 9.75π².
    static final double SWISS_MEAN = 1 + 1 / (3 * Math.PI);
    static final double SWISS_SD = Math.sqrt(4.875 * Math.PI * Math.PI - SWISS_MEAN * SWISS_MEAN);
    static final double STANDARD_SCALE = 7;

    static {
        SHAPES.put("moons", (rng, xy) -> {
            boolean outer = rng.nextDouble() < 0.5;
            double th = Math.PI * rng.nextDouble();
            double x = outer ? Math.cos(th) : 1 - Math.cos(th);
            double y = outer ? Math.sin(th) : 0.5 - Math.sin(th);
            xy[0] = (x - MOONS_MEAN) / MOONS_SD * STANDARD_SCALE;
            xy[1] = (y - MOONS_MEAN) / MOONS_SD * STANDARD_SCALE;
        });
        SHAPES.put("circles", (rng, xy) -> {
            // make_circles(factor=0.5) × 10: radius 10 outside, 5 inside
            double r = rng.nextDouble() < 0.5 ? 10 : 5;
            double th = 2 * Math.PI * rng.nextDouble();
            xy[0] = r * Math.cos(th);
            xy[1] = r * Math.sin(th);
        });
        SHAPES.put("8gaussians", (rng, xy) -> {
            // centres at radius 4, std 0.5, everything × 3: radius 12, std 1.5
            int k = rng.nextInt(8);
            double zx = rng.nextGaussian(), zy = rng.nextGaussian();
            double angle = k * Math.PI / 4;
            xy[0] = 3 * (4 * Math.cos(angle) + 0.5 * zx);
            xy[1] = 3 * (4 * Math.sin(angle) + 0.5 * zy);
        });
        SHAPES.put("checkerboard", (rng, xy) -> {
            // x1 ~ U[−2, 2); x2 in the row band of x1's column parity; then × 7.5
            double x1 = 4 * rng.nextDouble() - 2;
            double x2 = rng.nextDouble() - 2 * rng.nextInt(2) + Math.floorMod((int) Math.floor(x1), 2);
            xy[0] = 7.5 * x1;
            xy[1] = 7.5 * x2;
        });
        SHAPES.put("swissroll", (rng, xy) -> {
            // make_swiss_roll, columns (x, z): the spiral (t cos t, t sin t)
            double t = 1.5 * Math.PI * (1 + 2 * rng.nextDouble());
            xy[0] = (t * Math.cos(t) - SWISS_MEAN) / SWISS_SD * STANDARD_SCALE;
            xy[1] = (t * Math.sin(t) - SWISS_MEAN) / SWISS_SD * STANDARD_SCALE;
        });
        SHAPES.put("scurve", (rng, xy) -> {
            // make_s_curve, columns (x, z)
            double t = 3 * Math.PI * (rng.nextDouble() - 0.5);
            xy[0] = (Math.sin(t) - SCURVE_MEAN) / SCURVE_SD * STANDARD_SCALE;
            xy[1] = (Math.signum(t) * (Math.cos(t) - 1) - SCURVE_MEAN) / SCURVE_SD * STANDARD_SCALE;
        });
        // The unit-scale shapes of the later 2-D Schrödinger-bridge benchmark ([SF]²M, DSBM Table 1; torchcfm's
        // sample_moons and sample_8gaussians; its runner's S-curve), for comparison with the DSB numbers published there.
        SHAPES.put("moons-cfm", (rng, xy) -> {
            // torchdyn's generate_moons(noise = 0.2): the two arcs shifted along (1, 1) by U[0, 0.2); then × 3 − 1
            boolean outer = rng.nextDouble() < 0.5;
            double th = Math.PI * rng.nextDouble(), shift = 0.2 * rng.nextDouble();
            xy[0] = 3 * ((outer ? Math.cos(th) : 1 - Math.cos(th)) + shift) - 1;
            xy[1] = 3 * ((outer ? Math.sin(th) : 0.5 - Math.sin(th)) + shift) - 1;
        });
        SHAPES.put("moons-runner", (rng, xy) -> {
            // the runner of torchcfm's 2-D benchmark: make_moons(noise = 0.05), × 2, then x − 1
            boolean outer = rng.nextDouble() < 0.5;
            double th = Math.PI * rng.nextDouble(), zx = rng.nextGaussian(), zy = rng.nextGaussian();
            xy[0] = 2 * ((outer ? Math.cos(th) : 1 - Math.cos(th)) + 0.05 * zx) - 1;
            xy[1] = 2 * ((outer ? Math.sin(th) : 0.5 - Math.sin(th)) + 0.05 * zy);
        });
        SHAPES.put("8gaussians-cfm", (rng, xy) -> {
            // eight_normal_sample(scale = 5, var = 0.1): centres 5·(cos kπ/4, sin kπ/4), covariance √0.1·I
            int k = rng.nextInt(8);
            double zx = rng.nextGaussian(), zy = rng.nextGaussian(), sd = Math.pow(0.1, 0.25), angle = k * Math.PI / 4;
            xy[0] = 5 * Math.cos(angle) + sd * zx;
            xy[1] = 5 * Math.sin(angle) + sd * zy;
        });
        SHAPES.put("scurve-cfm", (rng, xy) -> {
            // the runner of torchcfm's 2-D benchmark: make_s_curve(noise = 0.05), columns (x, z), × 1.5
            double t = 3 * Math.PI * (rng.nextDouble() - 0.5);
            double zx = rng.nextGaussian(), zz = rng.nextGaussian();
            xy[0] = 1.5 * (Math.sin(t) + 0.05 * zx);
            xy[1] = 1.5 * (Math.signum(t) * (Math.cos(t) - 1) + 0.05 * zz);
        });
        SHAPES.put("mixture", (rng, xy) -> {
            // two unit Gaussians at x = ±7
            boolean left = rng.nextDouble() < 0.5;
            xy[0] = rng.nextGaussian() + (left ? -7 : 7);
            xy[1] = rng.nextGaussian();
        });
        SHAPES.put("pinwheel", (rng, xy) -> {
            // 5 arms: radial N(1, 0.3²), tangential N(0, 0.1²), turned by arm angle + 0.25·exp(radial); × 7.5
            int arm = rng.nextInt(5);
            double f0 = 1 + 0.3 * rng.nextGaussian(), f1 = 0.1 * rng.nextGaussian();
            double angle = 2 * Math.PI * arm / 5 + 0.25 * Math.exp(f0);
            double c = Math.cos(angle), s = Math.sin(angle);
            xy[0] = 7.5 * (f0 * c + f1 * s);
            xy[1] = 7.5 * (-f0 * s + f1 * c);
        });
    }

    private final String name;
    private final Generator generator;

    private Toy2d(String name, Generator generator) {
        this.name = name;
        this.generator = generator;
    }

    /** The named toy; the reference code's names (moon, circle, checker, swiss) are accepted too. */
    public static DataSource of(String name) {
        String key = name == null ? "" : ALIASES.getOrDefault(name, name);
        Generator g = SHAPES.get(key);
        if (g == null) throw new IllegalArgumentException("unknown 2D toy '" + name + "'; known: " + String.join(", ", names()));
        return new Toy2d(key, g);
    }

    /** Canonical names, in a fixed order. */
    public static List<String> names() { return List.copyOf(SHAPES.keySet()); }

    @Override public String name() { return name; }

    @Override public int dim() { return 2; }

    @Override public Points sample(int n, Rng rng) {
        if (n < 0) throw new IllegalArgumentException(name + ".sample: n must be >= 0, got " + n);
        float[] out = new float[2 * n];
        double[] xy = new double[2];
        for (int i = 0; i < n; i++) {
            generator.point(rng, xy);
            out[2 * i] = (float) xy[0];
            out[2 * i + 1] = (float) xy[1];
        }
        return new Points(n, 2, out);
    }

    @Override public String toString() { return "Toy2d(" + name + ")"; }
}
