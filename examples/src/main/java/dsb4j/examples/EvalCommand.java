package dsb4j.examples;

import dsb4j.dsb.data.Points;
import dsb4j.dsb.io.Json;
import dsb4j.dsb.io.Npy;
import dsb4j.dsb.process.TimeSchedule;
import dsb4j.dsb.train.Evaluation;
import dsb4j.dsb.train.Presets;
import dsb4j.dsb.train.TrainConfig;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.random.Rng;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Score samples against a preset's data end; prints one JSON line (keys as in metrics.jsonl). "
                + "For the gaussian preset, (n, 2d) pairs are also checked against the closed-form coupling.")
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--preset", required = true, description = "Preset whose data end is the target.")
    String preset;
    @Option(names = "--samples", required = true, description = "A float32 .npy file: (n, d), or (n, 2d) pairs for gaussian.")
    Path samples;
    @Option(names = "--steps", description = "N of the run (gaussian pairs: sets T = 0.5 either way). Default: the preset's.")
    Integer steps;
    @Option(names = "--dim", description = "Dimension d of the gaussian preset: files with 2d columns are pairs. Default: the preset's.")
    Integer dim;
    @Option(names = "--seed", defaultValue = "3", description = "Seed of the fresh target draws. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override public Integer call() throws Exception {
        TrainConfig c;
        try {
            c = Presets.defaults(preset, "quick");
        } catch (IllegalArgumentException e) {
            throw new Main.UsageError("--preset: " + e.getMessage());
        }
        Npy.Array a = Npy.read(samples);
        int[] shape = a.shape();
        if (shape.length != 2) throw new Main.UsageError("--samples " + samples + ": want a 2-D array (n, d), got shape " + java.util.Arrays.toString(shape));
        Tensor t = Tensor.of(Backends.scalar(), a.data(), shape);
        Points p = Points.of(t);
        Map<String, Object> m;
        if (dim != null) c.dim = dim;
        if (preset.equals("gaussian") && shape[1] == 2 * c.dim) {
            if (steps != null) c.steps = steps;
            TimeSchedule s = TimeSchedule.of(TimeSchedule.Kind.CONSTANT, c.steps, 1.0 / (2 * c.steps), 1.0 / (2 * c.steps));
            m = Evaluation.gaussianCoupling(c, t, s);
            Points generated = p.columns(0, c.dim);
            m.putAll(Evaluation.score(c, generated, Presets.problem(c).data().sample(p.n(), new Rng(seed)), new Rng(seed).fork(1)));
        } else {
            if (shape[1] != c.dim) throw new Main.UsageError("--samples " + samples + ": preset " + preset + " has dimension " + c.dim + ", the file " + shape[1]);
            m = Evaluation.score(c, p, Presets.problem(c).data().sample(p.n(), new Rng(seed)), new Rng(seed).fork(1));
        }
        System.out.println(Json.write(m));
        return 0;
    }
}
