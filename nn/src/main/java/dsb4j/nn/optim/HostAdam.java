package dsb4j.nn.optim;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.HeapStorage;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU fast path of {@link Adam}: the whole update of one parameter in one pass over heap arrays,
 * instead of about a dozen tensor ops each allocating a buffer (measured on the 2-D network at batch 512:
 * the op-by-op update took ~10–15% of a training step). The moments are the optimiser's own buffers and
 * are updated in place; the new parameter value goes to a fresh buffer, so tensors handed out before stay
 * unchanged. Same arithmetic as the tensor-op path, in the storage's precision; F32 runs in vector lanes
 * (no FMA, so lanes and the scalar tail round alike).
 * Off with {@code -Ddsb4j.nn.fusedOptimisers=false}; then the tensor-op path runs everywhere.
 */
final class HostAdam {
    private HostAdam() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    static final boolean ENABLED = !"false".equals(System.getProperty("dsb4j.nn.fusedOptimisers"))
            && !Boolean.getBoolean("dsb4j.scalar");

    /** Whether every tensor is a contiguous heap array of one dtype, so {@link #step} applies. */
    static boolean applies(Tensor p, Tensor g, Tensor m, Tensor v) {
        if (!ENABLED) return false;
        for (Tensor t : new Tensor[]{p, g, m, v}) {
            if (!(t.storage() instanceof HeapStorage) || !t.layout().isContiguous() || t.dtype() != p.dtype()) return false;
        }
        return true;
    }

    /** Moment buffers (zero) that {@link #step} can update in place. */
    static Tensor zerosLike(Tensor p) { return Tensor.zeros(p.backend(), p.dtype(), p.dims()); }

    /** Updates m and v in place and returns the new parameter value. */
    static Tensor step(Tensor p, Tensor g, Tensor m, Tensor v, double lr, double beta1, double beta2, double eps,
                       double weightDecay, double bc1, double bc2) {
        Tensor out = Tensor.zeros(p.backend(), p.dtype(), p.dims());
        int n = p.numel(), po = p.layout().offset(), go = g.layout().offset(), mo = m.layout().offset(), vo = v.layout().offset();
        double stepSize = lr / bc1, invSqrtBc2 = 1 / Math.sqrt(bc2);
        if (p.storage() instanceof HeapStorage.F32 ps) {
            float[] pa = ps.data, ga = ((HeapStorage.F32) g.storage()).data, ma = ((HeapStorage.F32) m.storage()).data,
                    va = ((HeapStorage.F32) v.storage()).data, oa = ((HeapStorage.F32) out.storage()).data;
            float b1 = (float) beta1, c1 = (float) (1 - beta1), b2 = (float) beta2, c2 = (float) (1 - beta2);
            float wd = (float) weightDecay, e = (float) eps, s = (float) stepSize, r = (float) invSqrtBc2;
            int i = 0;
            for (int ub = S.loopBound(n); i < ub; i += S.length()) {
                FloatVector w = FloatVector.fromArray(S, pa, po + i);
                FloatVector gi = FloatVector.fromArray(S, ga, go + i).add(w.mul(wd));
                FloatVector mi = FloatVector.fromArray(S, ma, mo + i).mul(b1).add(gi.mul(c1));
                FloatVector vi = FloatVector.fromArray(S, va, vo + i).mul(b2).add(gi.mul(gi).mul(c2));
                mi.intoArray(ma, mo + i);
                vi.intoArray(va, vo + i);
                w.sub(mi.div(vi.sqrt().mul(r).add(e)).mul(s)).intoArray(oa, i);
            }
            for (; i < n; i++) {               // the scalar twin: the same operations in the same order
                float w = pa[po + i], gi = ga[go + i] + w * wd;
                float mi = ma[mo + i] * b1 + gi * c1, vi = va[vo + i] * b2 + gi * gi * c2;
                ma[mo + i] = mi;
                va[vo + i] = vi;
                oa[i] = w - mi / ((float) Math.sqrt(vi) * r + e) * s;
            }
        } else {
            double[] pa = ((HeapStorage.F64) p.storage()).data, ga = ((HeapStorage.F64) g.storage()).data,
                    ma = ((HeapStorage.F64) m.storage()).data, va = ((HeapStorage.F64) v.storage()).data,
                    oa = ((HeapStorage.F64) out.storage()).data;
            for (int i = 0; i < n; i++) {
                double w = pa[po + i], gi = ga[go + i] + weightDecay * w;
                double mi = beta1 * ma[mo + i] + (1 - beta1) * gi, vi = beta2 * va[vo + i] + (1 - beta2) * (gi * gi);
                ma[mo + i] = mi;
                va[vo + i] = vi;
                oa[i] = w - stepSize * (mi / (Math.sqrt(vi) * invSqrtBc2 + eps));
            }
        }
        return out;
    }
}
