package dsb4j.examples;

/**
 * How to read and draw one image: C × H × W values (C = 1 grey or 3 RGB; channel planes, rows top to bottom)
 * whose range [lo, hi] maps linearly to levels 0…255, clamped. A non-finite value draws its pixel red, so a
 * diverged run shows at once.
 */
record ImageFormat(int channels, int height, int width, double lo, double hi) {

    /** Small images are scaled up by an integer factor until a cell is at least this many pixels (28 → ×2). */
    static final int MIN_CELL = 56;

    ImageFormat {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("images: need 1 (grey) or 3 (RGB) channels, got " + channels);
        if (height < 1 || width < 1 || (long) channels * height * width > Integer.MAX_VALUE)
            throw new IllegalArgumentException("images: cannot draw images of " + channels + " × " + height + " × " + width);
        if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo < hi))
            throw new IllegalArgumentException("images: need a finite value range lo < hi, got [" + lo + ", " + hi + "]");
    }

    /** Values per image, C·H·W. */
    int values() { return channels * height * width; }

    /** The integer zoom: by the longer side, so non-square images keep their aspect; 128 and larger stay ×1. */
    int scale() { return Math.max(1, Math.ceilDiv(MIN_CELL, Math.max(height, width))); }

    int cellWidth() { return width * scale(); }

    int cellHeight() { return height * scale(); }

    /** The 0xRRGGBB colour of pixel (row, col) of the image whose values start at {@code offset}. */
    int rgb(float[] v, int offset, int row, int col) {
        int plane = height * width, at = offset + row * width + col;
        if (channels == 1) {
            float p = v[at];
            if (!Float.isFinite(p)) return 0xFF0000;
            int g = level(p);
            return (g << 16) | (g << 8) | g;
        }
        float r = v[at], g = v[at + plane], b = v[at + 2 * plane];
        if (!Float.isFinite(r) || !Float.isFinite(g) || !Float.isFinite(b)) return 0xFF0000;
        return (level(r) << 16) | (level(g) << 8) | level(b);
    }

    private int level(float x) {
        return (int) Math.max(0, Math.min(255, Math.round((x - lo) * (255.0 / (hi - lo)))));
    }
}
