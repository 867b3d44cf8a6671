package dsb4j.nn;

import dsb4j.engine.Tensor;

/** Small tensor helpers the layers and optimisers share. */
public final class Tensors {
    private Tensors() {}

    /** A fresh contiguous copy that shares no storage with {@code t} (and carries no graph). */
    public static Tensor copyOf(Tensor t) {
        Tensor out = Tensor.zeros(t.backend(), t.dtype(), t.dims());
        t.backend().copy(t.storage(), t.layout(), out.storage(), out.layout());
        return out;
    }

    /** {@code x} moved to the backend and dtype of {@code like} (no copy when already there). */
    public static Tensor like(Tensor x, Tensor like) {
        return x.to(like.backend()).to(like.dtype());
    }
}
