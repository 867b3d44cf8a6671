package dsb4j.engine.ops;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Tape;
import dsb4j.engine.backend.GemmShape;
import dsb4j.engine.tensor.Shape;
import dsb4j.engine.tensor.ShapeException;

/**
 * Matrix products: [m,k]·[k,n], and batched [b,m,k]·[b,k,n] where either side may also be a plain matrix
 * shared by the whole batch. Transposed views reach the GEMM as transpose flags, never as copies.
 */
public final class Linalg {
    private Linalg() {}

    public static Tensor matmul(Tensor a, Tensor b) {
        Raw.sameHome("matmul", a, b);
        if (a.rank() < 2 || a.rank() > 3 || b.rank() < 2 || b.rank() > 3)
            throw new ShapeException("matmul", "needs 2-D or 3-D operands, got " + a.shape() + " and " + b.shape());
        int m = a.dim(-2), k = a.dim(-1), n = b.dim(-1);
        if (b.dim(-2) != k) throw new ShapeException("matmul", "inner dimensions differ: " + a.shape() + " and " + b.shape());
        int batch = Math.max(a.rank() == 3 ? a.dim(0) : 1, b.rank() == 3 ? b.dim(0) : 1);
        if ((a.rank() == 3 && a.dim(0) != batch) || (b.rank() == 3 && b.dim(0) != batch))
            throw new ShapeException("matmul", "batch sizes differ: " + a.shape() + " and " + b.shape());
        boolean batched = a.rank() == 3 || b.rank() == 3;

        Operand oa = Operand.of(a), ob = Operand.of(b);
        Shape outShape = batched ? Shape.of(batch, m, n) : Shape.of(m, n);
        Tensor y = k == 0 ? Raw.zeros(a.backend(), a.dtype(), outShape) : Raw.empty(a.backend(), a.dtype(), outShape);
        if (m > 0 && n > 0 && k > 0) {          // k == 0 leaves the zero-filled product
            GemmShape g = new GemmShape(oa.trans, ob.trans, batch, m, n, k, oa.ld, ob.ld, n, oa.batchStride, ob.batchStride, m * n);
            a.backend().gemm(g, 1.0, oa.t.storage(), oa.t.layout().offset(), ob.t.storage(), ob.t.layout().offset(), 0.0, y.storage(), 0);
        }
        Tensor av = a.detach(), bv = b.detach();
        return Tape.record("matmul", y, g -> new Tensor[]{
                a.requiresGrad() ? g.matmul(bv.t()).sumTo(a.shape()) : null,
                b.requiresGrad() ? av.t().matmul(g).sumTo(b.shape()) : null}, a, b);
    }

    /** How one operand is handed to the GEMM: possibly transposed, with its leading dimension and batch stride. */
    private record Operand(Tensor t, boolean trans, int ld, int batchStride) {
        static Operand of(Tensor x) {
            int r = x.rank(), rows = x.dim(-2), cols = x.dim(-1);
            int sr = x.layout().stride(-2), sc = x.layout().stride(-1);
            int sb = r == 3 && x.dim(0) > 1 ? x.layout().stride(0) : 0;
            if (cols == 1 || sc == 1) {
                if (rows == 1 || sr >= cols) return new Operand(x, false, rows == 1 ? cols : sr, sb);
            }
            if (rows == 1 || sr == 1) {
                if (cols == 1 || sc >= rows) return new Operand(x, true, cols == 1 ? rows : sc, sb);
            }
            Tensor c = Movement.copyRaw(x);   // some other stride pattern: pack it
            return new Operand(c, false, cols, r == 3 && x.dim(0) > 1 ? rows * cols : 0);
        }
    }
}
