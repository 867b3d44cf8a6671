package dsb4j.nn;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;

/**
 * Where new parameters live and how they are drawn: a backend, a dtype and an explicit generator.
 * {@link #kaimingUniform} is PyTorch's default for Linear and Conv layers (kaiming-uniform with a = √5,
 * which works out to U(−1/√fan_in, 1/√fan_in) for weights and biases alike), so nets start comparable.
 */
public record Init(Backend backend, DType dtype, Rng rng) {

    /** U(−bound, bound) of the given shape. */
    public Tensor uniform(double bound, int... dims) {
        return Tensor.rand(backend, dtype, rng, dims).mul(2 * bound).sub(bound);
    }

    /** PyTorch's default Linear/Conv initialisation for a layer with {@code fanIn} inputs per output. */
    public Tensor kaimingUniform(int fanIn, int... dims) {
        return uniform(fanIn > 0 ? 1.0 / Math.sqrt(fanIn) : 0.0, dims);
    }

    public Tensor zeros(int... dims) { return Tensor.zeros(backend, dtype, dims); }

    public Tensor ones(int... dims) { return Tensor.full(backend, dtype, 1.0, dims); }
}
