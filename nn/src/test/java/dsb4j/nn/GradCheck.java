package dsb4j.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.random.Rng;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Directional gradient checks in float64 for whole networks: for a random output weighting w and a random
 * direction v (in one parameter tensor, or in the input), ⟨Jᵀw, v⟩ from the backward pass must equal the
 * central difference (⟨w, f(θ + h·v)⟩ − ⟨w, f(θ − h·v)⟩) / 2h, h = 1e-6, within 1e-5 + 1e-3·|numeric|.
 */
public final class GradCheck {
    private GradCheck() {}

    static final double H = 1e-6;

    /** Moves every parameter by a random amount, so zero-initialised layers do not hide the paths behind them. */
    public static void jitter(Module m, Rng rng, double scale) {
        for (Parameter p : m.parameters()) {
            Tensor v = p.value().detach();
            p.set(v.add(Tensor.randn(v.backend(), v.dtype(), rng, v.dims()).mul(scale)));
        }
    }

    /** Checks the input direction and each parameter tensor's direction separately; returns the number of checks. */
    public static int check(String what, Module m, UnaryOperator<Tensor> f, Tensor x, Rng rng) {
        Tensor y = f.apply(x.detach());
        Tensor w = Tensor.randn(y.backend(), y.dtype(), rng, y.dims());
        Tensor xg = x.detach().requiringGrad();
        Gradients g = f.apply(xg).mul(w).sum().backward();
        int checks = 0;

        Tensor vx = Tensor.randn(x.backend(), x.dtype(), rng, x.dims());
        double analytic = g.get(xg).mul(vx).sum().item();
        double numeric = (f.apply(x.add(vx.mul(H))).mul(w).sum().item() - f.apply(x.sub(vx.mul(H))).mul(w).sum().item()) / (2 * H);
        assertClose(what + " input", analytic, numeric);
        checks++;

        List<Parameter> ps = m.parameters();
        for (Parameter p : ps) {
            Tensor p0 = p.value().detach();
            Tensor gp = g.get(p.value());
            Tensor v = Tensor.randn(p0.backend(), p0.dtype(), rng, p0.dims());
            double a = gp == null ? 0.0 : gp.mul(v).sum().item();
            p.set(p0.add(v.mul(H)));
            double plus = f.apply(x).mul(w).sum().item();
            p.set(p0.sub(v.mul(H)));
            double minus = f.apply(x).mul(w).sum().item();
            p.set(p0);
            assertClose(what + " " + p.name(), a, (plus - minus) / (2 * H));
            checks++;
        }
        return checks;
    }

    static void assertClose(String what, double analytic, double numeric) {
        double tol = 1e-5 + 1e-3 * Math.abs(numeric);
        assertTrue(Math.abs(analytic - numeric) <= tol,
                what + ": backward gives " + analytic + ", central differences " + numeric);
    }
}
