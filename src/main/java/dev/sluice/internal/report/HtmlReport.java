package dev.sluice.internal.report;

import dev.sluice.api.ErrorType;
import dev.sluice.api.PipelineException;
import dev.sluice.api.Progress;
import dev.sluice.api.RunResult;
import dev.sluice.api.Stage;
import dev.sluice.api.StageStats;
import dev.sluice.api.Verdict;
import dev.sluice.internal.fs.AtomicWrite;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes the HTML report of a run: one self-contained HTML5 page for people, readable offline
 * (inline style, inline SVG charts, no scripts, no external fonts or images). It shows the outcome
 * and counts, the bottleneck verdict with suggested thread counts, where each stage's threads spent
 * the run, three charts over time (throughput, queue fill, busy share per stage), rejects and the
 * first warnings. A failed run's page shows the error and, when the engine knows it, what the run
 * did before it failed.
 *
 * <pre>{@code
 * Path report = Path.of("out/report.html");
 * try {
 *   HtmlReport.write(pipeline.run(), report);
 * } catch (PipelineException e) {
 *   HtmlReport.writeFailure(e, report); // the error, and the counts and charts up to it
 *   throw e;
 * }
 * }</pre>
 *
 * <p>The file is replaced atomically (written to a temporary file in the same directory, then moved
 * over the target), so a browser never shows half a report. The markup is also well-formed XML, and
 * all text from the run (file names, messages) is escaped. Numbers are formatted the same under
 * every default locale.
 *
 * <p>The charts need the optional dependencies JFreeChart and JFreeSVG; without them, or on a
 * machine where Java cannot draw text, the page says so in place of each chart. Drawing the charts
 * sets the system property {@code java.awt.headless} to {@code true} unless it is already set. A
 * run with fewer than two progress samples is too short to chart and gets a note instead.
 *
 * <p>Thread-safe: static methods without shared state.
 */
public final class HtmlReport {
  /** Reject files listed by name; the rest are counted. */
  static final int MAX_REJECT_FILES = 50;

  /** Lines of a failure's stack trace shown; the rest are counted. */
  private static final int MAX_TRACE_LINES = 200;

  private static final int MAX_SUPPRESSED = 10;

  private HtmlReport() {}

  /** Writes the report of a run to {@code file}, replacing it atomically. */
  public static void write(RunResult result, Path file) throws IOException {
    writeAtomically(file, toHtml(result));
  }

  /**
   * Writes the report of a failed run to {@code file}, replacing it atomically. A {@link
   * PipelineException} contributes its stage, file, line, record and thread, and what the run did
   * before it failed.
   */
  public static void writeFailure(Throwable failure, Path file) throws IOException {
    writeAtomically(file, failureToHtml(failure));
  }

  /**
   * The report of a run, as an HTML document. Its status reads {@code ok}, {@code finished with
   * rejects} (records rejected or files failed), or {@code stopped early} (records abandoned).
   */
  public static String toHtml(RunResult r) {
    Page p = new Page();
    if (r.recordsAbandoned() > 0) {
      p.open("stopped early", "warn");
    } else if (r.recordsRejected() > 0 || r.filesFailed() > 0) {
      p.open("finished with rejects", "warn");
    } else {
      p.open("ok", "ok");
    }
    cards(p, r);
    verdict(p, r);
    counts(p, r);
    stages(p, r);
    charts(p, r.samples());
    rejects(p, r);
    warnings(p, r);
    return p.close();
  }

  /**
   * The report of a failed run, as an HTML document: the error (type, message, and for a {@link
   * PipelineException} the stage, file, line, record and thread), the cause, and the partial counts
   * and charts from {@link PipelineException#result()} when present.
   */
  public static String failureToHtml(Throwable failure) {
    Page p = new Page();
    p.open("failed", "failed");
    error(p, failure);
    RunResult partial =
        failure instanceof PipelineException ? ((PipelineException) failure).result() : null;
    if (partial == null) {
      p.raw("<p class=\"note\">The engine reported no counts for this failure.</p>\n");
    } else {
      p.raw("<h2 class=\"before\">Before it failed</h2>\n");
      cards(p, partial);
      verdict(p, partial);
      counts(p, partial);
      stages(p, partial);
      charts(p, partial.samples());
      rejects(p, partial);
      warnings(p, partial);
    }
    trace(p, failure);
    return p.close();
  }

  // ---- sections ----

