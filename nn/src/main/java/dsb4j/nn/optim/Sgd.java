package dsb4j.nn.optim;

import dsb4j.engine.Tensor;
import dsb4j.nn.Parameter;
import java.util.List;

/**
 * SGD with momentum as torch.optim.SGD (dampening 0): g ← g + λ·p; b ← g on the first step, then
 * b ← μ·b + g; p ← p − lr·(nesterov ? g + μ·b : b). μ = 0 is plain SGD. State: "momentum.&lt;name&gt;".
 */
public final class Sgd extends Optimizer {
    private final double momentum, weightDecay;
    private final boolean nesterov;
    private final Tensor[] buf;

    public Sgd(List<Parameter> params, double lr) { this(params, lr, 0, 0); }

    public Sgd(List<Parameter> params, double lr, double momentum, double weightDecay) { this(params, lr, momentum, weightDecay, false); }

    public Sgd(List<Parameter> params, double lr, double momentum, double weightDecay, boolean nesterov) {
        super("Sgd", params, lr);
        if (!(momentum >= 0) || !(weightDecay >= 0)) throw new IllegalArgumentException("Sgd: momentum and weight decay must be ≥ 0");
        if (nesterov && momentum == 0) throw new IllegalArgumentException("Sgd: Nesterov needs a positive momentum");
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        buf = new Tensor[this.params.size()];
    }

    @Override protected void update(int i, Parameter p, Tensor g) {
        Tensor w = p.value().detach();
        if (weightDecay != 0) g = g.add(w.mul(weightDecay));
        Tensor d = g;
        if (momentum != 0) {
            buf[i] = buf[i] == null ? g : buf[i].mul(momentum).add(g);
            d = nesterov ? g.add(buf[i].mul(momentum)) : buf[i];
        }
        p.set(w.sub(d.mul(lr)));
    }

    @Override protected String[] slots() { return new String[]{"momentum"}; }
    @Override protected Tensor slot(int s, int i) { return buf[i]; }
    @Override protected void setSlot(int s, int i, Tensor value) { buf[i] = value; }
}
