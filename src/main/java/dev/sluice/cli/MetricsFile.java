package dev.sluice.cli;

import dev.sluice.api.RunResult;
import dev.sluice.internal.fs.AtomicWrite;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Writes a run's metrics in the Prometheus text exposition format, for node_exporter's textfile
 * collector (the usual way to monitor batch jobs): one file per job, replaced atomically after
 * every run, successful or not. All metrics are gauges with a {@code job} label:
 *
 * <pre>
 * sluice_last_run_timestamp_seconds       when the run ended (Unix time)
 * sluice_last_run_success                 1 if the run succeeded (exit 0 or 3), else 0
 * sluice_last_run_exit_code               the command's exit code
 * sluice_last_success_timestamp_seconds   when the job last succeeded; after a failure, the value
 *                                         from the previous file (absent if it never succeeded)
 * sluice_run_duration_seconds             how long the run took
 * sluice_files{outcome=ok|failed|skipped}
 * sluice_records{kind=read|passed|filtered|rejected|abandoned|written}
 * sluice_bytes{direction=read|written}
 * </pre>
 *
 * The counting metrics are left out when the run failed before the engine counted anything.
 *
 * <p>Thread-safe: static methods; each write builds its own registry.
 */
final class MetricsFile {
  static final String LAST_SUCCESS = "sluice_last_success_timestamp_seconds";

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+\\S+)?\\s*$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?\\s*");

  private MetricsFile() {}

  /** What the metrics describe. {@code result} is null when nothing was counted. */
  record Run(String job, Instant end, Duration elapsed, int exitCode, @Nullable RunResult result) {}

  /**
   * Writes {@code run}'s metrics to {@code file}: to a temporary file in the same directory (not
   * ending in {@code .prom}, so the collector never reads it half-written), synced, then moved over
   * {@code file} atomically and made readable by others (node_exporter runs as its own user).
   */
  static void write(Path file, Run run) throws IOException {
    Path target = file.toAbsolutePath();
    byte[] text = render(run, lastSuccess(target, run.job()));
    AtomicWrite.to(target).createDirectories().permissions("rw-r--r--").write(text);
  }

  /** The metrics as Prometheus text, made by the Prometheus client's registry and text writer. */
  static byte[] render(Run run, OptionalDouble previousSuccess) throws IOException {
    PrometheusRegistry registry = new PrometheusRegistry();
    String job = run.job();
    double end = seconds(run.end());
    gauge(registry, "sluice_last_run_timestamp_seconds", "When the last run ended, in Unix time.")
        .labelValues(job)
        .set(end);
    boolean ok = ExitCodes.success(run.exitCode());
    gauge(registry, "sluice_last_run_success", "1 if the last run succeeded (exit 0 or 3), else 0.")
        .labelValues(job)
        .set(ok ? 1 : 0);
    gauge(registry, "sluice_last_run_exit_code", "The exit code of the last run.")
        .labelValues(job)
        .set(run.exitCode());
    OptionalDouble lastSuccess = ok ? OptionalDouble.of(end) : previousSuccess;
    if (lastSuccess.isPresent()) {
      gauge(registry, LAST_SUCCESS, "When the job last succeeded, in Unix time.")
          .labelValues(job)
          .set(lastSuccess.getAsDouble());
    }
    gauge(registry, "sluice_run_duration_seconds", "How long the last run took.")
        .labelValues(job)
        .set(run.elapsed().toNanos() / 1e9);
    RunResult r = run.result();
    if (r != null) {
      Gauge files =
          gauge(registry, "sluice_files", "Input files of the last run by outcome.", "outcome");
      files.labelValues(job, "ok").set(r.files());
      files.labelValues(job, "failed").set(r.filesFailed());
      files.labelValues(job, "skipped").set(r.filesSkipped());
      Gauge records = gauge(registry, "sluice_records", "Records of the last run by kind.", "kind");
      records.labelValues(job, "read").set(r.recordsRead());
      records.labelValues(job, "passed").set(r.recordsPassed());
      records.labelValues(job, "filtered").set(r.recordsFiltered());
      records.labelValues(job, "rejected").set(r.recordsRejected());
      records.labelValues(job, "abandoned").set(r.recordsAbandoned());
      records.labelValues(job, "written").set(r.recordsWritten());
      Gauge bytes =
          gauge(registry, "sluice_bytes", "Bytes of the last run by direction.", "direction");
      bytes.labelValues(job, "read").set(r.bytesRead());
      bytes.labelValues(job, "written").set(r.bytesWritten());
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toByteArray();
  }

  private static Gauge gauge(
      PrometheusRegistry registry, String name, String help, String... labels) {
    String[] names = new String[labels.length + 1];
    names[0] = "job";
    System.arraycopy(labels, 0, names, 1, labels.length);
    return Gauge.builder().name(name).help(help).labelNames(names).register(registry);
  }

  private static double seconds(Instant t) {
    return t.getEpochSecond() + t.getNano() / 1e9;
  }

  /**
   * The {@value #LAST_SUCCESS} of {@code job} in an existing metrics file, if it has one. A missing
   * or unreadable file, or one written by something else, has none.
   */
  static OptionalDouble lastSuccess(Path file, String job) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return OptionalDouble.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalDouble.empty();
    }
    for (String line : lines) {
      Sample s = parse(line);
      if (s != null && s.name().equals(LAST_SUCCESS) && job.equals(s.labels().get("job"))) {
        return OptionalDouble.of(s.value());
      }
    }
    return OptionalDouble.empty();
  }

  /** One sample line of the text format. */
  record Sample(String name, Map<String, String> labels, double value) {}

  /** The sample on {@code line}, or null for comments, blank and malformed lines. */
  static @Nullable Sample parse(String line) {
    if (line.isBlank() || line.startsWith("#")) {
      return null;
    }
    Matcher m = SAMPLE.matcher(line);
    if (!m.matches()) {
      return null;
    }
    Map<String, String> labels = new HashMap<>();
    String body = m.group(2);
    if (body != null && !body.isBlank()) {
      Matcher l = LABEL.matcher(body);
      int at = 0;
      while (at < body.length()) {
        if (!l.find(at) || l.start() != at) {
          return null;
        }
        labels.put(l.group(1), unescape(l.group(2)));
        at = l.end();
      }
    }
    double value;
    try {
      value = parseValue(m.group(3));
    } catch (NumberFormatException e) {
      return null;
    }
    return new Sample(m.group(1), labels, value);
  }

  private static double parseValue(String s) {
    switch (s) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        return Double.parseDouble(s);
    }
  }

  private static String unescape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        sb.append(n == 'n' ? '\n' : n);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
