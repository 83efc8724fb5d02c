package dev.sluice.api;

import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Serial forms of the configuration types that are not {@link Serializable} themselves: paths
 * travel as absolute URIs (so that a Beam worker with another working directory, or another
 * file-system provider such as one for {@code gs://}, finds the same file), thresholds and input
 * actions as their parts.
 */
final class SerialForms {
  private SerialForms() {}

  static @Nullable String uri(@Nullable Path p) {
    return p == null ? null : p.toAbsolutePath().normalize().toUri().toString();
  }

  static @Nullable Path path(@Nullable String uri) {
    return uri == null ? null : Path.of(URI.create(uri));
  }

  static ArrayList<String> uris(List<Path> paths) {
    ArrayList<String> out = new ArrayList<>(paths.size());
    paths.forEach(p -> out.add(uri(p)));
    return out;
  }

  static List<Path> paths(List<String> uris) {
    List<Path> out = new ArrayList<>(uris.size());
    uris.forEach(u -> out.add(path(u)));
    return out;
  }

  /** {@link ErrorThreshold}'s text form parses back, except {@code none}, which is empty. */
  static String threshold(ErrorThreshold t) {
    return t.equals(ErrorThreshold.none()) ? "" : t.toString();
  }

  static ErrorThreshold threshold(String s) {
    return s.isEmpty() ? ErrorThreshold.none() : ErrorThreshold.parse(s);
  }

  /** {@code keep}, {@code delete} or {@code move:} and the directory's URI. */
  static String action(InputAction a) {
    return a.isMove() ? "move:" + uri(a.directory()) : a.toString();
  }

  static InputAction action(String s) {
    return s.startsWith("move:")
        ? InputAction.moveTo(
            java.util.Objects.requireNonNull(path(s.substring(5)), "move directory"))
        : InputAction.parse(s);
  }

  /**
   * {@link HttpOptions}, part by part. A custom TLS context cannot travel: it is dropped (the Beam
   * engine refuses a spec that has one). The headers may hold secrets, so nothing prints them.
   */
  static final class Http implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Header names and values, alternating. */
    private final ArrayList<String> headers = new ArrayList<>();

    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int retries;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryAfter;

    Http(HttpOptions http) {
      for (Map.Entry<String, String> h : http.headers()) {
        headers.add(h.getKey());
        headers.add(h.getValue());
      }
      this.connectTimeout = http.connectTimeout();
      this.requestTimeout = http.requestTimeout();
      this.retries = http.retries();
      this.initialBackoff = http.initialBackoff();
      this.maxBackoff = http.maxBackoff();
      this.maxRetryAfter = http.maxRetryAfter();
    }

    HttpOptions options() {
      HttpOptions.Builder b =
          HttpOptions.builder()
              .connectTimeout(connectTimeout)
              .requestTimeout(requestTimeout)
              .retries(retries)
              .initialBackoff(initialBackoff)
              .maxBackoff(maxBackoff)
              .maxRetryAfter(maxRetryAfter);
      for (int i = 0; i < headers.size(); i += 2) {
        b.header(headers.get(i), headers.get(i + 1));
      }
      return b.build();
    }

    @Override
    public String toString() {
      return "Http{" + headers.size() / 2 + " header(s)}";
    }
  }
}
