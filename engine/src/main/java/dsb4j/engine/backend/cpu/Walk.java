package dsb4j.engine.backend.cpu;

import dsb4j.engine.tensor.Layout;

/**
 * Up to three layouts over one shape (operand 0 is the output), simplified for looping: size-1 axes dropped
 * and neighbouring axes merged wherever every operand allows it, so a contiguous tensor, a bias row
 * [B,N]+[N], a column [B,N]+[B,1] or a scalar broadcast each become one or two axes. The kernels then
 * see rows: an offset per operand and a length, with the innermost strides fixed for the whole walk.
 */
final class Walk {
    /** Simplified dims (rank ≥ 1; a scalar becomes [1]). */
    final int[] dims;
    /** st[k][axis]: operand k's stride. */
    final int[][] st;
    final int[] base;

    /** One row of the walk: offsets of operands 0, 1, 2 (0 when absent) and the row length. */
    @FunctionalInterface
    interface Row {
        void run(int o0, int o1, int o2, int len);
    }

    Walk(Layout... layouts) {
        int ops = layouts.length;
        int rank = layouts[0].rank();
        int[] d = layouts[0].shape().dims();
        int[][] s = new int[ops][];
        base = new int[3];
        for (int k = 0; k < ops; k++) {
            s[k] = layouts[k].strides();
            base[k] = layouts[k].offset();
        }
        // Drop size-1 axes, then merge axis a into the axis kept before it when all strides line up.
        int[] nd = new int[Math.max(rank, 1)];
        int[][] ns = new int[3][Math.max(rank, 1)];
        int r = 0;
        for (int a = 0; a < rank; a++) {
            if (d[a] == 1) continue;
            boolean merge = r > 0;
            for (int k = 0; k < ops && merge; k++) merge = ns[k][r - 1] == s[k][a] * d[a];
            if (merge) {
                nd[r - 1] *= d[a];
                for (int k = 0; k < ops; k++) ns[k][r - 1] = s[k][a];
            } else {
                nd[r] = d[a];
                for (int k = 0; k < ops; k++) ns[k][r] = s[k][a];
                r++;
            }
        }
        if (r == 0 || layouts[0].numel() == 0) {     // a single element, or nothing at all
            nd[0] = layouts[0].numel() == 0 ? 0 : 1;
            r = 1;
        }
        dims = java.util.Arrays.copyOf(nd, r);
        st = new int[3][];
        for (int k = 0; k < 3; k++) st[k] = java.util.Arrays.copyOf(ns[k], r);
    }

    int rank() { return dims.length; }
    int inner() { return dims[dims.length - 1]; }
    int innerStride(int k) { return st[k][dims.length - 1]; }

    int numel() {
        int n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    /** Calls row for every row segment, in parallel chunks of the flat index range when there is enough work. */
    void run(java.util.concurrent.ForkJoinPool pool, Row row) {
        Parallel.forRange(pool, numel(), 1, (lo, hi) -> rows(lo, hi, row));
    }

    /** Calls row for every row segment covering the logical elements [lo, hi), in order. */
    void rows(int lo, int hi, Row row) {
        if (lo >= hi) return;
        int r = dims.length, inner = dims[r - 1];
        int[] idx = new int[r];
        int rowIndex = lo / inner, col = lo % inner;
        // Offsets of the current row's start, from its multi-index over the outer axes.
        int s0 = base[0], s1 = base[1], s2 = base[2];
        for (int a = r - 2; a >= 0; a--) {
            int i = rowIndex % dims[a];
            rowIndex /= dims[a];
            idx[a] = i;
            s0 += i * st[0][a]; s1 += i * st[1][a]; s2 += i * st[2][a];
        }
        int[] st0 = st[0], st1 = st[1], st2 = st[2];
        int at = lo;
        while (true) {
            int len = Math.min(inner - col, hi - at);
            row.run(s0 + col * st0[r - 1], s1 + col * st1[r - 1], s2 + col * st2[r - 1], len);
            at += len;
            if (at >= hi) return;
            col = 0;
            for (int a = r - 2; a >= 0; a--) {                 // odometer over the outer axes
                if (++idx[a] < dims[a]) {
                    s0 += st0[a]; s1 += st1[a]; s2 += st2[a];
                    break;
                }
                s0 -= st0[a] * (dims[a] - 1); s1 -= st1[a] * (dims[a] - 1); s2 -= st2[a] * (dims[a] - 1);
                idx[a] = 0;
            }
        }
    }
}
