package dev.sluice.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * How URL inputs ({@link PipelineSpec#inputUrls()}) are fetched: extra request headers (for
 * authentication), timeouts and retries.
 *
 * <p>A request is retried, after an exponential backoff with full jitter ({@code random(0,
 * min(maxBackoff, initialBackoff * 2^attempt))}), when it cannot connect, times out, or gets a 5xx,
 * 408 or 429 status; a {@code Retry-After} header (seconds or an HTTP date) is honoured, up to
 * {@link #maxRetryAfter()}. Any other 4xx fails the file at once. {@link #toString()} names the
 * headers but never prints their values.
 *
 * <pre>{@code
 * HttpOptions http = HttpOptions.builder()
 *     .header("Authorization", "Bearer " + token)
 *     .requestTimeout(Duration.ofSeconds(20))
 *     .retries(5)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.2
 */
public final class HttpOptions {
  /** Headers the HTTP client sets itself, which a user header cannot replace. */
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private static final HttpOptions DEFAULTS = builder().build();

  private final List<Map.Entry<String, String>> headers;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final int retries;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration maxRetryAfter;
  private final @Nullable SSLContext sslContext;

  private HttpOptions(Builder b) {
    this.headers = List.copyOf(b.headers);
    this.connectTimeout = positive("connectTimeout", b.connectTimeout);
    this.requestTimeout = positive("requestTimeout", b.requestTimeout);
    if (b.retries < 0) {
      throw new ConfigurationException("retries < 0: " + b.retries);
    }
    this.retries = b.retries;
    this.initialBackoff = positive("initialBackoff", b.initialBackoff);
    this.maxBackoff = positive("maxBackoff", b.maxBackoff);
    if (b.maxRetryAfter.isNegative()) {
      throw new ConfigurationException("maxRetryAfter < 0: " + b.maxRetryAfter);
    }
    this.maxRetryAfter = b.maxRetryAfter;
    this.sslContext = b.sslContext;
  }

  private static Duration positive(String name, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new ConfigurationException(name + " must be positive: " + d);
    }
    return d;
  }

  /** The defaults: no extra header, 10 s to connect, 30 s per request, 4 retries. */
  public static HttpOptions defaults() {
    return DEFAULTS;
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.headers.addAll(headers);
    b.connectTimeout = connectTimeout;
    b.requestTimeout = requestTimeout;
    b.retries = retries;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.maxRetryAfter = maxRetryAfter;
    b.sslContext = sslContext;
    return b;
  }

  /** Extra request headers, in the order given (a name may repeat). */
  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** How long to wait for a connection (default 10 s). */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * How long to wait for the response headers, and at most between two pieces of the body (default
   * 30 s): a server that stalls fails the request instead of holding a reader forever.
   */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** Retries after the first attempt (default 4; 0: none). */
  public int retries() {
    return retries;
  }

  /** The backoff before the first retry, doubled for each next one (default 200 ms). */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /** The longest computed backoff (default 30 s). */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * The longest {@code Retry-After} honoured (default 5 min): a server asking for a longer wait
   * fails the file at once rather than stalling the run.
   */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /** The TLS context for HTTPS, or null for the JVM's default (its trust store). */
  public @Nullable SSLContext sslContext() {
    return sslContext;
  }

  @Override
  public String toString() {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, String> h : headers) {
      names.add(h.getKey() + ": ***");
    }
    return String.format(
        Locale.ROOT,
        "HttpOptions{headers=%s, connect=%s, request=%s, retries=%d, backoff=%s..%s}",
        names,
        connectTimeout,
        requestTimeout,
        retries,
        initialBackoff,
        maxBackoff);
  }

  /**
   * Builds {@link HttpOptions}. Not thread-safe.
   *
   * @since 0.2
   */
  public static final class Builder {
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int retries = 4;
    private Duration initialBackoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration maxRetryAfter = Duration.ofMinutes(5);
    private @Nullable SSLContext sslContext;

    private Builder() {}

    /**
     * Adds a request header sent with every request to the URLs' own origins (never to another host
     * a redirect leads to).
     *
     * @throws ConfigurationException if the name is not a valid header name, is one the client sets
     *     itself, or the value holds a line break
     */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isEmpty() || !name.chars().allMatch(Builder::isTokenChar)) {
        throw new ConfigurationException("invalid HTTP header name '" + name + "'");
      }
      if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
        throw new ConfigurationException(
            "the HTTP header " + name + " is set by the client and cannot be given");
      }
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
        throw new ConfigurationException(
            "the value of HTTP header " + name + " holds a line break");
      }
      headers.add(Map.entry(name, value.strip()));
      return this;
    }

    /**
     * Adds a header given as {@code Name: value}.
     *
     * @throws ConfigurationException if there is no colon, or as {@link #header(String, String)}
     */
    public Builder header(String line) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new ConfigurationException(
            "an HTTP header is 'Name: value' (no colon in '" + shorten(line) + "')");
      }
      return header(line.substring(0, colon).strip(), line.substring(colon + 1));
    }

    /**
     * Adds the headers listed in {@code file}: one {@code Name: value} per line, UTF-8; blank lines
     * and lines starting with {@code #} are ignored. Keeping secrets in such a file (readable by
     * its owner only) keeps them out of command lines, job files and process lists.
     *
     * @throws ConfigurationException naming the file and line ({@code file:3: ...}) if a line is
     *     not a valid header, as {@link #header(String)}; the message never holds a header value
     * @throws UncheckedIOException if the file cannot be read
     * @since 0.2
     */
    public Builder headerFile(Path file) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (i == 0 && line.startsWith("\uFEFF")) {
          line = line.substring(1).strip();
        }
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        try {
          header(line);
        } catch (ConfigurationException e) {
          throw new ConfigurationException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
        }
      }
      return this;
    }

    private static String shorten(String s) {
      // The line may hold a secret: show its start only.
      return s.length() <= 12 ? s : s.substring(0, 12) + "...";
    }

    private static boolean isTokenChar(int c) {
      return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    /** How long to wait for a connection (default 10 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** How long to wait for the headers and between pieces of the body (default 30 s). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Retries after the first attempt (default 4). */
    public Builder retries(int n) {
      this.retries = n;
      return this;
    }

    /** The first backoff, doubled for each retry (default 200 ms). */
    public Builder initialBackoff(Duration d) {
      this.initialBackoff = Objects.requireNonNull(d, "backoff");
      return this;
    }

    /** The longest computed backoff (default 30 s). */
    public Builder maxBackoff(Duration d) {
      this.maxBackoff = Objects.requireNonNull(d, "backoff");
      return this;
    }

    /** The longest Retry-After honoured (default 5 min). */
    public Builder maxRetryAfter(Duration d) {
      this.maxRetryAfter = Objects.requireNonNull(d, "maxRetryAfter");
      return this;
    }

    /** The TLS context for HTTPS (default: the JVM's). */
    public Builder sslContext(@Nullable SSLContext context) {
      this.sslContext = context;
      return this;
    }

    /** The options. @throws ConfigurationException if a setting is invalid */
    public HttpOptions build() {
      return new HttpOptions(this);
    }
  }
}
