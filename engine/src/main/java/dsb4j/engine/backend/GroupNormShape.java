package dsb4j.engine.backend;

/**
 * The geometry of a group normalisation: n images of {@code channels} planes of {@code area} elements each,
 * normalised over {@code groups} groups of channels per image, with eps added to the variance.
 */
public record GroupNormShape(int n, int channels, int groups, int area, double eps) {

    public GroupNormShape {
        if (n < 0 || channels < 1 || groups < 1 || channels % groups != 0 || area < 1)
            throw new IllegalArgumentException("group norm over " + channels + " channels in " + groups + " groups, n " + n + ", area " + area);
    }

    /** Normalised groups in the batch: n · groups. */
    public int count() { return n * groups; }

    /** Elements per group: channels / groups · area. */
    public int groupSize() { return channels / groups * area; }

    /** Elements of x: n · channels · area. */
    public int numel() { return n * channels * area; }
}
