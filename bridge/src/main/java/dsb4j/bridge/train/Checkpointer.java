package dsb4j.bridge.train;

import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.DriftNet;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.io.Json;
import dsb4j.engine.io.SafeTensors;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.Module;
import dsb4j.nn.StateDict;
import dsb4j.nn.optim.Adam;
import dsb4j.nn.optim.Ema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * checkpoint/state.safetensors: both networks, their EMA copies and the running optimiser as tensors
 * ("backward.*", "forward.*", "backward_ema.*", "forward_ema.*", "adam.*"), and in the header's metadata the
 * configuration, the loop position and the metrics rows so far. One file written to a temporary name and
 * moved into place, so a crash leaves the previous checkpoint whole. Loadable with Python's safetensors.
 */
public final class Checkpointer {
    private Checkpointer() {}

    static final String FILE = "state.safetensors";
    /**
     * The format this version writes. Version 2 added the user's data (config "data"/"prior"/"standardisation") and
     * typed network entries; version 1 checkpoints (built-in presets only, the same tensors) are read as they are.
     */
    static final String FORMAT = "dsb4j-checkpoint-2";
    private static final java.util.List<String> READABLE = java.util.List.of("dsb4j-checkpoint-1", FORMAT);

    public static void save(Path dir, TrainConfig config, TrainState s) throws IOException {
        Files.createDirectories(dir);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Direction d : Direction.values()) {
            String name = d.word();
            if (s.net(d) != null) putAll(tensors, name + ".", s.net(d).module().stateDict());
            if (s.ema(d) != null) putAll(tensors, name + "_ema.", s.ema(d).shadow().stateDict());
        }
        boolean midHalfStep = s.step > 0 && s.adam != null;
        if (midHalfStep) putAll(tensors, "adam.", s.adam.state());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("config", Json.write(config.toMap()));
        meta.put("config_sha256", config.fingerprint());
        Map<String, Object> pos = new LinkedHashMap<>();
        pos.put("ipf", s.ipf);
        pos.put("direction", s.direction.word());
        pos.put("step", s.step);
        pos.put("loss_window_sum", s.lossWindow.sum);
        pos.put("loss_window_count", s.lossWindow.count);
        if (Double.isFinite(s.lossWindow.first)) pos.put("loss_first", s.lossWindow.first);
        meta.put("position", Json.write(pos));
        meta.put("metrics", Json.write(s.metrics));
        SafeTensors.write(dir.resolve(FILE), tensors, meta);
    }

    /** The configuration stored in a checkpoint folder; an unreadable one is an IllegalArgumentException naming the file. */
    public static TrainConfig readConfig(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) throw new IllegalArgumentException(dir + ": no checkpoint there (no " + FILE + ")");
        Map<String, String> meta = SafeTensors.readMetadata(f);
        checkFormat(f, meta);
        String config = meta.get("config");
        if (config == null) throw new IllegalArgumentException(f + ": the checkpoint holds no configuration");
        TrainConfig c;
        try {
            c = TrainConfig.fromMap(Json.parseObject(config));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(f + ": its configuration cannot be read (" + e.getMessage() + ")", e);
        }
        String recorded = meta.get("config_sha256");     // absent in format 1
        if (recorded != null && !recorded.equals(c.fingerprint()))
            throw new IllegalArgumentException(f + ": its configuration does not match the fingerprint recorded with it (the header was edited)");
        return c;
    }

    /** Refuses a file that is not a checkpoint of a format this version reads, saying which format it is. */
    private static void checkFormat(Path f, Map<String, String> meta) {
        String format = meta == null ? null : meta.get("format");
        if (format == null || !format.startsWith("dsb4j-checkpoint-"))
            throw new IllegalArgumentException(f + ": not a dsb4j checkpoint (no dsb4j-checkpoint format in its header)");
        if (!READABLE.contains(format))
            throw new IllegalArgumentException(f + ": checkpoint format '" + format + "' was written by another dsb4j version; this one reads "
                    + String.join(" and ", READABLE));
    }

    /** The state saved in {@code dir}, rebuilt on {@code backend}; null when there is no checkpoint yet. */
    @SuppressWarnings("unchecked")
    public static TrainState load(Path dir, TrainConfig c, Backend backend) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) return null;
        SafeTensors.Contents file = SafeTensors.read(f, backend);
        Map<String, String> meta = file.metadata();
        checkFormat(f, meta);
        Map<String, Object> pos = Json.parseObject(meta.get("position"));
        TrainState s = new TrainState();
        s.at(((Number) pos.get("ipf")).intValue(), "forward".equals(pos.get("direction")) ? Direction.FORWARD : Direction.BACKWARD,
                ((Number) pos.get("step")).intValue());
        s.lossWindow.sum = ((Number) pos.getOrDefault("loss_window_sum", 0.0)).doubleValue();
        s.lossWindow.count = ((Number) pos.getOrDefault("loss_window_count", 0)).intValue();
        s.lossWindow.first = pos.get("loss_first") instanceof Number first ? first.doubleValue() : Double.NaN;
        for (Object row : (List<Object>) Json.parse(meta.get("metrics"))) s.metrics.add((Map<String, Object>) row);
        for (Direction d : Direction.values()) {
            StateDict net = prefixed(file.tensors(), d.word() + ".");
            if (net.isEmpty()) continue;
            Module m = Networks.create(c, backend, DType.F32, new Rng(0));
            m.load(net);
            s.setNet(d, new DriftNet(m, d, c.parameterisation));
            StateDict ema = prefixed(file.tensors(), d.word() + "_ema.");
            if (!ema.isEmpty()) {
                Ema e = new Ema(m, c.emaRate);
                e.shadow().load(ema);
                s.setEma(d, e);
            }
        }
        StateDict adam = prefixed(file.tensors(), "adam.");
        if (!adam.isEmpty()) {
            DriftNet net = s.net(s.direction);
            if (net == null) throw new IOException(f + ": optimiser state without its network");
            s.adam = new Adam(net.module().parameters(), c.lr, 0.9, 0.999, 1e-8, 0);
            s.adam.loadState(adam);
        } else if (s.step > 0) {
            throw new IOException(f + ": position inside a half-step but no optimiser state");
        }
        return s;
    }

    private static void putAll(Map<String, Tensor> out, String prefix, StateDict sd) {
        for (var e : sd.entries().entrySet()) out.put(prefix + e.getKey(), e.getValue());
    }

    private static StateDict prefixed(Map<String, Tensor> all, String prefix) {
        StateDict sd = new StateDict();
        for (var e : all.entrySet())
            if (e.getKey().startsWith(prefix)) sd.put(e.getKey().substring(prefix.length()), e.getValue());
        return sd;
    }
}
