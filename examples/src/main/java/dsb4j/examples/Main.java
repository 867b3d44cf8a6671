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
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code: 0 ok, 1 failure, 2 bad option or value. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("dsb: " + ex.getMessage() + " (see --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof UsageError u) {
                System.err.println("dsb: " + u.getMessage());
                return 2;
            }
            System.err.println("dsb: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            if (Boolean.getBoolean("dsb4j.trace")) ex.printStackTrace();
            return 1;
        });
        return cl.execute(args);
    }

    /** A bad option value found after parsing (unknown preset, odd --steps, missing GPU for --device cuda): exit code 2. */
    public static final class UsageError extends RuntimeException {
        public UsageError(String message) { super(message); }
    }
}
