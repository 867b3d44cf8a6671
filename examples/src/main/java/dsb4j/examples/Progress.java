package dsb4j.examples;

import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.train.TrainConfig;
import dsb4j.engine.io.Json;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Training progress: a progress bar with loss, it/s and ETA on a terminal; plain lines (every tenth of a
 * half-step) when the output is a file or a pipe.
 */
final class Progress implements AutoCloseable {
    private final TrainConfig config;
    private final boolean terminal;
    private ProgressBar bar;
    private String current = "";

    Progress(TrainConfig config) {
        this.config = config;
        var console = System.console();
        this.terminal = console != null && console.isTerminal();
    }

    void step(int ipf, Direction dir, int step, double loss, double itPerS) {
        String name = String.format("IPF %d/%d %s", ipf, config.ipfIters, dir.word());
        if (terminal) {
            if (!name.equals(current)) {
                close();
                bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(config.iters)
                        .setStyle(ProgressBarStyle.ASCII).showSpeed().setUnit(" it", 1).continuousUpdate().build();
                bar.stepTo(step);
                current = name;
            }
            bar.stepTo(step + 1);
            bar.setExtraMessage(String.format("loss %.4g", loss));
        } else {
            current = name;
            int every = Math.max(1, config.iters / 10);
            if ((step + 1) % every == 0 || step + 1 == config.iters)
                System.out.printf("%s step %d/%d loss %.4g %.1f it/s%n", name, step + 1, config.iters, loss, itPerS);
        }
    }

    void row(Map<String, Object> row) {
        close();
        current = "";
        System.out.println("metrics " + Json.write(row));
        if (row.get("w2_data") instanceof Number floor && row.get("w2") instanceof Number w2 && row.get("w2_gaussian_fit") instanceof Number g)
            System.out.printf("IPF %s: W2 %.4g to the held-out data (%.4g for as many real items, %.4g for the best-fitting Gaussian)%n",
                    row.get("ipf"), w2.doubleValue(), floor.doubleValue(), g.doubleValue());
    }

    @Override public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
