package dsb4j.engine.backend.cpu;

import dsb4j.engine.backend.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * F32 binary kernels over one row of an already-broadcast walk. An operand's inner stride is 1 (a vector
 * load) or 0 (a broadcast vector: bias rows, columns and scalars all end up here); anything else runs
 * the scalar twin. Float +, −, ×, ÷ round exactly as the double definition does, so these match the
 * scalar backend bit for bit; MAX/MIN/GE/EQ use compare + blend to keep the definitions' NaN and −0 rules.
 */
final class BinaryKernels {
    private BinaryKernels() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /** The scalar twin of {@link BinaryOp#apply} in float. */
    static float scalar(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> a >= b ? a : b;
            case MIN -> a <= b ? a : b;
            case GE -> a >= b ? 1f : 0f;
            case EQ -> a == b ? 1f : 0f;
        };
    }

    /** One row: out[oo + i·os] = op(a[ao + i·as], b[bo + i·bs]) for i < n. */
    static void row(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int os, int n) {
        if (as == 0 && bs == 0) {
            float v = scalar(op, a[ao], b[bo]);
            for (int i = 0; i < n; i++) o[oo + i * os] = v;
            return;
        }
        int i = 0;
        if (os == 1 && (as == 0 || as == 1) && (bs == 0 || bs == 1)) {      // not both 0: handled above
            i = switch (op) {
                case ADD -> add(a, ao, as, b, bo, bs, o, oo, n);
                case SUB -> sub(a, ao, as, b, bo, bs, o, oo, n);
                case MUL -> mul(a, ao, as, b, bo, bs, o, oo, n);
                case DIV -> div(a, ao, as, b, bo, bs, o, oo, n);
                case MAX -> max(a, ao, as, b, bo, bs, o, oo, n);
                case MIN -> min(a, ao, as, b, bo, bs, o, oo, n);
                case GE -> ge(a, ao, as, b, bo, bs, o, oo, n);
                case EQ -> eq(a, ao, as, b, bo, bs, o, oo, n);
            };
        }
        for (; i < n; i++) o[oo + i * os] = scalar(op, a[ao + i * as], b[bo + i * bs]);
    }

    // Three loops per op: both loaded, b broadcast, a broadcast. Each returns where it stopped.

    private static int add(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0, ub = S.loopBound(n);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) FloatVector.fromArray(S, a, ao + i).add(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        } else if (as == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[bo]);
            for (; i < ub; i += L) FloatVector.fromArray(S, a, ao + i).add(bv).intoArray(o, oo + i);
        } else {
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            for (; i < ub; i += L) av.add(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        }
        return i;
    }

    private static int sub(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0, ub = S.loopBound(n);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) FloatVector.fromArray(S, a, ao + i).sub(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        } else if (as == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[bo]);
            for (; i < ub; i += L) FloatVector.fromArray(S, a, ao + i).sub(bv).intoArray(o, oo + i);
        } else {
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            for (; i < ub; i += L) av.sub(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        }
        return i;
    }

    private static int mul(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0, ub = S.loopBound(n);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) FloatVector.fromArray(S, a, ao + i).mul(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        } else if (as == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[bo]);
            for (; i < ub; i += L) FloatVector.fromArray(S, a, ao + i).mul(bv).intoArray(o, oo + i);
        } else {
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            for (; i < ub; i += L) av.mul(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        }
        return i;
    }

    private static int div(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0, ub = S.loopBound(n);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) FloatVector.fromArray(S, a, ao + i).div(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        } else if (as == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[bo]);
            for (; i < ub; i += L) FloatVector.fromArray(S, a, ao + i).div(bv).intoArray(o, oo + i);
        } else {
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            for (; i < ub; i += L) av.div(FloatVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
        }
        return i;
    }

    /** a >= b ? a : b. */
    private static int max(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0, ub = S.loopBound(n);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) {
                FloatVector av = FloatVector.fromArray(S, a, ao + i), bv = FloatVector.fromArray(S, b, bo + i);
                bv.blend(av, av.compare(VectorOperators.GE, bv)).intoArray(o, oo + i);
            }
        } else if (as == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[bo]);
            for (; i < ub; i += L) {
                FloatVector av = FloatVector.fromArray(S, a, ao + i);
                bv.blend(av, av.compare(VectorOperators.GE, bv)).intoArray(o, oo + i);
            }
        } else {
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            for (; i < ub; i += L) {
                FloatVector bv = FloatVector.fromArray(S, b, bo + i);
                bv.blend(av, av.compare(VectorOperators.GE, bv)).intoArray(o, oo + i);
            }
        }
        return i;
    }

    /** a <= b ? a : b. */
    private static int min(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0, ub = S.loopBound(n);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L) {
                FloatVector av = FloatVector.fromArray(S, a, ao + i), bv = FloatVector.fromArray(S, b, bo + i);
                bv.blend(av, av.compare(VectorOperators.LE, bv)).intoArray(o, oo + i);
            }
        } else if (as == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[bo]);
            for (; i < ub; i += L) {
                FloatVector av = FloatVector.fromArray(S, a, ao + i);
                bv.blend(av, av.compare(VectorOperators.LE, bv)).intoArray(o, oo + i);
            }
        } else {
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            for (; i < ub; i += L) {
                FloatVector bv = FloatVector.fromArray(S, b, bo + i);
                bv.blend(av, av.compare(VectorOperators.LE, bv)).intoArray(o, oo + i);
            }
        }
        return i;
    }

    private static int ge(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        int i = 0, ub = S.loopBound(n);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L)
                zero.blend(one, FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.GE, FloatVector.fromArray(S, b, bo + i))).intoArray(o, oo + i);
        } else if (as == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[bo]);
            for (; i < ub; i += L) zero.blend(one, FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.GE, bv)).intoArray(o, oo + i);
        } else {
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            for (; i < ub; i += L) zero.blend(one, av.compare(VectorOperators.GE, FloatVector.fromArray(S, b, bo + i))).intoArray(o, oo + i);
        }
        return i;
    }

    private static int eq(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        int i = 0, ub = S.loopBound(n);
        if (as == 1 && bs == 1) {
            for (; i < ub; i += L)
                zero.blend(one, FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.EQ, FloatVector.fromArray(S, b, bo + i))).intoArray(o, oo + i);
        } else if (as == 1) {
            FloatVector bv = FloatVector.broadcast(S, b[bo]);
            for (; i < ub; i += L) zero.blend(one, FloatVector.fromArray(S, a, ao + i).compare(VectorOperators.EQ, bv)).intoArray(o, oo + i);
        } else {
            FloatVector av = FloatVector.broadcast(S, a[ao]);
            for (; i < ub; i += L) zero.blend(one, av.compare(VectorOperators.EQ, FloatVector.fromArray(S, b, bo + i))).intoArray(o, oo + i);
        }
        return i;
    }
}
