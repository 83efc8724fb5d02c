package dev.sluice.beam;

import dev.sluice.Sluice;
import dev.sluice.api.InputSettings;
import dev.sluice.api.OutputSettings;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.SizingSettings;
import dev.sluice.api.spi.InputFile;
import dev.sluice.engine.LocalEngine;
import dev.sluice.internal.io.Formats;
import dev.sluice.internal.io.http.HttpInput;
import java.net.URI;
import java.nio.file.Path;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.jspecify.annotations.Nullable;

/**
 * Processes one input file per element, {@code KV(relative name, file URI)}, with {@link
 * Sluice#processFile}, or one URL input, {@code KV(relative name, http(s) URL)}, the same way
 * through the worker's {@link HttpInput}, and adds what it did to Beam metrics in the {@value
 * #NAMESPACE} namespace.
 *
 * <p>A retried element writes the same output again: the output is committed by an atomic rename of
 * a temp file, so a retry replaces the file with the same bytes rather than adding a second one.
 * Counters from a failed attempt are "attempted" but not "committed" metrics, which is why the
 * launcher prefers committed values.
 *
 * <p>Not thread-safe: Beam gives each worker thread its own instance.
 */
final class ProcessFileFn extends DoFn<KV<String, String>, Void> {
  private static final long serialVersionUID = 1L;

  static final String NAMESPACE = "sluice";
  static final String FILES = "files";
  static final String FILES_FAILED = "filesFailed";
  static final String RECORDS_READ = "recordsRead";
  static final String RECORDS_PASSED = "recordsPassed";
  static final String RECORDS_FILTERED = "recordsFiltered";
  static final String RECORDS_REJECTED = "recordsRejected";
  static final String RECORDS_WRITTEN = "recordsWritten";
  static final String BYTES_READ = "bytesRead";
  static final String BYTES_WRITTEN = "bytesWritten";
  static final String WARNINGS = "warnings";
  static final String REJECTS_PREFIX = "rejects.";
  static final String REJECT_FILES = "rejectFiles";
  static final String WARNING_MESSAGES = "warningMessages";

  /** Warning messages kept per file: the set travels with the metrics, so it stays small. */
  static final int WARNING_MESSAGES_PER_FILE = 5;

  /**
   * The job as the launcher built it. It travels serialized (its listeners and thread factory stay
   * behind); each element runs a spec made from the parts that shape a file's output.
   */
  private final PipelineSpec spec;

  /** The launcher's id of the run, so that it can wait for the calls running in its own JVM. */
  private final String runId;

  private final FileMetrics metrics = new FileMetrics();

  /** Made on the first URL; only this instance's thread uses it (Beam calls a DoFn serially). */
  private transient @Nullable HttpInput http;

  ProcessFileFn(PipelineSpec spec, String runId) {
    this.spec = spec;
    this.runId = runId;
  }

  @ProcessElement
  public void processElement(@Element KV<String, String> file) {
    // Throws if the launcher has already returned from this run: nothing may be written for it.
    InProcessWorkers.Run run = InProcessWorkers.enter(runId, file.getKey());
    try {
      process(file, run);
    } finally {
      if (run != null) {
        run.exit();
      }
    }
  }

  /** Stops this instance's HTTP client, if it made one. */
  @Teardown
  public void teardown() {
    HttpInput h = http;
    http = null;
    if (h != null) {
      h.close();
    }
  }

  /**
   * This instance's HTTP client, made on its first URL and kept for the next ones (connections are
   * reused). Closed by {@link #teardown}, or by the launcher's run when it ends in this JVM, which
   * does not wait for Beam's teardown.
   */
  private HttpInput http(InProcessWorkers.@Nullable Run run) {
    HttpInput h = http;
    if (h == null) {
      h = new HttpInput(spec.http());
      http = h;
    }
    if (run != null) {
      run.closeAtEnd(h);
    }
    return h;
  }

  private void process(KV<String, String> file, InProcessWorkers.@Nullable Run run) {
    // Throws PipelineException (or ConfigurationException) naming the file; Beam fails the bundle
    // and the launcher unwraps it.
    RunResult r;
    if (Locations.isUrl(file.getValue())) {
      URI url = URI.create(file.getValue());
      r =
          processUrl(
              workerSpec(InputSettings.builder().inputUrl(url).http(spec.http())),
              url,
              file.getKey(),
              http(run));
    } else {
      Path path = Locations.path(file.getValue());
      r = Sluice.processFile(workerSpec(InputSettings.builder().input(path)), path, file.getKey());
    }
    metrics.add(r);
  }

  /**
   * What {@link Sluice#processFile} does for a file, for a URL fetched through {@code http}, which
   * the caller owns (it serves many elements). Not in {@code Sluice}: its {@code HttpInput} is an
   * internal type.
   */
  static RunResult processUrl(PipelineSpec spec, URI url, String relativeName, HttpInput http) {
    return LocalEngine.processFile(
        spec.toBuilder().overwrite(true).build(),
        Formats.input(spec.inputFormat(), http),
        Formats.output(spec.outputFormat()),
        InputFile.ofUri(0, url, relativeName));
  }

  /**
   * The spec one element runs under: its own input, the job's output, formats, steps, error
   * handling and batch sizing, one thread per stage. Launcher-only settings (thread counts, state,
   * input actions, limit, timeout) stay behind, as do the launcher's hooks.
   */
  PipelineSpec workerSpec(InputSettings.Builder input) {
    return workerSpec(spec, input);
  }

  /** {@link #workerSpec(InputSettings.Builder)} for the job {@code spec}. */
  static PipelineSpec workerSpec(PipelineSpec spec, InputSettings.Builder input) {
    SizingSettings sizing = spec.sizingSettings();
    return PipelineSpec.builder()
        .inputSettings(input.build())
        .outputSettings(
            OutputSettings.builder()
                .output(spec.output().toAbsolutePath().normalize())
                .inputFormat(spec.inputFormat())
                .outputFormat(spec.outputFormat())
                .build())
        // A run-wide limit still fails a file that alone exceeds it, as locally; the launcher
        // checks the run's total at the end.
        .errorSettings(
            spec.errorSettings().toBuilder()
                .rejectDir(spec.rejectDir().toAbsolutePath().normalize())
                .build())
        .sizingSettings(
            SizingSettings.builder()
                .batchSize(sizing.batchSize())
                .batchBytes(sizing.batchBytes())
                .queueCapacity(sizing.queueCapacity())
                .maxInFlight(sizing.maxInFlight())
                .stopTimeout(sizing.stopTimeout())
                .threads(1, 1, 1)
                .build())
        .steps(spec.steps())
        .build();
  }
}
