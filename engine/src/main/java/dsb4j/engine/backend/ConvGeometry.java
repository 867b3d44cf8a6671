package dsb4j.engine.backend;

/**
 * A 2-D sliding window over an NCHW tensor: kernel kh×kw, equal stride and zero padding on both axes.
 * im2col turns x [n, c, h, w] into columns [c·kh·kw, n, oh·ow] (the whole batch side by side per window row).
 */
public record ConvGeometry(int n, int c, int h, int w, int kh, int kw, int stride, int pad) {

    public int oh() { return (h + 2 * pad - kh) / stride + 1; }
    public int ow() { return (w + 2 * pad - kw) / stride + 1; }
    public int colRows() { return c * kh * kw; }
    public int colCols() { return oh() * ow(); }
}
