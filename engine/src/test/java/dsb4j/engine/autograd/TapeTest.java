package dsb4j.engine.autograd;

import dsb4j.engine.Tensor;
import dsb4j.engine.tensor.ShapeException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static dsb4j.engine.GradCheck.*;
import static org.junit.jupiter.api.Assertions.*;

/** The tape itself: accumulation, unused and detached inputs, NoGrad scopes, errors, and very deep graphs. */
class TapeTest {

    @Test
    void tensorUsedTwiceAccumulates() {
        Tensor x = normal(1, 3, 4).requiringGrad();
        Tensor g = x.mul(x).add(x).sum().backward().get(x);
        assertArrayEquals(x.mul(2.0).add(1.0).toDoubles(), g.toDoubles(), 1e-12);
        check("x*x + x", t -> t.mul(t).add(t), normal(1, 3, 4));
        check("x used in two branches", t -> t.exp().mul(t.sin()).add(t.sum(true, 1).mul(t)), normal(2, 3, 4));
        check("same tensor as both matmul operands", t -> t.matmul(t.t()), normal(3, 3, 4));
    }

    /** An input the loss does not depend on gets no entry: {@link Gradients#get} returns null, not zeros. */
    @Test
    void unusedInputHasNullGradient() {
        Tensor x = normal(1, 2, 3).requiringGrad(), unused = normal(2, 2, 3).requiringGrad();
        Gradients g = x.exp().sum().backward();
        assertNotNull(g.get(x));
        assertNull(g.get(unused));
        assertEquals(1, g.size());
        // Through the checker too: a null gradient is accepted where every numeric derivative is zero.
        check("unused second input", t -> t[0].tanh(), normal(1, 2, 3), normal(2, 2, 3));
        // An input that is used but has no influence gets an explicit zero gradient.
        Tensor y = normal(3, 2, 3).requiringGrad();
        Tensor gy = x.add(y.mul(0.0)).sum().backward().get(y);
        assertArrayEquals(new double[6], gy.toDoubles(), 0);
    }

    @Test
    void intermediateTensorsAndConstantsHaveNoGradient() {
        Tensor x = normal(1, 2, 2).requiringGrad(), c = normal(2, 2, 2);
        Tensor mid = x.mul(c);
        Gradients g = mid.sum().backward();
        assertNull(g.get(mid));
        assertNull(g.get(c));
        assertArrayEquals(c.toDoubles(), g.get(x).toDoubles(), 0);
    }

    @Test
    void noGradRecordsNothing() {
        Tensor x = normal(1, 3).requiringGrad();
        try (var ignored = NoGrad.enter()) {
            assertTrue(NoGrad.active());
            Tensor y = x.exp().mul(x).sum();
            assertFalse(y.requiresGrad());
            assertNull(y.node());
            try (var nested = NoGrad.enter()) {
                assertFalse(x.add(x).requiresGrad());
            }
            assertTrue(NoGrad.active(), "closing a nested scope keeps the outer one");
            assertFalse(x.reshape(1, 3).matmul(x.reshape(3, 1)).requiresGrad());
        }
        assertFalse(NoGrad.active());
        assertTrue(x.exp().requiresGrad(), "recording resumes after the scope");
    }

    @Test
    void noGradIsPerThread() throws Exception {
        Tensor x = normal(1, 3).requiringGrad();
        AtomicReference<Boolean> other = new AtomicReference<>();
        try (var ignored = NoGrad.enter()) {
            Thread t = new Thread(() -> other.set(x.exp().requiresGrad()));
            t.start();
            t.join();
        }
        assertTrue(other.get(), "another thread keeps recording");
    }

    @Test
    void detachStopsGradients() {
        Tensor x = normal(1, 2, 3).requiringGrad();
        Tensor d = x.detach();
        assertFalse(d.requiresGrad());
        assertSame(d.storage(), x.storage());
        Tensor g = x.mul(d).sum().backward().get(x);
        assertArrayEquals(x.toDoubles(), g.toDoubles(), 0, "d(x·stop(x))/dx = x, not 2x");
        Tensor only = d.exp().add(x.mul(0.0));
        assertArrayEquals(new double[6], only.sum().backward().get(x).toDoubles(), 0);
        assertThrows(IllegalStateException.class, () -> d.exp().sum().backward(), "nothing to differentiate");
    }

    @Test
    void backwardNeedsAScalar() {
        Tensor x = normal(1, 2, 3).requiringGrad();
        ShapeException e = assertThrows(ShapeException.class, () -> x.exp().backward());
        assertTrue(e.getMessage().contains("backward") && e.getMessage().contains("[2, 3]"), e.getMessage());
        // A one-element tensor of any rank is a scalar loss.
        assertNotNull(x.sum(true, 0, 1).backward().get(x));
    }

    @Test
    void requiringGradMakesAFreshLeaf() {
        Tensor x = normal(1, 2).requiringGrad();
        Tensor y = x.mul(3.0).requiringGrad();         // cut here: y is a leaf of its own
        Gradients g = y.square().sum().backward();
        assertNotNull(g.get(y));
        assertNull(g.get(x));
    }

    @Test
    void backwardTwiceGivesTheSameGradients() {
        Tensor x = normal(1, 3, 3).requiringGrad();
        Tensor loss = x.matmul(x).tanh().sum();
        double[] first = loss.backward().get(x).toDoubles();
        assertArrayEquals(first, loss.backward().get(x).toDoubles(), 0);
    }

    /** 20,000 sequential ops, backward on a thread with a small stack: the walk must not recurse. */
    @Test
    void deepChainDoesNotOverflowTheStack() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                Tensor x = Tensor.of(B, new double[]{0.5, -0.25}, 2).requiringGrad();
                Tensor y = x;
                for (int i = 0; i < 10_000; i++) y = y.mul(0.9999).add(0.001);          // 20,000 ops
                Tensor loss = y.sum();
                double expect = Math.pow(0.9999, 10_000);
                assertArrayEquals(new double[]{expect, expect}, loss.backward().get(x).toDoubles(), 1e-12);

                // A residual chain: every step has two paths back, so the gradient of each node accumulates.
                Tensor z = x;
                for (int i = 0; i < 5_000; i++) z = z.add(z.mul(1e-4));                   // 10,000 ops
                double want = Math.pow(1 + 1e-4, 5_000);
                assertArrayEquals(new double[]{want, want}, z.sum().backward().get(x).toDoubles(), 1e-9);
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "deep-chain", 256 * 1024);
        t.start();
        t.join();
        if (failure.get() != null) throw new AssertionError("deep chain failed", failure.get());
    }
}
