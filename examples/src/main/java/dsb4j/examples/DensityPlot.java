package dsb4j.examples;

import dsb4j.bridge.data.Points;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * d = 1: generated and target values as two overlaid histograms, normalised to densities so that sets of
 * different sizes compare. The bins span both sets' 0.5 %…99.5 % ranges; values beyond (a diverging run's
 * stragglers) pile into the end bins instead of squeezing the picture. Bin edges are multiples of a round width:
 * XChart puts the ticks of equally spaced x values on those values, so round edges give round tick labels.
 */
final class DensityPlot {
    private DensityPlot() {}

    /** About this many bins: rounding the width up makes it 20 to 41. */
    static final int BINS = 40;

    static void write(Path png, String title, Points generated, Points target) throws IOException {
        if (generated.d() != 1 || target.d() != 1)
            throw new IllegalArgumentException("density: needs d = 1, got generated " + generated + " and target " + target);
        double[] g = finiteSorted(generated), t = finiteSorted(target);
        if (t.length == 0) throw new IllegalArgumentException("density: no finite target values to draw");
        double lo = quantile(t, 0.005), hi = quantile(t, 0.995);
        if (g.length > 0) {
            lo = Math.min(lo, quantile(g, 0.005));
            hi = Math.max(hi, quantile(g, 0.995));
        }
        if (!(hi > lo)) {                                                   // all values equal: a unit around them
            lo -= 0.5;
            hi += 0.5;
        }
        double w = roundWidth((hi - lo) / BINS);
        long first = (long) Math.floor(lo / w);
        int bins = (int) Math.max(1, (long) Math.ceil(hi / w) - first);
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(760).height(520).title(title).xAxisTitle("x1").yAxisTitle("density").build();
        var st = chart.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotGridLinesVisible(false);
        st.setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);   // two humps leave no free corner
        st.setXAxisDecimalPattern("#,##0.####");

        XYSeries ts = add(chart, "target (data end)", t, first, bins, w);
        ts.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        ts.setFillColor(new Color(160, 160, 160, 120));
        ts.setLineColor(new Color(130, 130, 130));
        if (g.length > 0) {
            XYSeries gs = add(chart, "generated (backward chain)" + (g.length < generated.n() ? ", " + (generated.n() - g.length) + " non-finite left out" : ""), g, first, bins, w);
            gs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            gs.setLineColor(new Color(31, 90, 200));
            gs.setLineStyle(new BasicStroke(2.0f));
        }
        PngFile.write(BitmapEncoder.getBufferedImage(chart), png);
    }

    /** The histogram as a step outline: the density over bins [(first + b)·w, (first + b + 1)·w), b < bins. */
    private static XYSeries add(XYChart chart, String name, double[] v, long first, int bins, double w) {
        double[] count = new double[bins];
        for (double x : v) count[(int) Math.max(0, Math.min(bins - 1, Math.floor(x / w) - first))]++;
        double[] xs = new double[2 * bins + 2], ys = new double[2 * bins + 2];
        xs[0] = first * w;
        for (int b = 0; b < bins; b++) {
            double density = count[b] / (v.length * w);
            xs[2 * b + 1] = (first + b) * w;
            ys[2 * b + 1] = density;
            xs[2 * b + 2] = (first + b + 1) * w;
            ys[2 * b + 2] = density;
        }
        xs[2 * bins + 1] = (first + bins) * w;
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /** The smallest of 1, 2, 2.5, 5 × 10^k at least {@code raw}. */
    static double roundWidth(double raw) {
        double decade = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[]{1, 2, 2.5, 5}) if (m * decade >= raw) return m * decade;
        return 10 * decade;
    }

    private static double[] finiteSorted(Points p) {
        return Arrays.stream(p.toDoubles()).filter(Double::isFinite).sorted().toArray();
    }

    private static double quantile(double[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
    }
}
