package dsb4j.engine;

import dsb4j.engine.autograd.NoGrad;
import dsb4j.engine.autograd.Tape;
import dsb4j.engine.tensor.Layout;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import static dsb4j.engine.GradCheck.*;
import static org.junit.jupiter.api.Assertions.*;

/** The checker catches what it is meant to catch: a wrong rule, and a rule that ignores its upstream's layout. */
class GradCheckTest {

    /** x² whose backward forgets the factor 2. */
    static Tensor wrongSquare(Tensor x) {
        Tensor y;
        try (var ignored = NoGrad.enter()) { y = x.square(); }
        Tensor xv = x.detach();
        return Tape.record("wrong_square", y, g -> new Tensor[]{g.mul(xv)}, x);
    }

    /** 3x whose backward reads the upstream gradient's storage as if it were packed from 0. */
    static Tensor layoutBlindTriple(Tensor x) {
        Tensor y;
        try (var ignored = NoGrad.enter()) { y = x.mul(3.0); }
        return Tape.record("layout_blind", y,
                g -> new Tensor[]{Tensor.wrap(g.storage(), Layout.contiguous(g.shape())).mul(3.0)}, x);
    }

    @Test
    void correctOpsPass() {
        check("square", Tensor::square, normal(1, 3, 4));
    }

    @Test
    void catchesAWrongRule() {
        assertThrows(AssertionFailedError.class, () -> check("wrong square", GradCheckTest::wrongSquare, normal(1, 3, 4)));
    }

    @Test
    void catchesARuleThatIgnoresTheUpstreamLayout() {
        Throwable e = assertThrows(Throwable.class, () -> check("layout blind", GradCheckTest::layoutBlindTriple, normal(1, 3, 4)));
        assertTrue(e instanceof AssertionFailedError || e instanceof IllegalArgumentException, e.toString());
    }

    @Test
    void catchesAForwardThatDependsOnTheInputLayout() {
        // Reading the storage of a transposed view as if packed gives other values than on a packed copy.
        assertThrows(AssertionFailedError.class, () -> check("layout blind forward",
                x -> Tensor.wrap(x.storage(), Layout.contiguous(x.shape())).add(x.mul(0.0)), normal(1, 4, 3).t()));
    }
}