  private static void verdict(Page p, RunResult r) {
    if (r.stages().isEmpty()) {
      return; // no stage accounting, so no verdict to show (as in RunResult.summary())
    }
    Verdict v = r.verdict();
    p.raw("<section id=\"verdict\" class=\"verdict\">\n");
    Stage bottleneck = v.bottleneck();
    if (bottleneck == null) {
      p.raw("<h2>Bottleneck: <span class=\"stage\">none</span> (run too short to tell)</h2>\n");
    } else {
      p.raw("<h2>Bottleneck: <span class=\"stage\">")
          .text(bottleneck.label() + "s")
          .raw("</span></h2>\n");
    }
    if (!v.evidence().isEmpty()) {
      p.raw("<p class=\"evidence\">").text(v.evidence()).raw("</p>\n");
    }
    p.raw("<p class=\"suggest\">Suggested threads: <code>")
        .text(
            fmt(
                "--readers %d --transformers %d --writers %d",
                v.readers(), v.transformers(), v.writers()))
        .raw("</code> <span class=\"muted\">")
        .text(
            fmt(
                "(this run: %d readers, %d transformers, %d writers)",
                r.readers(), r.transformers(), r.writers()))
        .raw("</span></p>\n</section>\n");
  }

  private static void cards(Page p, RunResult r) {
    p.raw("<section id=\"summary\" class=\"cards\">\n");
    card(
        p,
        "Files",
        fmt("%,d", r.files()),
        fmt("committed; %,d failed, %,d skipped", r.filesFailed(), r.filesSkipped()));
    card(p, "Records", fmt("%,d", r.recordsRead()), fmt("read; %,d written", r.recordsWritten()));
    card(
        p, "Elapsed", duration(r.elapsed().toNanos()), fmt("%,.3f s", r.elapsed().toNanos() / 1e9));
    card(p, "Records/s", fmt("%,.0f", r.recordsPerSecond()), "records read per second");
    card(p, "MB/s", fmt("%,.2f", r.megabytesPerSecond()), "10^6 bytes read per second");
    RunResult.AutoSizing auto = r.autoSizing();
    RunResult.Runner runner = r.runner();
    if (runner != null) {
      card(
          p,
          "Runner",
          runner.name(),
          runner.parallelism() > 0
              ? fmt("Beam, parallelism %d", runner.parallelism())
              : "Beam, parallelism chosen by the runner");
    } else {
      card(
          p,
          "Threads",
          fmt("%d / %d / %d", r.readers(), r.transformers(), r.writers()),
          auto == null
              ? "readers / transformers / writers"
              : fmt(
                  "readers / transformers / writers; auto from %d / %d",
                  auto.readersAtStart(), auto.transformersAtStart()));
    }
    p.raw("</section>\n");
  }

  private static void counts(Page p, RunResult r) {
    p.raw("<section id=\"counts\" class=\"counts\">\n");

    p.raw("<table class=\"kv\"><caption>Files</caption><tbody>\n");
    row(p, "committed", r.files(), -1);
    row(p, "failed", r.filesFailed(), -1);
    row(p, "skipped (done by an earlier run)", r.filesSkipped(), -1);
    p.raw("</tbody></table>\n");

    long read = r.recordsRead();
    p.raw("<table class=\"kv\"><caption>Records</caption><tbody>\n");
    row(p, "read", read, -1);
    row(p, "passed", r.recordsPassed(), read);
    row(p, "filtered", r.recordsFiltered(), read);
    row(p, "rejected", r.recordsRejected(), read);
    row(p, "abandoned", r.recordsAbandoned(), read);
    row(p, "written", r.recordsWritten(), -1);
    p.raw("</tbody></table>\n");

    p.raw("<table class=\"kv\"><caption>Bytes</caption><tbody>\n");
    p.raw("<tr><th>read</th><td>").text(bytes(r.bytesRead())).raw("</td></tr>\n");
    p.raw("<tr><th>written</th><td>").text(bytes(r.bytesWritten())).raw("</td></tr>\n");
    p.raw("<tr><th>warnings</th><td>").text(fmt("%,d", r.warnings())).raw("</td></tr>\n");
    p.raw("</tbody></table>\n</section>\n");
  }

  private static void card(Page p, String label, String value, String detail) {
    p.raw("<div class=\"card\"><div class=\"label\">")
        .text(label)
        .raw("</div><div class=\"value\">")
        .text(value)
        .raw("</div><div class=\"detail\">")
        .text(detail)
        .raw("</div></div>\n");
  }

