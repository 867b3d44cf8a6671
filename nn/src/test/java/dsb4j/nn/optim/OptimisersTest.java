package dsb4j.nn.optim;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.backend.AdamStep;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.Module;
import dsb4j.nn.Parameter;
import dsb4j.nn.StateDict;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Optimiser steps against torch.optim 1.13 (float64, values printed by PyTorch and pasted here) and
 * against the update rules written out by hand.
 */
class OptimisersTest {
    private static final Backend B = Backends.scalar();
    static final double[] P0 = {1.0, -2.0, 0.5};
    static final double[][] GRADS = {{0.5, -1.0, 0.0}, {0.1, 0.2, -0.3}, {-0.4, 0.05, 2.0}};

    /** A one-parameter module. */
    static final class One extends Module {
        final Parameter p;
        One(double[] v) { p = param("p", Tensor.of(B, v, v.length)); }
        @Override public Module replicate() { return new One(new double[p.shape().dim(0)]); }
    }

    /** Gradients equal to {@code g} for each parameter: the backward pass of Σ p·g. */
    static Gradients grads(List<Parameter> ps, double[]... g) {
        Tensor loss = null;
        for (int i = 0; i < ps.size(); i++) {
            Tensor term = ps.get(i).value().mul(Tensor.of(B, g[i], g[i].length)).sum();
            loss = loss == null ? term : loss.add(term);
        }
        return loss.backward();
    }

    static void follows(String what, Function<List<Parameter>, Optimizer> make, double[][] torch) {
        One m = new One(P0);
        Optimizer opt = make.apply(m.parameters());
        for (int s = 0; s < GRADS.length; s++) {
            opt.step(grads(m.parameters(), GRADS[s]));
            assertArrayEquals(torch[s], m.p.value().toDoubles(), 1e-12, what + " step " + (s + 1));
        }
    }

    @Test void adamMatchesTorch() {
        double[][] plain = {
                {0.900000002, -1.900000001, 0.5},
                {0.8196959063846518, -1.8488973939904945, 0.5744136788496809},
                {0.8103259663582117, -1.8125737645743547, 0.5197670498329936}};
        double[][] decayed = {
                {0.9001663893510815, -1.9000832639467111, 0.4019607843137255},
                {0.8165407392024151, -1.837802403442575, 0.4667367802357987},
                {0.7946300470083537, -1.7850750061823923, 0.4027548551712343}};
        follows("Adam (the default: the backend's adamStep)", ps -> new Adam(ps, 0.1), plain);
        follows("Adam with weight decay", ps -> new Adam(ps, 0.1, 0.8, 0.99, 1e-3, 0.1), decayed);
        follows("Adam (tensor ops)", ps -> new Adam(ps, 0.1).tensorOpsOnly(), plain);
        follows("Adam with weight decay (tensor ops)", ps -> new Adam(ps, 0.1, 0.8, 0.99, 1e-3, 0.1).tensorOpsOnly(), decayed);
    }

    @Test void adamFusedHostPathEqualsTheTensorOpPath() {
        // The CPU backend's adamStep (its vector kernel on F32, the scalar definition on F64) against the
        // tensor-op path, forced by handing the moments in as non-contiguous views.
        dsb4j.engine.random.Rng rng = new dsb4j.engine.random.Rng(3);
        Backend cpu = Backends.cpu(1);
        for (DType dt : DType.values()) {
            Tensor p0 = Tensor.randn(cpu, dt, rng, 5, 7), m0 = Tensor.randn(cpu, dt, rng, 7, 5).t(), v0 = Tensor.randn(cpu, dt, rng, 7, 5).square().t();
            Tensor g = Tensor.randn(cpu, dt, rng, 5, 7);
            assertFalse(Adam.fusedApplies(p0, g, m0, v0), "transposed moments take the tensor-op path");
            Tensor mf = Tensor.zeros(cpu, dt, 5, 7).add(m0), vf = Tensor.zeros(cpu, dt, 5, 7).add(v0);
            assertTrue(Adam.fusedApplies(p0, g, mf, vf));
            double bc1 = 1 - Math.pow(0.9, 3), bc2 = 1 - Math.pow(0.999, 3);
            Tensor fused = Adam.fusedStep(p0, g, mf, vf, new AdamStep(0.9, 0.999, 1e-8, 0.1, 0.01 / bc1, 1 / Math.sqrt(bc2)));
            Tensor gg = g.add(p0.mul(0.1));
            Tensor m = m0.mul(0.9).add(gg.mul(0.1)), v = v0.mul(0.999).add(gg.square().mul(0.001));
            Tensor ops = p0.sub(m.div(v.sqrt().mul(1 / Math.sqrt(bc2)).add(1e-8)).mul(0.01 / bc1));
            double tol = dt == DType.F32 ? 1e-6 : 1e-14;
            assertArrayEquals(ops.toDoubles(), fused.toDoubles(), tol, dt + " parameter");
            assertArrayEquals(m.toDoubles(), mf.toDoubles(), tol, dt + " first moment");
            assertArrayEquals(v.toDoubles(), vf.toDoubles(), tol, dt + " second moment");
        }
    }

