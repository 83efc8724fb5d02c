package dev.sluice.internal.io.http;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.sluice.api.HttpOptions;
import dev.sluice.api.spi.InputFile;
import dev.sluice.internal.io.InputOpener;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jspecify.annotations.Nullable;

/**
 * Fetches URL inputs with {@link HttpClient}: one GET per file, on the calling reader's thread, so
 * N readers keep N requests in flight. Opens files that are not URLs by path.
 *
 * <p>What is retried, and how long it waits, is in {@link HttpOptions}. A file is retried as a
 * whole only before anything of it has reached the caller: {@link #open} reads the first 64 KiB of
 * the body (about what a reader's first buffer takes anyway) before it returns, and a failure up to
 * there is retried like a failed request. A failure after that fails the file: the reader may have
 * handed records on, and reading the file again would repeat them. Such a failure's message names
 * the URL and how many bytes had arrived.
 *
 * <p>Redirects (301, 302, 303, 307, 308; at most 5) are followed; the configured headers go to the
 * URL's own origin only, never to another host a redirect leads to, and a redirect from https to
 * http is refused.
 *
 * <p>Threads: the client runs on an executor of daemon threads named {@code sluice-http-N} that
 * this object owns; {@link #close()} stops them (and, on Java 21+, the client's own selector
 * thread; on Java 17 that thread, {@code HttpClient-N-SelectorManager}, ends on its own once the
 * client is unreachable). The client is made on the first URL, so a run without URLs starts none.
 *
 * <p>Thread-safe: reader threads call {@link #open} concurrently. {@link #close()} is idempotent;
 * call it once the readers are done.
 */
public final class HttpInput implements InputOpener, Closeable {
  /** Bytes of a body read before {@link #open} returns, so that failures there are retried. */
  static final int PREFETCH = 64 * 1024;

  private static final int MAX_REDIRECTS = 5;
  private static final AtomicInteger POOLS = new AtomicInteger();

  /** Waits between attempts; tests record the waits instead. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final HttpOptions options;
  private final Sleeper sleeper;
  private final Clock clock;
  private final DoubleSupplier jitter;
  private final Object lock = new Object();

  @GuardedBy("lock")
  private @Nullable HttpClient client;

  @GuardedBy("lock")
  private @Nullable ExecutorService executor;

  @GuardedBy("lock")
  private boolean closed;

  /** Counted down once the first {@link #close()} has stopped the threads (or given up). */
  private final java.util.concurrent.CountDownLatch stopped =
      new java.util.concurrent.CountDownLatch(1);

