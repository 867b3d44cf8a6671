package dsb4j.examples;

import dsb4j.dsb.data.Points;
import dsb4j.dsb.drift.Direction;
import dsb4j.dsb.train.*;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.io.Json;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a bridge with iterative proportional fitting; writes config.json, metrics.jsonl, "
                + "samples-ipf<K>.npy, data.npy, prior.npy, plot-ipf<K>.png and checkpoint/ into --out.")
final class TrainCommand implements Callable<Integer> {

    @Mixin TrainOptions opts;
    @Option(names = "--resume", description = "Continue the run in this folder from its last checkpoint.")
    Path resume;

    @Override public Integer call() throws Exception {
        TrainConfig c;
        RunDirectory dir;
        TrainState resumed = null;
        if (resume != null) {
            if (!Files.isRegularFile(resume.resolve("config.json")))
                throw new Main.UsageError("--resume " + resume + ": no config.json there (not a run folder)");
            c = TrainConfig.fromMap(Json.parseObject(Files.readString(resume.resolve("config.json"))));
            if (opts.threads != null) c.threads = opts.threads;
            if (!opts.device.equals("cpu")) c.device = CliSupport.parse(() -> dsb4j.engine.backend.Device.parse(opts.device));
            dir = new RunDirectory(resume);
            resumed = Checkpointer.load(dir.checkpointDir(), c, CliSupport.backend(c));
            if (resumed == null) System.out.println("no checkpoint in " + dir.checkpointDir() + ": starting the run from the beginning");
            else System.out.printf("resuming %s at IPF iteration %d, %s half-step, step %d%n", resume, resumed.ipf, resumed.direction.word(), resumed.step);
        } else {
            c = opts.configure();
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            dir = new RunDirectory(opts.out != null ? opts.out : Path.of("runs", c.preset.name() + "-" + stamp));
        }
        Backend backend = CliSupport.backend(c);
        Problem problem = c.problem();
        System.out.println("config " + Json.write(c.toMap()));
        System.out.printf("output %s; %s, rebuilt every %d steps%n", dir.path(), c.halfStep().cacheSize(c.dim, c.steps), c.cacheRefresh);
        dir.writeConfig(c);
        Rng ends = new Rng(c.seed).fork(0xE2D5);
        dir.writeNpy(dir.path().resolve("data.npy"), Points.toTensor(problem.data().sample(c.evalSamples, ends.fork(0)), backend, DType.F32, problem.data().itemShape()));
        dir.writeNpy(dir.path().resolve("prior.npy"), Points.toTensor(problem.prior().sample(c.evalSamples, ends.fork(1)), backend, DType.F32, problem.prior().itemShape()));
        if (resumed != null) dir.rewriteMetrics(resumed.metrics);

        Progress progress = new Progress(c);
        IpfLoop.Listener listener = new IpfLoop.Listener() {
            @Override public void onProgress(int ipf, Direction d, int step, int it, double loss, double itPerS) {
                progress.step(ipf, d, step, loss, itPerS);
            }
            @Override public void onRow(Map<String, Object> row) { progress.row(row); }
            @Override public void onIteration(int ipf, Points generated, Points target, Tensor traj) {
                Plots.iteration(dir.plot(ipf), c, ipf, generated, target, traj);
            }
        };
        long t0 = System.nanoTime();
        try {
            new IpfLoop(c, problem, backend, dir, listener, resumed).run();
        } catch (DivergenceException e) {
            progress.close();
            System.err.println("dsb: training stopped: " + e.getMessage());
            return 1;
        }
        progress.close();
        System.out.printf("done in %.1f s; results in %s%n", (System.nanoTime() - t0) / 1e9, dir.path());
        return 0;
    }
}
