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
 * State for checkpoints: "m.&lt;name&gt;", "v.&lt;name&gt;", "step.&lt;name&gt;". One path per update: the backend's fused
 * {@link dsb4j.engine.backend.Backend#adamStep adamStep} (one pass per parameter: the CPU's vector kernel, a GPU's
 * one launch) where the parameter, its gradient and the moments are contiguous buffers of one dtype and backend,
 * and otherwise the reference path, a dozen tensor ops, with the same result.
 */
public final class Adam extends Optimizer {
    private final double beta1, beta2, eps, weightDecay;
    private final Tensor[] m, v;
    private final long[] t;
    private boolean backendPath = true;

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
        backendPath = false;
        return this;
    }

    /** Steps taken by the first parameter (all of them, when every parameter gets a gradient each step). */
    public long stepCount() { return t[0]; }

    @Override protected void update(int i, Parameter p, Tensor g) {
        Tensor w = p.value().detach();
        long step = ++t[i];
        double bc1 = 1 - Math.pow(beta1, step), bc2 = 1 - Math.pow(beta2, step);
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
     * The backend's fused update, one pass (or launch) per parameter instead of a dozen ops. The moments are the
     * optimiser's own contiguous buffers, updated in place; false where a tensor is a view.
     */
    private boolean backendStep(int i, Parameter p, Tensor w, Tensor g, double bc1, double bc2) {
        if (m[i] == null) {
            m[i] = Tensor.zeros(w.backend(), w.dtype(), w.dims());
            v[i] = Tensor.zeros(w.backend(), w.dtype(), w.dims());
        }
        if (!fusedApplies(w, g, m[i], v[i])) return false;
        p.set(fusedStep(w, g, m[i], v[i], new AdamStep(beta1, beta2, eps, weightDecay, lr / bc1, 1 / Math.sqrt(bc2))));
        return true;
    }

    /** Whether {@link #fusedStep} applies: every tensor contiguous, of p's dtype and on p's backend. */
    static boolean fusedApplies(Tensor p, Tensor g, Tensor m, Tensor v) {
        for (Tensor x : new Tensor[]{p, g, m, v})
            if (!x.layout().isContiguous() || x.dtype() != p.dtype() || x.backend() != p.backend()) return false;
        return true;
    }

    /** The backend's adamStep: updates m and v in place and returns the new parameter value (a fresh buffer). */
    static Tensor fusedStep(Tensor p, Tensor g, Tensor m, Tensor v, AdamStep c) {
        Tensor out = Tensor.zeros(p.backend(), p.dtype(), p.dims());
        p.backend().adamStep(c, p.numel(), p.storage(), p.layout().offset(), g.storage(), g.layout().offset(),
                m.storage(), m.layout().offset(), v.storage(), v.layout().offset(), out.storage());
        return out;
    }

    @Override protected String[] slots() { return new String[]{"m", "v"}; }
    @Override protected Tensor slot(int s, int i) { return s == 0 ? m[i] : v[i]; }
    @Override protected void setSlot(int s, int i, Tensor value) { if (s == 0) m[i] = value; else v[i] = value; }
    @Override protected long[] steps() { return t; }
}
