package dsb4j.bridge.images;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.ops.Conv;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.ShapeException;
import dsb4j.nn.Init;
import dsb4j.nn.Module;
import dsb4j.nn.layers.Conv2d;
import dsb4j.nn.layers.Linear;

/**
 * LeNet-5 with ReLU for 28×28 grey images (LeCun et al. 1998, in its common modern form): conv 5×5 1→6 (padding
 * 2) → ReLU → 2×2 average pool → conv 5×5 6→16 → ReLU → pool → Linear 400→120 → ReLU → Linear 120→84 → ReLU
 * (the 84 "features" the Fréchet distance is measured in) → Linear 84→classes. 61,706 parameters for ten classes;
 * about 0.4 M multiply-adds per image, so it trains on the CPU in about half a minute.
 */
public final class LeNet extends Module {
    public static final int FEATURES = 84;

    private final Backend backend;
    private final DType dtype;
    private final long seed;
    private final int classes;
    private final Conv2d conv1, conv2;
    private final Linear fc1, fc2, fc3;

    public LeNet(Backend backend, DType dtype, Rng rng, int classes) {
        this.backend = backend;
        this.dtype = dtype;
        this.seed = rng.seed();
        this.classes = classes;
        Init init = new Init(backend, dtype, rng);
        conv1 = child("conv1", new Conv2d(init, 1, 6, 5, 1, 2));
        conv2 = child("conv2", new Conv2d(init, 6, 16, 5, 1, 0));
        fc1 = child("fc1", new Linear(init, 16 * 5 * 5, 120));
        fc2 = child("fc2", new Linear(init, 120, FEATURES));
        fc3 = child("fc3", new Linear(init, FEATURES, classes));
    }

    public int classes() { return classes; }
    public Backend backend() { return backend; }

    /** x [B, 1, 28, 28] (or [B, 784]) to the penultimate features [B, 84] (after the ReLU). */
    public Tensor features(Tensor x) {
        if (x.rank() == 2 && x.dim(1) == 28 * 28) x = x.reshape(x.dim(0), 1, 28, 28);
        if (x.rank() != 4 || x.dim(1) != 1 || x.dim(2) != 28 || x.dim(3) != 28)
            throw new ShapeException("LeNet", "input " + x.shape() + " (want [B, 1, 28, 28] or [B, 784])");
        Tensor h = Conv.avgPool2d(conv1.forward(x).relu(), 2);          // [B, 6, 14, 14]
        h = Conv.avgPool2d(conv2.forward(h).relu(), 2);                 // [B, 16, 5, 5]
        h = fc1.forward(h.reshape(h.dim(0), 16 * 5 * 5)).relu();        // [B, 120]
        return fc2.forward(h).relu();                                    // [B, 84]
    }

    /** Class scores [B, classes] from features [B, 84]. */
    public Tensor logitsOfFeatures(Tensor features) { return fc3.forward(features); }

    public Tensor logits(Tensor x) { return logitsOfFeatures(features(x)); }

    @Override public LeNet replicate() { return new LeNet(backend, dtype, new Rng(seed), classes); }
}
