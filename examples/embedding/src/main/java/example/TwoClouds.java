package example;

import dsb4j.dsb.data.EmpiricalSource;
import dsb4j.dsb.data.Points;
import dsb4j.dsb.process.ReferenceProcess;
import dsb4j.dsb.process.TimeSchedule;
import dsb4j.dsb.train.IpfLoop;
import dsb4j.dsb.train.Presets;
import dsb4j.dsb.train.Problem;
import dsb4j.dsb.train.RunDirectory;
import dsb4j.dsb.train.TrainConfig;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.random.Rng;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Placeholder (to be rewritten on the library's facade API): bridges two point clouds in the plane, one
 * around (-2, 0) and one around (+2, 0), with a few hundred training steps, and prints how far the generated
 * points lie from the left cloud. Exits non-zero when the bridge did not move the right cloud onto the left.
 */
public final class TwoClouds {
    public static void main(String[] args) throws Exception {
        Rng rng = new Rng(7);
        Points left = cloud(-2, 0, 500, rng.fork(1)), right = cloud(2, 0, 500, rng.fork(2));

        TrainConfig c = Presets.defaults("normal-to-moons", "quick");   // Brownian reference, σ² = 1 over the chain
        c.method = TrainConfig.DSBM_IMF;
        c.ipfIters = 1;
        c.iters = 150;
        c.batch = 128;
        c.hidden = new int[]{32, 32};
        c.cacheTrajectories = c.simBatch = 64;
        c.evalSamples = 300;
        TimeSchedule schedule = TimeSchedule.of(c.schedule, c.steps, c.gammaMin, c.gammaMax);
        Problem problem = new Problem(new EmpiricalSource("left", left), new EmpiricalSource("right", right),
                ReferenceProcess.brownian(schedule), false);

        Path dir = Files.createTempDirectory("two-clouds");
        List<Map<String, Object>> rows = new ArrayList<>();
        try {
            new IpfLoop(c, problem, Backends.cpu(2), new RunDirectory(dir), new IpfLoop.Listener() {
                @Override public void onRow(Map<String, Object> row) { if ("forward".equals(row.get("direction"))) rows.add(row); }
            }, null).run();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        double meanError = ((Number) rows.getLast().get("mean_error")).doubleValue();
        double w2 = ((Number) rows.getLast().get("w2")).doubleValue();
        System.out.printf("two clouds 4 apart: generated points' mean %.3f from the left cloud's, W2 %.3f%n", meanError, w2);
        if (!(meanError < 1.0)) {
            System.err.println("TwoClouds: the bridge did not carry the right cloud onto the left one");
            System.exit(1);
        }
    }

    /** n points of N((x, y), 0.25 I). */
    static Points cloud(double x, double y, int n, Rng rng) {
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) rows[i] = new double[]{x + 0.5 * rng.nextGaussian(), y + 0.5 * rng.nextGaussian()};
        return Points.of(rows);
    }
}
