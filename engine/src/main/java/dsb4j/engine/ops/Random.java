package dsb4j.engine.ops;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.BinaryOp;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Shape;

/** Random tensors from an explicit generator: each fill takes one seed from it, so results replay exactly. */
public final class Random {
    private Random() {}

    public static Tensor normal(Backend b, DType dtype, Rng rng, int... dims) {
        Tensor t = Raw.empty(b, dtype, Shape.of(dims));
        b.randomNormal(t.storage(), rng.nextSeed());
        return t;
    }

    public static Tensor uniform(Backend b, DType dtype, Rng rng, int... dims) {
        Tensor t = Raw.empty(b, dtype, Shape.of(dims));
        b.randomUniform(t.storage(), rng.nextSeed());
        if (dtype == DType.F32) {
            // Draws above 1 − 2⁻²⁵ round to 1.0f (about one in 3·10⁷): clamp to the largest float below 1, keeping [0, 1).
            Tensor below1 = Tensor.full(b, dtype, Math.nextDown(1.0f));
            t = Raw.binary("uniform", BinaryOp.MIN, t, below1);
        }
        return t;
    }
}
