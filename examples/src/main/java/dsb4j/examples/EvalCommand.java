package dsb4j.examples;

import dsb4j.bridge.data.Points;
import dsb4j.bridge.io.Npy;
import dsb4j.bridge.process.TimeSchedule;
import dsb4j.bridge.train.Evaluation;
import dsb4j.bridge.train.Checkpointer;
import dsb4j.bridge.train.OwnData;
import dsb4j.bridge.train.Presets;
import dsb4j.bridge.train.TrainConfig;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.io.Json;
import dsb4j.engine.random.Rng;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score samples against a preset's data end; prints one JSON line (keys as in metrics.jsonl). "
                + "For the gaussian preset, (n, 2d) pairs are also checked against the closed-form coupling, and (n, N+1, d) "
                + "trajectories (dsb sample --trajectories) against the closed-form time marginals. "
                + "For the image presets: MNIST-FD, class histogram and confidence of our LeNet-5 classifier against held-out digits.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--preset", description = "Preset whose data end is the target (fresh draws). Excludes --checkpoint.")
    String preset;
    @Option(names = "--checkpoint", paramLabel = "RUN", description = "A run folder: score against its held-out data end (the items "
            + "of its data.npy for your own data; the preset's target otherwise), with the metrics of its metrics.jsonl. Excludes --preset.")
    Path checkpoint;
    @Option(names = "--samples", required = true, description = "A float32 .npy file: (n, d), (n, 2d) pairs or (n, N+1, d) "
            + "trajectories for gaussian, (n, 1, 28, 28) images.")
    Path samples;
    @Option(names = "--steps", description = "N of the run (gaussian pairs: sets T = 0.5 either way). Default: the preset's.")
    Integer steps;
    @Option(names = "--dim", description = "Dimension d of the gaussian preset: files with 2d columns are pairs. Default: the preset's.")
    Integer dim;
    @Option(names = "--seed", defaultValue = "3", description = "Seed of the fresh target draws. Default: ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--w2-points", description = "Points of each set in the exact W2 (its sampling floor "
            + "falls with more; the cost grows as the cube: 2,000 takes seconds). Default: 1000; 2000 for your own data.")
    Integer w2Points;
    @Option(names = "--data-dir", description = "Image presets: the MNIST folder of the run, whose t10k images are the held-out set. "
            + "Default: the last 2,000 of the digits shipped with dsb4j.")
    java.nio.file.Path dataDir;

    @Override public Integer call() throws Exception {
        if (w2Points != null && w2Points < 2) throw new Main.UsageError("--w2-points must be at least 2, got " + w2Points);
        if ((preset == null) == (checkpoint == null)) throw new Main.UsageError("give --preset NAME or --checkpoint RUN (one of them)");
        int w2 = w2Points == null ? 0 : w2Points;
        TrainConfig c;
        if (checkpoint != null) {
            Path dir = CliSupport.checkpointDir(checkpoint);
            try {
                c = Checkpointer.readConfig(dir);
            } catch (IllegalArgumentException e) {
                throw new Main.UsageError("--checkpoint " + e.getMessage());
            }
            if (c.preset instanceof OwnData) return ownData(c, dir.toAbsolutePath().getParent(), w2);
        } else {
            try {
                c = Presets.defaults(preset, "quick");
            } catch (IllegalArgumentException e) {
                throw new Main.UsageError("--preset: " + e.getMessage());
            }
        }
        Npy.Array a;
        try {
            a = Npy.read(samples);
        } catch (IOException e) {
            throw new Main.UsageError("--samples " + e.getMessage());
        }
        int[] shape = a.shape();
        if (c.preset.images()) {
            // images: (n, 1, 28, 28) as train writes them, or flattened (n, 784); held-out real digits as the reference
            boolean ok = (shape.length == 4 && shape[1] == 1 && shape[2] == 28 && shape[3] == 28) || (shape.length == 2 && shape[1] == 28 * 28);
            if (!ok) throw new Main.UsageError("--samples " + samples + ": want images (n, 1, 28, 28) or (n, 784), got shape " + java.util.Arrays.toString(shape));
            if (shape[0] < 2) throw new Main.UsageError("--samples " + samples + ": need at least 2 images, got " + shape[0]);
            if (dataDir != null) {
                if (!java.nio.file.Files.isDirectory(dataDir)) throw new Main.UsageError("--data-dir " + dataDir + ": no such folder");
                c.dataDir = dataDir.toAbsolutePath().normalize();
            }
            Points images = new Points(shape[0], 28 * 28, a.data());
            System.out.println(Json.write(Evaluation.imageScore(c, images, new Rng(seed).fork(1))));
            return 0;
        }
        if (c.preset.closedFormCoupling() && shape.length == 3) {
            // trajectories (n, N+1, d): every time marginal against the bridge's (the run's N and d are the file's)
            if (shape[0] < 2 || shape[1] < 3 || (shape[1] - 1) % 2 != 0)
                throw new Main.UsageError("--samples " + samples + ": want trajectories (n ≥ 2, N+1 with N even, d), got shape " + java.util.Arrays.toString(shape));
            System.out.println(Json.write(Evaluation.gaussianMarginals(a.data(), shape[0], shape[1] - 1, shape[2])));
            return 0;
        }
        if (shape.length != 2) throw new Main.UsageError("--samples " + samples + ": want a 2-D array (n, d), got shape " + java.util.Arrays.toString(shape));
        int nonFinite = new Points(shape[0], Math.max(1, shape[1]), a.data()).firstNonFiniteRow();
        if (nonFinite >= 0) throw new Main.UsageError("--samples " + samples + ": row " + nonFinite + " (0-based) holds a non-finite value");
        Tensor t = Tensor.of(Backends.scalar(), a.data(), shape);
        Points p = Points.of(t);
        Map<String, Object> m;
        if (dim != null) c.dim = dim;
        if (c.preset.closedFormCoupling() && shape[1] == 2 * c.dim) {
            if (steps != null) c.steps = steps;
            TimeSchedule s = TimeSchedule.of(TimeSchedule.Kind.CONSTANT, c.steps, 1.0 / (2 * c.steps), 1.0 / (2 * c.steps));
            m = new java.util.LinkedHashMap<>(c.preset.couplingScore(c, t, s));
            Points generated = p.columns(0, c.dim);
            m.putAll(c.preset.score(c, generated, c.problem().data().sample(p.n(), new Rng(seed)), new Rng(seed).fork(1), w2));
        } else {
            if (shape[1] != c.dim) throw new Main.UsageError("--samples " + samples + ": preset " + preset + " has dimension " + c.dim + ", the file " + shape[1]);
            m = c.preset.score(c, p, c.problem().data().sample(p.n(), new Rng(seed)), new Rng(seed).fork(1), w2);
        }
        System.out.println(Json.write(m));
        return 0;
    }

    /**
     * Samples of a run on the user's data against its held-out data end, which the run wrote to data.npy (in the user's
     * units, exactly as read): the metrics of its metrics.jsonl.
     */
    private int ownData(TrainConfig c, Path run, int w2) throws Exception {
        Path heldOutFile = run.resolve("data.npy");
        if (!java.nio.file.Files.isRegularFile(heldOutFile))
            throw new Main.UsageError("--checkpoint " + run + ": no data.npy there (the run's held-out items, which the samples are scored against)");
        int[] item = c.itemShape();
        Points target, generated;
        try {
            target = items(Npy.read(heldOutFile), heldOutFile, item);
            generated = items(Npy.read(samples), samples, item);
        } catch (IOException e) {
            throw new Main.UsageError(e.getMessage());
        }
        if (generated.n() < 2) throw new Main.UsageError("--samples " + samples + ": need at least 2 items, got " + generated.n());
        int bad = generated.firstNonFiniteRow();
        if (bad >= 0) throw new Main.UsageError("--samples " + samples + ": row " + bad + " (0-based) holds a non-finite value");
        System.out.println(Json.write(c.preset.score(c, generated, target, new Rng(seed).fork(1), w2)));
        return 0;
    }

    /** An .npy of items of the run's shape ((n, d) points, (n, C, H, W) images or those flattened). */
    private static Points items(Npy.Array a, Path file, int[] item) {
        int[] s = a.shape();
        int d = java.util.Arrays.stream(item).reduce(1, (x, y) -> x * y);
        int[] want = new int[item.length + 1];
        System.arraycopy(item, 0, want, 1, item.length);
        want[0] = s.length > 0 ? s[0] : 0;
        boolean ok = java.util.Arrays.equals(s, want) || (s.length == 2 && s[1] == d);
        if (!ok) throw new Main.UsageError(file + ": shape " + java.util.Arrays.toString(s) + ", but the run's items are "
                + java.util.Arrays.toString(item));
        return new Points(s[0], d, a.data());
    }
}
