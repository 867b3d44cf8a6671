package dsb4j.bridge.images;

import dsb4j.bridge.data.Points;
import dsb4j.bridge.eval.FrechetDistance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Quality of generated images seen through a trained {@link Classifier} (metrics.jsonl keys):
 * <ul>
 *   <li>{@code fd}: the Fréchet distance between generated and held-out real images in the classifier's 84
 *   penultimate features ("MNIST-FD"). It is <b>not</b> the Inception FID of the paper: that needs the Inception-v3
 *   weights, which we can neither ship nor download, and Inception features of 28×28 digits mean little anyway.
 *   Values are comparable only with other MNIST-FD values of the same classifier and sample sizes (FD is biased
 *   upwards for small samples; two real sets of 2,000 digits already differ by a small positive amount);</li>
 *   <li>{@code class_hist}: the fraction of generated images predicted as each class 0…9;
 *   {@code min_class_frac}: its smallest entry (mode dropping shows here: a fair generator gives about 0.1);</li>
 *   <li>{@code confidence}: the mean probability of the predicted class (blurry or ambiguous images score low).</li>
 * </ul>
 */
public final class ImageMetrics {
    private ImageMetrics() {}

    private static final Map<String, FrechetDistance.Moments> REAL = new ConcurrentHashMap<>();

    /** The metrics of {@code generated} against {@code heldOut} (both points of d = 784). */
    public static Map<String, Object> score(Classifier c, Points generated, Points heldOut, String heldOutName) {
        Classifier.Outputs g = c.run(generated);
        FrechetDistance.Moments real = REAL.computeIfAbsent(c.name() + "|" + heldOutName + "|" + heldOut.n(),
                k -> FrechetDistance.Moments.of(c.run(heldOut).features()));
        FrechetDistance.Result fd = FrechetDistance.of(FrechetDistance.Moments.of(g.features()), real);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fd", fd.value());
        double[] hist = histogram(g.classes(), c.net().classes());
        List<Double> h = new ArrayList<>();
        double min = 1;
        for (double x : hist) {
            h.add(x);
            min = Math.min(min, x);
        }
        m.put("class_hist", h);
        m.put("min_class_frac", min);
        double conf = 0;
        for (double x : g.confidence()) conf += x / g.confidence().length;
        m.put("confidence", conf);
        return m;
    }

    /** Fractions of predictions per class. */
    public static double[] histogram(int[] classes, int k) {
        double[] h = new double[k];
        for (int c : classes) h[c] += 1.0 / classes.length;
        return h;
    }
}
