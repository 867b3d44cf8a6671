package dsb4j.examples;

import dsb4j.bridge.data.Points;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * Image pictures drawn with the JDK alone (ImageIO), for images of any C × H × W in any value range
 * ({@link ImageFormat}): a grid of samples, a grid of pairs "input | output", strips of chains from the prior end
 * to the data end, and the picture of a training iteration that stacks a grid over strips. A picture is a column
 * of blocks, each a caption line over rows of equal cells, centred. Small images are zoomed by an integer factor;
 * columns (and chain frames) are capped so that a picture stays within {@link #MAX_WIDTH} pixels.
 */
final class ImageGrid {
    private ImageGrid() {}

    static final int GAP = 2, PAIR_GAP = 8, MARGIN = 12, TEXT = 18, MAX_WIDTH = 1800, MAX_FRAMES = 16;
    private static final Color BACKGROUND = new Color(250, 250, 250);

    /** n images laid out (n, C, H, W), {@code columns} a row, under a caption (none when null). */
    static void write(Path png, float[] images, int n, int channels, int height, int width, double lo, double hi,
                      int columns, String caption) throws IOException {
        write(png, images, n, new ImageFormat(channels, height, width, lo, hi), columns, caption);
    }

    static void write(Path png, float[] images, int n, ImageFormat f, int columns, String caption) throws IOException {
        need(images, n, f, "images");
        render(png, List.of(samples(images, n, f, columns, Integer.MAX_VALUE).captioned(caption)));
    }

    /** n pairs side by side, input then output (each laid out (n, C, H, W)), {@code columns} pairs a row. */
    static void pairs(Path png, float[] inputs, float[] outputs, int n, ImageFormat f, int columns, String caption) throws IOException {
        need(inputs, n, f, "inputs");
        need(outputs, n, f, "outputs");
        int v = f.values();
        render(png, List.of(pairs(inputs, k -> k * v, outputs, k -> k * v, n, f, columns, Integer.MAX_VALUE).captioned(caption)));
    }

    /**
     * Strips of the first {@code strips} chains of (m, len, C, H, W) trajectories in chain order (index 0 = data
     * end, len − 1 = prior end), drawn prior end (left) to data end (right), every {@link #every}-th state.
     */
    static void chains(Path png, float[] trajectories, int m, int len, ImageFormat f, int strips, String caption) throws IOException {
        needChains(trajectories, m, len, f);
        render(png, List.of(chains(trajectories, m, len, f, strips).captioned(caption)));
    }

    /**
     * The picture of a training iteration: for generation a grid of up to 8 × 8 generated samples, for transport
     * up to 6 × 4 pairs (a chain's prior end | its data end); below, strips of 4 (transport 3) chains.
     * {@code title} starts the first caption, e.g. "mnist, IPF iteration 3 of 10".
     */
    static void iteration(Path png, String title, boolean transport, Points generated, float[] trajectories, int m, int len,
                          ImageFormat f) throws IOException {
        if (generated.d() != f.values())
            throw new IllegalArgumentException("images: generated points have d = " + generated.d() + ", images of " + f.channels()
                    + " × " + f.height() + " × " + f.width() + " need " + f.values());
        needChains(trajectories, m, len, f);
        int v = f.values();
        Block grid;
        String what;
        if (transport) {
            grid = pairs(trajectories, k -> (k * len + len - 1) * v, trajectories, k -> k * len * v, m, f, 4, 6);
            what = "pairs: input (prior end) | transported (backward chain)";
        } else {
            need(generated.data(), generated.n(), f, "generated");
            grid = samples(generated.data(), generated.n(), f, 8, 8);
            what = grid.count() + " generated samples (backward chain from the prior)";
        }
        String chains = String.format("chains, %s: prior end (left) → data end (right), N = %d", everyWords(every(len, f)), len - 1);
        render(png, List.of(grid.captioned(title + ": " + what), chains(trajectories, m, len, f, transport ? 3 : 4).captioned(chains)));
    }

    /** The stride of the chain strips: at most {@link #MAX_FRAMES} frames, and fewer where they would pass the width. */
    static int every(int len, ImageFormat f) {
        int most = Math.max(2, Math.min(MAX_FRAMES, fitColumns(Integer.MAX_VALUE, f.cellWidth())));
        return len <= 1 ? 1 : Math.ceilDiv(len - 1, most - 1);
    }

    /** Frames a strip shows: every {@code every}-th state from the prior end, and the data end always last. */
    static int frames(int len, int every) { return Math.ceilDiv(len - 1, every) + 1; }

    /** How many cells of this width fit side by side in {@link #MAX_WIDTH}, at most {@code wanted}, at least one. */
    static int fitColumns(int wanted, int cellWidth) {
        return Math.max(1, Math.min(wanted, (MAX_WIDTH - 2 * MARGIN + GAP) / (cellWidth + GAP)));
    }

    /** One block: {@code count} cells, {@code columns} a row, under a caption line (none when null). */
    private record Block(String caption, int count, int columns, int cellWidth, int cellHeight, Cell cell) {
        int rows() { return Math.ceilDiv(count, columns); }
        int width() { return Math.min(count, columns) * (cellWidth + GAP) - GAP; }
        int height() { return (caption == null ? 0 : TEXT) + rows() * (cellHeight + GAP) - GAP; }
        Block captioned(String text) { return new Block(text, count, columns, cellWidth, cellHeight, cell); }
    }

    /** Draws cell k with its top-left corner at (x, y). */
    private interface Cell { void draw(BufferedImage img, int k, int x, int y); }

    private static Block samples(float[] images, int n, ImageFormat f, int columns, int maxRows) {
        int cols = fitColumns(columns, f.cellWidth());
        // the iteration picture also keeps its grid about as high as it may be wide
        int rows = Math.min(maxRows, fitColumns(Integer.MAX_VALUE, f.cellHeight()));
        int count = (int) Math.min(n, (long) cols * rows);
        int v = f.values();
        return new Block(null, count, cols, f.cellWidth(), f.cellHeight(), (img, k, x, y) -> draw(img, f, images, k * v, x, y));
    }

    private static Block pairs(float[] in, IntUnaryOperator inAt, float[] out, IntUnaryOperator outAt, int n, ImageFormat f,
                               int columns, int maxRows) {
        int pairWidth = 2 * f.cellWidth() + GAP + PAIR_GAP;        // input, a hairline, output, then room before the next pair
        int cols = fitColumns(columns, pairWidth);
        int rows = Math.min(maxRows, fitColumns(Integer.MAX_VALUE, f.cellHeight()));
        int count = (int) Math.min(n, (long) cols * rows);
        return new Block(null, count, cols, pairWidth, f.cellHeight(), (img, k, x, y) -> {
            draw(img, f, in, inAt.applyAsInt(k), x, y);
            draw(img, f, out, outAt.applyAsInt(k), x + f.cellWidth() + GAP, y);
        });
    }

    private static Block chains(float[] tr, int m, int len, ImageFormat f, int strips) {
        int every = every(len, f), frames = frames(len, every), v = f.values();
        return new Block(null, Math.min(strips, m) * frames, frames, f.cellWidth(), f.cellHeight(), (img, k, x, y) -> {
            int index = Math.max(0, len - 1 - (k % frames) * every);                   // prior end first
            draw(img, f, tr, ((k / frames) * len + index) * v, x, y);
        });
    }

    private static String everyWords(int every) {
        return every == 1 ? "every state" : every == 2 ? "every second state" : "every " + every + "th state";
    }

    private static void render(Path png, List<Block> blocks) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int content = 0, height = MARGIN;
        for (Block b : blocks) {
            content = Math.max(content, b.width());
            height += b.height() + MARGIN;
        }
        int width = Math.max(content, captionWidth(blocks)) + 2 * MARGIN;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, width, height);
        int y = MARGIN;
        for (Block b : blocks) {
            int top = y + (b.caption() == null ? 0 : TEXT), x0 = (width - b.width()) / 2;
            for (int k = 0; k < b.count(); k++)
                b.cell().draw(img, k, x0 + (k % b.columns()) * (b.cellWidth() + GAP), top + (k / b.columns()) * (b.cellHeight() + GAP));
            y += b.height() + MARGIN;
        }
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.DARK_GRAY);
            g.setFont(font());
            y = MARGIN;
            for (Block b : blocks) {
                if (b.caption() != null) g.drawString(b.caption(), MARGIN, y + TEXT - 6);
                y += b.height() + MARGIN;
            }
        } catch (Throwable e) {
            // no fonts on this runtime: the picture without captions is still useful
        }
        g.dispose();
        PngFile.write(img, png);
    }

    /** The widest caption in pixels (so that a grid of a few small images does not cut it), 0 without fonts. */
    private static int captionWidth(List<Block> blocks) {
        try {
            Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
            var metrics = g.getFontMetrics(font());
            int w = 0;
            for (Block b : blocks) if (b.caption() != null) w = Math.max(w, metrics.stringWidth(b.caption()));
            g.dispose();
            return Math.min(w, MAX_WIDTH - 2 * MARGIN);
        } catch (Throwable e) {
            return 0;
        }
    }

    private static Font font() { return new Font(Font.SANS_SERIF, Font.PLAIN, 13); }

    /** One image whose values start at {@code offset}, zoomed by the format's scale, top-left at (x, y). */
    private static void draw(BufferedImage img, ImageFormat f, float[] v, int offset, int x, int y) {
        int s = f.scale();
        for (int r = 0; r < f.height(); r++)
            for (int c = 0; c < f.width(); c++) {
                int rgb = f.rgb(v, offset, r, c);
                for (int a = 0; a < s; a++)
                    for (int b = 0; b < s; b++) img.setRGB(x + c * s + b, y + r * s + a, rgb);
            }
    }

    private static void need(float[] v, int n, ImageFormat f, String what) {
        if (n < 1 || v.length < (long) n * f.values())
            throw new IllegalArgumentException("images: " + what + " hold " + v.length + " values, " + n + " images of " + f.channels()
                    + " × " + f.height() + " × " + f.width() + " need " + (long) n * f.values() + " (and n >= 1)");
    }

    private static void needChains(float[] tr, int m, int len, ImageFormat f) {
        if (m < 1 || len < 1 || tr.length != (long) m * len * f.values())
            throw new IllegalArgumentException("images: trajectories hold " + tr.length + " values, not (" + m + ", " + len + ", "
                    + f.channels() + ", " + f.height() + ", " + f.width() + ")");
    }
}
