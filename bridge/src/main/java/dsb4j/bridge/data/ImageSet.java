package dsb4j.bridge.data;

import java.util.Arrays;

/**
 * Labelled images of one size: n images of channels × rows × cols held as points (d = c·h·w, pixels in
 * [−1, 1], row-major as in the IDX file) with one class label each, in file order.
 */
public record ImageSet(String name, Points images, int[] labels, int channels, int rows, int cols) {

    public ImageSet {
        if (channels < 1 || rows < 1 || cols < 1)
            throw new IllegalArgumentException("ImageSet '" + name + "': bad image size " + channels + "×" + rows + "×" + cols);
        if ((long) channels * rows * cols != images.d())
            throw new IllegalArgumentException("ImageSet '" + name + "': images of d = " + images.d() + " are not " + channels + "×" + rows + "×" + cols);
        if (labels.length != images.n())
            throw new IllegalArgumentException("ImageSet '" + name + "': " + images.n() + " images but " + labels.length + " labels");
    }

    /** Grey 28×28 images as read from an IDX pair. */
    public static ImageSet of(String name, IdxReader.Labelled l) {
        return new ImageSet(name, l.images(), l.labels(), 1, l.rows(), l.cols());
    }

    public int n() { return images.n(); }

    /** The shape of one image as a tensor item: {c, h, w}. */
    public int[] itemShape() { return new int[]{channels, rows, cols}; }

    /** Images [from, to) with their labels, named {@code name[from:to]}. */
    public ImageSet slice(int from, int to) {
        return new ImageSet(name + "[" + from + ":" + to + "]", images.slice(from, to), Arrays.copyOfRange(labels, from, to),
                channels, rows, cols);
    }

    /** The first {@code count} images (all when there are fewer). */
    public ImageSet head(int count) { return count >= n() ? this : slice(0, count); }

    /** How many images carry each label 0 … classes−1 (labels outside the range are not counted). */
    public int[] classCounts(int classes) {
        int[] c = new int[classes];
        for (int l : labels) if (l >= 0 && l < classes) c[l]++;
        return c;
    }

    /** The empirical law of these images (uniform draws with replacement) as a data source of item shape c×h×w. */
    public DataSource source() { return new ShapedSource(new EmpiricalSource(name, images), itemShape()); }

    @Override public String toString() { return "ImageSet(" + name + ", " + n() + " × " + channels + "×" + rows + "×" + cols + ")"; }
}
