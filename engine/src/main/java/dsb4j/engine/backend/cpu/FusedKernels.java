package dsb4j.engine.backend.cpu;

import dsb4j.engine.backend.AdamStep;
import dsb4j.engine.backend.UnaryOp;
import java.util.concurrent.ForkJoinPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused Euler–Maruyama step out = x + γ·f + sqrt(2γ)·z: one pass over four streams, with two FMAs per
 * element, instead of four elementwise ops over ten. Body and tail use the same fused formula.
 * <p>
 * The fused Adam update: one pass over the parameter, its gradient and the two moments (updated in place),
 * instead of about a dozen elementwise ops each making a buffer. Arithmetic in float without FMA, so the vector
 * lanes and the scalar tail round alike (a result does not depend on where the vector loop ends).
 * <p>
 * A dense layer's epilogue: bias and activation over a block of rows of a GEMM's output, in place, with the bits of
 * the broadcast add and the unary op in turn.
 */
final class FusedKernels {
    private FusedKernels() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    static void sdeStep(float[] x, float[] f, float[] z, double gamma, float[] out, int n, ForkJoinPool pool) {
        float g = (float) gamma, s = (float) Math.sqrt(2 * gamma);
        Parallel.forRange(pool, n, 1, (lo, hi) -> sdeStep(x, f, z, g, s, out, lo, hi));
    }

    static void sdeStep(float[] x, float[] f, float[] z, float g, float s, float[] out, int lo, int hi) {
        FloatVector gv = FloatVector.broadcast(S, g), sv = FloatVector.broadcast(S, s);
        int i = lo;
        for (int ub = lo + S.loopBound(hi - lo); i < ub; i += L) {
            FloatVector drifted = FloatVector.fromArray(S, f, i).fma(gv, FloatVector.fromArray(S, x, i));
            FloatVector.fromArray(S, z, i).fma(sv, drifted).intoArray(out, i);
        }
        for (; i < hi; i++) out[i] = sdeScalar(x[i], f[i], z[i], g, s);
    }

    /** The scalar twin: the same two fused multiply-adds. */
    static float sdeScalar(float x, float f, float z, float g, float s) {
        return Math.fma(z, s, Math.fma(f, g, x));
    }

    /**
     * Adam over n elements: g' = g + λ·p, m ← β1·m + (1−β1)·g', v ← β2·v + (1−β2)·g'² (in place at their offsets),
     * out[0..n) = p − m / (√v·invSqrtBc2 + ε) · stepSize; every coefficient rounded to float first.
     */
    static void adamStep(AdamStep c, int n, float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, float[] out) {
        float b1 = (float) c.beta1(), c1 = (float) (1 - c.beta1()), b2 = (float) c.beta2(), c2 = (float) (1 - c.beta2());
        float wd = (float) c.weightDecay(), e = (float) c.eps(), s = (float) c.stepSize(), r = (float) c.invSqrtBc2();
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector w = FloatVector.fromArray(S, p, po + i);
            FloatVector gi = FloatVector.fromArray(S, g, go + i).add(w.mul(wd));
            FloatVector mi = FloatVector.fromArray(S, m, mo + i).mul(b1).add(gi.mul(c1));
            FloatVector vi = FloatVector.fromArray(S, v, vo + i).mul(b2).add(gi.mul(gi).mul(c2));
            mi.intoArray(m, mo + i);
            vi.intoArray(v, vo + i);
            w.sub(mi.div(vi.sqrt().mul(r).add(e)).mul(s)).intoArray(out, i);
        }
        for (; i < n; i++) {               // the scalar twin: the same operations in the same order
            float w = p[po + i], gi = g[go + i] + w * wd;
            float mi = m[mo + i] * b1 + gi * c1, vi = v[vo + i] * b2 + gi * gi * c2;
            m[mo + i] = mi;
            v[vo + i] = vi;
            out[i] = w - mi / ((float) Math.sqrt(vi) * r + e) * s;
        }
    }

    /** The activations {@link #biasActivation} applies. */
    static boolean inEpilogue(UnaryOp act) {
        return switch (act) {
            case RELU, LEAKY_RELU, SILU -> true;
            default -> false;
        };
    }

    /**
     * c[off + r·ldc + j] = act(c[…] + bias[bo + j]) for r &lt; rows, j &lt; cols, in place; bias null: none; act null, RELU,
     * LEAKY_RELU (slope p) or SILU: ops whose lanes and scalar twin round alike, so blocks may end anywhere. The same
     * float add and activation lanes as the elementwise ops, so the same bits, without their passes over memory and
     * their dispatch per row.
     */
    static void biasActivation(float[] c, int off, int ldc, int rows, int cols, float[] bias, int bo,
                               UnaryOp act, double p) {
        if (act != null && !inEpilogue(act)) throw new IllegalArgumentException("biasActivation: no " + act + " here");
        FloatVector pv = FloatVector.broadcast(S, (float) p);
        int ub = S.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = off + r * ldc, j = 0;
            for (; j < ub; j += L) {
                FloatVector v = FloatVector.fromArray(S, c, o + j);
                if (bias != null) v = v.add(FloatVector.fromArray(S, bias, bo + j));
                if (act != null) {
                    v = switch (act) {
                        case RELU -> UnaryKernels.relu(v);
                        case LEAKY_RELU -> UnaryKernels.leakyRelu(v, pv);
                        default -> UnaryKernels.silu(v);
                    };
                }
                v.intoArray(c, o + j);
            }
            for (; j < cols; j++) {
                float y = bias != null ? c[o + j] + bias[bo + j] : c[o + j];
                c[o + j] = act != null ? UnaryKernels.scalar(act, y, p) : y;
            }
        }
    }
}
