package dsb4j.engine.backend.scalar;

import dsb4j.engine.backend.*;
import dsb4j.engine.random.CounterRandom;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;

/**
 * Plain loops over heap arrays, F32 and F64, accumulating in double: the executable definition of every
 * primitive and the oracle that faster backends are tested against. Clarity over speed.
 */
public class ScalarBackend implements Backend {

    @Override public String name() { return "scalar"; }

    @Override public boolean concurrentCallers() { return true; }

    /** Each element is the same loop whatever the shape. */
    @Override public int rowsThatRoundAsMany() { return 1; }

    protected static HeapStorage heap(Storage s) {
        if (s instanceof HeapStorage h) return h;
        throw new IllegalArgumentException("the " + s.backend().name() + " backend's buffer cannot be used on the host");
    }

    @Override public Storage allocate(DType dtype, int n) { return HeapStorage.allocate(this, dtype, n); }

    @Override public Storage fromFloats(float[] data) { return new HeapStorage.F32(this, data.clone()); }

    @Override public Storage fromDoubles(double[] data) { return new HeapStorage.F64(this, data.clone()); }

    @Override public double[] toDoubles(Storage s, Layout l) {
        HeapStorage h = heap(s);
        int[] off = l.offsets();
        double[] out = new double[off.length];
        for (int i = 0; i < off.length; i++) out[i] = h.get(off[i]);
        return out;
    }

    @Override public float[] toFloats(Storage s, Layout l) {
        HeapStorage h = heap(s);
        int[] off = l.offsets();
        float[] out = new float[off.length];
        for (int i = 0; i < off.length; i++) out[i] = (float) h.get(off[i]);
        return out;
    }

    @Override public void copy(Storage src, Layout sl, Storage dst, Layout dl) {
        HeapStorage s = heap(src), d = heap(dst);
        int[] so = sl.offsets(), dof = dl.offsets();
        for (int i = 0; i < so.length; i++) d.set(dof[i], s.get(so[i]));
    }

    @Override public void fill(Storage dst, Layout dl, double value) {
        HeapStorage d = heap(dst);
        for (int o : dl.offsets()) d.set(o, value);
    }

    @Override public void unary(UnaryOp op, double param, Storage x, Layout xl, Storage out, Layout ol) {
        HeapStorage xs = heap(x), os = heap(out);
        int[] xo = xl.offsets(), oo = ol.offsets();
        for (int i = 0; i < oo.length; i++) os.set(oo[i], op.apply(xs.get(xo[i]), param));
    }

    @Override public void binary(BinaryOp op, Storage a, Layout al, Storage b, Layout bl, Storage out, Layout ol) {
        HeapStorage as = heap(a), bs = heap(b), os = heap(out);
        int[] ao = al.offsets(), bo = bl.offsets(), oo = ol.offsets();
        for (int i = 0; i < oo.length; i++) os.set(oo[i], op.apply(as.get(ao[i]), bs.get(bo[i])));
    }

    @Override public void reduce(ReduceOp op, Storage x, Layout xl, boolean[] reduced, Storage out) {
        HeapStorage xs = heap(x), os = heap(out);
        int[] keep = xl.shape().dims();
        for (int a = 0; a < keep.length; a++) if (reduced[a]) keep[a] = 1;
        // The output seen with x's shape: stride 0 along reduced axes maps every input to its slot.
        int[] slot = Layout.contiguous(Shape.of(keep)).broadcastTo(xl.shape()).offsets();
        int[] xo = xl.offsets();
        double[] acc = new double[Shape.of(keep).numel()];      // out's own elements, not the whole storage
        java.util.Arrays.fill(acc, op.identity());
        for (int i = 0; i < xo.length; i++) acc[slot[i]] = op.combine(acc[slot[i]], xs.get(xo[i]));
        for (int i = 0; i < acc.length; i++) os.set(i, acc[i]);
    }

