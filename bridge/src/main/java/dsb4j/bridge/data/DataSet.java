package dsb4j.bridge.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One end of a user's bridge in the user's own units: n items, each a point ({@code itemShape = [d]}) or an image
 * ({@code [C, H, W]}, C = 1 or 3), held row-major in {@link Points} (d = C·H·W for images). {@code eightBit} says the
 * images came as 8-bit pixels (PNG, JPEG, uint8), whose range is 0…255; {@code origin} where they came from.
 */
public record DataSet(String name, Points items, int[] itemShape, boolean eightBit, Origin origin) {

    /**
     * Where a data set came from: the file or folder (null for data given in memory), its format ("npy", "csv",
     * "images"), the CSV columns used (null: all), its size in bytes and its SHA-256 (of the file, of the folder's
     * images, or of the values given in memory), so a later run can tell that it reads the same data.
     */
    public record Origin(String path, String format, List<String> columns, long bytes, String sha256) {
        /** The entries config.json records. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path);
            m.put("format", format);
            if (columns != null) m.put("columns", columns);
            m.put("bytes", bytes);
            m.put("sha256", sha256);
            return m;
        }

        /** The origin config.json's entries describe. */
        public static Origin fromMap(Map<String, Object> m) {
            List<String> columns = m.get("columns") instanceof List<?> l ? l.stream().map(String::valueOf).toList() : null;
            Object bytes = m.get("bytes");
            Object sha = m.get("sha256");
            Object format = m.get("format");
            if (!(bytes instanceof Number b) || !(sha instanceof String s) || !(format instanceof String f))
                throw new IllegalArgumentException("config: a data entry needs 'format', 'bytes' and 'sha256'");
            return new Origin(m.get("path") instanceof String p ? p : null, f, columns, b.longValue(), s);
        }
    }

    public DataSet {
        long per = 1;
        for (int s : itemShape) {
            if (s < 1) throw new IllegalArgumentException(name + ": bad item shape " + Arrays.toString(itemShape));
            per *= s;
        }
        if (itemShape.length != 1 && itemShape.length != 3)
            throw new IllegalArgumentException(name + ": items are points [d] or images [C, H, W], got " + Arrays.toString(itemShape));
        if (itemShape.length == 3 && itemShape[0] != 1 && itemShape[0] != 3)
            throw new IllegalArgumentException(name + ": images have 1 or 3 channels, got " + itemShape[0]);
        if (per != items.d())
            throw new IllegalArgumentException(name + ": items of " + items.d() + " values are not of shape " + Arrays.toString(itemShape));
        itemShape = itemShape.clone();
    }

    /** Points given in memory, one row per point. */
    public static DataSet points(String name, float[][] rows) {
        if (rows.length == 0) throw new IllegalArgumentException(name + ": no points");
        int d = rows[0].length;
        float[] flat = new float[Math.multiplyExact(rows.length, d)];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d) throw new IllegalArgumentException(name + ": row " + i + " has " + rows[i].length + " values, row 0 has " + d);
            System.arraycopy(rows[i], 0, flat, i * d, d);
        }
        return points(name, new Points(rows.length, d, flat));
    }

    /** Points given in memory. */
    public static DataSet points(String name, Points p) {
        return new DataSet(name, p, new int[]{p.d()}, false, inMemory(p, "points"));
    }

    /**
     * Images given in memory: {@code pixels} laid out (n, C, H, W); {@code eightBit} when their values are 0…255 pixel
     * levels (then the outputs are too), else their range is the one observed per channel.
     */
    public static DataSet images(String name, float[] pixels, int n, int channels, int height, int width, boolean eightBit) {
        Points p = new Points(n, Math.multiplyExact(Math.multiplyExact(channels, height), width), pixels);
        return new DataSet(name, p, new int[]{channels, height, width}, eightBit, inMemory(p, "images"));
    }

    /** Whether the items are images ({@code [C, H, W]}) rather than points. */
    public boolean images() { return itemShape.length == 3; }

    /** The number of items. */
    public int n() { return items.n(); }

    /** The values per item: d for points, C·H·W for images. */
    public int dim() { return items.d(); }

    /** The shape of one item (a copy). */
    @Override public int[] itemShape() { return itemShape.clone(); }

    /** The per-channel value range of images: 0…255 for 8-bit pixels, else the observed minimum and maximum. */
    public double[][] channelRange() {
        if (!images()) throw new IllegalStateException(name + " holds points, not images");
        int c = itemShape[0], per = items.d() / c;
        double[] lo = new double[c], hi = new double[c];
        if (eightBit) {
            Arrays.fill(hi, 255);
            return new double[][]{lo, hi};
        }
        Arrays.fill(lo, Double.POSITIVE_INFINITY);
        Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        float[] v = items.data();
        for (int i = 0; i < items.n(); i++)
            for (int ch = 0; ch < c; ch++) {
                int off = (i * c + ch) * per;
                for (int k = 0; k < per; k++) {
                    lo[ch] = Math.min(lo[ch], v[off + k]);
                    hi[ch] = Math.max(hi[ch], v[off + k]);
                }
            }
        return new double[][]{lo, hi};
    }

    /**
     * The first item holding NaN or ±Inf as "row i (0-based)", or null when every value is finite; files name their
     * rows more precisely when they are read.
     */
    public String firstNonFinite() {
        int row = items.firstNonFiniteRow();
        if (row < 0) return null;
        for (int j = 0; j < items.d(); j++) {
            float v = items.data()[row * items.d() + j];
            if (!Float.isFinite(v)) return (images() ? "image " : "row ") + row + " (0-based) holds " + v;
        }
        throw new AssertionError();
    }

    /** {@code modelUnits} (these items, standardised) as a data source of their shape (uniform draws with replacement). */
    public DataSource source(Points modelUnits) {
        return new ShapedSource(new EmpiricalSource(name, modelUnits), itemShape);
    }

    private static Origin inMemory(Points p, String format) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float x : p.data()) {
                if (!b.hasRemaining()) { sha.update(b.array(), 0, b.position()); b.clear(); }
                b.putFloat(x);
            }
            sha.update(b.array(), 0, b.position());
            return new Origin(null, format, null, 4L * p.data().length, HexFormat.of().formatHex(sha.digest()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    @Override public String toString() { return "DataSet(" + name + ", " + items.n() + " × " + Arrays.toString(itemShape) + ")"; }
}
