package io.inferenceworker.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** The two charts of a run, as PNG: jobs/s per scenario (worker vs baseline, log scale) and overhead percentiles. */
final class Charts {
    /** The throughput chart's lowest value: 0.1 jobs/s. */
    private static final double FLOOR = 0.1;

    private Charts() {
    }

    /**
     * @param scenarios   category labels
     * @param worker      worker jobs/s per scenario
     * @param baseline    baseline jobs/s per scenario (null where not measured)
     */
    static void throughput(Path file, List<String> scenarios, List<Double> worker, List<Double> baseline)
            throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(1400).height(700)
                .title("Sustained jobs/s per scenario: worker vs synchronous baseline (log scale)")
                .xAxisTitle("scenario").yAxisTitle("jobs/s").build();
        style(chart);
        // xchart cannot draw bars on a logarithmic axis (bars start at 0): the bars are log10(jobs/s / FLOOR), and
        // the axis labels turn that back into jobs/s.
        chart.getStyler().setLabelsVisible(false);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setyAxisTickLabelsFormattingFunction(
                y -> String.format(Locale.ROOT, y < 1.5 ? "%,.1f" : "%,.0f", FLOOR * Math.pow(10, y)));
        chart.addSeries("worker", scenarios, logScale(worker));
        chart.addSeries("baseline", scenarios, logScale(baseline));
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * @param worker   worker overhead p50, p90, p99, p99.9, max (ms)
     * @param baseline the baseline's, or null
     */
    static void overhead(Path file, String title, List<Long> worker, List<Long> baseline) throws IOException {
        List<String> categories = List.of("p50", "p90", "p99", "p99.9", "max");
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(600).title(title)
                .xAxisTitle("percentile").yAxisTitle("ms added to the provider's latency").build();
        style(chart);
        chart.addSeries("worker", categories, worker);
        if (baseline != null) {
            chart.addSeries("baseline", categories, baseline);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void style(CategoryChart chart) {
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    }

    /** log10(value / FLOOR): values at or below the floor, and missing ones, become 0 (no bar). */
    private static List<Double> logScale(List<Double> values) {
        List<Double> out = new ArrayList<>(values.size());
        for (Double v : values) {
            out.add(v == null || v.isNaN() || v <= FLOOR ? 0.0 : Math.log10(v / FLOOR));
        }
        return out;
    }
}