    @Override public void gemm(GemmShape g, double alpha, Storage a, int aOff, Storage b, int bOff,
                               double beta, Storage c, int cOff) {
        HeapStorage as = heap(a), bs = heap(b), cs = heap(c);
        for (int t = 0; t < g.batch(); t++) {
            int ab = aOff + t * g.strideA(), bb = bOff + t * g.strideB(), cb = cOff + t * g.strideC();
            for (int i = 0; i < g.m(); i++) {
                for (int j = 0; j < g.n(); j++) {
                    double s = 0;
                    for (int p = 0; p < g.k(); p++) {
                        double av = as.get(ab + (g.transA() ? p * g.lda() + i : i * g.lda() + p));
                        double bv = bs.get(bb + (g.transB() ? j * g.ldb() + p : p * g.ldb() + j));
                        s += av * bv;
                    }
                    int ci = cb + i * g.ldc() + j;
                    cs.set(ci, beta == 0 ? alpha * s : alpha * s + beta * cs.get(ci));
                }
            }
        }
    }

    @Override public void im2col(ConvGeometry g, Storage x, Layout xl, Storage cols) {
        HeapStorage xs = heap(x), cs = heap(cols);
        int oh = g.oh(), ow = g.ow(), rows = g.colRows();
        int[] st = xl.strides();
        int i = 0;
        for (int r = 0; r < rows; r++)
            for (int n = 0; n < g.n(); n++) {
                int ch = r / (g.kh() * g.kw()), ky = r / g.kw() % g.kh(), kx = r % g.kw();
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++, i++) {
                        int y = oy * g.stride() - g.pad() + ky, xx = ox * g.stride() - g.pad() + kx;
                        boolean inside = y >= 0 && y < g.h() && xx >= 0 && xx < g.w();
                        cs.set(i, inside ? xs.get(xl.offset() + n * st[0] + ch * st[1] + y * st[2] + xx * st[3]) : 0.0);
                    }
            }
    }

    @Override public void col2im(ConvGeometry g, Storage cols, Storage dx) {
        HeapStorage cs = heap(cols), ds = heap(dx);
        int oh = g.oh(), ow = g.ow(), rows = g.colRows();
        // image by image, (ky, kx) ascending: the order every backend adds in, so the float sums agree exactly
        for (int n = 0; n < g.n(); n++)
            for (int r = 0; r < rows; r++) {
                int ch = r / (g.kh() * g.kw()), ky = r / g.kw() % g.kh(), kx = r % g.kw();
                int i = (r * g.n() + n) * oh * ow;
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++, i++) {
                        int y = oy * g.stride() - g.pad() + ky, xx = ox * g.stride() - g.pad() + kx;
                        if (y < 0 || y >= g.h() || xx < 0 || xx >= g.w()) continue;
                        int d = ((n * g.c() + ch) * g.h() + y) * g.w() + xx;
                        ds.set(d, ds.get(d) + cs.get(i));
                    }
            }
    }

    @Override public void randomNormal(Storage out, long seed) {
        HeapStorage os = heap(out);
        for (int i = 0; i < os.size(); i++) os.set(i, CounterRandom.normal(seed, i));
    }

    @Override public void randomUniform(Storage out, long seed) {
        HeapStorage os = heap(out);
        for (int i = 0; i < os.size(); i++) os.set(i, CounterRandom.uniform(seed, i));
    }

    @Override public void sdeStep(Storage x, Storage drift, Storage noise, double gamma, Storage out) {
        HeapStorage xs = heap(x), fs = heap(drift), zs = heap(noise), os = heap(out);
        double s = Math.sqrt(2 * gamma);
        for (int i = 0; i < os.size(); i++) os.set(i, xs.get(i) + gamma * fs.get(i) + s * zs.get(i));
    }

    @Override public void adamStep(AdamStep c, int n, Storage p, int pOff, Storage g, int gOff, Storage m, int mOff, Storage v, int vOff, Storage out) {
        HeapStorage ps = heap(p), gs = heap(g), ms = heap(m), vs = heap(v), os = heap(out);
        for (int i = 0; i < n; i++) {
            double w = ps.get(pOff + i), gi = gs.get(gOff + i) + c.weightDecay() * w;
            double mi = c.beta1() * ms.get(mOff + i) + (1 - c.beta1()) * gi;
            double vi = c.beta2() * vs.get(vOff + i) + (1 - c.beta2()) * (gi * gi);
            ms.set(mOff + i, mi);
            vs.set(vOff + i, vi);
            os.set(i, w - c.stepSize() * (mi / (Math.sqrt(vi) * c.invSqrtBc2() + c.eps())));
        }
    }
}
