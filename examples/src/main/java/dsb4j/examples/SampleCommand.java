package dsb4j.examples;

import dsb4j.bridge.data.DataSet;
import dsb4j.bridge.data.Points;
import dsb4j.bridge.data.Standardisation;
import dsb4j.bridge.drift.AveragedMap;
import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.TransitionMap;
import dsb4j.bridge.io.DataFiles;
import dsb4j.bridge.io.Npy;
import dsb4j.bridge.sample.Sampler;
import dsb4j.bridge.train.Checkpointer;
import dsb4j.bridge.train.RunDirectory;
import dsb4j.bridge.train.TrainConfig;
import dsb4j.bridge.train.TrainState;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a trained bridge: generate (backward chain from the prior end) or encode (forward chain from the data end), "
                + "from fresh draws of that end (--n) or from your own points or images (--from). Outputs are in the data's own units.")
final class SampleCommand implements Callable<Integer> {
    enum Mode { generate, encode }

    @Option(names = "--checkpoint", required = true, description = "A run folder (or its checkpoint/ folder). Repeat it to run "
            + "the average drift of several runs of one chain (an ensemble: e.g. one preset trained with different --seed).")
    List<Path> checkpoints;
    @Option(names = "--n", description = "Number of chains, started from fresh draws of the start end. Default: 1000.")
    Integer n;
    @Option(names = "--from", paramLabel = "FILE|DIR", description = "Start the chains from these points or images instead (the formats "
            + "of train --data; the same item shape as the run's), e.g. your own points to push through the bridge. Excludes --n.")
    Path from;
    @Option(names = "--columns", split = ",", paramLabel = "NAME", description = "With a .csv for --from: the columns to use. Default: "
            + "the run's --columns, else all.")
    List<String> columns;
    @Option(names = "--out", required = true, description = "Output .npy file.")
    Path out;
    @Option(names = "--grid", paramLabel = "FILE.png", description = "Images: also draw the outputs as a PNG grid (with --from: "
            + "input | output pairs).")
    Path grid;
    @Option(names = "--overwrite", description = "Replace --out (and --grid) when they exist. A file of the run itself (its checkpoint, "
            + "config.json, data.npy, samples, ...) is never replaced.")
    boolean overwrite;
    @Option(names = "--direction", defaultValue = "generate", description = "generate (prior end → data end) or encode (data end → "
            + "prior end). Default: ${DEFAULT-VALUE}.")
    Mode direction;
    @Option(names = "--pairs", description = "Write both ends of each chain, (n, 2d), data end first, noise on every step.")
    boolean pairs;
    @Option(names = "--trajectories", description = "Write every state, (n, N+1, d), index 0 = data end.")
    boolean trajectories;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of the chains' noise and starting points. Default: ${DEFAULT-VALUE}.")
    long seed;
    @Option(names = "--threads", description = "CPU worker threads. Default: available cores.")
    Integer threads;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or auto. Default: ${DEFAULT-VALUE}.")
    String device;

