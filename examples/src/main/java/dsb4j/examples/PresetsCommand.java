package dsb4j.examples;

import dsb4j.bridge.train.Budget;
import dsb4j.bridge.train.BuiltInPreset;
import dsb4j.bridge.train.Presets;
import dsb4j.bridge.train.TrainConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "presets", mixinStandardHelpOptions = true, description = "List the presets and their budgets.")
final class PresetsCommand implements Callable<Integer> {
    @Option(names = "--budget", defaultValue = "quick", description = "quick, reference or paper (the 2-D benchmark presets only). Default: ${DEFAULT-VALUE}.")
    String budget;

    @Override public Integer call() {
        Budget b;
        try {
            b = Budget.parse(budget);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageError(e.getMessage());
        }
        System.out.printf("%-20s %-8s %4s %3s %6s %5s %3s %-9s %-11s %8s %6s %7s %6s %s%n",
                "preset", "method", "dim", "K", "I", "B", "N", "schedule", "gamma", "lr", "ema", "cache", "R", "network");
        for (BuiltInPreset preset : Presets.ALL) {
            if (!preset.offers(b)) continue;
            TrainConfig c = preset.defaults(b);
            String gamma = c.gammaMin == c.gammaMax ? String.format("%.3g", c.gammaMax) : String.format("%.0e..%.2g", c.gammaMin, c.gammaMax);
            String ema = c.emaRate > 0 ? Double.toString(c.emaRate) : "-";
            System.out.printf("%-20s %-8s %4d %3d %6d %5d %3d %-9s %-11s %8.0e %6s %7d %6d %s%n", preset.name(), c.method, c.dim, c.ipfIters, c.iters, c.batch,
                    c.steps, c.schedule.name().toLowerCase(), gamma, c.lr, ema, c.cacheTrajectories, c.cacheRefresh,
                    c.network);
        }
        System.out.println("K = --ipf-iters, I = --iters, B = --batch, N = --steps, ema = --ema (- = none), cache = trajectories per build, R = steps between builds.");
        return 0;
    }
}
