package dsb4j.examples;

import dsb4j.bridge.data.Points;
import dsb4j.bridge.data.Standardisation;
import dsb4j.bridge.train.TrainConfig;
import dsb4j.engine.Tensor;
import java.nio.file.Path;

/**
 * The picture of an IPF iteration: image grids when the trajectories are (m, N+1, C, H, W), otherwise the points'
 * scatter (d = 2 as they are, d > 2 on principal components, d = 1 as densities). Drawing needs the JDK's
 * java.desktop module; a runtime without it (the jlink image used on GPU hosts) skips plots with a one-line note.
 */
final class Plots {
    private Plots() {}

    private static boolean noted;

    static void iteration(Path png, TrainConfig c, int ipf, Points generated, Points target, Tensor trajectories) {
        if (ModuleLayer.boot().findModule("java.desktop").isEmpty()) {
            if (!noted) System.out.println("note: this Java runtime has no java.desktop module; skipping plots");
            noted = true;
            return;
        }
        try {
            int[] dims = trajectories.dims();
            double[] range = imageRange(c);
            if (dims.length == 5) {
                ImageFormat f = new ImageFormat(dims[2], dims[3], dims[4], range[0], range[1]);
                ImageGrid.iteration(png, String.format("%s, IPF iteration %d of %d", c.preset.name(), ipf, c.ipfIters),
                        c.preset.transport(), generated, trajectories.toFloats(), dims[0], dims[1], f);
            } else {
                String title = String.format("%s, IPF iteration %d of %d (N = %d, T = %.2g)", c.preset.name(), ipf, c.ipfIters, c.steps,
                        c.steps * c.gammaMax);
                ScatterPlot.write(png, title, generated, target, trajectories.toFloats(), dims[0], dims[1]);
            }
        } catch (Exception e) {
            System.out.println("note: could not draw " + png + ": " + e.getMessage());
        }
    }

    /**
     * The value range images are drawn in: the user's (0…255 for 8-bit images) where the run's standardisation
     * records one, else the presets' [−1, 1].
     */
    static double[] imageRange(TrainConfig c) {
        Standardisation u = c.preset.units();
        if (Double.isFinite(u.lo()) && Double.isFinite(u.hi())) return new double[]{u.lo(), u.hi()};
        return new double[]{-1, 1};
    }
}
