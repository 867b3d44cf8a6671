package dsb4j.bridge.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The image data sets, each read once per process and kept (IDX decoding of 60,000 images takes a second;
 * samplers call for draws thousands of times).
 * <ul>
 *   <li>MNIST: the 10,000 digits shipped in the jar ({@code dsb4j/data/mnist10k}, fixed split: the first 8,000
 *   for training, the last 2,000 held out), or a folder with the four standard files ({@code --data-dir}:
 *   train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each
 *   optionally {@code .gz}; training = the train files, held out = the t10k files).</li>
 *   <li>Fashion-MNIST: a folder with the same four names ({@code --prior-data-dir}), else Debian's
 *   {@code dataset-fashion-mnist} package ({@value #FASHION_SYSTEM_DIR}), else the 2,000 images shipped in the
 *   jar ({@code dsb4j/data/fashion2k}: 1,600 for training, 400 held out) with a printed note naming the package.</li>
 * </ul>
 * Pixels are scaled to [−1, 1].
 */
public final class ImageData {
    private ImageData() {}

    /** Images 0…7,999 of the shipped digits train, 8,000…9,999 are held out. */
    public static final int MNIST10K_TRAIN = 8000;
    public static final int FASHION2K_TRAIN = 1600;
    public static final String FASHION_SYSTEM_DIR = "/usr/share/datasets/fashion-mnist";
    public static final String FASHION_PACKAGE = "dataset-fashion-mnist";

    /** A training part and a held-out part of one data set; {@code origin} says where it was read from. */
    public record Split(ImageSet train, ImageSet heldOut, String origin) {}

    private static final Map<String, Split> CACHE = new ConcurrentHashMap<>();

    /** Where notes go (the fallback to the shipped Fashion subset); the command line prints them. */
    private static volatile Consumer<String> notes = System.out::println;

    public static void setNotes(Consumer<String> sink) { notes = sink == null ? s -> {} : sink; }

    /** MNIST: the shipped 10,000 digits split 8,000 / 2,000 when {@code dir} is null, else the folder's files. */
    public static Split mnist(Path dir) throws IOException {
        if (dir == null) return cached("mnist10k", () -> {
            ImageSet all = resource("mnist10k");
            return new Split(all.slice(0, MNIST10K_TRAIN), all.slice(MNIST10K_TRAIN, all.n()), "the 10,000 digits shipped with dsb4j");
        });
        return cached("mnist:" + dir.toAbsolutePath().normalize(), () -> folder("mnist", dir, "--data-dir"));
    }

    /**
     * Fashion-MNIST: the folder's files when {@code dir} is given (an error naming the package when they are not
     * there), else the system package's files, else the shipped 2,000 images with a note.
     */
    public static Split fashion(Path dir) throws IOException {
        if (dir != null) return cached("fashion:" + dir.toAbsolutePath().normalize(), () -> folder("fashion-mnist", dir, "--prior-data-dir"));
        Path system = Path.of(FASHION_SYSTEM_DIR);
        if (hasFour(system)) return cached("fashion:" + system, () -> folder("fashion-mnist", system, "the " + FASHION_PACKAGE + " package"));
        return cached("fashion2k", () -> {
            notes.accept("note: Fashion-MNIST not found in " + FASHION_SYSTEM_DIR + " (apt-get install " + FASHION_PACKAGE
                    + ", or point --prior-data-dir at a folder with its four IDX files); using the 2,000 images shipped with dsb4j");
            return fashionShipped();
        });
    }

    /** The 2,000 Fashion-MNIST images shipped with dsb4j, split 1,600 / 400 (tests use it; no install needed). */
    public static Split fashionShipped() throws IOException {
        return cached("fashion2k-shipped", () -> {
            ImageSet all = resource("fashion2k");
            return new Split(all.slice(0, FASHION2K_TRAIN), all.slice(FASHION2K_TRAIN, all.n()), "the 2,000 Fashion-MNIST images shipped with dsb4j");
        });
    }

    /** A shipped IDX pair {@code dsb4j/data/<name>/<name>-{images-idx3,labels-idx1}-ubyte.gz}. */
    static ImageSet resource(String name) throws IOException {
        String base = "/dsb4j/data/" + name + "/" + name;
        String images = base + "-images-idx3-ubyte.gz", labels = base + "-labels-idx1-ubyte.gz";
        return ImageSet.of(name, IdxReader.read("classpath:" + images, bytes(images), "classpath:" + labels, bytes(labels)));
    }

    private static byte[] bytes(String resource) throws IOException {
        try (InputStream in = ImageData.class.getResourceAsStream(resource)) {
            if (in == null) throw new IOException("resource " + resource + " is missing from the dsb4j jar (a broken build?)");
            return in.readAllBytes();
        }
    }

    private static final List<String> STEMS = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /** The four standard files of a folder: training set and held-out (t10k) set. */
    static Split folder(String name, Path dir, String option) throws IOException {
        if (!Files.isDirectory(dir))
            throw new IOException(option + " " + dir + ": no such folder" + fashionHint(name));
        Path[] f = new Path[4];
        for (int k = 0; k < 4; k++) {
            f[k] = find(dir, STEMS.get(k));
            if (f[k] == null)
                throw new IOException(option + " " + dir + ": no " + STEMS.get(k) + " (or .gz) there; a " + name
                        + " folder holds " + String.join(", ", STEMS) + fashionHint(name));
        }
        ImageSet train = ImageSet.of(name + "-train", IdxReader.read(f[0], f[1]));
        ImageSet test = ImageSet.of(name + "-t10k", IdxReader.read(f[2], f[3]));
        if (test.n() < 2)
            throw new IOException(f[2] + ": holds " + test.n() + " image" + (test.n() == 1 ? "" : "s") + "; the metrics compare against these "
                    + "held-out images and need at least 2");
        if (train.rows() != test.rows() || train.cols() != test.cols())
            throw new IOException(dir + ": training images are " + train.rows() + "×" + train.cols() + ", t10k images " + test.rows() + "×" + test.cols());
        return new Split(train, test, dir.toString());
    }

    private static String fashionHint(String name) {
        return name.startsWith("fashion") ? " (Fashion-MNIST installs with: apt-get install " + FASHION_PACKAGE + ", into " + FASHION_SYSTEM_DIR + ")" : "";
    }

    private static boolean hasFour(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        for (String s : STEMS) if (find(dir, s) == null) return false;
        return true;
    }

    /** stem, stem.gz, or the dotted variant some mirrors use (train-images.idx3-ubyte). */
    private static Path find(Path dir, String stem) {
        String dotted = stem.replaceFirst("-(idx\\d)", ".$1");
        for (String n : new String[]{stem, stem + ".gz", dotted, dotted + ".gz"}) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    @FunctionalInterface
    private interface Loader { Split load() throws IOException; }

    private static Split cached(String key, Loader loader) throws IOException {
        Split s = CACHE.get(key);
        if (s != null) return s;
        synchronized (CACHE) {
            s = CACHE.get(key);
            if (s == null) {
                s = loader.load();
                CACHE.put(key, s);
            }
            return s;
        }
    }
}
