package dsb4j.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `dsb train|sample|eval|bench|presets`: the command line of docs/cli.md. */
@Command(name = "dsb", mixinStandardHelpOptions = true, version = "dsb4j 0.1.0",
        description = "Diffusion Schrödinger bridges on the JVM (De Bortoli et al., NeurIPS 2021).",
        subcommands = {TrainCommand.class, SampleCommand.class, EvalCommand.class, BenchCommand.class, PresetsCommand.class})
public final class Main implements Runnable {

    @Override public void run() { new CommandLine(this).usage(System.out); }

    public static void main(String[] args) {
        int code = run(args);
        dsb4j.engine.dist.Collectives.closeWorld();          // MPI_Finalize on every rank of a job; nothing for one process
        System.exit(code);
    }

    /** Runs the command line and returns the exit code: 0 ok, 1 failure, 2 bad option or value. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, a) -> {
            // every rank of an mpirun job parses the same arguments: one of them says what is wrong
            if (dsb4j.engine.dist.Collectives.launchedRank() == 0) System.err.println("dsb: " + ex.getMessage() + " (see --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof Exit e) {
                if (e.getMessage() != null) System.err.println(prefix() + e.getMessage());
                return e.code;
            }
            if (ex instanceof UsageError u) {
                System.err.println(prefix() + u.getMessage());
                return 2;
            }
            System.err.println(prefix() + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            if (Boolean.getBoolean("dsb4j.trace")) ex.printStackTrace();
            return 1;
        });
        if (args.length > 0 && NOT_DISTRIBUTED.contains(args[0]) && dsb4j.engine.dist.Collectives.launchedSize() > 1) {
            // K copies of one command would race for the same output files
            if (dsb4j.engine.dist.Collectives.launchedRank() == 0)
                System.err.println("dsb: " + args[0] + " runs as one process; start it without mpirun (only train runs as several ranks)");
            return 2;
        }
        return cl.execute(args);
    }

    /** The commands that mpirun must not start as several ranks. */
    private static final java.util.Set<String> NOT_DISTRIBUTED = java.util.Set.of("sample", "eval", "bench");

    /** "dsb: ", or "dsb: rank r of K: " on the ranks but the first of an mpirun job (whose messages come unprefixed). */
    static String prefix() {
        int rank = dsb4j.engine.dist.Collectives.launchedRank(), size = dsb4j.engine.dist.Collectives.launchedSize();
        return size > 1 && rank != 0 ? "dsb: rank " + rank + " of " + size + ": " : "dsb: ";
    }

    /** Ends the command with {@code code}, printing {@code message} (null: nothing; another rank said why). */
    static final class Exit extends RuntimeException {
        final int code;

        Exit(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** A bad option value found after parsing (unknown preset, odd --steps, missing GPU for --device cuda): exit code 2. */
    public static final class UsageError extends RuntimeException {
        public UsageError(String message) { super(message); }
    }
}
