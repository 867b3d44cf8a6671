package dsb4j.bridge.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The affine map between the user's units and the units the bridge trains in: {@code model = (user − shift) / scale},
 * per coordinate for points and per channel for images (each group of {@code groupSize} consecutive values of a
 * flattened item shares one shift and scale). Mapping back to the user's units clamps to {@code [lo, hi]} where a
 * value range is set (images: the input's range, e.g. 0…255). Stored in config.json and the checkpoint, so
 * everything a run writes is in the user's units.
 */
public record Standardisation(String kind, double[] shift, double[] scale, int groupSize, double lo, double hi) {

    /** No change (the built-in presets, and --no-standardise). */
    public static final Standardisation IDENTITY = new Standardisation("none", new double[0], new double[0], 1,
            Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

    public Standardisation {
        if (shift.length != scale.length) throw new IllegalArgumentException("Standardisation: " + shift.length + " shifts, " + scale.length + " scales");
        if (groupSize < 1) throw new IllegalArgumentException("Standardisation: group size " + groupSize);
        for (double s : scale)
            if (!(s > 0) || !Double.isFinite(s)) throw new IllegalArgumentException("Standardisation: scale " + s + " is not a positive number");
        for (double s : shift) if (!Double.isFinite(s)) throw new IllegalArgumentException("Standardisation: shift " + s + " is not finite");
        if (!(lo <= hi)) throw new IllegalArgumentException("Standardisation: value range [" + lo + ", " + hi + "]");
        shift = shift.clone();
        scale = scale.clone();
    }

    /** Per-coordinate mean and standard deviation of {@code points} (a constant coordinate keeps scale 1). */
    public static Standardisation perCoordinate(Points points) {
        double[] mean = points.mean();
        double[] sd = new double[points.d()];
        if (points.n() > 1) {
            double[] var = points.variance();
            for (int j = 0; j < sd.length; j++) sd[j] = Math.sqrt(var[j]);
        }
        for (int j = 0; j < sd.length; j++) if (!(sd[j] > 1e-12 * Math.max(1, Math.abs(mean[j])))) sd[j] = 1;
        return new Standardisation("per-coordinate", mean, sd, 1, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /**
     * Images with values in {@code [lo[c], hi[c]]} per channel mapped onto [−1, 1] (the range diffusion models of images
     * train in), and back with clamping to the overall range [min lo, max hi].
     */
    public static Standardisation perChannel(double[] lo, double[] hi, int pixelsPerChannel) {
        double[] shift = new double[lo.length], scale = new double[lo.length];
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < lo.length; c++) {
            shift[c] = (lo[c] + hi[c]) / 2;
            scale[c] = hi[c] > lo[c] ? (hi[c] - lo[c]) / 2 : 1;
            min = Math.min(min, lo[c]);
            max = Math.max(max, hi[c]);
        }
        return new Standardisation("per-channel", shift, scale, pixelsPerChannel, min, max);
    }

    /** No scaling, but values mapped back are still clamped to the images' range. */
    public static Standardisation clampOnly(double lo, double hi) {
        return new Standardisation("none", new double[0], new double[0], 1, lo, hi);
    }

    public boolean isIdentity() { return shift.length == 0 && lo == Double.NEGATIVE_INFINITY && hi == Double.POSITIVE_INFINITY; }

    /** User units → model units (a copy). */
    public Points toModel(Points p) {
        if (shift.length == 0) return p;
        check(p);
        float[] out = new float[p.data().length];
        float[] in = p.data();
        int d = p.d();
        for (int i = 0; i < p.n(); i++)
            for (int j = 0; j < d; j++) {
                int g = j / groupSize;
                out[i * d + j] = (float) ((in[i * d + j] - shift[g]) / scale[g]);
            }
        return new Points(p.n(), d, out);
    }

    /** Model units → user units (a copy), clamped to the value range where one is set. */
    public Points toUser(Points p) {
        if (isIdentity()) return p;
        check(p);
        float[] out = new float[p.data().length];
        float[] in = p.data();
        int d = p.d();
        for (int i = 0; i < p.n(); i++)
            for (int j = 0; j < d; j++) {
                double v = in[i * d + j];
                if (shift.length > 0) {
                    int g = j / groupSize;
                    v = v * scale[g] + shift[g];
                }
                // NaN stays NaN (Math.max/min would hide a diverged sample)
                out[i * d + j] = Double.isNaN(v) ? Float.NaN : (float) Math.min(hi, Math.max(lo, v));
            }
        return new Points(p.n(), d, out);
    }

    /** The typical size of one model unit in user units: the root mean square of the scales (1 for the identity). */
    public double meanScale() {
        if (scale.length == 0) return 1;
        double s = 0;
        for (double x : scale) s += x * x;
        return Math.sqrt(s / scale.length);
    }

    private void check(Points p) {
        if ((long) shift.length * groupSize != p.d())
            throw new IllegalArgumentException("Standardisation: made for d = " + (long) shift.length * groupSize + ", applied to " + p);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        if (shift.length > 0) {
            m.put("shift", Arrays.stream(shift).boxed().toList());
            m.put("scale", Arrays.stream(scale).boxed().toList());
            m.put("group_size", groupSize);
        }
        if (lo != Double.NEGATIVE_INFINITY || hi != Double.POSITIVE_INFINITY) m.put("value_range", List.of(lo, hi));
        return m;
    }

    public static Standardisation fromMap(Map<String, Object> m) {
        Object kind = m.get("kind");
        if (!(kind instanceof String k)) throw new IllegalArgumentException("config: standardisation without a 'kind'");
        double[] shift = m.containsKey("shift") ? doubles(m.get("shift"), "shift") : new double[0];
        double[] scale = m.containsKey("scale") ? doubles(m.get("scale"), "scale") : new double[0];
        int group = m.get("group_size") instanceof Number n ? n.intValue() : 1;
        double lo = Double.NEGATIVE_INFINITY, hi = Double.POSITIVE_INFINITY;
        if (m.containsKey("value_range")) {
            double[] r = doubles(m.get("value_range"), "value_range");
            if (r.length != 2) throw new IllegalArgumentException("config: standardisation 'value_range' needs two numbers");
            lo = r[0];
            hi = r[1];
        }
        return new Standardisation(k, shift, scale, group, lo, hi);
    }

    private static double[] doubles(Object o, String key) {
        if (!(o instanceof List<?> l)) throw new IllegalArgumentException("config: standardisation '" + key + "' is not a list");
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n)) throw new IllegalArgumentException("config: standardisation '" + key + "' holds a non-number");
            out[i] = n.doubleValue();
        }
        return out;
    }

    @Override public boolean equals(Object o) {
        return o instanceof Standardisation s && s.kind.equals(kind) && Arrays.equals(s.shift, shift) && Arrays.equals(s.scale, scale)
                && s.groupSize == groupSize && s.lo == lo && s.hi == hi;
    }

    @Override public int hashCode() { return Arrays.hashCode(shift) * 31 + Arrays.hashCode(scale); }

    @Override public String toString() {
        return switch (kind) {
            case "per-coordinate" -> "per-coordinate (x − mean) / sd";
            case "per-channel" -> "per-channel affine onto [−1, 1] of the range [" + fmt(lo) + ", " + fmt(hi) + "]";
            default -> lo == Double.NEGATIVE_INFINITY ? "none" : "none (outputs clamped to [" + fmt(lo) + ", " + fmt(hi) + "])";
        };
    }

    private static String fmt(double v) { return v == Math.rint(v) ? Long.toString((long) v) : String.format("%.4g", v); }
}