  private static void row(Page p, String label, long n, long of) {
    p.raw("<tr><th>").text(label).raw("</th><td>").text(fmt("%,d", n)).raw("</td>");
    if (of >= 0) {
      p.raw("<td class=\"muted\">").text(share(n, of)).raw("</td>");
    } else {
      p.raw("<td></td>");
    }
    p.raw("</tr>\n");
  }

  private static void stages(Page p, RunResult r) {
    if (r.stages().isEmpty()) {
      return;
    }
    p.raw(
        "<section id=\"stages\">\n<h2>Stages</h2>\n<table class=\"stages\">\n<thead><tr>"
            + "<th>Stage</th><th>Threads</th><th>Busy</th><th>Waiting for input</th>"
            + "<th>Waiting to hand on</th><th>Batches</th><th class=\"barcol\">Thread time</th></tr></thead>\n<tbody>\n");
    for (StageStats s : r.stages()) {
      boolean bottleneck = s.stage() == r.verdict().bottleneck();
      p.raw(bottleneck ? "<tr class=\"bottleneck\">" : "<tr>")
          .raw("<th>")
          .text(s.stage().label() + "s")
          .raw("</th>")
          .raw("<td>")
          .text(fmt("%d", s.threads()))
          .raw("</td>")
          .raw("<td>")
          .text(pct(s.busyShare()))
          .raw("</td>")
          .raw("<td>")
          .text(pct(s.waitInputShare()))
          .raw("</td>")
          .raw("<td>")
          .text(pct(s.waitOutputShare()))
          .raw("</td>")
          .raw("<td>")
          .text(fmt("%,d", s.batches()))
          .raw("</td>")
          .raw("<td class=\"barcol\"><div class=\"bar\">");
      bar(p, "busy", s.busyShare());
      bar(p, "in", s.waitInputShare());
      bar(p, "out", s.waitOutputShare());
      p.raw("</div></td></tr>\n");
    }
    p.raw(
        "</tbody>\n</table>\n<p class=\"legend\"><span class=\"sw busy\"></span> busy "
            + "<span class=\"sw in\"></span> waiting for input (the stage before is slower) "
            + "<span class=\"sw out\"></span> waiting to hand on (the stage after is slower)</p>\n");
    RunResult.AutoSizing auto = r.autoSizing();
    if (auto != null) {
      // Threads in the table count every thread a stage ran; this says what the sizing settled on.
      p.raw("<p class=\"autosizing\">Automatic sizing: ")
          .text(auto.line().substring("auto threads: ".length()))
          .raw("</p>\n");
    }
    p.raw("</section>\n");
  }

  private static void bar(Page p, String cls, double share) {
    if (share > 0) {
      p.raw("<span class=\"" + cls + "\" style=\"width:")
          .text(fmt("%.2f", 100 * share))
          .raw("%\"></span>");
    }
  }

  private static void charts(Page p, List<Progress> samples) {
    p.raw("<section id=\"charts\">\n<h2>Over time</h2>\n");
    if (samples.size() < 2) {
      p.raw("<p class=\"note\">")
          .text(
              fmt(
                  "Run too short to chart (%d progress sample%s).",
                  samples.size(), samples.size() == 1 ? "" : "s"))
          .raw("</p>\n</section>\n");
      return;
    }
    chart(p, "chart-throughput", "Throughput: records/s and MB/s read between samples", samples);
    chart(
        p,
        "chart-queues",
        "Queue fill: transformer queue, writer queues, in-flight budget",
        samples);
    chart(p, "chart-busy", "Busy share per stage", samples);
    p.raw("</section>\n");
  }

  private static void chart(Page p, String id, String title, List<Progress> samples) {
    p.raw("<figure class=\"chart\">\n<figcaption>").text(title).raw("</figcaption>\n");
    String svg = null;
    // HtmlCharts is first touched inside the try: loading it is what fails without the optional
    // chart libraries, and the rest of the report still helps.
    try {
      switch (id) {
        case "chart-throughput":
          svg = HtmlCharts.throughput(samples, id);
          break;
        case "chart-queues":
          svg = HtmlCharts.queues(samples, id);
          break;
        default:
          svg = HtmlCharts.busy(samples, id);
      }
    } catch (LinkageError e) {
      p.raw("<p class=\"note\">")
          .text(
              "Chart unavailable: it needs JFreeChart and JFreeSVG on the class path ("
                  + describe(e)
                  + ").")
          .raw("</p>\n");
    } catch (RuntimeException | java.awt.AWTError e) {
      // For example a JDK without fonts: AWT cannot measure the axis labels.
      p.raw("<p class=\"note\">").text("Chart unavailable: " + describe(e)).raw("</p>\n");
    }
    if (svg != null) {
      p.raw(svg).raw("\n");
    }
    p.raw("</figure>\n");
  }

