package dev.sluice.internal.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.HttpOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * How URL inputs are fetched ({@link HttpOptions}): headers, timeouts, retries. Job file object
 * {@code "http"}. See {@link Section}. Headers add up: the command line's are sent besides the job
 * file's.
 */
public final class HttpSection extends Section<HttpSection> {
  @Option(
      names = "--http-header",
      paramLabel = "'NAME: VALUE'",
      order = 1,
      description =
          "A header sent with every URL request (e.g. 'Authorization: Bearer ...'). Repeatable."
              + " Other users can see it in the process list: prefer --http-header-file for secrets.")
  @JsonProperty("headers")
  @JsonDeserialize(using = JobJson.Strings.class)
  @Nullable List<String> headers;

  @Option(
      names = "--http-header-file",
      paramLabel = "FILE",
      order = 1,
      description = "Headers for URL requests, one 'Name: value' per line ('#' comments ignored).")
  @JsonProperty("headerFile")
  @Nullable Path headerFile;

  @Option(
      names = "--http-timeout",
      paramLabel = "DURATION",
      order = 1,
      converter = Converters.PositiveDuration.class,
      description =
          "How long a URL request waits for the response, and at most between two pieces of its"
              + " body (default: 30s).")
  @JsonProperty("timeout")
  @JsonDeserialize(using = JobJson.RequestTimeout.class)
  @Nullable Duration timeout;

  @Option(
      names = "--http-connect-timeout",
      paramLabel = "DURATION",
      order = 1,
      converter = Converters.PositiveDuration.class,
      description = "How long a URL request waits for a connection (default: 10s).")
  @JsonProperty("connectTimeout")
  @JsonDeserialize(using = JobJson.ConnectTimeout.class)
  @Nullable Duration connectTimeout;

  @Option(
      names = "--http-retries",
      paramLabel = "N",
      order = 1,
      converter = Converters.NonNegative.class,
      description =
          "Retries of a URL after a connection error, a timeout, 5xx, 408 or 429, with exponential"
              + " backoff and jitter; Retry-After is honoured (default: 4; 0: none).")
  @JsonProperty("retries")
  @JsonDeserialize(using = JobJson.NonNegativeInt.class)
  @Nullable Integer retries;

  @Option(
      names = "--http-backoff",
      paramLabel = "DURATION",
      order = 1,
      converter = Converters.DurationValue.class,
      description =
          "The wait before the first retry of a URL, doubled for each next one up to 30s, with"
              + " jitter (default: 200ms). Raise it for a server that needs time to recover.")
  @JsonProperty("backoff")
  @Nullable Duration backoff;

  // The command line's headers and header file when the job file has its own: all are sent, the
  // job file's first, as the command line adds to the job file's options.
  private @Nullable List<String> laterHeaders;
  private @Nullable Path laterHeaderFile;

  @Override
  protected HttpSection empty() {
    return new HttpSection();
  }

  @Override
  protected void adjust(HttpSection base, HttpSection top, HttpSection merged) {
    if (base.headers != null || base.headerFile != null) {
      merged.headers = base.headers;
      merged.headerFile = base.headerFile;
      merged.laterHeaders = top.headers;
      merged.laterHeaderFile = top.headerFile;
    }
  }

  /** Whether nothing is set: the run keeps {@link HttpOptions#defaults()}. */
  public boolean isEmpty() {
    for (java.lang.reflect.Field f : settings(getClass())) {
      try {
        if (f.get(this) != null) {
          return false;
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    return true;
  }

  /**
   * The HTTP options this section describes.
   *
   * @param key how messages name the section's keys: {@code "http."} or {@code "--http-"}
   * @throws BadValue naming the key of a bad header or an unreadable header file
   */
  public HttpOptions options(String key) {
    boolean cli = key.startsWith("--");
    HttpOptions.Builder h = HttpOptions.builder();
    headers(h, headers, cli ? "--http-header" : key + "headers", cli);
    headerFile(h, headerFile, cli ? "--http-header-file" : key + "headerFile", cli);
    headers(h, laterHeaders, "--http-header", true);
    headerFile(h, laterHeaderFile, "--http-header-file", true);
    if (timeout != null) {
      h.requestTimeout(timeout);
    }
    if (connectTimeout != null) {
      h.connectTimeout(connectTimeout);
    }
    if (retries != null) {
      h.retries(retries);
    }
    if (backoff != null) {
      h.initialBackoff(backoff);
    }
    return h.build();
  }

  private static void headers(
      HttpOptions.Builder h, @Nullable List<String> headers, String k, boolean cli) {
    if (headers == null) {
      return;
    }
    for (int i = 0; i < headers.size(); i++) {
      try {
        h.header(headers.get(i));
      } catch (ConfigurationException e) {
        // HttpOptions' messages name the header, never its value.
        throw new BadValue((cli ? k : k + "[" + i + "]") + ": " + e.getMessage());
      }
    }
  }

  private static void headerFile(
      HttpOptions.Builder h, @Nullable Path file, String k, boolean cli) {
    if (file != null) {
      try {
        h.headerFile(file);
      } catch (UncheckedIOException e) {
        IOException cause = e.getCause();
        Path abs = file.toAbsolutePath().normalize();
        throw new BadValue(
            k
                + ": "
                + (cause instanceof NoSuchFileException
                    ? (cli ? "header file " : "") + "not found: " + abs
                    : "cannot read " + (cli ? "the header file " : "") + abs + ": " + cause));
      } catch (ConfigurationException e) {
        throw new BadValue(k + (cli ? " " : ": ") + e.getMessage());
      }
    }
  }
}
