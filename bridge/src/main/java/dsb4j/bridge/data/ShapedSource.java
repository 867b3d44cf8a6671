package dsb4j.bridge.data;

import dsb4j.engine.random.Rng;
import java.util.Arrays;

/**
 * A data source whose draws are tensors of a given item shape (e.g. {1, 28, 28} for images) rather than flat
 * vectors; the draws themselves are the wrapped source's, unchanged.
 */
public final class ShapedSource implements DataSource {
    private final DataSource inner;
    private final int[] shape;

    public ShapedSource(DataSource inner, int... shape) {
        long per = 1;
        for (int s : shape) {
            if (s < 1) throw new IllegalArgumentException("ShapedSource: bad item shape " + Arrays.toString(shape));
            per *= s;
        }
        if (per != inner.dim())
            throw new IllegalArgumentException("ShapedSource: item shape " + Arrays.toString(shape) + " does not hold d = " + inner.dim() + " of " + inner.name());
        this.inner = inner;
        this.shape = shape.clone();
    }

    public DataSource inner() { return inner; }

    @Override public String name() { return inner.name(); }
    @Override public int dim() { return inner.dim(); }
    @Override public int[] itemShape() { return shape.clone(); }
    @Override public Points sample(int n, Rng rng) { return inner.sample(n, rng); }

    @Override public String toString() { return inner + " as " + Arrays.toString(shape); }
}
