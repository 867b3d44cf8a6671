package dsb4j.bridge.io;

import dsb4j.bridge.data.DataSet;
import dsb4j.bridge.data.Points;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads a user's data set from what the command line names: a point cloud ({@code .npy} of shape (n, d), float32 or
 * float64 — or uint8 —, or a {@code .csv} with a header line), or images (a folder of PNG/JPEG files of one size, or
 * an {@code .npy} of float32 or uint8 shaped (n, H, W) or (n, C, H, W) with C = 1 or 3). Every problem is an
 * IOException with one line naming the file and, where it applies, the row, line or file inside the folder.
 */
public final class DataFiles {
    private DataFiles() {}

    /** Notes for the user (e.g. a folder mixing grey and colour images); the command line prints them. */
    private static volatile java.util.function.Consumer<String> notes = System.out::println;

    public static void setNotes(java.util.function.Consumer<String> sink) { notes = sink == null ? s -> {} : sink; }

    /**
     * The data set at {@code path}; {@code columns} selects CSV columns by name (null or empty: all; an error for the
     * other formats). Messages start with the path.
     */
    public static DataSet read(Path path, List<String> columns) throws IOException {
        String where = path.toString();
        if (!Files.exists(path)) throw new IOException(where + ": no such file or folder");
        if (!Files.isReadable(path)) throw new IOException(where + ": not readable (check its permissions)");
        boolean csv = path.getFileName() != null && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
        if (columns != null && !columns.isEmpty() && !csv)
            throw new IOException(where + ": --columns applies to .csv files only");
        String name = stem(path);
        DataSet set;
        if (Files.isDirectory(path)) {
            ImageFolder.Images im = ImageFolder.read(path);
            if (im.note() != null) notes.accept("note: " + im.note());
            FileIdentity id = FileIdentity.of(path);
            set = new DataSet(name, new Points(im.n(), im.channels() * im.height() * im.width(), im.pixels()),
                    new int[]{im.channels(), im.height(), im.width()}, true, new DataSet.Origin(id.path(), "images", null, id.bytes(), id.sha256()));
        } else if (csv) {
            Csv.Table t = Csv.read(path, columns);
            FileIdentity id = FileIdentity.of(path);
            set = new DataSet(name, t.points(), new int[]{t.points().d()}, false,
                    new DataSet.Origin(id.path(), "csv", columns == null || columns.isEmpty() ? null : List.copyOf(columns), id.bytes(), id.sha256()));
        } else if (path.toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            set = npy(path, name);
        } else {
            throw new IOException(where + ": not a data file dsb4j reads (a .npy or .csv point cloud, a .npy of images, or a folder of PNG/JPEG images)");
        }
        if (set.n() == 0) throw new IOException(path + ": holds no items");
        return set;
    }

    private static DataSet npy(Path path, String name) throws IOException {
        Npy.Array a = Npy.read(path);
        int[] s = a.shape();
        boolean eightBit = a.dtype() == Npy.Dtype.UINT8;
        int[] item = switch (s.length) {
            case 2 -> new int[]{s[1]};
            case 3 -> new int[]{1, s[1], s[2]};
            case 4 -> {
                if (s[1] != 1 && s[1] != 3)
                    throw new IOException(path + ": shape " + Arrays.toString(s) + " is not images (n, C, H, W) with C = 1 or 3"
                            + (s[3] == 1 || s[3] == 3 ? " (channels last? save with array.transpose(0, 3, 1, 2))" : ""));
                yield new int[]{s[1], s[2], s[3]};
            }
            case 1 -> throw new IOException(path + ": shape " + Arrays.toString(s) + " is a vector, not (n, d) points; save one point per row "
                    + "(array.reshape(-1, 1) for d = 1)");
            default -> throw new IOException(path + ": shape " + Arrays.toString(s) + " is neither points (n, d) nor images (n, H, W) or (n, C, H, W)");
        };
        for (int k = 1; k < s.length; k++)
            if (s[k] == 0) throw new IOException(path + ": shape " + Arrays.toString(s) + " has an empty axis");
        float[] v = a.data();
        int d = Arrays.stream(item).reduce(1, (x, y) -> x * y);
        for (int k = 0; k < v.length; k++)
            if (!Float.isFinite(v[k]))
                throw new IOException(path + ": " + (item.length == 1 ? "row " : "image ") + k / d + " (0-based) holds " + v[k]
                        + "; remove or fix non-finite values");
        FileIdentity id = FileIdentity.of(path);
        return new DataSet(name, new Points(s[0], d, v), item, eightBit, new DataSet.Origin(id.path(), "npy", null, id.bytes(), id.sha256()));
    }

    /** A file's name without its extension (a folder's name as it is): the run's default name. */
    public static String stem(Path p) {
        Path f = p.toAbsolutePath().normalize().getFileName();
        String n = f == null ? "data" : f.toString();
        if (Files.isDirectory(p)) return n;
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
