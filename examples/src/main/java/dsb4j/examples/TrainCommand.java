package dsb4j.examples;

import dsb4j.dsb.data.Points;
import dsb4j.dsb.drift.Direction;
import dsb4j.dsb.train.*;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.io.Json;
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
    @Option(names = "--dry-run", description = "Print the resolved configuration and the memory the run needs, then exit without training or writing anything.")
    boolean dryRun;

    @Override public Integer call() throws Exception {
        TrainConfig c;
        Path dirPath;
        TrainState resumed = null;
        Backend backend;
        if (resume != null) {
            if (!Files.isRegularFile(resume.resolve("config.json")))
                throw new Main.UsageError("--resume " + resume + ": no config.json there (not a run folder)");
            try {
                c = TrainConfig.fromMap(Json.parseObject(Files.readString(resume.resolve("config.json"))));
            } catch (IllegalArgumentException e) {
                throw new Main.UsageError("--resume " + resume.resolve("config.json") + ": " + e.getMessage());
            }
            if (opts.threads != null) c.threads = opts.threads;
            if (!opts.device.equals("cpu")) c.device = CliSupport.parse(() -> dsb4j.engine.backend.Device.parse(opts.device));
            dirPath = resume;
            backend = CliSupport.backend(c);
            resumed = Checkpointer.load(resume.resolve("checkpoint"), c, backend);
            if (resumed == null) System.out.println("no checkpoint in " + resume.resolve("checkpoint") + ": starting the run from the beginning");
            else System.out.printf("resuming %s at IPF iteration %d, %s half-step, step %d%n", resume, resumed.ipf, resumed.direction.word(), resumed.step);
        } else {
            c = opts.configure();
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            dirPath = opts.out != null ? opts.out : Path.of("runs", c.preset.name() + "-" + stamp);
            backend = CliSupport.backend(c);
        }
        Problem problem;
        try {
            problem = c.problem();
        } catch (IllegalArgumentException e) {
            throw new Main.UsageError(e.getMessage());       // e.g. a data file that changed since the run started
        }
        MemoryPlan memory = MemoryPlan.of(c);
        System.out.println("config " + Json.write(c.toMap()));
        if (c.preset instanceof OwnData own) {
            System.out.println("data end: " + own.dataDescription());
            System.out.println("prior end: " + own.priorDescription());
            System.out.println("standardisation: " + own.units() + "; samples, plots and metrics are in your units");
        }
        System.out.printf("memory: %s; %s rebuilt every %d steps%n", memory, memory.cache().name(), c.cacheRefresh);
        System.out.println("output: " + dirPath);
        try {
            memory.checkFits();
        } catch (IllegalStateException e) {
            throw new Main.UsageError(e.getMessage());
        }
        if (dryRun) {
            System.out.println("dry run: nothing trained or written");
            return 0;
        }
        RunDirectory dir = new RunDirectory(dirPath);
        dir.writeConfig(c);
        dir.writeEnds(c, problem, backend);
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
