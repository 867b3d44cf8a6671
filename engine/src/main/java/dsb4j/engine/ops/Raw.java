package dsb4j.engine.ops;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.BinaryOp;
import dsb4j.engine.backend.UnaryOp;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import dsb4j.engine.tensor.ShapeException;
import dsb4j.engine.backend.Backend;

/** Forward computations without recording: the shared plumbing between tensors and the backend SPI. */
final class Raw {
    private Raw() {}

    /** A tensor whose contents are undefined: for outputs the next operation overwrites entirely. */
    static Tensor empty(Backend b, DType dtype, Shape s) {
        return Tensor.wrap(b.allocateUninitialized(dtype, s.numel()), Layout.contiguous(s));
    }

    /** A zero-filled tensor: for outputs that are added into or written only in part. */
    static Tensor zeros(Backend b, DType dtype, Shape s) {
        return Tensor.wrap(b.allocate(dtype, s.numel()), Layout.contiguous(s));
    }

    static void sameHome(String op, Tensor a, Tensor b) {
        if (a.backend() != b.backend())
            throw new ShapeException(op, "tensors on different backends (" + a.backend().name() + ", " + b.backend().name()
                    + ") with shapes " + a.shape() + " and " + b.shape());
        if (a.dtype() != b.dtype())
            throw new ShapeException(op, "dtypes differ (" + a.dtype() + ", " + b.dtype() + ") with shapes "
                    + a.shape() + " and " + b.shape());
    }

    static Tensor unary(UnaryOp op, double p, Tensor x) {
        Tensor out = empty(x.backend(), x.dtype(), x.shape());
        x.backend().unary(op, p, x.storage(), x.layout(), out.storage(), out.layout());
        return out;
    }

    static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b) {
        sameHome(name, a, b);
        Shape s = Shape.broadcast(name, a.shape(), b.shape());
        Tensor out = empty(a.backend(), a.dtype(), s);
        a.backend().binary(op, a.storage(), a.layout().broadcastTo(s), b.storage(), b.layout().broadcastTo(s),
                out.storage(), out.layout());
        return out;
    }

    /** The tensor itself when its elements fill its storage from 0 in row-major order, else a packed copy. */
    static Tensor packed(Tensor x) {
        if (x.layout().isContiguous() && x.layout().offset() == 0) return x;
        return Movement.copyRaw(x);
    }
}
