package dsb4j.engine.backend.cpu;

import dsb4j.engine.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 unary kernels over one row: a Vector API loop per op code and the scalar twin used for tails and
 * strided rows. The transcendentals (EXP, LOG, TANH, SIN, COS, POW, SIGMOID) run the scalar twin by default:
 * the Vector API's lanewise versions call SVML stubs only once the JIT has compiled the loop and a Java
 * fallback before that, and the two differ in the last bit, so results would depend on JIT timing and a run
 * would not replay exactly (nor a resumed run match an uninterrupted one). {@code -Ddsb4j.svml=true} turns the
 * ~15x faster lanewise versions on where bit-exact replay does not matter (benchmarks). SIGMOID (SiLU, the U-Net's
 * activation) is the exception: its own exp from +, ×, fma and exponent bits only, in the vector loop and the
 * scalar twin alike, is fast and gives the same bits everywhere; SILU and SILU_DERIV are built on it.
 * Each loop names its operator as a constant; a {@code VectorOperators} value passed in as a parameter
 * would not be intrinsified and silently runs lane by lane.
 */
final class UnaryKernels {
    private UnaryKernels() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Lanewise transcendentals (fast, JIT-tier dependent in the last bit); off by default, see the class comment. */
    static final boolean SVML = Boolean.getBoolean("dsb4j.svml");

