package dsb4j.examples;

import dsb4j.dsb.data.Points;
import dsb4j.dsb.train.TrainConfig;
import dsb4j.engine.Tensor;
import java.nio.file.Path;

/**
 * The picture of an IPF iteration: a 2-D scatter for the toys, image grids for the image presets. Drawing needs
 * the JDK's java.desktop module; a runtime without it (the jlink image used on GPU hosts) skips plots with a
 * one-line note.
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
            if (generated.d() == 2) ScatterPlot.write(png, c, ipf, generated, target, trajectories);
            else if (generated.d() == 28 * 28 && trajectories.rank() == 5) ImagePlots.write(png, c, ipf, generated, trajectories);
        } catch (Exception e) {
            System.out.println("note: could not draw " + png + ": " + e.getMessage());
        }
    }
}
