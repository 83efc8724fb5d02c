package dev.sluice.internal.report;

import dev.sluice.api.Progress;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.MeetOrSlice;
import org.jfree.svg.PreserveAspectRatio;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The report's three charts over a run's progress samples, drawn with JFreeChart and rendered to
 * SVG elements with JFreeSVG. Kept apart from {@link HtmlReport} so that the optional chart
 * libraries are loaded only here: when they are missing, {@code HtmlReport} catches the {@link
 * LinkageError} and writes the page without charts.
 *
 * <p>Thread-safe: static methods; every chart is built and drawn on the calling thread.
 */
final class HtmlCharts {
  static {
    // Must happen before the first AWT class asks whether a display exists: servers and CI have
    // none.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  static final int WIDTH = 900;
  static final int HEIGHT = 320;

  static final Color READERS = new Color(0x1f77b4);
  static final Color TRANSFORMERS = new Color(0xff7f0e);
  static final Color WRITERS = new Color(0x2ca02c);
  static final Color BUDGET = new Color(0x9467bd);
  private static final Color GRID = new Color(0xdddddd);
  private static final Color AXIS = new Color(0x444444);
  private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font LABELS = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

  private HtmlCharts() {}

  /** Records/s (left axis) and MB/s (right axis) between consecutive samples. */
  static String throughput(List<Progress> samples, String id) {
    TimeScale time = TimeScale.of(samples);
    XYSeries records = new XYSeries("records/s", false, true);
    XYSeries megabytes = new XYSeries("MB/s", false, true);
    for (int i = 1; i < samples.size(); i++) {
      Progress a = samples.get(i - 1);
      Progress b = samples.get(i);
      long dt = b.elapsedNanos() - a.elapsedNanos();
      if (dt <= 0) {
        continue; // a repeated or out-of-order sample has no rate
      }
      double seconds = dt / 1e9;
      double x = time.x(b.elapsedNanos());
      records.add(x, Math.max(0, b.recordsRead() - a.recordsRead()) / seconds);
      megabytes.add(x, Math.max(0, b.bytesRead() - a.bytesRead()) / 1e6 / seconds);
    }
    XYPlot plot =
        plot(time, axis("records/s", "#,##0.##"), new XYSeriesCollection(records), READERS);
    NumberAxis mb = axis("MB/s", "#,##0.##");
    plot.setRangeAxis(1, mb);
    plot.setDataset(1, new XYSeriesCollection(megabytes));
    plot.mapDatasetToRangeAxis(1, 1);
    XYLineAndShapeRenderer dashed = renderer(megabytes.getItemCount(), TRANSFORMERS);
    // Dashed: when bytes and records grow in step, the two lines lie on top of each other.
    dashed.setSeriesStroke(
        0,
        new BasicStroke(
            2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
    plot.setRenderer(1, dashed);
    return svg(plot, id);
  }

  /** Transformer queue, writer queues and in-flight budget, in percent of their capacity. */
  static String queues(List<Progress> samples, String id) {
    TimeScale time = TimeScale.of(samples);
    XYSeries transformer = new XYSeries("transformer queue %", false, true);
    XYSeries writer = new XYSeries("writer queues %", false, true);
    XYSeries budget = new XYSeries("in-flight budget %", false, true);
    for (Progress p : samples) {
      double x = time.x(p.elapsedNanos());
      addPercent(transformer, x, p.transformerQueue(), p.transformerQueueCapacity());
      addPercent(writer, x, p.writerQueues(), p.writerQueuesCapacity());
      addPercent(budget, x, p.inFlightBytes(), p.inFlightCapacity());
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(transformer);
    data.addSeries(writer);
    data.addSeries(budget);
    return svg(plot(time, percentAxis("% of capacity"), data, TRANSFORMERS, WRITERS, BUDGET), id);
  }

  /** The share of each stage's thread time spent working between consecutive samples. */
  static String busy(List<Progress> samples, String id) {
    TimeScale time = TimeScale.of(samples);
    XYSeries readers = new XYSeries("readers busy %", false, true);
    XYSeries transformers = new XYSeries("transformers busy %", false, true);
    XYSeries writers = new XYSeries("writers busy %", false, true);
    for (Progress p : samples) {
      double x = time.x(p.elapsedNanos());
      readers.add(x, percent(p.readersBusy()));
      transformers.add(x, percent(p.transformersBusy()));
      writers.add(x, percent(p.writersBusy()));
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(readers);
    data.addSeries(transformers);
    data.addSeries(writers);
    return svg(
        plot(time, percentAxis("% of thread time busy"), data, READERS, TRANSFORMERS, WRITERS), id);
  }

  private static void addPercent(XYSeries s, double x, long used, long capacity) {
    if (capacity > 0) {
      s.add(x, percent((double) used / capacity));
    }
  }

  private static double percent(double share) {
    return Double.isFinite(share) ? 100 * Math.max(0, share) : 0;
  }

  private static XYPlot plot(
      TimeScale time, NumberAxis range, XYSeriesCollection data, Color... colors) {
    NumberAxis x = axis("elapsed (" + time.unit + ")", "#,##0.##");
    x.setAutoRangeIncludesZero(true);
    int points = data.getSeriesCount() == 0 ? 0 : data.getItemCount(0);
    XYPlot plot = new XYPlot(data, x, range, renderer(points, colors));
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlinePaint(GRID);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setDomainGridlineStroke(new BasicStroke(1f));
    plot.setRangeGridlineStroke(new BasicStroke(1f));
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    return plot;
  }

  private static XYLineAndShapeRenderer renderer(int points, Color... colors) {
    // A line needs two points; a short series also shows its points so that one sample is visible.
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, points < 12);
    r.setDrawSeriesLineAsPath(true); // one <path> per series instead of one per segment
    for (int i = 0; i < colors.length; i++) {
      r.setSeriesPaint(i, colors[i]);
      r.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }
    return r;
  }

  private static NumberAxis percentAxis(String label) {
    NumberAxis a = axis(label, "0'%'");
    a.setRange(0, 105); // a little headroom so a full queue's line does not hide in the frame
    return a;
  }

  private static NumberAxis axis(String label, String pattern) {
    NumberAxis a = new NumberAxis(label);
    // JFreeChart's default tick formats follow the default locale (1.234,5 under Turkish).
    a.setNumberFormatOverride(
        new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT)));
    a.setLabelFont(LABELS);
    a.setTickLabelFont(TICKS);
    a.setLabelPaint(AXIS);
    a.setTickLabelPaint(AXIS);
    a.setAxisLinePaint(AXIS);
    a.setTickMarkPaint(AXIS);
    return a;
  }

  private static String svg(XYPlot plot, String id) {
    JFreeChart chart = new JFreeChart(null, LABELS, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new RectangleInsets(8, 8, 4, 8));
    LegendTitle legend = chart.getLegend();
    legend.setPosition(RectangleEdge.TOP);
    legend.setItemFont(LABELS);
    legend.setFrame(BlockBorder.NONE);
    legend.setBackgroundPaint(Color.WHITE);
    SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
    // Three charts share one page: their clip-path ids must not collide.
    g.setDefsKeyPrefix(id + "-");
    chart.draw(g, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
    g.dispose();
    // No fixed size: the viewBox lets the chart scale to the page's width.
    return g.getSVGElement(
        id,
        false,
        new ViewBox(0, 0, WIDTH, HEIGHT),
        PreserveAspectRatio.XMID_YMID,
        MeetOrSlice.MEET);
  }

  /** Seconds, minutes or hours on the time axis, whichever keeps its numbers short. */
  private static final class TimeScale {
    final String unit;
    final double nanosPerUnit;

    private TimeScale(String unit, double nanosPerUnit) {
      this.unit = unit;
      this.nanosPerUnit = nanosPerUnit;
    }

    static TimeScale of(List<Progress> samples) {
      long last = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).elapsedNanos();
      if (last > 3 * 3600e9) {
        return new TimeScale("h", 3600e9);
      }
      if (last > 600e9) {
        return new TimeScale("min", 60e9);
      }
      return new TimeScale("s", 1e9);
    }

    double x(long elapsedNanos) {
      return elapsedNanos / nanosPerUnit;
    }
  }
}
