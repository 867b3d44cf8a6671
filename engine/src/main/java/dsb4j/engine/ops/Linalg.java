package dsb4j.engine.ops;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.NoGrad;
import dsb4j.engine.autograd.Tape;
import dsb4j.engine.backend.GemmShape;
import dsb4j.engine.backend.UnaryOp;
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

    /**
     * A dense layer, act(x·wᵀ + b), for x [m, k], w [n, k], b [n] (null: no bias) and act one of RELU, LEAKY_RELU
     * (param: the slope) or SILU (null: none). While gradients are recorded it is that composition of matmul, add and
     * the activation, with their backward rules; without (simulating chains, sampling) one backend op
     * ({@link dsb4j.engine.backend.Backend#linear}) that adds the bias and applies the activation to each block of
     * the product while it is in cache. Both give the same bits.
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b, UnaryOp act, double param) {
        if (act != null && act != UnaryOp.RELU && act != UnaryOp.LEAKY_RELU && act != UnaryOp.SILU)
            throw new IllegalArgumentException("linear: the activation must be RELU, LEAKY_RELU, SILU or none, got " + act);
        Raw.sameHome("linear", x, w);
        if (b != null) Raw.sameHome("linear", x, b);
        if (x.rank() != 2 || w.rank() != 2 || x.dim(1) != w.dim(1) || (b != null && (b.rank() != 1 || b.dim(0) != w.dim(0))))
            throw new ShapeException("linear", "needs x [m, k], w [n, k] and b [n], got " + x.shape() + ", " + w.shape()
                    + (b == null ? "" : " and " + b.shape()));
        boolean recorded = !NoGrad.active() && (x.requiresGrad() || w.requiresGrad() || (b != null && b.requiresGrad()));
        int m = x.dim(0), n = w.dim(0), k = x.dim(1);
        if (recorded || m == 0 || n == 0 || k == 0) {
            Tensor y = matmul(x, w.t());
            if (b != null) y = y.add(b);
            if (act == null) return y;
            return switch (act) {
                case RELU -> y.relu();
                case LEAKY_RELU -> y.leakyRelu(param);
                default -> Elementwise.silu(y);
            };
        }
        Tensor xc = x.layout().isContiguous() ? x : Movement.copyRaw(x);
        Tensor wc = w.layout().isContiguous() ? w : Movement.copyRaw(w);
        Tensor bc = b == null || b.layout().isContiguous() ? b : Movement.copyRaw(b);
        Tensor y = Raw.empty(x.backend(), x.dtype(), Shape.of(m, n));
        x.backend().linear(m, n, k, xc.storage(), xc.layout().offset(), wc.storage(), wc.layout().offset(),
                bc == null ? null : bc.storage(), bc == null ? 0 : bc.layout().offset(), act, param, y.storage());
        return y;
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
