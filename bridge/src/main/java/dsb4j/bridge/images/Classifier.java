package dsb4j.bridge.images;

import dsb4j.bridge.data.ImageSet;
import dsb4j.bridge.data.Points;
import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.autograd.NoGrad;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.ops.Functional;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.optim.Adam;
import dsb4j.nn.optim.LrSchedule;

/**
 * A trained {@link LeNet} as an instrument: class predictions and penultimate features of images given as points
 * (d = 784, pixels in [−1, 1]). Trained here with our own engine (Adam, cross-entropy, cosine learning rate),
 * deterministically from a seed.
 */
public final class Classifier {
    /** How a classifier is trained. The standard recipe reaches 97.9 % on the shipped MNIST split (15 epochs of 8,000 digits, ~30 s on 2 cores). */
    public record Recipe(int epochs, int batch, double lr, long seed) {
        public static Recipe standard() { return new Recipe(15, 64, 3e-3, 7); }
    }

    /** One pass over images: features [n, 84], predicted classes and the probability of the predicted class. */
    public record Outputs(Points features, int[] classes, double[] confidence) {}

    private static final int EVAL_BATCH = 500;

    private final String name;
    private final LeNet net;
    private double heldOutAccuracy = Double.NaN;

    public Classifier(String name, LeNet net) {
        this.name = name;
        this.net = net;
    }

    public String name() { return name; }
    public LeNet net() { return net; }
    /** Accuracy on the held-out images it was checked on (NaN before {@link #check}). */
    public double heldOutAccuracy() { return heldOutAccuracy; }

    /** Measures and remembers the accuracy on {@code heldOut}. */
    public double check(ImageSet heldOut) {
        heldOutAccuracy = accuracy(heldOut);
        return heldOutAccuracy;
    }

    /** Trains a fresh LeNet on {@code train}; {@code log} receives one line per epoch. */
    public static Classifier train(String name, ImageSet train, int classes, Backend backend, Recipe r,
                                   java.util.function.Consumer<String> log) {
        Rng rng = new Rng(r.seed());
        LeNet net = new LeNet(backend, DType.F32, rng.fork(0), classes);
        Adam adam = new Adam(net.parameters(), r.lr());
        int n = train.n(), d = train.images().d(), perEpoch = n / r.batch();
        long total = (long) perEpoch * r.epochs();
        LrSchedule lrs = LrSchedule.cosine(r.lr(), r.lr() / 50, total);
        int[] order = new int[n];
        float[] x = new float[r.batch() * d], y = new float[r.batch() * classes];
        long step = 0;
        for (int epoch = 0; epoch < r.epochs(); epoch++) {
            for (int i = 0; i < n; i++) order[i] = i;
            rng.fork(1, epoch).shuffle(order);
            double lossSum = 0;
            long t0 = System.nanoTime();
            for (int b = 0; b < perEpoch; b++) {
                java.util.Arrays.fill(y, 0);
                for (int k = 0; k < r.batch(); k++) {
                    int row = order[b * r.batch() + k];
                    System.arraycopy(train.images().data(), row * d, x, k * d, d);
                    y[k * classes + train.labels()[row]] = 1;
                }
                Tensor xs = Tensor.of(backend, x, r.batch(), 1, train.rows(), train.cols());
                Tensor onehot = Tensor.of(backend, y, r.batch(), classes);
                // cross-entropy: −mean over the batch of log softmax at the true class
                Tensor loss = Functional.logSoftmax(net.logits(xs), 1).mul(onehot).sum().mul(-1.0 / r.batch());
                Gradients g = loss.backward();
                adam.setLr(lrs.lr(step++));
                adam.step(g);
                lossSum += loss.item();
            }
            if (log != null)
                log.accept(String.format("  %s classifier epoch %d/%d: loss %.4f (%.1f s)", name, epoch + 1, r.epochs(),
                        lossSum / perEpoch, (System.nanoTime() - t0) / 1e9));
        }
        return new Classifier(name, net);
    }

    /** Fraction of {@code set} classified correctly. */
    public double accuracy(ImageSet set) {
        int[] pred = run(set.images()).classes();
        int right = 0;
        for (int i = 0; i < pred.length; i++) if (pred[i] == set.labels()[i]) right++;
        return right / (double) pred.length;
    }

    /** Features, predictions and confidences of n images (points of d = 784), in batches, without gradients. */
    public Outputs run(Points images) {
        if (images.d() != 28 * 28) throw new IllegalArgumentException(name + " classifier: images of d = " + images.d() + ", want 784 (28×28)");
        int n = images.n(), classes = net.classes();
        float[] feats = new float[n * LeNet.FEATURES];
        int[] cls = new int[n];
        double[] conf = new double[n];
        try (var ignored = NoGrad.enter()) {
            for (int from = 0; from < n; from += EVAL_BATCH) {
                int m = Math.min(EVAL_BATCH, n - from);
                Points part = images.slice(from, from + m);
                Tensor x = Points.toTensor(part, net.backend(), DType.F32, 1, 28, 28);
                Tensor f = net.features(x);
                float[] fv = f.toFloats();
                System.arraycopy(fv, 0, feats, from * LeNet.FEATURES, fv.length);
                float[] p = Functional.softmax(net.logitsOfFeatures(f), 1).toFloats();
                for (int i = 0; i < m; i++) {
                    int best = 0;
                    for (int c = 1; c < classes; c++) if (p[i * classes + c] > p[i * classes + best]) best = c;
                    cls[from + i] = best;
                    conf[from + i] = p[i * classes + best];
                }
            }
        }
        return new Outputs(new Points(n, LeNet.FEATURES, feats), cls, conf);
    }
}