  private static void rejects(Page p, RunResult r) {
    if (r.rejectsByType().isEmpty() && r.rejectFiles().isEmpty()) {
      return;
    }
    p.raw("<section id=\"rejects\">\n<h2>Rejects</h2>\n");
    if (!r.rejectsByType().isEmpty()) {
      p.raw("<table class=\"kv\"><thead><tr><th>Type</th><th>Rows</th></tr></thead><tbody>\n");
      for (Map.Entry<ErrorType, Long> e : new EnumMap<>(r.rejectsByType()).entrySet()) {
        p.raw("<tr><th><code>")
            .text(e.getKey().name())
            .raw("</code></th><td>")
            .text(fmt("%,d", e.getValue()))
            .raw("</td></tr>\n");
      }
      p.raw("</tbody></table>\n");
    }
    List<Path> files = r.rejectFiles();
    if (!files.isEmpty()) {
      p.raw("<h3>Reject files</h3>\n<ul class=\"files\">\n");
      for (Path f : files.subList(0, Math.min(files.size(), MAX_REJECT_FILES))) {
        p.raw("<li><code>").text(f.toString()).raw("</code></li>\n");
      }
      p.raw("</ul>\n");
      if (files.size() > MAX_REJECT_FILES) {
        p.raw("<p class=\"muted\">")
            .text(fmt("and %,d more", files.size() - MAX_REJECT_FILES))
            .raw("</p>\n");
      }
    }
    p.raw("</section>\n");
  }

  private static void warnings(Page p, RunResult r) {
    if (r.warnings() == 0 && r.firstWarnings().isEmpty()) {
      return;
    }
    p.raw("<section id=\"warnings\">\n<h2>Warnings</h2>\n<p>")
        .text(fmt("%,d warning%s", r.warnings(), r.warnings() == 1 ? "" : "s"));
    if (r.firstWarnings().size() < r.warnings()) {
      p.text(fmt("; the first %d:", r.firstWarnings().size()));
    }
    p.raw("</p>\n<ul class=\"warnings\">\n");
    for (String w : r.firstWarnings()) {
      p.raw("<li>").text(w).raw("</li>\n");
    }
    p.raw("</ul>\n</section>\n");
  }

  private static void error(Page p, Throwable failure) {
    p.raw("<section id=\"error\" class=\"error\">\n<h2>Run failed</h2>\n<p class=\"message\">")
        .text(message(failure))
        .raw("</p>\n<table class=\"kv fields\"><tbody>\n");
    field(p, "type", failure.getClass().getName());
    if (failure instanceof PipelineException) {
      PipelineException e = (PipelineException) failure;
      field(p, "stage", e.stage().label());
      field(p, "file", e.file());
      field(p, "line", e.line() > 0 ? fmt("%,d", e.line()) : null);
      field(p, "record", e.record() > 0 ? fmt("%,d", e.record()) : null);
      field(p, "thread", e.thread());
    }
    Throwable cause = failure.getCause();
    if (cause != null && cause != failure) {
      field(p, "cause", cause.getClass().getName() + ": " + message(cause));
    }
    p.raw("</tbody></table>\n");
    Throwable[] later = failure.getSuppressed();
    if (later.length > 0) {
      p.raw("<h3>Later failures</h3>\n<ul>\n");
      for (int i = 0; i < Math.min(later.length, MAX_SUPPRESSED); i++) {
        p.raw("<li>").text(describe(later[i])).raw("</li>\n");
      }
      p.raw("</ul>\n");
      if (later.length > MAX_SUPPRESSED) {
        p.raw("<p class=\"muted\">")
            .text(fmt("and %,d more", later.length - MAX_SUPPRESSED))
            .raw("</p>\n");
      }
    }
    p.raw("</section>\n");
  }

  private static void field(Page p, String label, @Nullable String value) {
    if (value != null) {
      p.raw("<tr><th>").text(label).raw("</th><td><code>").text(value).raw("</code></td></tr>\n");
    }
  }

