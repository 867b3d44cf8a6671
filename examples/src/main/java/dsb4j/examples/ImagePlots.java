package dsb4j.examples;

import dsb4j.dsb.data.Points;
import dsb4j.dsb.train.TrainConfig;
import dsb4j.engine.Tensor;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The picture of an IPF iteration of an image preset, drawn with the JDK's ImageIO: for generation an 8×8 grid
 * of generated samples, for transport a grid of pairs (input from the prior end | transported image); below,
 * strips of a few chains from the prior end (left) to the data end (right), every second state. Pixels in
 * [−1, 1] map to grey levels 0…255 (white digits on black, as in MNIST).
 */
final class ImagePlots {
    private ImagePlots() {}

    static final int SIDE = 28, SCALE = 2, CELL = SIDE * SCALE, GAP = 2, MARGIN = 12, TEXT = 18;

    static void write(Path png, TrainConfig c, int ipf, Points generated, Tensor trajectories) throws Exception {
        System.setProperty("java.awt.headless", "true");
        boolean transport = c.preset.transport();
        // trajectories [m, N+1, 1, 28, 28] in chain order (index 0 = data end, N = prior end)
        float[] tr = trajectories.toFloats();
        int m = trajectories.dim(0), len = trajectories.dim(1), px = SIDE * SIDE;
        int every = len > 16 ? 2 : 1;
        int frames = (len - 1) / every + 1;
        int strips = Math.min(transport ? 3 : 4, m);
        int stripWidth = frames * (CELL + GAP) - GAP;

        int gridCols, gridRows;
        if (transport) { gridCols = 4; gridRows = Math.min(6, (m + 3) / 4); }
        else { gridCols = 8; gridRows = Math.min(8, (generated.n() + 7) / 8); }
        int cellW = transport ? 2 * CELL + GAP + 8 : CELL;          // a pair: input, small gap, transported
        int gridWidth = gridCols * (cellW + GAP) - GAP;
        int width = Math.max(gridWidth, stripWidth) + 2 * MARGIN;
        int gridHeight = gridRows * (CELL + GAP) - GAP;
        int height = MARGIN + TEXT + gridHeight + MARGIN + TEXT + strips * (CELL + GAP) + MARGIN;

        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(250, 250, 250));
        g.fillRect(0, 0, width, height);
        int y = MARGIN + TEXT;
        int x0 = (width - gridWidth) / 2;
        if (transport) {
            for (int k = 0; k < gridRows * gridCols && k < m; k++) {
                int x = x0 + (k % gridCols) * (cellW + GAP), yy = y + (k / gridCols) * (CELL + GAP);
                drawImage(img, tr, (k * len + (len - 1)) * px, x, yy);                 // input: prior end
                drawImage(img, tr, (k * len) * px, x + CELL + GAP, yy);                // transported: data end
            }
        } else {
            float[] gen = generated.data();
            for (int k = 0; k < gridRows * gridCols && k < generated.n(); k++)
                drawImage(img, gen, k * px, x0 + (k % gridCols) * (CELL + GAP), y + (k / gridCols) * (CELL + GAP));
        }
        int stripsTop = y + gridHeight + MARGIN + TEXT;
        int sx0 = (width - stripWidth) / 2;
        for (int s = 0; s < strips; s++)
            for (int f = 0; f < frames; f++) {
                int index = len - 1 - f * every;                                          // prior end first
                drawImage(img, tr, (s * len + index) * px, sx0 + f * (CELL + GAP), stripsTop + s * (CELL + GAP));
            }
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            String what = transport ? "pairs: Fashion-MNIST input | transported (backward chain)" : gridRows * gridCols + " generated samples (backward chain from the prior)";
            g.drawString(String.format("%s, IPF iteration %d of %d: %s", c.preset.name(), ipf, c.ipfIters, what), MARGIN, MARGIN + 12);
            g.drawString(String.format("chains, every %s state: prior end (left) → data end (right), N = %d", every == 2 ? "second" : "", len - 1),
                    MARGIN, stripsTop - 6);
        } catch (Throwable e) {
            // no fonts on this runtime: the picture without captions is still useful
        }
        g.dispose();
        Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
        if (!ImageIO.write(img, "png", tmp.toFile())) throw new IllegalStateException("no PNG writer in this runtime");
        Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** One 28×28 image of values in [−1, 1] starting at {@code off}, scaled by {@link #SCALE}, top-left at (x, y). */
    private static void drawImage(BufferedImage img, float[] v, int off, int x, int y) {
        for (int r = 0; r < SIDE; r++)
            for (int col = 0; col < SIDE; col++) {
                float p = v[off + r * SIDE + col];
                int grey = Float.isFinite(p) ? Math.max(0, Math.min(255, Math.round((p + 1) * 127.5f))) : 255;
                int rgb = Float.isFinite(p) ? (grey << 16) | (grey << 8) | grey : 0xFF0000;   // red marks NaN
                for (int a = 0; a < SCALE; a++)
                    for (int b = 0; b < SCALE; b++) img.setRGB(x + col * SCALE + b, y + r * SCALE + a, rgb);
            }
    }
}