    @Test void adamFirstStepByHand() {
        // m = 0.1·g, v = 0.001·g²; bias-corrected: m̂ = g, v̂ = g², so p ← p − lr·g/(|g| + ε)
        One m = new One(new double[]{3.0});
        Adam a = new Adam(m.parameters(), 0.01, 0.9, 0.999, 1e-8, 0);
        a.step(grads(m.parameters(), new double[]{-4.0}));
        assertEquals(3.0 + 0.01 * 4.0 / (4.0 + 1e-8), m.p.value().item(), 1e-15);
        assertEquals(1, a.stepCount());
    }

    @Test void sgdMatchesTorch() {
        follows("SGD momentum + decay", ps -> new Sgd(ps, 0.1, 0.9, 0.01), new double[][]{
                {0.949, -1.898, 0.4995}, {0.8921509999999999, -1.8243019999999999, 0.5285505},
                {0.880094749, -1.7611494979999998, 0.35416739950000004}});
        follows("SGD Nesterov", ps -> new Sgd(ps, 0.1, 0.9, 0, true), new double[][]{
                {0.905, -1.81, 0.5}, {0.8455, -1.7670000000000001, 0.557}, {0.87695, -1.7198000000000002, 0.20130000000000003}});
    }

    @Test void adamStateRoundTripsAndResumesIdentically() {
        One a = new One(P0), b = new One(P0);
        Adam oa = new Adam(a.parameters(), 0.05);
        oa.step(grads(a.parameters(), GRADS[0]));
        oa.step(grads(a.parameters(), GRADS[1]));
        StateDict st = oa.state();
        assertEquals(java.util.Set.of("m.p", "v.p", "step.p"), st.names());
        b.copyFrom(a);
        Adam ob = new Adam(b.parameters(), 0.05);
        ob.loadState(st);
        oa.step(grads(a.parameters(), GRADS[2]));
        ob.step(grads(b.parameters(), GRADS[2]));
        assertArrayEquals(a.p.value().toDoubles(), b.p.value().toDoubles(), 0.0);
        var e = assertThrows(IllegalArgumentException.class, () -> ob.loadState(new StateDict().put("m.q", Tensor.zeros(B, DType.F64, 3))));
        assertTrue(e.getMessage().contains("'m.q'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ob.loadState(new StateDict().put("m.p", Tensor.zeros(B, DType.F64, 4))));
        assertTrue(e.getMessage().contains("[4]") && e.getMessage().contains("[3]"), e.getMessage());
    }

    @Test void aParameterWithoutGradientIsLeftAlone() {
        One m = new One(P0);
        Sgd s = new Sgd(m.parameters(), 0.1);
        Tensor before = m.p.value();
        s.step(Tensor.of(B, new double[]{1}, 1).requiringGrad().sum().backward());
        assertSame(before, m.p.value());
    }

    @Test void emaAveragesAndCopies() {
        One src = new One(new double[]{1, 2});
        Ema ema = new Ema(src, 0.9);
        assertArrayEquals(new double[]{1, 2}, ema.shadow().stateDict().get("p").toDoubles(), "starts as a copy");
        src.p.set(Tensor.of(B, new double[]{11, -8}, 2));
        ema.update();
        assertArrayEquals(new double[]{0.9 * 1 + 0.1 * 11, 0.9 * 2 - 0.1 * 8}, ema.shadow().stateDict().get("p").toDoubles(), 1e-15);
        ema.update();
        assertArrayEquals(new double[]{0.9 * 2.0 + 0.1 * 11, 0.9 * 1.0 - 0.1 * 8}, ema.shadow().stateDict().get("p").toDoubles(), 1e-15);
        One target = new One(new double[]{0, 0});
        ema.copyTo(target);
        assertArrayEquals(ema.shadow().stateDict().get("p").toDoubles(), target.p.value().toDoubles());
        assertFalse(ema.shadow().training());
        assertEquals(0.999, new Ema(src).rate());
        Ema other = new Ema(src, 0.9);
        other.loadState(ema.state());
        assertArrayEquals(ema.shadow().stateDict().get("p").toDoubles(), other.shadow().stateDict().get("p").toDoubles());
    }

    @Test void clippingMatchesTorch() {
        Module m = new Module() {
            { param("a", Tensor.zeros(B, DType.F64, 2)); param("b", Tensor.zeros(B, DType.F64, 1)); }
        };
        List<Parameter> ps = m.parameters();
        Gradients g = grads(ps, new double[]{3, 4}, new double[]{12});
        assertEquals(13.0, GradClip.globalNorm(g, ps), 1e-12);
        assertEquals(13.0, GradClip.clip(g, ps, 1.0), 1e-12);
        assertArrayEquals(new double[]{0.23076921301775288, 0.3076922840236705}, g.get(ps.get(0).value()).toDoubles(), 1e-15);
        assertArrayEquals(new double[]{0.9230768520710115}, g.get(ps.get(1).value()).toDoubles(), 1e-15);
        // below the limit nothing changes
        Gradients small = grads(ps, new double[]{0.3, 0.4}, new double[]{0});
        assertSame(small, GradClip.clipGlobalNorm(small, ps, 1.0));
        assertArrayEquals(new double[]{0.3, 0.4}, small.get(ps.get(0).value()).toDoubles(), 1e-15);
    }

    @Test void clippingScalesASharedGradientOnce() {
        Module m = new Module() {
            { param("a", Tensor.zeros(B, DType.F64, 2)); param("b", Tensor.zeros(B, DType.F64, 2)); }
        };
        List<Parameter> ps = m.parameters();
        // y = a + b: both leaves receive the very same gradient tensor
        Gradients g = ps.get(0).value().add(ps.get(1).value()).mul(Tensor.of(B, new double[]{3, 4}, 2)).sum().backward();
        assertEquals(Math.sqrt(50), GradClip.clip(g, ps, 1.0), 1e-12);
        double[] ga = g.get(ps.get(0).value()).toDoubles(), gb = g.get(ps.get(1).value()).toDoubles();
        double s = 1.0 / (Math.sqrt(50) + 1e-6);
        assertArrayEquals(new double[]{3 * s, 4 * s}, ga, 1e-12);
        assertArrayEquals(new double[]{3 * s, 4 * s}, gb, 1e-12);
    }

    @Test void schedules() {
        assertEquals(0.1, LrSchedule.constant(0.1).lr(1000));
        LrSchedule cos = LrSchedule.cosine(1.0, 0.0, 100);
        assertEquals(1.0, cos.lr(0), 1e-15);
        assertEquals(0.5, cos.lr(50), 1e-15);
        assertEquals(0.0, cos.lr(100), 1e-15);
        assertEquals(0.0, cos.lr(500), 1e-15);
        LrSchedule warm = LrSchedule.warmup(4, LrSchedule.constant(2.0));
        assertEquals(0.5, warm.lr(0), 1e-15);
        assertEquals(2.0, warm.lr(3), 1e-15);
        assertEquals(2.0, warm.lr(10), 1e-15);
        LrSchedule wc = LrSchedule.warmupCosine(1.0, 0.1, 10, 110);
        assertEquals(0.1, wc.lr(0), 1e-15);
        assertEquals(1.0, wc.lr(10), 1e-15);
        assertEquals(0.55, wc.lr(60), 1e-12);
        assertEquals(0.1, wc.lr(110), 1e-15);
    }
}
