package dsb4j.engine.backend.cuda;

import dsb4j.engine.tensor.Layout;

/**
 * How one reduction runs: x's axes split into the kept ones ({@code outer}: output o is row-major over them,
 * so the output is packed) and the reduced ones ({@code inner}), each merged where possible; and which of the
 * two kernel shapes runs it. A block per output suits long contiguous runs (or too few outputs to fill the
 * GPU); a thread per output suits everything else, e.g. summing over a leading axis, where neighbouring
 * threads read neighbouring elements.
 */
record ReducePlan(Strided outer, Strided inner, boolean perBlock, int block) {

    static ReducePlan of(Layout xl, boolean[] reduced, int multiprocessors, int maxBlock) {
        int[] dims = xl.shape().dims(), strides = xl.strides();
        int kept = 0;
        for (boolean r : reduced) if (!r) kept++;
        int[] od = new int[kept], os = new int[kept], id = new int[dims.length - kept], is = new int[dims.length - kept];
        for (int ax = 0, o = 0, i = 0; ax < dims.length; ax++) {
            if (reduced[ax]) { id[i] = dims[ax]; is[i++] = strides[ax]; }
            else { od[o] = dims[ax]; os[o++] = strides[ax]; }
        }
        Strided outer = Strided.of(od, new int[][]{os}, new int[]{xl.offset()});
        Strided inner = Strided.of(id, new int[][]{is}, new int[]{0});
        int nOut = outer.numel(), nIn = inner.numel();
        int[] innerStrides = inner.strides()[0];
        boolean unit = innerStrides.length > 0 && innerStrides[innerStrides.length - 1] == 1;
        boolean perBlock = nIn >= 64 && (unit || nOut <= 4 * multiprocessors);
        int block = perBlock ? Math.min(maxBlock, Integer.highestOneBit(nIn - 1) << 1) : maxBlock;
        return new ReducePlan(outer, inner, perBlock, block);
    }

    int outputs() { return outer.numel(); }
    int inputsPerOutput() { return inner.numel(); }
}
