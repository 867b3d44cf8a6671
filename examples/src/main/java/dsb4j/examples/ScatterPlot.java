package dsb4j.examples;

import dsb4j.dsb.data.Points;
import dsb4j.dsb.train.TrainConfig;
import dsb4j.engine.Tensor;
import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** 2-D samples over the target, with a few generation trajectories from the prior end to the data end. */
final class ScatterPlot {
    private ScatterPlot() {}

    static void write(Path png, TrainConfig c, int ipf, Points generated, Points target, Tensor trajectories) throws Exception {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(760).height(760)
                .title(String.format("%s, IPF iteration %d of %d (N = %d, T = %.2g)", c.preset.name(), ipf, c.ipfIters, c.steps,
                        c.steps * c.gammaMax)).xAxisTitle("x1").yAxisTitle("x2").build();
        var st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotGridLinesVisible(false);
        st.setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        st.setMarkerSize(3);

        XYSeries t = chart.addSeries("target (fresh data-end draws)", column(target, 0), column(target, 1));
        t.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        t.setMarker(SeriesMarkers.CIRCLE);
        t.setMarkerColor(new Color(160, 160, 160, 110));

        XYSeries g = chart.addSeries("generated (backward chain)", column(generated, 0), column(generated, 1));
        g.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        g.setMarker(SeriesMarkers.CIRCLE);
        g.setMarkerColor(new Color(31, 90, 200, 150));

        // trajectories [m, N+1, 2] in chain index order (0 = data end)
        float[] tr = trajectories.toFloats();
        int m = trajectories.dim(0), len = trajectories.dim(1);
        int shown = Math.min(m, 12);
        for (int i = 0; i < shown; i++) {
            double[] xs = new double[len], ys = new double[len];
            for (int k = 0; k < len; k++) {
                xs[k] = tr[(i * len + k) * 2];
                ys[k] = tr[(i * len + k) * 2 + 1];
            }
            XYSeries s = chart.addSeries(i == 0 ? "trajectories (prior end → data end)" : "trajectory " + i, xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(new Color(220, 80, 30, 170));
            s.setLineStyle(new BasicStroke(1.0f));
            s.setShowInLegend(i == 0);
        }
        BitmapEncoder.saveBitmap(chart, png.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
    }

    private static double[] column(Points p, int j) {
        double[] out = new double[p.n()];
        for (int i = 0; i < p.n(); i++) out[i] = p.data()[i * p.d() + j];
        return out;
    }
}