    /** The scalar twin: the op's definition computed in double and rounded, as the scalar backend does. */
    static float scalar(UnaryOp op, float x, double p) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SIN -> (float) Math.sin(x);
            case COS -> (float) Math.cos(x);
            case TANH -> tanh(x);
            case SIGMOID -> sigmoid(x);
            case RELU -> x > 0 ? x : 0f;
            // in float, as the vector loop: its result then does not depend on where a row or a thread's share ends
            case LEAKY_RELU -> x > 0 ? x : (float) p * x;
            case SQUARE -> (float) ((double) x * x);
            case RECIPROCAL -> (float) (1.0 / x);
            case POW -> (float) Math.pow(x, p);
            case MUL_SCALAR -> (float) (x * p);
            case ADD_SCALAR -> (float) (x + p);
            case STEP -> x > 0 ? 1f : 0f;
            case LEAKY_STEP -> x > 0 ? 1f : (float) p;
            case SIGN -> Math.signum(x);
            case SILU -> x * sigmoid(x);
            case SILU_DERIV -> siluDeriv(x);
        };
    }

    /**
     * tanh from Math.exp, whose stub HotSpot shares between the interpreter and compiled code (so every tier
     * gives the same bits), in double and rounded once: within half an ulp of float.
     */
    private static float tanh(float x) {
        double a = Math.abs((double) x);
        double t = a < 0.5 ? Math.expm1(2 * a) / (Math.expm1(2 * a) + 2) : 1 - 2 / (Math.exp(2 * a) + 1);
        return (float) Math.copySign(t, x);
    }

    /** One row: out[oo + i·os] = op(x[xo + i·xs]) for i < n. */
    static void row(UnaryOp op, double p, float[] x, int xo, int xs, float[] o, int oo, int os, int n) {
        if (xs == 1 && os == 1) {
            contiguous(op, p, x, xo, o, oo, n);
        } else if (xs == 0) {                       // a broadcast input: one value, written n times
            float v = scalar(op, x[xo], p);
            for (int i = 0; i < n; i++) o[oo + i * os] = v;
        } else {
            for (int i = 0; i < n; i++) o[oo + i * os] = scalar(op, x[xo + i * xs], p);
        }
    }

    /** out[oo..oo+n) = op(x[xo..xo+n)): the vector loop for each op, then the scalar tail. */
    static void contiguous(UnaryOp op, double p, float[] x, int xo, float[] o, int oo, int n) {
        int i = switch (op) {
            case NEG -> neg(x, xo, o, oo, n);
            case EXP -> SVML ? exp(x, xo, o, oo, n) : 0;
            case LOG -> SVML ? log(x, xo, o, oo, n) : 0;
            case SQRT -> sqrt(x, xo, o, oo, n);
            case ABS -> abs(x, xo, o, oo, n);
            case SIN -> SVML ? sin(x, xo, o, oo, n) : 0;
            case COS -> SVML ? cos(x, xo, o, oo, n) : 0;
            case TANH -> SVML ? tanh(x, xo, o, oo, n) : 0;
            case SIGMOID -> sigmoid(x, xo, o, oo, n);
            case RELU -> relu(x, xo, o, oo, n);
            case LEAKY_RELU -> leakyRelu((float) p, x, xo, o, oo, n);
            case SQUARE -> square(x, xo, o, oo, n);
            case RECIPROCAL -> reciprocal(x, xo, o, oo, n);
            case POW -> SVML ? pow((float) p, x, xo, o, oo, n) : 0;
            case MUL_SCALAR -> mulScalar((float) p, x, xo, o, oo, n);
            case ADD_SCALAR -> addScalar((float) p, x, xo, o, oo, n);
            case STEP -> step(x, xo, o, oo, n);
            case LEAKY_STEP -> leakyStep((float) p, x, xo, o, oo, n);
            case SIGN -> sign(x, xo, o, oo, n);
            case SILU -> silu(x, xo, o, oo, n);
            case SILU_DERIV -> siluDeriv(x, xo, o, oo, n);
        };
        for (; i < n; i++) o[oo + i] = scalar(op, x[xo + i], p);
    }

    // Each loop returns where it stopped; the caller finishes the tail with the scalar twin.

    private static int neg(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) FloatVector.fromArray(S, x, xo + i).neg().intoArray(o, oo + i);
        return i;
    }

    private static int abs(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) FloatVector.fromArray(S, x, xo + i).abs().intoArray(o, oo + i);
        return i;
    }

    private static int square(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(v).intoArray(o, oo + i);
        }
        return i;
    }

    private static int sqrt(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) FloatVector.fromArray(S, x, xo + i).sqrt().intoArray(o, oo + i);
        return i;
    }

    /** 1/x in float is the correctly rounded quotient, the same value the double definition rounds to. */
    private static int reciprocal(float[] x, int xo, float[] o, int oo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) one.div(FloatVector.fromArray(S, x, xo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int mulScalar(float p, float[] x, int xo, float[] o, int oo, int n) {
        FloatVector pv = FloatVector.broadcast(S, p);
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) FloatVector.fromArray(S, x, xo + i).mul(pv).intoArray(o, oo + i);
        return i;
    }

    private static int addScalar(float p, float[] x, int xo, float[] o, int oo, int n) {
        FloatVector pv = FloatVector.broadcast(S, p);
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) FloatVector.fromArray(S, x, xo + i).add(pv).intoArray(o, oo + i);
        return i;
    }

    // Comparisons use compare + blend, not MAX/MIN, so NaN and -0 follow the definitions (x > 0 ? … : …).

    private static int relu(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) relu(FloatVector.fromArray(S, x, xo + i)).intoArray(o, oo + i);
        return i;
    }

    /** The lanes of RELU (also {@link FusedKernels#biasActivation}'s). */
    static FloatVector relu(FloatVector v) {
        return FloatVector.zero(S).blend(v, v.compare(VectorOperators.GT, 0f));
    }

    private static int leakyRelu(float p, float[] x, int xo, float[] o, int oo, int n) {
        FloatVector pv = FloatVector.broadcast(S, p);
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) leakyRelu(FloatVector.fromArray(S, x, xo + i), pv).intoArray(o, oo + i);
        return i;
    }

    /** The lanes of LEAKY_RELU with the slope in every lane of {@code slope} (also {@link FusedKernels#biasActivation}'s). */
    static FloatVector leakyRelu(FloatVector v, FloatVector slope) {
        return v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0f));
    }

    private static int step(float[] x, int xo, float[] o, int oo, int n) {
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L)
            zero.blend(one, FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.GT, 0f)).intoArray(o, oo + i);
        return i;
    }

    private static int leakyStep(float p, float[] x, int xo, float[] o, int oo, int n) {
        FloatVector pv = FloatVector.broadcast(S, p), one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L)
            pv.blend(one, FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.GT, 0f)).intoArray(o, oo + i);
        return i;
    }

    /** Math.signum: ±1, and x itself for ±0 and NaN. */
    private static int sign(float[] x, int xo, float[] o, int oo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f), minusOne = FloatVector.broadcast(S, -1f);
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.blend(one, v.compare(VectorOperators.GT, 0f)).blend(minusOne, v.compare(VectorOperators.LT, 0f)).intoArray(o, oo + i);
        }
        return i;
    }

    private static int exp(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L)
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.EXP).intoArray(o, oo + i);
        return i;
    }

    private static int log(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L)
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.LOG).intoArray(o, oo + i);
        return i;
    }

    private static int tanh(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L)
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.TANH).intoArray(o, oo + i);
        return i;
    }

    private static int sin(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L)
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.SIN).intoArray(o, oo + i);
        return i;
    }

    private static int cos(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L)
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.COS).intoArray(o, oo + i);
        return i;
    }

    private static int pow(float p, float[] x, int xo, float[] o, int oo, int n) {
        FloatVector pv = FloatVector.broadcast(S, p);
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L)
            FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.POW, pv).intoArray(o, oo + i);
        return i;
    }

    /**
     * 1/(1+e^-x) as r = 1/(1+e) with e = e^-|x|, and e·r for negative x: e never overflows, so tiny
     * outputs for very negative x keep their relative accuracy instead of collapsing to 1/inf = 0.
     */
    // e^a for a ≤ 0 in float: a = k·ln2 + r (k = rint(a·log2 e) by the 1.5·2^23 rounding trick, ln2 in two
    // parts), e^r by its degree-7 Taylor polynomial (|r| ≤ ln2/2: truncation ≈ 5e-9), times 2^k put into the
    // exponent bits; a < −87.3 (where 2^k would leave the normal range) gives 0. Every step is one IEEE
    // operation, so the vector lanes and the scalar twin agree bit for bit: about 2 ulp from e^a.
    private static final float LOG2E = 1.44269504f, ROUND = 12582912f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float E_MIN = -87.33654f;
    private static final float C2 = 1f / 2, C3 = 1f / 6, C4 = 1f / 24, C5 = 1f / 120, C6 = 1f / 720, C7 = 1f / 5040;

    private static float expNonPositive(float a) {
        if (a < E_MIN) return 0f;
        float k = (a * LOG2E + ROUND) - ROUND;
        float r = Math.fma(k, -LN2_LO, Math.fma(k, -LN2_HI, a));
        float q = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(C7, r, C6), r, C5), r, C4), r, C3), r, C2), r, 1f);
        float pr = Math.fma(q, r, 1f);
        return pr * Float.intBitsToFloat(((int) k + 127) << 23);
    }

    // Constants are broadcast in place (a force-inlined JDK call), never through a helper of ours: in a large caller
    // (the fused group norm) C2 hit its node budget at such a helper, left it out of line and boxed every vector.
    private static FloatVector expNonPositive(FloatVector a) {
        FloatVector k = a.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = k.fma(FloatVector.broadcast(S, -LN2_LO), k.fma(FloatVector.broadcast(S, -LN2_HI), a));
        FloatVector q = FloatVector.broadcast(S, C7).fma(r, FloatVector.broadcast(S, C6)).fma(r, FloatVector.broadcast(S, C5))
                .fma(r, FloatVector.broadcast(S, C4)).fma(r, FloatVector.broadcast(S, C3)).fma(r, FloatVector.broadcast(S, C2))
                .fma(r, FloatVector.broadcast(S, 1f));
        FloatVector pr = q.fma(r, FloatVector.broadcast(S, 1f));
        FloatVector scale = ((IntVector) k.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return pr.mul(scale).blend(0f, a.compare(VectorOperators.LT, E_MIN));
    }

    /** 1 / (1 + e^−|x|), mirrored for x < 0: never overflows. */
    static float sigmoid(float x) {
        float e = expNonPositive(-Math.abs(x));
        float r = 1f / (1f + e);
        return x < 0 ? e * r : r;
    }

    /** The lanes of {@link #sigmoid(float)}. */
    static FloatVector sigmoid(FloatVector v) {
        FloatVector e = expNonPositive(v.abs().neg());
        FloatVector r = FloatVector.broadcast(S, 1f).div(e.add(FloatVector.broadcast(S, 1f)));
        VectorMask<Float> negative = v.compare(VectorOperators.LT, 0f);
        return r.blend(e.mul(r), negative);
    }

    private static int sigmoid(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) sigmoid(FloatVector.fromArray(S, x, xo + i)).intoArray(o, oo + i);
        return i;
    }

    private static int silu(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) silu(FloatVector.fromArray(S, x, xo + i)).intoArray(o, oo + i);
        return i;
    }

    /** The lanes of SILU (also {@link FusedKernels#biasActivation}'s). */
    static FloatVector silu(FloatVector v) {
        return v.mul(sigmoid(v));
    }

    /** σ(x)·(1 + x·(1 − σ(x))), the product of the last two by one fma. */
    private static float siluDeriv(float x) {
        float s = sigmoid(x);
        return s * Math.fma(x, 1f - s, 1f);
    }

    private static int siluDeriv(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            FloatVector s = sigmoid(v);
            s.mul(v.fma(FloatVector.broadcast(S, 1f).sub(s), FloatVector.broadcast(S, 1f))).intoArray(o, oo + i);
        }
        return i;
    }
}
