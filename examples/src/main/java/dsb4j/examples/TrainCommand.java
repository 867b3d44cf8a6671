package dsb4j.examples;

import dsb4j.dsb.data.Points;
import dsb4j.dsb.drift.Direction;
import dsb4j.dsb.train.*;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a bridge with iterative proportional fitting; writes config.json, metrics.jsonl, "
                + "samples-ipf<K>.npy, data.npy, prior.npy, plot-ipf<K>.png and checkpoint/ into --out.")
final class TrainCommand implements Callable<Integer> {

    @Mixin TrainOptions opts;
    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in this folder from its last checkpoint, with the "
            + "settings it started with (only --threads and --device may be given with it).")
    Path resume;
    @Option(names = "--overwrite", description = "Replace the run already in --out (its files are deleted first). Without it an existing, "
            + "non-empty --out is refused.")
    boolean overwrite;
    @Option(names = "--dry-run", description = "Print the resolved configuration and the memory the run needs, then exit without training or writing anything.")
    boolean dryRun;
    @Spec CommandSpec spec;

    /** The options that may come with --resume: they change where the run computes, not what. */
    private static final Set<String> RESUME_OPTIONS = Set.of("--resume", "--threads", "--device", "--dry-run");

    @Override public Integer call() throws Exception {
        return resume != null ? resumeRun() : newRun();
    }

    private Integer newRun() throws Exception {
        TrainConfig c = opts.configure();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dirPath = opts.out != null ? opts.out : Path.of("runs", c.preset.name() + "-" + stamp);
        Backend backend = CliSupport.backend(c);
        Problem problem = problem(c);
        announce(c, dirPath);
        if (dryRun) return dryRunDone();
        try (RunDirectory dir = refusedIfNot(() -> RunDirectory.create(dirPath, overwrite), "--out")) {
            dir.writeConfig(c);
            dir.writeEnds(c, problem, backend);
            return train(c, problem, backend, dir, null);
        }
    }

    private Integer resumeRun() throws Exception {
        var given = spec.commandLine().getParseResult();
        for (var o : given.matchedOptions())
            if (!RESUME_OPTIONS.contains(o.longestName()))
                throw new Main.UsageError("--resume continues " + resume + " with the settings it started with; " + o.longestName()
                        + " cannot change them (only --threads and --device may be given with --resume)");
        Path configFile = resume.resolve("config.json");
        if (!Files.isRegularFile(configFile)) throw new Main.UsageError("--resume " + resume + ": no config.json there (not a run folder)");
        TrainConfig c;
        try {
            c = TrainConfig.fromMap(Json.parseObject(Files.readString(configFile)));
            c.validate();
        } catch (IllegalArgumentException e) {
            throw new Main.UsageError("--resume " + configFile + ": " + e.getMessage());
        }
        Path ckpt = resume.resolve("checkpoint");
        if (Files.isRegularFile(ckpt.resolve("state.safetensors"))) {
            TrainConfig saved = CliSupport.parse(() -> {
                try {
                    return Checkpointer.readConfig(ckpt);
                } catch (IOException e) {
                    throw new IllegalArgumentException(e.getMessage(), e);
                }
            });
            String diff = c.firstDifference(saved);
            if (diff != null)
                throw new Main.UsageError("--resume " + resume + ": config.json and the checkpoint disagree on " + diff
                        + " (the checkpoint belongs to another run, or config.json was edited); nothing changed");
        }
        if (given.hasMatchedOption("--threads")) {
            c.threads = opts.threads;
            System.out.println("resuming with --threads " + c.threads);
        }
        if (given.hasMatchedOption("--device")) {
            c.device = CliSupport.parse(() -> dsb4j.engine.backend.Device.parse(opts.device));
            System.out.println("resuming on --device " + c.device);
        }
        CliSupport.parse(() -> { c.validate(); return c; });
        Backend backend = CliSupport.backend(c);
        try (RunDirectory dir = refusedIfNot(() -> RunDirectory.resume(resume), "--resume")) {
            TrainState resumed = Checkpointer.load(ckpt, c, backend);
            if (resumed == null) {
                System.out.println("no checkpoint in " + ckpt + ": starting the run from the beginning");
            } else if (resumed.ipf > c.ipfIters) {
                System.out.printf("%s has finished all %d IPF iterations already; nothing to do%n", resume, c.ipfIters);
                return 0;
            } else {
                System.out.printf("resuming %s at IPF iteration %d, %s half-step, step %d%n", resume, resumed.ipf, resumed.direction.word(), resumed.step);
            }
            Problem problem = problem(c);
            announce(c, resume);
            if (dryRun) return dryRunDone();
            dir.writeConfig(c);
            dir.writeEnds(c, problem, backend);
            if (resumed != null) dir.rewriteMetrics(resumed.metrics);
            return train(c, problem, backend, dir, resumed);
        }
    }

    private static Problem problem(TrainConfig c) {
        try {
            return c.problem();
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new Main.UsageError(e.getMessage());       // e.g. a data file that changed since the run started
        }
    }

    /** The lines every run starts with (and all --dry-run prints); refuses a run that would not fit in memory. */
    private static void announce(TrainConfig c, Path dirPath) {
        MemoryPlan memory;
        try {
            memory = MemoryPlan.of(c);
        } catch (IllegalStateException e) {
            throw new Main.UsageError(e.getMessage());
        }
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
            MemoryPlan.checkDisk(dirPath, MemoryPlan.diskBytes(c, memory));
        } catch (IllegalStateException | IOException e) {
            throw new Main.UsageError(e.getMessage());
        }
    }

    private static int dryRunDone() {
        System.out.println("dry run: nothing trained or written");
        return 0;
    }

    @FunctionalInterface
    private interface Opener { RunDirectory open() throws IOException; }

    /** The run folder, or a usage error (exit 2) naming the option when it is refused (not empty, in use, a file). */
    private static RunDirectory refusedIfNot(Opener opener, String option) throws IOException {
        try {
            return opener.open();
        } catch (RunFolderException e) {
            throw new Main.UsageError(option + " " + e.getMessage());
        }
    }

    private int train(TrainConfig c, Problem problem, Backend backend, RunDirectory dir, TrainState resumed) throws IOException {
        Progress progress = new Progress(c);
        String[] at = {resumed == null ? "the start" : "IPF " + resumed.ipf + ", " + resumed.direction.word() + " half-step, step " + resumed.step};
        IpfLoop.Listener listener = new IpfLoop.Listener() {
            @Override public void onProgress(int ipf, Direction d, int step, int it, double loss, double itPerS) {
                progress.step(ipf, d, step, loss, itPerS);
                at[0] = "IPF " + ipf + ", " + d.word() + " half-step, step " + (step + 1);
            }
            @Override public void onRow(Map<String, Object> row) { progress.row(row); }
            @Override public void onIteration(int ipf, Points generated, Points target, Tensor traj) {
                Plots.iteration(dir.plot(ipf), c, ipf, generated, target, traj);
            }
        };
        IpfLoop loop = new IpfLoop(c, problem, backend, dir, listener, resumed);
        // Ctrl-C or SIGTERM: the JVM runs this hook while training stops mid-step; checkpoints are renamed into place
        // whole, so the last one is intact, and the line says how to continue.
        Thread hook = new Thread(() -> {
            progress.close();
            System.err.println("dsb: stopped at " + at[0] + "; " + (loop.lastCheckpoint() == null ? "no checkpoint was written yet"
                    : "the checkpoint of " + loop.lastCheckpoint() + " is kept; continue with ./dsb train --resume " + dir.path()));
        });
        Runtime.getRuntime().addShutdownHook(hook);
        long t0 = System.nanoTime();
        try {
            loop.run();
        } catch (DivergenceException e) {
            progress.close();
            System.err.println("dsb: training stopped: " + e.getMessage());
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs: it prints where the run stopped
            }
        }
        progress.close();
        System.out.printf("done in %.1f s; results in %s%n", (System.nanoTime() - t0) / 1e9, dir.path());
        return 0;
    }
}
