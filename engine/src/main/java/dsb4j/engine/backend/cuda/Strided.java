package dsb4j.engine.backend.cuda;

import java.util.Arrays;

/**
 * The layouts of one launch's operands over a common shape, packed for the kernels' {@code Dims} and
 * {@code Strides} arguments (rank at most 8). Size-1 axes are dropped and neighbouring axes merged wherever
 * every operand allows it, so packed tensors become rank 1 and the index arithmetic on the device shrinks.
 */
record Strided(int numel, int[] dims, int[][] strides, int[] offsets) {
    static final int MAX_RANK = 8;

    /** Merges the axes of {@code dims} for operands with the given strides and offsets. */
    static Strided of(int[] dims, int[][] strides, int[] offsets) {
        int ops = strides.length, numel = 1;
        for (int d : dims) numel *= d;
        int[] md = new int[dims.length];
        int[][] ms = new int[ops][dims.length];
        int r = 0;
        for (int a = 0; a < dims.length; a++) {
            if (dims[a] == 1) continue;
            boolean merge = r > 0;
            for (int o = 0; o < ops && merge; o++) merge = ms[o][r - 1] == strides[o][a] * dims[a];
            if (merge) {
                md[r - 1] *= dims[a];
                for (int o = 0; o < ops; o++) ms[o][r - 1] = strides[o][a];
            } else {
                md[r] = dims[a];
                for (int o = 0; o < ops; o++) ms[o][r] = strides[o][a];
                r++;
            }
        }
        if (r > MAX_RANK)
            throw new UnsupportedOperationException("cuda: a layout of rank " + r + " after merging axes (dims "
                    + Arrays.toString(dims) + ") exceeds the kernels' limit of " + MAX_RANK);
        int[][] outS = new int[ops][];
        for (int o = 0; o < ops; o++) outS[o] = Arrays.copyOf(ms[o], r);
        return new Strided(numel, Arrays.copyOf(md, r), outS, offsets.clone());
    }

    /** The kernels' {@code struct Dims { int rank; int d[8]; }}. */
    int[] dimsStruct() {
        int[] s = new int[1 + MAX_RANK];
        s[0] = dims.length;
        System.arraycopy(dims, 0, s, 1, dims.length);
        return s;
    }

    /** The kernels' {@code struct Strides { int offset; int s[8]; }} of operand {@code o}. */
    int[] stridesStruct(int o) { return stridesStruct(offsets[o], strides[o]); }

    static int[] stridesStruct(int offset, int[] strides) {
        int[] s = new int[1 + MAX_RANK];
        s[0] = offset;
        System.arraycopy(strides, 0, s, 1, strides.length);
        return s;
    }
}
