package dsb4j.bridge.eval;

import java.util.Arrays;

/**
 * Exact linear assignment (minimum-cost perfect matching of rows to columns) by shortest augmenting paths with
 * dual potentials, the Jonker–Volgenant form of the Hungarian method: one Dijkstra search per row over reduced
 * costs {@code c[i][j] − u[i] − v[j]} (kept ≥ 0 on every edge out of an assigned row), then one augmentation.
 * Square problems start from a column reduction (v[j] = min_i c[i][j], each column matched to its cheapest row
 * where that row is free), so only the remaining rows are searched. O(n²·m) time in the worst case, O(n + m)
 * extra memory, all in double; the search loops allocate nothing.
 */
public final class Assignment {
    private Assignment() {}

    /**
     * The assignment of least total cost: {@code result[i]} is the column given to row i, all distinct, so that
     * Σᵢ cost[i][result[i]] is minimal. The matrix is normally square (n × n: a permutation); n × m with n ≤ m
     * is also accepted (each row gets its own column, m − n columns stay unused). n = 0 gives an empty array.
     * Entries may be negative but must be finite.
     *
     * @throws IllegalArgumentException for a null or ragged matrix, more rows than columns, or a NaN/infinite entry
     */
    public static int[] solve(double[][] cost) {
        if (cost == null) throw new IllegalArgumentException("Assignment.solve: cost matrix is null");
        int n = cost.length;
        if (n == 0) return new int[0];
        if (cost[0] == null) throw new IllegalArgumentException("Assignment.solve: row 0 is null");
        int m = cost[0].length;
        for (int i = 0; i < n; i++) {
            double[] row = cost[i];
            if (row == null) throw new IllegalArgumentException("Assignment.solve: row " + i + " is null");
            if (row.length != m)
                throw new IllegalArgumentException("Assignment.solve: row " + i + " has " + row.length + " entries, row 0 has " + m);
            for (int j = 0; j < m; j++)
                if (!Double.isFinite(row[j]))
                    throw new IllegalArgumentException("Assignment.solve: entry (" + i + ", " + j + ") is " + row[j]);
        }
        if (n > m)
            throw new IllegalArgumentException("Assignment.solve: " + n + " × " + m + " cost matrix has more rows than columns");

        double[] u = new double[n], v = new double[m];   // dual potentials of rows and columns
        double[] dist = new double[m];                   // shortest reduced distance from the free row to column j
        int[] colOfRow = new int[n], rowOfCol = new int[m];
        int[] pred = new int[m];                         // row from which column j was last reached
        int[] todo = new int[m];                         // columns not yet settled: todo[0 .. open)
        boolean[] rowSeen = new boolean[n], colSeen = new boolean[m];
        Arrays.fill(colOfRow, -1);
        Arrays.fill(rowOfCol, -1);
        if (n == m) reduceColumns(cost, v, colOfRow, rowOfCol, pred);

        for (int start = 0; start < n; start++) {
            if (colOfRow[start] >= 0) continue;          // matched by the column reduction
            Arrays.fill(dist, Double.POSITIVE_INFINITY);
            Arrays.fill(rowSeen, false);
            Arrays.fill(colSeen, false);
            for (int j = 0; j < m; j++) todo[j] = j;
            int open = m;
            int i = start, sink = -1;
            double reach = 0;                            // distance of the column settled last
            while (sink < 0) {
                rowSeen[i] = true;
                double[] row = cost[i];
                double base = reach - u[i];
                double best = Double.POSITIVE_INFINITY;
                int bestAt = -1;
                for (int k = 0; k < open; k++) {
                    int j = todo[k];
                    double r = base + row[j] - v[j];
                    if (r < dist[j]) { dist[j] = r; pred[j] = i; }
                    double dj = dist[j];
                    // on ties prefer an unassigned column: it ends the search at once
                    if (dj < best || (dj == best && rowOfCol[j] < 0)) { best = dj; bestAt = k; }
                }
                if (bestAt < 0 || !Double.isFinite(best))
                    throw new IllegalStateException("Assignment.solve: costs too large to compare (distance " + best + ")");
                reach = best;
                int j = todo[bestAt];
                todo[bestAt] = todo[--open];
                colSeen[j] = true;
                if (rowOfCol[j] < 0) sink = j; else i = rowOfCol[j];
            }
            // potentials: keep reduced costs >= 0 and 0 along the matching (and the new path)
            u[start] += reach;
            for (int r = 0; r < n; r++)
                if (rowSeen[r] && r != start) u[r] += reach - dist[colOfRow[r]];
            for (int j = 0; j < m; j++)
                if (colSeen[j]) v[j] -= reach - dist[j];
            // flip the path sink ← ... ← start
            for (int j = sink; ; ) {
                int r = pred[j];
                rowOfCol[j] = r;
                int prev = colOfRow[r];
                colOfRow[r] = j;
                if (r == start) break;
                j = prev;
            }
        }
        return colOfRow;
    }

    /**
     * Column reduction (square case only): v[j] = min over rows of cost[i][j], which makes all reduced costs ≥ 0
     * and makes the searches below blind to per-column constants (for squared distances, the ‖y_j‖² term that a
     * shift between the two clouds inflates). Each column is then matched to its cheapest row when that row is
     * still free, a set of tight edges that the searches start from. With more columns than rows this is not
     * allowed: unmatched columns must keep v = 0.
     */
    private static void reduceColumns(double[][] cost, double[] v, int[] colOfRow, int[] rowOfCol, int[] argmin) {
        int n = cost.length, m = v.length;
        System.arraycopy(cost[0], 0, v, 0, m);
        Arrays.fill(argmin, 0);
        for (int i = 1; i < n; i++) {
            double[] row = cost[i];
            for (int j = 0; j < m; j++) if (row[j] < v[j]) { v[j] = row[j]; argmin[j] = i; }
        }
        for (int j = 0; j < m; j++) {
            int i = argmin[j];
            if (colOfRow[i] < 0) { colOfRow[i] = j; rowOfCol[j] = i; }
        }
    }

    /** Σᵢ cost[i][assignment[i]], summed in row order. */
    public static double totalCost(double[][] cost, int[] assignment) {
        if (cost.length != assignment.length)
            throw new IllegalArgumentException("Assignment.totalCost: " + cost.length + " rows but " + assignment.length + " assigned");
        double s = 0;
        for (int i = 0; i < cost.length; i++) s += cost[i][assignment[i]];
        return s;
    }
}
