package dsb4j.bridge.images;

import dsb4j.bridge.data.ImageData;
import dsb4j.bridge.data.ImageSet;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.StateDict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The classifiers behind the image metrics, trained once and cached as safetensors files:
 * <ul>
 *   <li>{@code mnist}: LeNet-5 trained on the 8,000 training digits shipped with dsb4j, its accuracy measured on
 *   the 2,000 held-out ones (whatever {@code --data-dir} a run uses, so MNIST-FD values stay comparable);</li>
 *   <li>{@code fashion}: the same network on Fashion-MNIST (the package's first 8,000 training images, checked on
 *   2,000 t10k images; or the shipped 1,600 / 400 when the package is missing).</li>
 * </ul>
 * Cache folder: the system property {@code dsb4j.cache}, else {@code $DSB4J_CACHE}, else
 * {@code $XDG_CACHE_HOME/dsb4j}, else {@code ~/.cache/dsb4j}; files {@code classifiers/<name>.safetensors}.
 * Training is seeded, so a deleted file comes back identical. An unreadable or stale file is retrained; an
 * unwritable folder only costs the retraining next time. Loaded once per process and backend.
 */
public final class Classifiers {
    private Classifiers() {}

    /** Bump when the network or the recipe changes: old cache files are then ignored. */
    static final String VERSION = "lenet5-v1";
    static final int TRAIN_CAP = 8000, CHECK_CAP = 2000;

    private static final Map<String, Classifier> LOADED = new ConcurrentHashMap<>();
    private static volatile Consumer<String> notes = System.out::println;

    public static void setNotes(Consumer<String> sink) { notes = sink == null ? s -> {} : sink; }

    /** The MNIST digit classifier (cached). */
    public static Classifier mnist(Backend backend) throws IOException {
        ImageData.Split s = ImageData.mnist(null);
        return get("mnist10k-" + VERSION, s.train(), s.heldOut(), "MNIST (8,000 shipped training digits)", backend);
    }

    /** The Fashion-MNIST classifier (cached); trained on whichever Fashion data {@link ImageData#fashion(Path)} finds. */
    public static Classifier fashion(Backend backend) throws IOException {
        ImageData.Split s = ImageData.fashion(null);
        boolean shipped = s.train().n() <= ImageData.FASHION2K_TRAIN;
        return get((shipped ? "fashion2k-" : "fashion-") + VERSION, s.train().head(TRAIN_CAP), s.heldOut().head(CHECK_CAP),
                "Fashion-MNIST (" + s.origin() + ")", backend);
    }

    /**
     * Uses {@code c} as the MNIST (or Fashion) classifier on {@code backend} from now on, instead of the cached
     * one: for tests, which cannot spend half a minute training, and for callers bringing their own.
     */
    public static void register(boolean fashion, Backend backend, Classifier c) {
        LOADED.put((fashion ? "fashion" : "mnist10k") + "@" + System.identityHashCode(backend), c);
    }

    public static Path cacheDir() {
        String p = System.getProperty("dsb4j.cache");
        if (p == null || p.isBlank()) p = System.getenv("DSB4J_CACHE");
        if (p != null && !p.isBlank()) return Path.of(p);
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "dsb4j");
        return Path.of(System.getProperty("user.home"), ".cache", "dsb4j");
    }

    public static Path file(String key) { return cacheDir().resolve("classifiers").resolve(key + ".safetensors"); }

    private static Classifier get(String key, ImageSet train, ImageSet heldOut, String what, Backend backend) throws IOException {
        String id = (key.startsWith("mnist") ? "mnist10k" : "fashion") + "@" + System.identityHashCode(backend);
        Classifier c = LOADED.get(id);
        if (c != null) return c;
        synchronized (LOADED) {
            c = LOADED.get(id);
            if (c == null) {
                c = loadOrTrain(key, train, heldOut, what, backend);
                LOADED.put(id, c);
            }
            return c;
        }
    }

    static Classifier loadOrTrain(String key, ImageSet train, ImageSet heldOut, String what, Backend backend) throws IOException {
        Path f = file(key);
        int classes = 10;
        if (Files.isRegularFile(f)) {
            try {
                LeNet net = new LeNet(backend, DType.F32, new Rng(0), classes);
                net.load(StateDict.load(f, backend));
                Classifier c = new Classifier(key, net);
                double acc = c.check(heldOut);
                notes.accept(String.format("classifier %s: loaded %s; held-out accuracy %.2f %% on %d images", key, f, 100 * acc, heldOut.n()));
                return c;
            } catch (IOException | RuntimeException e) {
                notes.accept("classifier " + key + ": cannot use " + f + " (" + e.getMessage() + "); training it again");
            }
        }
        long t0 = System.nanoTime();
        notes.accept("classifier " + key + ": training LeNet-5 on " + what + ", " + train.n() + " images (once; cached afterwards)");
        Classifier c = Classifier.train(key, train, classes, backend, Classifier.Recipe.standard(), notes);
        double acc = c.check(heldOut);
        double seconds = (System.nanoTime() - t0) / 1e9;
        String where;
        try {
            Files.createDirectories(f.getParent());
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "dsb4j-classifier-1");
            meta.put("network", VERSION);
            meta.put("trained_on", train.name() + " (" + train.n() + " images)");
            meta.put("held_out", heldOut.name() + " (" + heldOut.n() + " images)");
            meta.put("held_out_accuracy", Double.toString(acc));
            meta.put("recipe", Classifier.Recipe.standard().toString());
            c.net().stateDict().save(f, meta);
            where = "cached in " + f;
        } catch (IOException | RuntimeException e) {
            where = "not cached (" + e.getMessage() + ")";
        }
        notes.accept(String.format("classifier %s: held-out accuracy %.2f %% on %d images; trained in %.0f s; %s",
                key, 100 * acc, heldOut.n(), seconds, where));
        return c;
    }
}
