package dsb4j.nn.optim;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.AdamStep;
import dsb4j.nn.Parameter;
import java.util.List;

/**
 * Adam with bias correction, step for step as torch.optim.Adam (amsgrad off):
 * <pre>
 *   g ← g + λ·p                      (weight decay, coupled L2 as in torch.optim.Adam; λ = 0 skips it)
 *   m ← β1·m + (1−β1)·g,   v ← β2·v + (1−β2)·g²
 *   p ← p − (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + ε)
 * </pre>
 * with t counted per parameter (a parameter without a gradient in a step is left alone, state included).
 * State for checkpoints: "m.&lt;name&gt;", "v.&lt;name&gt;", "step.&lt;name&gt;". On heap backends one fused pass per
 * parameter does the update ({@link HostAdam}), on other backends their fused {@code adamStep}; the reference
 * path is a dozen tensor ops, with the same result.
 */
public final class Adam extends Optimizer {
    private final double beta1, beta2, eps, weightDecay;
    private final Tensor[] m, v;
    private final long[] t;
    private boolean hostPath = HostAdam.ENABLED, backendPath = true;

    public Adam(List<Parameter> params, double lr) { this(params, lr, 0.9, 0.999, 1e-8, 0); }

    public Adam(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super("Adam", params, lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0) || !(weightDecay >= 0))
            throw new IllegalArgumentException("Adam: need 0 ≤ β < 1, ε ≥ 0, weight decay ≥ 0; got β1=" + beta1 + " β2=" + beta2
                    + " ε=" + eps + " decay=" + weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        m = new Tensor[this.params.size()];
        v = new Tensor[this.params.size()];
        t = new long[this.params.size()];
    }

    /** Takes the tensor-op path everywhere (tests compare the paths). */
    Adam tensorOpsOnly() {
        hostPath = backendPath = false;
        return this;
    }

    /** Takes the backend's adamStep even on heap backends (tests compare the paths). */
    Adam backendStepOnly() {
        hostPath = false;
        return this;
    }

    /** Steps taken by the first parameter (all of them, when every parameter gets a gradient each step). */
    public long stepCount() { return t[0]; }

    @Override protected void update(int i, Parameter p, Tensor g) {
        Tensor w = p.value().detach();
        long step = ++t[i];
        double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
        if (hostPath && m[i] == null && HostAdam.applies(w, g, w, w)) {
            m[i] = HostAdam.zerosLike(w);
            v[i] = HostAdam.zerosLike(w);
        }
        if (hostPath && m[i] != null && HostAdam.applies(w, g, m[i], v[i])) {
            p.set(HostAdam.step(w, g, m[i], v[i], lr, beta1, beta2, eps, weightDecay, bc1, bc2));
            return;
        }
        if (backendPath && backendStep(i, p, w, g, bc1, bc2)) return;
        // Any backend: the same update as tensor ops (each makes a new tensor; nothing is written in place).
        if (weightDecay != 0) g = g.add(w.mul(weightDecay));
        m[i] = m[i] == null ? g.mul(1 - beta1) : m[i].mul(beta1).add(g.mul(1 - beta1));
        Tensor g2 = g.square().mul(1 - beta2);
        v[i] = v[i] == null ? g2 : v[i].mul(beta2).add(g2);
        Tensor denom = v[i].sqrt().mul(1 / Math.sqrt(bc2)).add(eps);
        p.set(w.sub(m[i].div(denom).mul(lr / bc1)));
    }

    /**
     * Other backends (a GPU): the backend's fused update, one launch per parameter instead of a dozen. The
     * moments are the optimiser's own contiguous buffers, updated in place; false where a tensor is a view.
     */
    private boolean backendStep(int i, Parameter p, Tensor w, Tensor g, double bc1, double bc2) {
        if (m[i] == null) {
            m[i] = Tensor.zeros(w.backend(), w.dtype(), w.dims());
            v[i] = Tensor.zeros(w.backend(), w.dtype(), w.dims());
        }
        for (Tensor x : new Tensor[]{w, g, m[i], v[i]})
            if (!x.layout().isContiguous() || x.dtype() != w.dtype() || x.backend() != w.backend()) return false;
        Tensor out = Tensor.zeros(w.backend(), w.dtype(), w.dims());
        w.backend().adamStep(new AdamStep(beta1, beta2, eps, weightDecay, lr / bc1, 1 / Math.sqrt(bc2)), w.numel(),
                w.storage(), w.layout().offset(), g.storage(), g.layout().offset(), m[i].storage(), m[i].layout().offset(),
                v[i].storage(), v[i].layout().offset(), out.storage());
        p.set(out);
        return true;
    }

    @Override protected String[] slots() { return new String[]{"m", "v"}; }
    @Override protected Tensor slot(int s, int i) { return s == 0 ? m[i] : v[i]; }
    @Override protected void setSlot(int s, int i, Tensor value) { if (s == 0) m[i] = value; else v[i] = value; }
    @Override protected long[] steps() { return t; }
}
