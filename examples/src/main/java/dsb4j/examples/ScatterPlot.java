package dsb4j.examples;

import dsb4j.bridge.data.Points;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Generated points over target points, with a few generation trajectories from the prior end to the data end:
 * for d = 2 the coordinates themselves; for d > 2 their projection onto the target's first two principal
 * components ({@link Projection}); for d = 1 the two densities ({@link DensityPlot}).
 */
final class ScatterPlot {
    private ScatterPlot() {}

    /** At most this many trajectories are drawn: more hide the points. */
    static final int TRAJECTORIES = 12;

    /** {@code trajectories} are laid out (m, len, d) in chain order (index 0 = data end, len − 1 = prior end). */
    static void write(Path png, String title, Points generated, Points target, float[] trajectories, int m, int len) throws IOException {
        int d = target.d();
        if (generated.d() != d || trajectories.length != (long) m * len * d)
            throw new IllegalArgumentException("scatter: generated " + generated + ", target " + target + " and " + trajectories.length
                    + " trajectory values for (" + m + ", " + len + ", " + d + ") do not match");
        if (d == 1) {
            DensityPlot.write(png, title, generated, target);
            return;
        }
        Points paths = new Points(m * len, d, trajectories);
        if (d == 2) {
            draw(png, title, "x1", "x2", generated, target, paths, m, len);
            return;
        }
        Projection p = Projection.principal(target);
        draw(png, title, p.axisTitle(0), p.axisTitle(1), p.apply(generated), p.apply(target), p.apply(paths), m, len);
    }

    /** The 2-D picture; {@code paths} holds the trajectories as m·len points of d = 2. */
    private static void draw(Path png, String title, String xTitle, String yTitle, Points generated, Points target, Points paths,
                             int m, int len) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(760).height(760).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        var st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotGridLinesVisible(false);
        st.setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        st.setMarkerSize(3);

        XYSeries t = chart.addSeries("target (data end)", column(target, 0), column(target, 1));
        t.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        t.setMarker(SeriesMarkers.CIRCLE);
        t.setMarkerColor(new Color(160, 160, 160, 110));

        XYSeries g = chart.addSeries("generated (backward chain)", column(generated, 0), column(generated, 1));
        g.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        g.setMarker(SeriesMarkers.CIRCLE);
        g.setMarkerColor(new Color(31, 90, 200, 150));

        int shown = Math.min(m, TRAJECTORIES);
        for (int i = 0; i < shown; i++) {
            double[] xs = new double[len], ys = new double[len];
            for (int k = 0; k < len; k++) {
                xs[k] = paths.data()[(i * len + k) * 2];
                ys[k] = paths.data()[(i * len + k) * 2 + 1];
            }
            XYSeries s = chart.addSeries(i == 0 ? "trajectories (prior end → data end)" : "trajectory " + i, xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(new Color(220, 80, 30, 170));
            s.setLineStyle(new BasicStroke(1.0f));
            s.setShowInLegend(i == 0);
        }
        PngFile.write(BitmapEncoder.getBufferedImage(chart), png);
    }

    private static double[] column(Points p, int j) {
        double[] out = new double[p.n()];
        for (int i = 0; i < p.n(); i++) out[i] = p.data()[i * p.d() + j];
        return out;
    }
}