  /** Every thread the executor made, joined by {@link #close()}: terminated is not yet exited. */
  private final java.util.Queue<Thread> started =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** An opener with {@code options}, waiting with {@link Thread#sleep} and a random jitter. */
  public HttpInput(HttpOptions options) {
    this(
        options,
        d -> TimeUnit.NANOSECONDS.sleep(d.toNanos()),
        Clock.systemUTC(),
        () -> ThreadLocalRandom.current().nextDouble());
  }

  HttpInput(HttpOptions options, Sleeper sleeper, Clock clock, DoubleSupplier jitter) {
    this.options = Objects.requireNonNull(options, "options");
    this.sleeper = sleeper;
    this.clock = clock;
    this.jitter = jitter;
  }

  private HttpClient client() throws IOException {
    synchronized (lock) {
      if (closed) {
        throw new IOException("the HTTP input is closed");
      }
      if (client == null) {
        int pool = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        // Unbounded and handing off directly: the client's tasks are short, and a queue in front
        // of a small pool could stall body delivery behind blocked readers.
        ExecutorService e =
            new ThreadPoolExecutor(
                0,
                Integer.MAX_VALUE,
                10,
                TimeUnit.SECONDS,
                new SynchronousQueue<>(),
                r -> {
                  Thread t =
                      new Thread(
                          r, "sluice-http-" + (pool == 1 ? "" : pool + "-") + n.incrementAndGet());
                  t.setDaemon(true);
                  started.add(t);
                  return t;
                });
        HttpClient.Builder b =
            HttpClient.newBuilder()
                .executor(e)
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if (options.sslContext() != null) {
          b.sslContext(options.sslContext());
        }
        executor = e;
        client = b.build();
      }
      return client;
    }
  }

  @Override
  public InputStream open(InputFile file) throws IOException {
    URI url = file.uri();
    if (url == null) {
      return InputOpener.FILES.open(file);
    }
    String name = file.location();
    HttpClient c = client();
    IOException last = null;
    int attempts = options.retries() + 1;
    for (int attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) {
        pause(waitBefore(attempt, last), name);
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException("interrupted before fetching " + name);
      }
      HttpResponse<InputStream> r;
      try {
        r = get(c, url, name);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the run is stopping: the reader's loop sees the flag
        InterruptedIOException ie =
            new InterruptedIOException("interrupted while fetching " + name);
        ie.initCause(e);
        throw ie;
      } catch (SSLHandshakeException | SSLPeerUnverifiedException e) {
        throw new IOException(
            "cannot fetch " + name + ": TLS handshake failed: " + e.getMessage(), e);
      } catch (StatusException e) {
        throw e;
      } catch (IOException e) {
        // Connection refused or reset, a timeout: worth another attempt.
        last = new IOException("cannot fetch " + name + ": " + describe(e), e);
        continue;
      }
      int status = r.statusCode();
      if (status >= 200 && status < 300) {
        BodyStream body = (BodyStream) r.body();
        try {
          byte[] head = body.readNBytes(PREFETCH);
          if (body.ended()) {
            body.close();
            return new ByteArrayInputStream(head);
          }
          return new SequenceInputStream(new ByteArrayInputStream(head), body);
        } catch (InterruptedIOException e) {
          body.close();
          throw e;
        } catch (IOException e) {
          body.close();
          last = e; // nothing handed on yet: the whole file can be fetched again
          continue;
        }
      }
      StatusException s = new StatusException(name, status);
      if (!retryable(status)) {
        throw s;
      }
      Duration after = retryAfter(r);
      if (after != null && after.compareTo(options.maxRetryAfter()) > 0) {
        throw new IOException(
            s.getMessage()
                + ": the server asks to retry after "
                + after.toSeconds()
                + " s, longer than the "
                + options.maxRetryAfter().toSeconds()
                + " s allowed",
            s);
      }
      last = after == null ? s : new RetryAfter(s, after);
    }
    IOException failure = Objects.requireNonNull(last);
    if (failure instanceof RetryAfter) {
      failure = (IOException) Objects.requireNonNull(failure.getCause());
    }
    if (attempts == 1) {
      throw failure;
    }
    throw new IOException(failure.getMessage() + " (" + attempts + " attempts)", failure);
  }

