package dsb4j.bridge;

import dsb4j.bridge.data.DataSet;
import dsb4j.bridge.data.DataSource;
import dsb4j.bridge.data.Points;
import dsb4j.bridge.data.Standardisation;
import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.sample.Sampler;
import dsb4j.bridge.train.Checkpointer;
import dsb4j.bridge.train.RunDirectory;
import dsb4j.bridge.train.TrainConfig;
import dsb4j.bridge.train.TrainState;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.backend.Device;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A trained bridge: generate from the prior end, transport given items from the prior end to the data end, or
 * encode them the other way, always in the data's own units; save it and load it back. Items are points
 * ({@code float[n][d]}) or, through {@link Points}, images flattened (n, C·H·W). Each call runs the chains with the
 * noise of the given seed, so the same call gives the same result; the last step returns its mean, without noise.
 */
public final class TrainedBridge {
    private final TrainConfig config;
    private final TrainState state;
    private final Backend backend;

    TrainedBridge(TrainConfig config, TrainState state, Backend backend) {
        this.config = config;
        this.state = state;
        this.backend = backend;
    }

    /** A bridge saved by {@link #save} or trained by {@code dsb train} (its run folder), on the CPU. */
    public static TrainedBridge load(Path folder) throws IOException {
        return load(folder, Device.CPU, Runtime.getRuntime().availableProcessors());
    }

    /** As {@link #load(Path)}, on the given device with the given number of CPU threads. */
    public static TrainedBridge load(Path folder, Device device, int threads) throws IOException {
        Path dir = Files.isDirectory(folder.resolve("checkpoint")) ? folder.resolve("checkpoint") : folder;
        TrainConfig c = Checkpointer.readConfig(dir);
        c.device = device;
        c.threads = threads;
        Backend backend = Backends.select(device.word(), threads, note -> {});
        TrainState s = Checkpointer.load(dir, c, backend);
        if (s == null || s.net(Direction.BACKWARD) == null || s.net(Direction.FORWARD) == null)
            throw new IllegalArgumentException(folder + ": holds no trained bridge yet (both networks are needed)");
        return new TrainedBridge(c, s, backend);
    }

    /** Writes the bridge into {@code folder} as a run folder (config.json and checkpoint/), creating it if needed. */
    public void save(Path folder) throws IOException {
        RunDirectory dir = new RunDirectory(folder);
        dir.writeConfig(config);
        Checkpointer.save(dir.checkpointDir(), config, state);
    }

    /** {@code n} fresh draws of the prior end carried to the data end (seed 1). */
    public float[][] generate(int n) { return generate(n, 1); }

    /** {@code n} fresh draws of the prior end carried to the data end, with the chains' noise from {@code seed}. */
    public float[][] generate(int n, long seed) {
        if (n < 1) throw new IllegalArgumentException("generate: n must be at least 1, got " + n);
        Rng rng = new Rng(seed);
        DataSource prior = config.preset.startOf(config, Direction.BACKWARD);
        Points model = prior.sample(n, rng.fork(0));
        return rows(config.preset.units().toUser(run(Direction.BACKWARD, model, rng.fork(1))));
    }

    /** Points of the prior end carried to the data end (seed 1). */
    public float[][] transport(float[][] points) { return transport(points, 1); }

    /** Points of the prior end carried to the data end, with the chains' noise from {@code seed}. */
    public float[][] transport(float[][] points, long seed) { return rows(transport(points(points), seed)); }

    /** Items (points, or images flattened (n, C·H·W)) of the prior end carried to the data end. */
    public Points transport(Points items, long seed) { return carry(Direction.BACKWARD, items, seed); }

    /** Points of the data end carried to the prior end (seed 1). */
    public float[][] encode(float[][] points) { return encode(points, 1); }

    /** Points of the data end carried to the prior end, with the chains' noise from {@code seed}. */
    public float[][] encode(float[][] points, long seed) { return rows(encode(points(points), seed)); }

    /** Items of the data end carried to the prior end. */
    public Points encode(Points items, long seed) { return carry(Direction.FORWARD, items, seed); }

    /** The settings it was trained with. */
    public TrainConfig config() { return config; }

    /** The metrics rows of its training, one per half-step (as in metrics.jsonl). */
    public List<Map<String, Object>> metrics() { return List.copyOf(state.metrics); }

    /** The shape of one item: {@code [d]} for points, {@code [C, H, W]} for images. */
    public int[] itemShape() { return config.itemShape(); }

    private Points carry(Direction chain, Points items, long seed) {
        if (items.d() != config.dim)
            throw new IllegalArgumentException("items of dimension " + items.d() + ", but the bridge's are of shape " + Arrays.toString(itemShape()));
        int bad = items.firstNonFiniteRow();
        if (bad >= 0) throw new IllegalArgumentException("row " + bad + " (0-based) holds a non-finite value");
        Standardisation units = config.preset.units();
        return units.toUser(run(chain, units.toModel(items), new Rng(seed).fork(1)));
    }

    private Points run(Direction chain, Points model, Rng rng) {
        Tensor start = Points.toTensor(model, backend, DType.F32, config.itemShape());
        Points out = Points.of(new Sampler(state.simulator(chain), config.timeSchedule()).run(start, rng));
        int bad = out.firstNonFiniteRow();
        if (bad >= 0) throw new IllegalStateException("the chain produced non-finite values (row " + bad + "): the bridge has diverged");
        return out;
    }

    private static Points points(float[][] rows) { return DataSet.points("points", rows).items(); }

    private static float[][] rows(Points p) {
        float[][] out = new float[p.n()][];
        for (int i = 0; i < p.n(); i++) out[i] = p.row(i);
        return out;
    }
}
