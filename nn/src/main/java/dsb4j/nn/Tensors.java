package dsb4j.nn;

import dsb4j.engine.Tensor;

/** Small tensor helpers the layers and optimisers share. */
public final class Tensors {
    private Tensors() {}

    /** A fresh contiguous copy that shares no storage with {@code t} (and carries no graph). */
    public static Tensor copyOf(Tensor t) { return t.copy(); }

    /** {@code x} moved to the backend and dtype of {@code like} (no copy when already there). */
    public static Tensor like(Tensor x, Tensor like) {
        return x.to(like.backend()).to(like.dtype());
    }
}