  /** GET {@code url}, following redirects. */
  private HttpResponse<InputStream> get(HttpClient c, URI url, String name)
      throws IOException, InterruptedException {
    URI at = url;
    for (int hops = 0; ; hops++) {
      HttpRequest.Builder req =
          HttpRequest.newBuilder(at)
              .GET()
              .timeout(options.requestTimeout())
              .version(
                  "https".equalsIgnoreCase(at.getScheme())
                      ? HttpClient.Version.HTTP_2
                      : HttpClient.Version.HTTP_1_1);
      if (sameOrigin(url, at)) {
        for (Map.Entry<String, String> h : options.headers()) {
          req.header(h.getKey(), h.getValue());
        }
      }
      HttpResponse<InputStream> r =
          c.send(
              req.build(),
              info ->
                  info.statusCode() >= 200 && info.statusCode() < 300
                      ? new BodyStream(name, options.requestTimeout())
                      : HttpResponse.BodySubscribers.replacing(InputStream.nullInputStream()));
      if (!isRedirect(r.statusCode())) {
        return r;
      }
      String location = r.headers().firstValue("Location").orElse(null);
      if (location == null) {
        return r; // a 3xx without a place to go: reported as its status
      }
      if (hops == MAX_REDIRECTS) {
        throw new StatusException(
            name + " (more than " + MAX_REDIRECTS + " redirects)", r.statusCode());
      }
      URI next;
      try {
        next = at.resolve(location.strip());
      } catch (IllegalArgumentException e) {
        throw new StatusException(name + " (redirect to an invalid location)", r.statusCode());
      }
      if ("https".equalsIgnoreCase(at.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
        throw new StatusException(
            name + " (redirect from https to " + next.getScheme() + " refused)", r.statusCode());
      }
      if (!"http".equalsIgnoreCase(next.getScheme())
          && !"https".equalsIgnoreCase(next.getScheme())) {
        throw new StatusException(
            name + " (redirect to a " + next.getScheme() + " URL refused)", r.statusCode());
      }
      at = next;
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && Objects.equals(lower(a.getHost()), lower(b.getHost()))
        && port(a) == port(b);
  }

  private static @Nullable String lower(@Nullable String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  private static int port(URI u) {
    return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  /** 408 and 429 (the server asks to come back), and 5xx (the server failed, maybe briefly). */
  static boolean retryable(int status) {
    return status == 408 || status == 429 || (status >= 500 && status < 600);
  }

  /**
   * The wait before attempt {@code attempt} (from 1): the server's Retry-After, or backoff with
   * jitter.
   */
  Duration waitBefore(int attempt, @Nullable IOException last) {
    if (last instanceof RetryAfter) {
      return ((RetryAfter) last).after;
    }
    double exp =
        Math.min(
            options.maxBackoff().toNanos(),
            options.initialBackoff().toNanos() * Math.pow(2, attempt - 1));
    // Full jitter: readers that failed together do not come back together.
    return Duration.ofNanos((long) (exp * jitter.getAsDouble()));
  }

  private void pause(Duration d, String name) throws InterruptedIOException {
    if (d.isZero() || d.isNegative()) {
      return;
    }
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException ie =
          new InterruptedIOException("interrupted while waiting to retry " + name);
      ie.initCause(e);
      throw ie;
    }
  }

  /** The Retry-After of {@code r} (seconds or an HTTP date), or null if absent or unreadable. */
  @Nullable Duration retryAfter(HttpResponse<?> r) {
    String v = r.headers().firstValue("Retry-After").orElse(null);
    return v == null ? null : parseRetryAfter(v, clock);
  }

  static @Nullable Duration parseRetryAfter(String value, Clock clock) {
    String v = value.strip();
    try {
      long s = Long.parseLong(v);
      return s < 0 ? null : Duration.ofSeconds(s);
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(clock.instant(), at.toInstant());
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notADate) {
        return null; // an unreadable header: fall back to our own backoff
      }
    }
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    String kind = e.getClass().getSimpleName();
    if (e instanceof java.net.http.HttpConnectTimeoutException) {
      return "connect timed out";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "request timed out";
    }
    if (e instanceof java.net.ConnectException) {
      return "connection refused" + (m == null || m.isEmpty() ? "" : " (" + m + ")");
    }
    return m == null || m.isEmpty() ? kind : kind + ": " + m;
  }

  /**
   * Stops the client's threads. Waits a few seconds for them; the readers are done by then, so no
   * request is still running.
   */
  @Override
  public void close() {
    HttpClient c = null;
    ExecutorService e = null;
    boolean closing;
    synchronized (lock) {
      closing = closed;
      if (!closed) {
        closed = true;
        c = client;
        e = executor;
        client = null;
        executor = null;
      }
    }
    if (closing) {
      // Another thread is closing (Beam's teardown and the run's end may both close a client):
      // return only once its threads are gone, as the caller of close() is promised.
      awaitStopped();
      return;
    }
    try {
      stop(c, e);
    } finally {
      stopped.countDown();
    }
  }

  /** Waits for the close under way in another thread, whose own waits are bounded (2 x 5 s). */
  private void awaitStopped() {
    try {
      if (!stopped.await(15, TimeUnit.SECONDS)) {
        throw new IllegalStateException("HTTP client threads did not stop within 15 s");
      }
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  private void stop(@Nullable HttpClient c, @Nullable ExecutorService e) {
    if (c != null) {
      shutdownClient(c);
    }
    if (e != null) {
      e.shutdownNow();
      try {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        if (!e.awaitTermination(5, TimeUnit.SECONDS)) {
          throw new IllegalStateException("HTTP client threads did not stop within 5 s");
        }
        // The executor counts as terminated while its last workers are still on their way out.
        for (Thread t : started) {
          t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
          if (t.isAlive()) {
            throw new IllegalStateException(
                "HTTP client thread " + t.getName() + " did not stop within 5 s");
          }
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Java 21+ can stop a client (and its selector thread); Java 17 cannot, and lets it end when
   * unreachable.
   */
  private static void shutdownClient(HttpClient c) {
    try {
      Method now = HttpClient.class.getMethod("shutdownNow");
      now.invoke(c);
      Method await = HttpClient.class.getMethod("awaitTermination", Duration.class);
      await.invoke(c, Duration.ofSeconds(5));
    } catch (NoSuchMethodException e) {
      // Java 17: nothing to call.
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot stop the HTTP client", e);
    }
  }

  /** An HTTP status that is not success: the message names the URL and the status. */
  static final class StatusException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    StatusException(String url, int status) {
      super("HTTP " + status + " from " + url);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  /** A retryable status that came with a Retry-After. */
  private static final class RetryAfter extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Duration after;

    RetryAfter(StatusException s, Duration after) {
      super(s.getMessage(), s);
      this.after = after;
    }
  }
}
