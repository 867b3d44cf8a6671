package dsb4j.engine.ops;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Tape;
import static dsb4j.engine.backend.BinaryOp.*;
import static dsb4j.engine.backend.UnaryOp.*;

/**
 * Elementwise primitives with NumPy broadcasting, each forward beside its backward rule. Gradients of
 * broadcast inputs are summed back to their shape ({@link Reductions#sumTo}). Saved values are detached.
 */
public final class Elementwise {
    private Elementwise() {}

    public static Tensor add(Tensor a, Tensor b) {
        Tensor y = Raw.binary("add", ADD, a, b);
        return Tape.record("add", y, g -> new Tensor[]{
                a.requiresGrad() ? g.sumTo(a.shape()) : null, b.requiresGrad() ? g.sumTo(b.shape()) : null}, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        Tensor y = Raw.binary("sub", SUB, a, b);
        return Tape.record("sub", y, g -> new Tensor[]{
                a.requiresGrad() ? g.sumTo(a.shape()) : null, b.requiresGrad() ? g.neg().sumTo(b.shape()) : null}, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        Tensor y = Raw.binary("mul", MUL, a, b);
        Tensor av = a.detach(), bv = b.detach();
        return Tape.record("mul", y, g -> new Tensor[]{
                a.requiresGrad() ? g.mul(bv).sumTo(a.shape()) : null,
                b.requiresGrad() ? g.mul(av).sumTo(b.shape()) : null}, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        Tensor y = Raw.binary("div", DIV, a, b);
        Tensor bv = b.detach(), yv = y;
        return Tape.record("div", y, g -> {
            Tensor ga = g.div(bv);
            return new Tensor[]{
                    a.requiresGrad() ? ga.sumTo(a.shape()) : null,
                    b.requiresGrad() ? ga.mul(yv).neg().sumTo(b.shape()) : null};
        }, a, b);
    }

    /** max(a, b); at ties the gradient goes to a. */
    public static Tensor maximum(Tensor a, Tensor b) {
        Tensor y = Raw.binary("maximum", MAX, a, b);
        Tensor mask = Raw.binary("maximum", GE, a.detach(), b.detach());
        return Tape.record("maximum", y, g -> new Tensor[]{
                a.requiresGrad() ? g.mul(mask).sumTo(a.shape()) : null,
                b.requiresGrad() ? g.mul(mask.neg().add(1.0)).sumTo(b.shape()) : null}, a, b);
    }

    /** min(a, b); at ties the gradient goes to a. */
    public static Tensor minimum(Tensor a, Tensor b) {
        Tensor y = Raw.binary("minimum", MIN, a, b);
        Tensor mask = Raw.binary("minimum", GE, b.detach(), a.detach());
        return Tape.record("minimum", y, g -> new Tensor[]{
                a.requiresGrad() ? g.mul(mask).sumTo(a.shape()) : null,
                b.requiresGrad() ? g.mul(mask.neg().add(1.0)).sumTo(b.shape()) : null}, a, b);
    }

    public static Tensor addScalar(Tensor x, double c) {
        return Tape.record("add_scalar", Raw.unary(ADD_SCALAR, c, x), g -> new Tensor[]{g}, x);
    }

    public static Tensor mulScalar(Tensor x, double c) {
        return Tape.record("mul_scalar", Raw.unary(MUL_SCALAR, c, x), g -> new Tensor[]{g.mul(c)}, x);
    }

    public static Tensor pow(Tensor x, double p) {
        Tensor xv = x.detach();
        return Tape.record("pow", Raw.unary(POW, p, x), g -> new Tensor[]{g.mul(xv.pow(p - 1).mul(p))}, x);
    }

    public static Tensor neg(Tensor x) {
        return Tape.record("neg", Raw.unary(NEG, 0, x), g -> new Tensor[]{g.neg()}, x);
    }

    public static Tensor exp(Tensor x) {
        Tensor y = Raw.unary(EXP, 0, x);
        return Tape.record("exp", y, g -> new Tensor[]{g.mul(y)}, x);
    }

    public static Tensor log(Tensor x) {
        Tensor xv = x.detach();
        return Tape.record("log", Raw.unary(LOG, 0, x), g -> new Tensor[]{g.div(xv)}, x);
    }

    public static Tensor sqrt(Tensor x) {
        Tensor y = Raw.unary(SQRT, 0, x);
        return Tape.record("sqrt", y, g -> new Tensor[]{g.div(y).mul(0.5)}, x);
    }

    public static Tensor abs(Tensor x) {
        Tensor xv = x.detach();
        return Tape.record("abs", Raw.unary(ABS, 0, x), g -> new Tensor[]{g.mul(Raw.unary(SIGN, 0, xv))}, x);
    }

    public static Tensor sin(Tensor x) {
        Tensor xv = x.detach();
        return Tape.record("sin", Raw.unary(SIN, 0, x), g -> new Tensor[]{g.mul(xv.cos())}, x);
    }

    public static Tensor cos(Tensor x) {
        Tensor xv = x.detach();
        return Tape.record("cos", Raw.unary(COS, 0, x), g -> new Tensor[]{g.mul(xv.sin()).neg()}, x);
    }

    public static Tensor tanh(Tensor x) {
        Tensor y = Raw.unary(TANH, 0, x);
        return Tape.record("tanh", y, g -> new Tensor[]{g.mul(y.square().neg().add(1.0))}, x);
    }

    public static Tensor sigmoid(Tensor x) {
        Tensor y = Raw.unary(SIGMOID, 0, x);
        return Tape.record("sigmoid", y, g -> new Tensor[]{g.mul(y.mul(y.neg().add(1.0)))}, x);
    }

    /** x·σ(x) as one op with a one-op derivative: two passes over memory per step instead of about ten. */
    public static Tensor silu(Tensor x) {
        Tensor xv = x.detach();
        return Tape.record("silu", Raw.unary(SILU, 0, x), g -> new Tensor[]{g.mul(Raw.unary(SILU_DERIV, 0, xv))}, x);
    }

    public static Tensor relu(Tensor x) {
        Tensor xv = x.detach();
        return Tape.record("relu", Raw.unary(RELU, 0, x), g -> new Tensor[]{g.mul(Raw.unary(STEP, 0, xv))}, x);
    }

    public static Tensor leakyRelu(Tensor x, double slope) {
        Tensor xv = x.detach();
        return Tape.record("leaky_relu", Raw.unary(LEAKY_RELU, slope, x),
                g -> new Tensor[]{g.mul(Raw.unary(LEAKY_STEP, slope, xv))}, x);
    }

    public static Tensor square(Tensor x) {
        Tensor xv = x.detach();
        return Tape.record("square", Raw.unary(SQUARE, 0, x), g -> new Tensor[]{g.mul(xv).mul(2.0)}, x);
    }

    public static Tensor reciprocal(Tensor x) {
        Tensor y = Raw.unary(RECIPROCAL, 0, x);
        return Tape.record("reciprocal", y, g -> new Tensor[]{g.mul(y.square()).neg()}, x);
    }

    /** 1 where an element of x is positive, 0 elsewhere (NaN too), in x's dtype: a constant, recorded nowhere. */
    public static Tensor positiveMask(Tensor x) {
        return Raw.unary(STEP, 0, x.detach());
    }

    /**
     * x ← c·x in place, through x's layout (the rest of its storage untouched); recorded nowhere. For buffers that no
     * recorded graph reads again, such as the gradients of a finished backward pass.
     */
    public static void scaleInPlace(Tensor x, double c) {
        x.backend().unary(MUL_SCALAR, c, x.storage(), x.layout(), x.storage(), x.layout());
    }
}