    @Override public Integer call() throws Exception {
        if (n != null && n < 1) throw new Main.UsageError("--n must be at least 1, got " + n);
        if (n != null && from != null) throw new Main.UsageError("--n and --from exclude each other: chains start from fresh draws or from the given items");
        if (pairs && trajectories) throw new Main.UsageError("--pairs and --trajectories exclude each other");
        if (columns != null && from == null) throw new Main.UsageError("--columns goes with --from");
        if (threads != null && (threads < 1 || threads > TrainConfig.MAX_THREADS))
            throw new Main.UsageError("--threads must be between 1 and " + TrainConfig.MAX_THREADS + ", got " + threads);
        checkOutput(out, "--out");
        if (grid != null) checkOutput(grid, "--grid");
        Direction chain = direction == Mode.generate ? Direction.BACKWARD : Direction.FORWARD;
        TrainConfig c = null;
        Backend backend = null;
        List<TransitionMap> maps = new ArrayList<>();
        for (Path checkpoint : checkpoints) {
            Path dir = CliSupport.checkpointDir(checkpoint);
            TrainConfig ci = CliSupport.parse(() -> {
                try {
                    return Checkpointer.readConfig(dir);
                } catch (IOException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            });
            if (c == null) {
                c = ci;
                c.device = CliSupport.parse(() -> dsb4j.engine.backend.Device.parse(device));
                if (threads != null) c.threads = threads;
                backend = CliSupport.backend(c);
            } else if (c.chainMismatch(ci) instanceof String why) {
                throw new Main.UsageError("--checkpoint " + checkpoint + ": another chain than " + checkpoints.getFirst() + " ("
                        + why + "); an ensemble averages runs of one preset, N and schedule");
            }
            TrainState state;
            try {
                state = Checkpointer.load(dir, ci, backend);
            } catch (IOException | IllegalArgumentException e) {
                throw new Main.UsageError("--checkpoint " + e.getMessage());
            }
            if (state == null || state.net(chain) == null)
                throw new Main.UsageError("--checkpoint " + checkpoint + ": no trained " + chain.word() + " network there yet");
            maps.add(state.simulator(chain));
        }
        if (grid != null && !c.preset.images())
            throw new Main.UsageError("--grid draws images; this run's items are points of dimension " + c.dim);
        Standardisation units = c.preset.units();
        int[] item = c.itemShape();
        Rng rng = new Rng(seed);
        Points startUser = from != null ? readFrom(c, item) : null;
        Points startModel;
        if (startUser != null) {
            startModel = units.toModel(startUser);
        } else {
            TrainConfig run = c;
            var startSource = CliSupport.parse(() -> run.preset.startOf(run, chain));
            int count = n == null ? 1000 : n;
            long per = (long) c.dim * (trajectories ? c.steps + 1 : pairs ? 2 : 1);
            try {   // the starting points, the chain's output and its copy in the user's units
                dsb4j.bridge.io.HeapCheck.require(out, 3L * count * per * Float.BYTES, String.format("%,d chains of %,d values", count, per));
            } catch (IOException e) {
                throw new Main.UsageError("--n " + count + ": " + e.getMessage() + " (or sample in several smaller runs)");
            }
            if ((long) count * per > Integer.MAX_VALUE - 8)
                throw new Main.UsageError("--n " + count + ": " + count * per + " values are more than one array holds; sample in smaller runs");
            startModel = startSource.sample(count, rng.fork(0));
        }
        Tensor start = Points.toTensor(startModel, backend, DType.F32, item);
        Sampler sampler = new Sampler(new AveragedMap(maps), c.timeSchedule());
        Tensor result = pairs ? sampler.pairs(start, rng.fork(1))
                : trajectories ? sampler.trajectories(start, rng.fork(1))
                : sampler.run(start, rng.fork(1));
        float[] values = toUser(units, result, c.dim);
        long bad = 0;
        for (float v : values) if (!Float.isFinite(v)) bad++;
        if (bad > 0)
            throw new IllegalStateException(String.format("the chains produced %,d non-finite values of %,d (has the run diverged?); nothing written",
                    bad, values.length));
        Npy.write(out, values, result.dims());
        System.out.println("wrote " + out + " " + Arrays.toString(result.dims()) + (units.isIdentity() ? "" : " in the data's units"));
        if (grid != null) drawGrid(c, units, startUser, values, result.dims());
        return 0;
    }

    /**
     * Refuses an output that exists (unless --overwrite), or that is a file of one of the runs read (never replaced),
     * or the --from input itself.
     */
    private void checkOutput(Path file, String option) {
        for (Path checkpoint : checkpoints) {
            Path run = CliSupport.checkpointDir(checkpoint).toAbsolutePath().normalize().getParent();
            if (run != null && RunDirectory.isRunFile(run, file))
                throw new Main.UsageError(option + " " + file + " is a file of the run " + run + "; write the output elsewhere");
        }
        if (from != null && file.toAbsolutePath().normalize().startsWith(from.toAbsolutePath().normalize()))
            throw new Main.UsageError(option + " " + file + " is the --from input; write the output elsewhere");
        if (Files.isDirectory(file)) throw new Main.UsageError(option + " " + file + " is a folder; give a file name");
        if (Files.exists(file) && !overwrite)
            throw new Main.UsageError(option + " " + file + " exists; choose another name or replace it with --overwrite");
    }

    /** The --from items in the user's units, checked against the run's item shape. */
    private Points readFrom(TrainConfig c, int[] item) {
        List<String> cols = columns;
        if (cols == null && c.preset instanceof dsb4j.bridge.train.OwnData own && from.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv"))
            cols = own.columns();
        DataSet set;
        try {
            set = DataFiles.read(from, cols);
        } catch (IOException | IllegalArgumentException e) {
            throw new Main.UsageError("--from " + e.getMessage());
        }
        if (!Arrays.equals(set.itemShape(), item))
            throw new Main.UsageError("--from " + from + ": items of shape " + Arrays.toString(set.itemShape()) + ", but the run's are "
                    + Arrays.toString(item));
        String bad = set.firstNonFinite();
        if (bad != null) throw new Main.UsageError("--from " + from + ": " + bad + "; remove or fix non-finite values");
        return set.items();
    }

    /** The sampler's output in the user's units: states, (n, 2d) pairs (each half mapped) or trajectories. */
    private float[] toUser(Standardisation units, Tensor result, int dim) {
        if (units.isIdentity()) return result.toFloats();
        Points flat = new Points(result.numel() / dim, dim, result.toFloats());
        if (pairs) {
            Points rows = Points.of(result);
            return Points.pairs(units.toUser(rows.columns(0, dim)), units.toUser(rows.columns(dim, 2 * dim))).data();
        }
        return units.toUser(flat).data();
    }

    private void drawGrid(TrainConfig c, Standardisation units, Points inputs, float[] values, int[] dims) throws IOException {
        int[] item = c.itemShape();
        double lo = Double.isFinite(units.lo()) ? units.lo() : -1, hi = Double.isFinite(units.hi()) ? units.hi() : 1;
        ImageFormat f = new ImageFormat(item[0], item[1], item[2], lo, hi);
        int count = dims[0], shown = Math.min(count, 64);
        int d = c.dim;
        float[] outputs = values;
        if (trajectories) {                       // the far end of each chain: index 0 for generate, N for encode
            int len = dims[1];
            outputs = new float[count * d];
            int index = direction == Mode.generate ? 0 : len - 1;
            for (int i = 0; i < count; i++) System.arraycopy(values, (i * len + index) * d, outputs, i * d, d);
        } else if (pairs) {
            outputs = new float[count * d];
            int half = direction == Mode.generate ? 0 : d;
            for (int i = 0; i < count; i++) System.arraycopy(values, i * 2 * d + half, outputs, i * d, d);
        }
        String what = (direction == Mode.generate ? (inputs != null ? "transported" : "generated") + " (prior end → data end)"
                : "encoded (data end → prior end)");
        if (inputs != null) {
            ImageGrid.pairs(grid, Arrays.copyOf(inputs.data(), shown * d), Arrays.copyOf(outputs, shown * d), shown, f, 4,
                    "input | " + what + ", " + shown + " of " + count);
        } else {
            ImageGrid.write(grid, Arrays.copyOf(outputs, shown * d), shown, f, 8, what + ", " + shown + " of " + count);
        }
        System.out.println("drew " + grid);
    }
}
