package example;

import dsb4j.bridge.Bridge;
import dsb4j.bridge.TrainedBridge;
import dsb4j.bridge.data.DataSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * dsb4j embedded in another program, exactly as its README shows: a bridge between two small point clouds
 * (one around (−2, 0), one around (+2, 0)), trained, saved, loaded back and used to carry the first cloud onto the
 * second. Exits with status 1 when the transported points do not land on the second cloud.
 */
public final class TwoClouds {
    public static void main(String[] args) throws Exception {
        float[][] source = cloud(-2, 400, 1), target = cloud(2, 400, 2);

        TrainedBridge bridge = Bridge.transport(DataSet.points("source", source), DataSet.points("target", target))
                .ipfIterations(2)
                .iterations(300)
                .train(progress -> { if (progress.step() == progress.iterations()) System.out.println(progress); });
        Path folder = Files.createTempDirectory("two-clouds");
        bridge.save(folder);
        float[][] moved = TrainedBridge.load(folder).transport(source);

        double meanX = 0;
        for (float[] p : moved) meanX += p[0] / moved.length;
        System.out.printf("source mean x %.2f, transported mean x %.2f (target 2.00)%n", mean(source), meanX);
        if (Math.abs(meanX - 2) > 0.5) {
            System.err.println("the bridge did not carry the source cloud onto the target");
            System.exit(1);
        }
    }

    /** n points around (x, 0) with standard deviation 0.5. */
    static float[][] cloud(double x, int n, long seed) {
        Random r = new Random(seed);
        float[][] p = new float[n][];
        for (int i = 0; i < n; i++) p[i] = new float[]{(float) (x + 0.5 * r.nextGaussian()), (float) (0.5 * r.nextGaussian())};
        return p;
    }

    static double mean(float[][] p) {
        double s = 0;
        for (float[] q : p) s += q[0] / p.length;
        return s;
    }
}
