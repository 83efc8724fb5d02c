package dev.sluice.beam;

import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.Format;
import dev.sluice.api.HttpOptions;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Step;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a Beam worker needs to rebuild a job's {@link PipelineSpec}: {@code PipelineSpec} itself is
 * not serializable (it holds paths, listeners and a thread factory), so this carries the parts
 * that shape a file's output, with paths as URIs (absolute, so that a worker with another working
 * directory, or another file-system provider such as one for {@code gs://}, finds the same file).
 * Launcher-only settings (thread counts, state directory, listeners, timeout) stay behind. {@link
 * HttpOptions} travel as their parts (the class is not serializable); the headers may hold
 * secrets, so nothing here prints them.
 *
 * <p>Immutable and thread-safe (the steps must be thread-safe, as for the local engine).
 */
final class WorkerJob implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String output;
  private final String rejectDir;
  private final Format inputFormat;
  private final Format outputFormat;
  private final ArrayList<Step> steps;
  private final ErrorPolicy onError;
  private final String maxErrors;
  private final String maxErrorsPerFile;
  private final int batchSize;
  private final int batchBytes;
  private final int queueCapacity;
  private final long maxInFlight;
  private final Duration stopTimeout;
  // HttpOptions, part by part; a custom TLS context cannot travel and is refused by BeamEngine.
  /** Header names and values, alternating. */
  private final ArrayList<String> httpHeaders = new ArrayList<>();
  private final Duration httpConnectTimeout;
  private final Duration httpRequestTimeout;
  private final int httpRetries;
  private final Duration httpInitialBackoff;
  private final Duration httpMaxBackoff;
  private final Duration httpMaxRetryAfter;

  WorkerJob(PipelineSpec spec) {
    this.output = uri(spec.output());
    this.rejectDir = uri(spec.rejectDir());
    this.inputFormat = spec.inputFormat();
    this.outputFormat = spec.outputFormat();
    this.steps = new ArrayList<>(spec.steps());
    this.onError = spec.onError();
    this.maxErrors = threshold(spec.maxErrors());
    this.maxErrorsPerFile = threshold(spec.maxErrorsPerFile());
    this.batchSize = spec.batchSize();
    this.batchBytes = spec.batchBytes();
    this.queueCapacity = spec.queueCapacity();
    this.maxInFlight = spec.maxInFlight();
    this.stopTimeout = spec.stopTimeout();
    HttpOptions http = spec.http();
    for (Map.Entry<String, String> h : http.headers()) {
      httpHeaders.add(h.getKey());
      httpHeaders.add(h.getValue());
    }
    this.httpConnectTimeout = http.connectTimeout();
    this.httpRequestTimeout = http.requestTimeout();
    this.httpRetries = http.retries();
    this.httpInitialBackoff = http.initialBackoff();
    this.httpMaxBackoff = http.maxBackoff();
    this.httpMaxRetryAfter = http.maxRetryAfter();
  }

  /** The spec's {@link PipelineSpec#http()} options, rebuilt. */
  HttpOptions http() {
    HttpOptions.Builder b =
        HttpOptions.builder()
            .connectTimeout(httpConnectTimeout)
            .requestTimeout(httpRequestTimeout)
            .retries(httpRetries)
            .initialBackoff(httpInitialBackoff)
            .maxBackoff(httpMaxBackoff)
            .maxRetryAfter(httpMaxRetryAfter);
    for (int i = 0; i < httpHeaders.size(); i += 2) {
      b.header(httpHeaders.get(i), httpHeaders.get(i + 1));
    }
    return b.build();
  }

  /** The spec for fetching {@code url} on a worker. */
  PipelineSpec spec(URI url) {
    return common(PipelineSpec.builder().inputUrl(url).http(http()));
  }

  /** The spec for processing {@code file} on a worker. */
  PipelineSpec spec(Path file) {
    return common(PipelineSpec.builder().input(file));
  }

  private PipelineSpec common(PipelineSpec.Builder b) {
    return b.output(path(output))
        .rejectDir(path(rejectDir))
        .inputFormat(inputFormat)
        .outputFormat(outputFormat)
        .steps(steps)
        .onError(onError)
        // A run-wide limit still fails a file that alone exceeds it, as locally; the launcher
        // checks the run's total at the end.
        .maxErrors(parse(maxErrors))
        .maxErrorsPerFile(parse(maxErrorsPerFile))
        .batchSize(batchSize)
        .batchBytes(batchBytes)
        .queueCapacity(queueCapacity)
        .maxInFlight(maxInFlight)
        .stopTimeout(stopTimeout)
        .threads(1, 1, 1)
        .build();
  }

  List<Step> steps() {
    return steps;
  }

  static String uri(Path p) {
    return p.toAbsolutePath().normalize().toUri().toString();
  }

  static Path path(String uri) {
    return Path.of(URI.create(uri));
  }

  /**
   * Whether an element's location is a URL input rather than a file: the spec admits only http and
   * https URLs, and a path's URI has its file system's scheme ({@code file}, or a provider's).
   */
  static boolean isUrl(String location) {
    String scheme = URI.create(location).getScheme();
    return scheme != null
        && (scheme.toLowerCase(Locale.ROOT).equals("http") || scheme.toLowerCase(Locale.ROOT).equals("https"));
  }

  /** {@link ErrorThreshold} is not serializable; its text form parses back, except "none". */
  private static String threshold(ErrorThreshold t) {
    return t.equals(ErrorThreshold.none()) ? "" : t.toString();
  }

  private static ErrorThreshold parse(String s) {
    return s.isEmpty() ? ErrorThreshold.none() : ErrorThreshold.parse(s);
  }
}
