package dsb4j.engine;

import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.autograd.NoGrad;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import java.util.Arrays;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The one gradient checker of the engine's tests: reverse mode against central differences in float64.
 * <p>
 * The loss is {@code L = sum(w ⊙ f(inputs))} with fixed N(0, 1) weights {@code w}, so every output element
 * matters and errors cannot cancel. Each input becomes a leaf <em>with its own layout</em> (a transposed,
 * sliced or broadcast view stays one), so the analytic pass also runs the ops on non-contiguous data. The
 * numeric pass perturbs one logical element at a time of a packed copy of each input, h = 1e-6, and an
 * element passes when {@code |analytic − numeric| ≤ 1e-5 + 1e-3·|numeric|}.
 * <p>
 * An input the loss does not depend on may get a null gradient ({@link Gradients#get} returns null then);
 * the checker accepts that exactly when all its numeric derivatives are zero.
 */
public final class GradCheck {
    private GradCheck() {}

    public static final Backend B = Backends.scalar();
    public static final double H = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    // ---- inputs ------------------------------------------------------------------------------------------

    /** F64 values uniform in [lo, hi) on the scalar backend. */
    public static Tensor uniform(long seed, double lo, double hi, int... dims) {
        Rng rng = new Rng(seed);
        int n = dsb4j.engine.tensor.Shape.of(dims).numel();
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * rng.nextDouble();
        return Tensor.of(B, v, dims);
    }

    /**
     * F64 values in ±[0.1, 1.6) whose magnitudes are pairwise at least 0.75/n apart (over 1e-3 for n ≤ 750):
     * away from the kinks of relu, abs, maximum and max.
     */
    public static Tensor awayFromKinks(long seed, int... dims) {
        Rng rng = new Rng(seed);
        int n = dsb4j.engine.tensor.Shape.of(dims).numel();
        double[] v = new double[n];
        // A shuffled grid of distinct magnitudes with jitter, then random signs.
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        rng.shuffle(perm);
        for (int i = 0; i < n; i++) {
            double mag = 0.1 + 1.5 * (perm[i] + 0.25 + 0.5 * rng.nextDouble()) / n;
            v[i] = rng.nextDouble() < 0.5 ? -mag : mag;
        }
        return Tensor.of(B, v, dims);
    }

    /** F64 N(0, 1) values. */
    public static Tensor normal(long seed, int... dims) {
        return Tensor.randn(B, DType.F64, new Rng(seed), dims);
    }

    // ---- the check -----------------------------------------------------------------------------------------

    /**
     * Checks every input's gradient; {@code name} labels failures. Three reverse passes, each against the
     * same central differences, feed the output's gradient to f's last op in three layouts:
     * <ol>
     *   <li>{@code L = sum(w ⊙ y)}: a packed upstream gradient;</li>
     *   <li>{@code L = sum(permute(concat(0, 0, y)) ⊙ permute(concat(0, ·, w)))}: the same loss, but the
     *       upstream gradient arrives as a permuted view with a storage offset (rank ≥ 1);</li>
     *   <li>{@code L = sum(y)}: the upstream gradient is a stride-0 broadcast of ones.</li>
     * </ol>
     * It also checks that f gives the same values on the inputs as given (views) and on packed copies.
     */
    public static void check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs) assertEquals(DType.F64, t.dtype(), name + ": gradient checks run in F64");
        Tensor[] packed = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) packed[i] = Tensor.of(B, inputs[i].toDoubles(), inputs[i].dims());

        Tensor[] leaves = leaves(inputs);
        Tensor y = f.apply(leaves);
        assertEquals(DType.F64, y.dtype(), name + ": output dtype");
        assertTrue(y.requiresGrad(), name + ": the output records no graph");
        Tensor yPacked;
        try (var ignored = NoGrad.enter()) { yPacked = f.apply(packed); }
        assertEquals(yPacked.shape(), y.shape(), name + ": output shape on views vs packed inputs");
        assertArrayEquals(yPacked.toDoubles(), y.toDoubles(), 1e-12, name + ": output values on views vs packed inputs");

        Tensor w = Tensor.randn(B, DType.F64, new Rng(0x5EED ^ name.hashCode()), y.dims());
        double[] wv = w.toDoubles(), ones = new double[wv.length];
        Arrays.fill(ones, 1.0);
        double[][][] numeric = new double[inputs.length][][];
        for (int i = 0; i < inputs.length; i++) numeric[i] = numericGradient(f, packed, i, wv, ones);

        // 1: packed upstream.
        compare(name + " [packed upstream]", inputs, leaves, y.mul(w).sum().backward(), numeric, 0);
        // 2: permuted upstream with an offset, same loss.
        if (y.rank() >= 1) {
            Tensor[] l2 = leaves(inputs);
            Tensor y2 = f.apply(l2);
            int[] rev = new int[y2.rank()];
            for (int a = 0; a < rev.length; a++) rev[a] = rev.length - 1 - a;
            Tensor c = Tensor.concat(0, y2.zerosLike(), y2).permute(rev);
            Tensor cw = Tensor.concat(0, normal(7, y2.dims()), w).permute(rev);
            compare(name + " [permuted, offset upstream]", inputs, l2, c.mul(cw).sum().backward(), numeric, 0);
        }
        // 3: broadcast upstream.
        Tensor[] l3 = leaves(inputs);
        compare(name + " [broadcast upstream]", inputs, l3, f.apply(l3).sum().backward(), numeric, 1);
    }

    private static Tensor[] leaves(Tensor[] inputs) {
        Tensor[] leaves = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) leaves[i] = inputs[i].requiringGrad();
        return leaves;
    }

    private static void compare(String name, Tensor[] inputs, Tensor[] leaves, Gradients grads, double[][][] numeric, int which) {
        for (int i = 0; i < inputs.length; i++) {
            double[] num = numeric[i][which];
            Tensor g = grads.get(leaves[i]);
            if (g == null) {
                for (int j = 0; j < num.length; j++)
                    assertTrue(Math.abs(num[j]) <= ATOL, name + ": input " + i + " got no gradient but d/dx[" + j + "] = " + num[j]);
                continue;
            }
            assertEquals(inputs[i].shape(), g.shape(), name + ": gradient shape of input " + i);
            assertEquals(DType.F64, g.dtype(), name + ": gradient dtype of input " + i);
            double[] analytic = g.toDoubles();
            for (int j = 0; j < num.length; j++) {
                double a = analytic[j], n = num[j];
                if (!(Math.abs(a - n) <= ATOL + RTOL * Math.abs(n)))
                    fail(name + ": input " + i + " " + inputs[i].shape() + " element " + j + ": analytic " + a
                            + " vs numeric " + n + "\n  analytic " + Arrays.toString(analytic)
                            + "\n  numeric  " + Arrays.toString(num));
            }
        }
    }

    /** Single-input shorthand. */
    public static void check(String name, Function<Tensor, Tensor> f, Tensor x) {
        check(name, (Function<Tensor[], Tensor>) xs -> f.apply(xs[0]), x);
    }

    /** d(w·y)/dx and d(ones·y)/dx for every element of input {@code which}, from one pair of evaluations each. */
    private static double[][] numericGradient(Function<Tensor[], Tensor> f, Tensor[] packed, int which, double[] w, double[] ones) {
        Tensor[] args = packed.clone();
        double[] base = packed[which].toDoubles();
        int[] dims = packed[which].dims();
        double[][] out = new double[2][base.length];
        try (var ignored = NoGrad.enter()) {
            for (int j = 0; j < base.length; j++) {
                double[] v = base.clone();
                v[j] = base[j] + H;
                args[which] = Tensor.of(B, v, dims);
                double[] plus = f.apply(args).toDoubles();
                v[j] = base[j] - H;
                args[which] = Tensor.of(B, v, dims);
                double[] minus = f.apply(args).toDoubles();
                out[0][j] = (dot(plus, w) - dot(minus, w)) / (2 * H);
                out[1][j] = (dot(plus, ones) - dot(minus, ones)) / (2 * H);
            }
        }
        return out;
    }

    private static double dot(double[] y, double[] w) {
        double s = 0;
        for (int i = 0; i < y.length; i++) s += y[i] * w[i];
        return s;
    }
}
