package dsb4j.bridge.data;

import dsb4j.engine.random.Rng;

/**
 * A distribution that can be sampled: one end of a bridge (data or prior). Draws depend only on the
 * generator's state, so a run replays exactly; each call advances {@code rng}.
 */
public interface DataSource {
    /** A short name for logs and errors, e.g. "moons" or "gaussian". */
    String name();

    /** The dimension d of every point. */
    int dim();

    /**
     * The shape of one draw as a tensor: {@code {d}} for vectors (the default), {@code {1, 28, 28}} for MNIST-like
     * images. Chains run on [B, ...itemShape] tensors; the product must be {@link #dim()}.
     */
    default int[] itemShape() { return new int[]{dim()}; }

    /** n independent draws as an (n, d) block. */
    Points sample(int n, Rng rng);
}
