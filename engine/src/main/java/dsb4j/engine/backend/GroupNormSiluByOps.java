package dsb4j.engine.backend;

import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;

/**
 * {@link Backend#groupNormSilu} and its gradient from the other primitives, the backends' default and the
 * scalar definition the fused kernels are tested against: one primitive per arithmetic step, the statistics
 * by two reductions (mean, then the mean square of x − mean).
 */
public final class GroupNormSiluByOps {
    private GroupNormSiluByOps() {}

    public static void forward(Backend be, GroupNormShape s, Storage x, Storage a, Storage b, Storage y, Storage stats) {
        Views v = new Views(s);
        Storage xhat = be.allocateUninitialized(x.dtype(), s.numel()), t = be.allocateUninitialized(x.dtype(), s.numel());
        normalise(be, s, v, x, stats, xhat, t, true);
        be.binary(BinaryOp.MUL, xhat, v.nca, a, v.perChannel, t, v.nca);
        be.binary(BinaryOp.ADD, t, v.nca, b, v.perChannel, xhat, v.nca);
        be.unary(UnaryOp.SILU, 0, xhat, v.nca, y, v.nca);
    }

    /** dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) per group with g = dy·silu'(u)·a, u = x̂·a + b; da = Σ dy·silu'(u)·x̂, db = Σ dy·silu'(u). */
    public static void grad(Backend be, GroupNormShape s, Storage x, Storage stats, Storage a, Storage b, Storage dy,
                            Storage dx, Storage da, Storage db) {
        Views v = new Views(s);
        int size = s.numel();
        Storage xhat = be.allocateUninitialized(x.dtype(), size), t = be.allocateUninitialized(x.dtype(), size);
        Storage du = be.allocateUninitialized(x.dtype(), size), g = be.allocateUninitialized(x.dtype(), size);
        normalise(be, s, v, x, stats, xhat, t, false);
        be.binary(BinaryOp.MUL, xhat, v.nca, a, v.perChannel, t, v.nca);
        be.binary(BinaryOp.ADD, t, v.nca, b, v.perChannel, g, v.nca);             // g holds u for now
        be.unary(UnaryOp.SILU_DERIV, 0, g, v.nca, t, v.nca);
        be.binary(BinaryOp.MUL, dy, v.nca, t, v.nca, du, v.nca);
        boolean[] overArea = {false, false, true}, overGroup = {false, true};
        be.reduce(ReduceOp.SUM, du, v.nca, overArea, db);
        be.binary(BinaryOp.MUL, du, v.nca, xhat, v.nca, t, v.nca);
        be.reduce(ReduceOp.SUM, t, v.nca, overArea, da);
        be.binary(BinaryOp.MUL, du, v.nca, a, v.perChannel, g, v.nca);
        Storage m1 = groupMean(be, s, v, g), m2;
        be.binary(BinaryOp.MUL, g, v.grouped, xhat, v.grouped, t, v.grouped);
        m2 = groupMean(be, s, v, t);
        be.binary(BinaryOp.MUL, xhat, v.grouped, m2, v.perGroup(0), t, v.grouped);
        be.binary(BinaryOp.SUB, g, v.grouped, t, v.grouped, du, v.grouped);
        be.binary(BinaryOp.SUB, du, v.grouped, m1, v.perGroup(0), t, v.grouped);
        be.binary(BinaryOp.MUL, t, v.grouped, stats, v.perGroup(s.count()), dx, v.grouped);
    }

    /**
     * Layouts of x as [n·groups, groupSize] and [n, channels, area], of a per-group column [n·groups, 1], and of
     * per-group and per-channel vectors broadcast over x.
     */
    private record Views(Layout grouped, Layout nca, Layout column, Layout perChannel) {
        Views(GroupNormShape s) {
            this(Layout.contiguous(Shape.of(s.count(), s.groupSize())),
                    Layout.contiguous(Shape.of(s.n(), s.channels(), s.area())),
                    Layout.contiguous(Shape.of(s.count(), 1)),
                    Layout.contiguous(Shape.of(s.n(), s.channels(), 1)).broadcastTo(Shape.of(s.n(), s.channels(), s.area())));
        }

        /** The per-group column starting at {@code offset}. */
        Layout columnAt(int offset) {
            return new Layout(column.shape(), new int[]{1, 1}, offset);
        }

        /** A vector of n·groups values starting at {@code offset}, broadcast over each group's elements. */
        Layout perGroup(int offset) {
            return columnAt(offset).broadcastTo(grouped.shape());
        }
    }

    /**
     * xhat = (x − mean)·rstd; with {@code store}, mean and rstd go to stats[0, count) and stats[count, 2·count),
     * else they are read from there. t is scratch.
     */
    private static void normalise(Backend be, GroupNormShape s, Views v, Storage x, Storage stats, Storage xhat, Storage t, boolean store) {
        int count = s.count();
        if (store) be.copy(groupMean(be, s, v, x), v.column, stats, v.column);
        be.binary(BinaryOp.SUB, x, v.grouped, stats, v.perGroup(0), t, v.grouped);
        if (store) {
            be.unary(UnaryOp.SQUARE, 0, t, v.grouped, xhat, v.grouped);          // xhat holds the squares for now
            Storage var = groupMean(be, s, v, xhat), r = be.allocateUninitialized(x.dtype(), count);
            be.unary(UnaryOp.ADD_SCALAR, s.eps(), var, v.column, r, v.column);
            be.unary(UnaryOp.SQRT, 0, r, v.column, var, v.column);
            be.unary(UnaryOp.RECIPROCAL, 0, var, v.column, stats, v.columnAt(count));
        }
        be.binary(BinaryOp.MUL, t, v.grouped, stats, v.perGroup(count), xhat, v.grouped);
    }

    /** The mean of each group of z [n·groups, groupSize] as a fresh vector of n·groups values. */
    private static Storage groupMean(Backend be, GroupNormShape s, Views v, Storage z) {
        Storage sum = be.allocateUninitialized(z.dtype(), s.count()), mean = be.allocateUninitialized(z.dtype(), s.count());
        be.reduce(ReduceOp.SUM, z, v.grouped, new boolean[]{false, true}, sum);
        be.unary(UnaryOp.MUL_SCALAR, 1.0 / s.groupSize(), sum, v.column, mean, v.column);
        return mean;
    }
}