  private static void trace(Page p, Throwable failure) {
    StringWriter w = new StringWriter();
    failure.printStackTrace(new PrintWriter(w));
    String[] lines = w.toString().split("\\R");
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < Math.min(lines.length, MAX_TRACE_LINES); i++) {
      shown.append(lines[i]).append('\n');
    }
    if (lines.length > MAX_TRACE_LINES) {
      shown.append(fmt("... %,d more lines%n", lines.length - MAX_TRACE_LINES));
    }
    p.raw("<details class=\"trace\"><summary>Stack trace</summary>\n<pre>")
        .text(shown.toString())
        .raw("</pre></details>\n");
  }

  // ---- formatting ----

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  /** A share of a total; a small non-zero share is not shown as 0.0%. */
  private static String share(long n, long of) {
    if (of <= 0) {
      return "";
    }
    double pct = 100.0 * n / of;
    return n > 0 && pct < 0.1 ? "<0.1%" : fmt("%.1f%%", pct);
  }

  private static String pct(double share) {
    return fmt("%.1f%%", 100 * share);
  }

  /** Exact bytes, and a short form in powers of 10 (as MB/s is). */
  static String bytes(long n) {
    String[] units = {"kB", "MB", "GB", "TB", "PB"};
    if (n < 1000) {
      return fmt("%,d B", n);
    }
    double v = n;
    int u = -1;
    while (v >= 1000 && u < units.length - 1) {
      v /= 1000;
      u++;
    }
    return fmt("%,d B (%.1f %s)", n, v, units[u]);
  }

  /**
   * Elapsed time for people: {@code 850 ms}, {@code 12.3 s}, {@code 4 min 05 s}, {@code 2 h 03
   * min}.
   */
  static String duration(long nanos) {
    if (nanos < 1_000_000_000L) {
      return fmt("%d ms", Math.max(0, nanos) / 1_000_000);
    }
    double s = nanos / 1e9;
    if (s < 60) {
      return fmt("%.1f s", s);
    }
    long secs = nanos / 1_000_000_000L;
    if (secs < 3600) {
      return fmt("%d min %02d s", secs / 60, secs % 60);
    }
    return fmt("%d h %02d min", secs / 3600, (secs % 3600) / 60);
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return m == null ? "" : m;
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getName() : t.getClass().getName() + ": " + m;
  }

  /**
   * Text for element content and attribute values: markup characters escaped, and characters XML
   * forbids (control characters a file name may hold, unpaired surrogates) shown as U+FFFD.
   */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&':
          sb.append("&amp;");
          break;
        case '<':
          sb.append("&lt;");
          break;
        case '>':
          sb.append("&gt;");
          break;
        case '"':
          sb.append("&quot;");
          break;
        case '\'':
          sb.append("&#39;");
          break;
        default:
          if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)
              || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
              || (c >= 0x7f && c <= 0x9f)
              || c == 0xfffe
              || c == 0xffff) {
            sb.append('\uFFFD');
          } else {
            sb.append(c);
          }
      }
    }
    return sb.toString();
  }

  private static void writeAtomically(Path file, String html) throws IOException {
    // The umask's permissions: the report is read by people and web servers.
    AtomicWrite.to(file).createDirectories().write(html.getBytes(StandardCharsets.UTF_8));
  }

  /** The document being built; {@link #text} escapes, {@link #raw} is for our own markup. */
  private static final class Page {
    private final StringBuilder sb = new StringBuilder(64 * 1024);

    Page raw(String markup) {
      sb.append(markup);
      return this;
    }

    Page text(String text) {
      sb.append(escape(text));
      return this;
    }

    void open(String status, String statusClass) {
      raw(
          "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
              + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
              + "<meta name=\"generator\" content=\"Sluice\"/>\n<title>");
      text("Sluice run report: " + status);
      raw("</title>\n<style>\n")
          .raw(HtmlStyle.CSS)
          .raw(
              "</style>\n</head>\n<body>\n<header class=\"top\">\n"
                  + "<h1>Sluice run report</h1>\n<span id=\"status\" class=\"status "
                  + statusClass
                  + "\">");
      text(status);
      raw("</span>\n</header>\n<main>\n");
    }

    String close() {
      raw(
          "</main>\n<footer>Generated by Sluice. This page is self-contained: no scripts, "
              + "nothing loaded from elsewhere.</footer>\n</body>\n</html>\n");
      return sb.toString();
    }
  }
}
