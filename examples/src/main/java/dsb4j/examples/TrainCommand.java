package dsb4j.examples;

import dsb4j.bridge.data.Points;
import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.train.*;
import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.io.Json;
import java.nio.charset.StandardCharsets;
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
            + "settings it started with (only --threads, --device and --mpi-timeout may be given with it).")
    Path resume;
    @Option(names = "--overwrite", description = "Replace the run already in --out (its files are deleted first). Without it an existing, "
            + "non-empty --out is refused.")
    boolean overwrite;
    @Option(names = "--dry-run", description = "Print the resolved configuration and the memory the run needs, then exit without training or writing anything.")
    boolean dryRun;
    @Spec CommandSpec spec;

    @Option(names = "--mpi-timeout", paramLabel = "SECONDS", description = "Under mpirun: how long a rank waits for the others in a "
            + "collective (an all-reduce of gradients, rank 0's evaluation and checkpoint) before it ends the job, naming itself. "
            + "Default: 600.")
    Integer mpiTimeout;

    /** The options that may come with --resume: they change where the run computes, not what. */
    private static final Set<String> RESUME_OPTIONS = Set.of("--resume", "--threads", "--device", "--dry-run", "--mpi-timeout");

    @Override public Integer call() throws Exception {
        Ranks ranks = Ranks.join(mpiTimeout);
        return resume != null ? resumeRun(ranks) : newRun(ranks);
    }

    /** What every rank prepares before training. */
    private record Setup(TrainConfig config, Backend backend, Problem problem) {}

    private Integer newRun(Ranks ranks) throws Exception {
        TrainConfig c = ranks.agree("reading the options", true, () -> {
            TrainConfig config = opts.configure();
            config.ranks = ranks.size();
            if (ranks.size() > 1 && opts.threads == null) config.threads = ranks.defaultThreads();
            return config;
        });
        // rank 0 names the folder (the others write nothing and print nothing)
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path dirPath = opts.out != null ? opts.out : Path.of("runs", c.preset.name() + "-" + stamp);
        Setup s = ranks.agree("preparing the data and the device", false, () -> {
            Backend backend = backend(c, ranks);
            Problem problem = problem(c);
            announce(c, dirPath, ranks);
            return new Setup(c, backend, problem);
        });
        if (dryRun) return dryRunDone();
        try (RunDirectory dir = ranks.agree("opening the run folder", false, () -> {
            if (!ranks.root()) return null;
            RunDirectory d = refusedIfNot(() -> RunDirectory.create(dirPath, overwrite), "--out");
            d.writeConfig(c);
            d.writeEnds(c, s.problem(), s.backend());
            return d;
        })) {
            return train(ranks, c, s.problem(), s.backend(), dir, null);
        }
    }

    /** What rank 0 read from the run folder: config.json's text and the checkpoint's bytes (null: no checkpoint). */
    private record Saved(String configText, byte[] checkpoint) {}

    private Integer resumeRun(Ranks ranks) throws Exception {
        var given = spec.commandLine().getParseResult();
        ranks.agree("reading the options", true, () -> {
            for (var o : given.matchedOptions())
                if (!RESUME_OPTIONS.contains(o.longestName()))
                    throw new Main.UsageError("--resume continues " + resume + " with the settings it started with; " + o.longestName()
                            + " cannot change them (only --threads, --device and --mpi-timeout may be given with --resume)");
            return null;
        });
        Path configFile = resume.resolve("config.json");
        Path ckpt = resume.resolve("checkpoint");
        // Rank 0 reads the run and sends it to the others: every rank resumes from the very same bytes, and the
        // folder need only be on rank 0's machine.
        Saved saved = ranks.agree("reading the run folder", false, () -> {
            if (!ranks.root()) return null;
            if (!Files.isRegularFile(configFile)) throw new Main.UsageError("--resume " + resume + ": no config.json there (not a run folder)");
            Path state = ckpt.resolve("state.safetensors");
            return new Saved(Files.readString(configFile), ranks.size() > 1 && Files.isRegularFile(state) ? Files.readAllBytes(state) : null);
        });
        if (ranks.size() > 1) saved = share(ranks, saved);
        Path checkpointCopy = ranks.root() ? ckpt : copyOf(saved.checkpoint());
        try {
            return resumeFrom(ranks, given, saved.configText(), configFile, checkpointCopy);
        } finally {
            if (!ranks.root() && checkpointCopy != null) deleteCopy(checkpointCopy);
        }
    }

    private Integer resumeFrom(Ranks ranks, picocli.CommandLine.ParseResult given, String configText, Path configFile, Path ckpt) throws Exception {
        TrainConfig c = ranks.agree("reading the run's configuration", true, () -> {
            TrainConfig config;
            try {
                config = TrainConfig.fromMap(Json.parseObject(configText));
                config.validate();
            } catch (IllegalArgumentException e) {
                throw new Main.UsageError("--resume " + configFile + ": " + e.getMessage());
            }
            if (config.ranks != ranks.size()) throw new Main.UsageError("--resume " + resume + " " + ranksMismatch(config.ranks, ranks.size(), resume));
            if (ckpt != null && Files.isRegularFile(ckpt.resolve("state.safetensors"))) {
                TrainConfig inCheckpoint = CliSupport.parse(() -> {
                    try {
                        return Checkpointer.readConfig(ckpt);
                    } catch (IOException e) {
                        throw new IllegalArgumentException(e.getMessage(), e);
                    }
                });
                String diff = config.firstDifference(inCheckpoint);
                if (diff != null)
                    throw new Main.UsageError("--resume " + resume + ": config.json and the checkpoint disagree on " + diff
                            + " (the checkpoint belongs to another run, or config.json was edited); nothing changed");
            }
            if (given.hasMatchedOption("--threads")) {
                config.threads = opts.threads;
                System.out.println("resuming with --threads " + config.threads);
            }
            if (given.hasMatchedOption("--device")) {
                config.device = CliSupport.parse(() -> dsb4j.engine.backend.Device.parse(opts.device));
                System.out.println("resuming on --device " + config.device);
            }
            CliSupport.parse(() -> { config.validate(); return config; });
            return config;
        });
        Backend backend = ranks.agree("opening the device", false, () -> backend(c, ranks));
        try (RunDirectory dir = ranks.agree("locking the run folder", false,
                () -> ranks.root() ? refusedIfNot(() -> RunDirectory.resume(resume), "--resume") : null)) {
            TrainState resumed = ranks.agree("loading the checkpoint", true, () -> ckpt == null ? null : Checkpointer.load(ckpt, c, backend));
            if (!ranks.root() && ckpt != null) deleteCopy(ckpt);                      // a rank's private copy, loaded
            if (resumed == null) {
                System.out.println("no checkpoint in " + resume.resolve("checkpoint") + ": starting the run from the beginning");
            } else if (resumed.ipf > c.ipfIters) {
                System.out.printf("%s has finished all %d IPF iterations already; nothing to do%n", resume, c.ipfIters);
                return 0;
            } else {
                System.out.printf("resuming %s at IPF iteration %d, %s half-step, step %d%n", resume, resumed.ipf, resumed.direction.word(), resumed.step);
            }
            Problem problem = ranks.agree("preparing the data", false, () -> {
                Problem p = problem(c);
                announce(c, resume, ranks);
                return p;
            });
            if (dryRun) return dryRunDone();
            ranks.agree("rewriting the run's files", false, () -> {
                if (!ranks.root()) return null;
                dir.writeConfig(c);
                dir.writeEnds(c, problem, backend);
                if (resumed != null) dir.rewriteMetrics(resumed.metrics);
                return null;
            });
            return train(ranks, c, problem, backend, dir, resumed);
        }
    }

    /** Why a run of {@code trained} ranks cannot continue in a job of {@code now}, and how to resume it. */
    static String ranksMismatch(int trained, int now, Path folder) {
        String was = trained == 1 ? "was trained by one process (config.json has no \"ranks\")"
                : "was trained by " + trained + " ranks (config.json: \"ranks\": " + trained + ")";
        String is = now == 1 ? "this is one process" : "this job has " + now + " ranks";
        String how = trained == 1 ? "./dsb train --resume " + folder + " without mpirun" : "mpirun -np " + trained + " ./dsb train --resume " + folder;
        return was + " but " + is + "; resume it with " + how;
    }

    /** Rank 0's {@code saved} on every rank. */
    private static Saved share(Ranks ranks, Saved saved) {
        byte[] text = ranks.job.broadcastBytes(ranks.root() ? saved.configText().getBytes(StandardCharsets.UTF_8) : null, 0, "config.json from rank 0");
        byte[] has = {(byte) (ranks.root() && saved.checkpoint() != null ? 1 : 0)};
        ranks.job.broadcast(has, 0, "whether rank 0 has a checkpoint");
        byte[] ckpt = has[0] == 0 ? null : ranks.job.broadcastBytes(ranks.root() ? saved.checkpoint() : null, 0, "the checkpoint from rank 0");
        return new Saved(new String(text, StandardCharsets.UTF_8), ckpt);
    }

    /** A private temporary checkpoint folder holding {@code bytes} (null: none), for the ranks other than 0. */
    private static Path copyOf(byte[] bytes) throws IOException {
        if (bytes == null) return null;
        Path dir = Files.createTempDirectory("dsb-resume-");
        Files.write(dir.resolve("state.safetensors"), bytes);
        return dir;
    }

    private static void deleteCopy(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve("state.safetensors"));
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary folder; the system's cleaning removes it
        }
    }

    /**
     * The backend of --device/--threads. Several ranks on one machine with --device cuda each take the GPU of their
     * local rank (unless -Ddsb4j.cuda.device says otherwise).
     */
    private static Backend backend(TrainConfig c, Ranks ranks) {
        if (ranks.size() > 1 && c.device != dsb4j.engine.backend.Device.CPU && System.getProperty("dsb4j.cuda.device") == null)
            System.setProperty("dsb4j.cuda.device", String.valueOf(Ranks.localRank()));
        return CliSupport.backend(c);
    }

    private static Problem problem(TrainConfig c) {
        try {
            return c.problem();
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new Main.UsageError(e.getMessage());       // e.g. a data file that changed since the run started
        }
    }

    /** The lines every run starts with (and all --dry-run prints); refuses a run that would not fit in memory. */
    private static void announce(TrainConfig c, Path dirPath, Ranks ranks) {
        MemoryPlan memory;
        try {
            memory = MemoryPlan.of(c);
        } catch (IllegalStateException e) {
            throw new Main.UsageError(e.getMessage());
        }
        System.out.println("config " + Json.write(c.toMap()));
        if (ranks.size() > 1)
            System.out.printf("ranks: %s; each trains on its own batches of %d and its own cache of %d, so a step's global batch is "
                    + "%d × %d = %d; rank 0 writes the run%n", ranks.job.description(), c.batch, c.cacheTrajectories, ranks.size(), c.batch,
                    (long) ranks.size() * c.batch);
        if (c.preset instanceof OwnData own) {
            System.out.println("data end: " + own.dataDescription());
            System.out.println("prior end: " + own.priorDescription());
            System.out.println("standardisation: " + own.units() + "; samples, plots and metrics are in your units");
        }
        System.out.printf("memory: %s; %s rebuilt every %d steps%n", memory, memory.cache().name(), c.cacheRefresh);
        System.out.println("output: " + dirPath);
        try {
            memory.checkFits();
            if (ranks.root()) MemoryPlan.checkDisk(dirPath, MemoryPlan.diskBytes(c, memory));
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

    private int train(Ranks ranks, TrainConfig c, Problem problem, Backend backend, RunDirectory dir, TrainState resumed) throws IOException {
        Progress progress = new Progress(c);
        String[] at = {resumed == null ? "the start" : "IPF " + resumed.ipf + ", " + resumed.direction.word() + " half-step, step " + resumed.step};
        IpfLoop.Listener listener = !ranks.root() ? null : new IpfLoop.Listener() {
            @Override public void onProgress(int ipf, Direction d, int step, int it, double loss, double itPerS) {
                progress.step(ipf, d, step, loss, itPerS);
                at[0] = "IPF " + ipf + ", " + d.word() + " half-step, step " + (step + 1);
            }
            @Override public void onRow(Map<String, Object> row) { progress.row(row); }
            @Override public void onIteration(int ipf, Points generated, Points target, Tensor traj) {
                Plots.iteration(dir.plot(ipf), c, ipf, generated, target, traj);
            }
        };
        IpfLoop loop = new IpfLoop(c, problem, backend, dir, listener, resumed, ranks.job);
        String again = (ranks.size() > 1 ? "mpirun -np " + ranks.size() + " " : "") + "./dsb train --resume " + (dir == null ? resume : dir.path());
        // Ctrl-C or SIGTERM (mpirun sends it to every rank when one dies): the JVM runs this hook while training stops
        // mid-step; checkpoints are renamed into place whole, so the last one is intact, and rank 0 says how to continue.
        Thread hook = new Thread(() -> {
            progress.close();
            if (ranks.root())
                System.err.println("dsb: stopped at " + at[0] + "; " + (loop.lastCheckpoint() == null ? "no checkpoint was written yet"
                        : "the checkpoint of " + loop.lastCheckpoint() + " is kept; continue with " + again));
        });
        Runtime.getRuntime().addShutdownHook(hook);
        long t0 = System.nanoTime();
        try {
            loop.run();
        } catch (DivergenceException | WeightsHash.MismatchException e) {
            // every rank stops here at the same step: the loss and the hashes it decides on are the ranks' common ones
            progress.close();
            if (ranks.root()) System.err.println("dsb: training stopped: " + e.getMessage());
            return 1;
        } catch (RuntimeException | IOException e) {
            if (ranks.size() == 1) throw e;
            progress.close();
            ranks.failAlone(e, ranks.root() && loop.lastCheckpoint() != null ? "the checkpoint of " + loop.lastCheckpoint() + " is kept; continue with " + again : null);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs: it prints where the run stopped
            }
        }
        progress.close();
        if (ranks.root()) System.out.printf("done in %.1f s; results in %s%n", (System.nanoTime() - t0) / 1e9, dir.path());
        return 0;
    }
}
