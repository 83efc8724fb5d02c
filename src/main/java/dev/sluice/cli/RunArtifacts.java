package dev.sluice.cli;

import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Step;
import dev.sluice.internal.report.HtmlReport;
import dev.sluice.internal.report.JsonReport;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run of {@code sluice run} leaves besides its outputs: the log lines at its start and end
 * (with the run id and the counts), the JSON and HTML reports ({@code --report}, {@code
 * --html-report}) and the metrics file ({@code --metrics-file}), written whether the run succeeded
 * or failed. After a failure the run's own error is what counts: a failure report or a metrics file
 * that cannot be written is logged, never thrown.
 *
 * <p>Not thread-safe: one instance per command, used by the thread that runs the command.
 */
final class RunArtifacts {
  // RunCommand's logger: these lines read as the command's own, in JSON logs too (logger name).
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  private final String runId;
  private final long startNanos;
  private final @Nullable String report;
  private final @Nullable String htmlReport;
  private final @Nullable String metricsFile;

  /**
   * Starts the clock for the metrics file's duration.
   *
   * @param runId the id every log line of this run carries
   * @param report {@code --report FILE} (JSON), or null for none
   * @param htmlReport {@code --html-report FILE}, or null for none
   * @param metricsFile {@code --metrics-file FILE}, or null for none
   */
  RunArtifacts(
      String runId,
      @Nullable String report,
      @Nullable String htmlReport,
      @Nullable String metricsFile) {
    this.startNanos = System.nanoTime();
    this.runId = runId;
    this.report = report;
    this.htmlReport = htmlReport;
    this.metricsFile = metricsFile;
  }

  String runId() {
    return runId;
  }

  /**
   * Logs the start of the run: the job, its inputs and output, the spec and each step.
   *
   * @param jobFile the job file the run was read from, or null for none
   * @param signalsInstalled whether the command installed its shutdown hook (then it says which
   *     stop signals it tells apart)
   */
  void logStart(String name, @Nullable Path jobFile, PipelineSpec spec, boolean signalsInstalled) {
    if (!log.isInfoEnabled()) {
      return;
    }
    Path state = spec.stateDir();
    log.info(
        "run {} started: job {}{}, inputs {}, output {}, state {}",
        runId,
        name,
        jobFile != null ? " (" + jobFile + ")" : "",
        spec.inputs(),
        spec.output(),
        state != null ? state : "none");
    if (signalsInstalled) {
      log.info("stop signals told apart: {}", Signals.installed());
    }
    log.info("job: {}", spec);
    for (Step s : spec.steps()) {
      log.info("step: {}", s.describe());
    }
  }

  /** Writes the JSON and HTML reports of a finished run, where asked for. */
  void writeReports(RunResult result) throws IOException {
    if (report != null) {
      JsonReport.write(result, Path.of(report));
    }
    if (htmlReport != null) {
      HtmlReport.write(result, Path.of(htmlReport));
    }
  }

  /** Logs the end of a run that finished with {@code code}. */
  void logFinished(int code, RunResult result) {
    log.info("run finished (exit {}): {}", code, counts(result));
  }

  /**
   * Logs a failed run for the log file (the command prints the one-line error on stderr itself),
   * with what it did before it failed when the engine said, and writes the failure reports.
   */
  void logFailure(int code, Exception failure) {
    log.error(
        CliLogging.NOT_ON_STDERR,
        "run failed (exit {}): {}",
        code,
        Main.oneLine(failure.getMessage()));
    RunResult partial = partialResult(failure);
    if (partial != null) {
      log.info("before the failure: {}", counts(partial));
    }
    writeFailureReport(failure);
  }

  private void writeFailureReport(Exception failure) {
    try {
      if (report != null) {
        JsonReport.writeFailure(failure, Path.of(report));
      }
      if (htmlReport != null) {
        HtmlReport.writeFailure(failure, Path.of(htmlReport));
      }
    } catch (IOException | RuntimeException e) {
      // The run's own failure is what the user must see; the report is secondary.
      log.warn("cannot write the failure report: {}", Main.describe(e));
    }
  }

  /**
   * Writes the metrics file, if asked for; logs (at ERROR, shown even with {@code -q}) rather than
   * throws when it cannot.
   *
   * @param result the run's counts, or null when it failed before the engine said
   */
  void writeMetrics(String job, int code, @Nullable RunResult result) {
    if (metricsFile == null) {
      return;
    }
    Path file;
    try {
      file = Path.of(metricsFile);
    } catch (InvalidPathException e) {
      log.error("--metrics-file: invalid path '{}': {}", metricsFile, e.getReason());
      return;
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    try {
      MetricsFile.write(file, new MetricsFile.Run(job, Instant.now(), elapsed, code, result));
    } catch (IOException | RuntimeException e) {
      // The run's own outcome stands; monitoring will see a stale file. ERROR shows even with -q.
      log.error("cannot write the metrics file {}: {}", metricsFile, Main.describe(e));
    }
  }

  /** The run's counts on one line, for the log. */
  static String counts(RunResult r) {
    return String.format(
        Locale.ROOT,
        "files %d ok, %d failed, %d skipped; records %d read, %d passed, %d filtered, %d rejected,"
            + " %d abandoned, %d written; bytes %d read, %d written; %.3f s",
        r.files(),
        r.filesFailed(),
        r.filesSkipped(),
        r.recordsRead(),
        r.recordsPassed(),
        r.recordsFiltered(),
        r.recordsRejected(),
        r.recordsAbandoned(),
        r.recordsWritten(),
        r.bytesRead(),
        r.bytesWritten(),
        r.elapsed().toNanos() / 1e9);
  }

  /** What a failed run did before it failed, when the engine said. */
  static @Nullable RunResult partialResult(Throwable e) {
    Throwable t = e instanceof InterruptedRunException ? e.getCause() : e;
    return t instanceof PipelineException ? ((PipelineException) t).result() : null;
  }
}
