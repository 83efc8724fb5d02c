package dev.sluice.internal.io.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.HttpOptions;
import dev.sluice.api.spi.InputFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HttpInput} against a loopback server: headers, retries, Retry-After, timeouts, redirects.
 */
@Timeout(30)
class HttpInputTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);

  private LoopbackServer server;
  private final List<Duration> waits = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    server = new LoopbackServer();
  }

  @AfterEach
  void stop() {
    release.countDown(); // frees any handler still waiting
    server.close();
    assertThat(ThreadsCheck.aliveHttpThreads()).as("sluice-http threads after close").isEmpty();
    if (Runtime.version().feature() >= 21) {
      // Java 21+ can stop the client itself: its selector thread is gone too. (On Java 17 it ends
      // on its own once the client is unreachable.)
      assertThat(ThreadsCheck.alive("HttpClient-")).as("HTTP client threads after close").isEmpty();
    }
  }

  private HttpInput input(HttpOptions options) {
    // Waits are recorded, not slept: no test here waits on the clock.
    return new HttpInput(options, waits::add, CLOCK, () -> 1.0);
  }

  private static InputFile file(URI url) {
    return InputFile.ofUri(0, url, "x.csv");
  }

  private static byte[] read(HttpInput in, URI url) throws IOException {
    try (InputStream s = in.open(file(url))) {
      return s.readAllBytes();
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }

  @Test
  void shouldSendTheConfiguredHeadersAndReturnTheBody() throws IOException {
    byte[] body = bytes(200_000); // more than the prefetch, so the stream goes on past it
    server.serve("/a.csv", body);
    try (HttpInput in =
        input(
            HttpOptions.builder()
                .header("Authorization: Bearer s3cret")
                .header("X-Team", "data")
                .build())) {
      assertThat(read(in, server.url("/a.csv"))).isEqualTo(body);
    }
    LoopbackServer.Request r = server.requests.get(0);
    assertThat(r.headers().getFirst("Authorization")).isEqualTo("Bearer s3cret");
    assertThat(r.headers().getFirst("X-Team")).isEqualTo("data");
  }

  @Test
  void shouldRetryA503UntilItSucceeds() throws IOException {
    byte[] body = "a,b\n1,2\n".getBytes(UTF_8);
    server.handle(
        "/flaky.csv",
        (ex, n) -> LoopbackServer.send(ex, n <= 2 ? 503 : 200, n <= 2 ? new byte[0] : body));
    try (HttpInput in =
        input(HttpOptions.builder().retries(3).initialBackoff(Duration.ofMillis(100)).build())) {
      assertThat(read(in, server.url("/flaky.csv"))).isEqualTo(body);
    }
    assertThat(server.count("/flaky.csv")).isEqualTo(3);
    // Exponential backoff (jitter fixed at its top here): 100 ms, then 200 ms.
    assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void shouldHonourRetryAfterInSecondsAndAsADate() throws IOException {
    byte[] body = "x\n".getBytes(UTF_8);
    server.handle(
        "/busy.csv",
        (ex, n) -> {
          if (n == 1) {
            ex.getResponseHeaders().add("Retry-After", "7");
            LoopbackServer.send(ex, 429, new byte[0]);
          } else if (n == 2) {
            ex.getResponseHeaders().add("Retry-After", "Thu, 26 Nov 2026 10:01:30 GMT");
            LoopbackServer.send(ex, 503, new byte[0]);
          } else {
            LoopbackServer.send(ex, 200, body);
          }
        });
    try (HttpInput in = input(HttpOptions.defaults())) {
      assertThat(read(in, server.url("/busy.csv"))).isEqualTo(body);
    }
    assertThat(waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(90));
  }

  @Test
  void shouldFailAtOnceWhenRetryAfterIsLongerThanAllowed() throws IOException {
    server.handle(
        "/later.csv",
        (ex, n) -> {
          ex.getResponseHeaders().add("Retry-After", "3600");
          LoopbackServer.send(ex, 503, new byte[0]);
        });
    try (HttpInput in = input(HttpOptions.defaults())) {
      assertThatThrownBy(() -> read(in, server.url("/later.csv")))
          .hasMessageContaining("HTTP 503")
          .hasMessageContaining("retry after 3600 s");
    }
    assertThat(server.count("/later.csv")).isEqualTo(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void shouldNotRetryA404OrA403() throws IOException {
    server.handle("/secret.csv", (ex, n) -> LoopbackServer.send(ex, 403, new byte[0]));
    try (HttpInput in = input(HttpOptions.defaults())) {
      URI missing = server.url("/missing.csv");
      assertThatThrownBy(() -> read(in, missing))
          .isInstanceOf(HttpInput.StatusException.class)
          .hasMessage("HTTP 404 from " + missing);
      assertThatThrownBy(() -> read(in, server.url("/secret.csv")))
          .hasMessageContaining("HTTP 403");
    }
    assertThat(server.count("/missing.csv")).isEqualTo(1);
    assertThat(server.count("/secret.csv")).isEqualTo(1);
    assertThat(waits).isEmpty();
  }

  @Test
  void shouldRetry408And429ButGiveUpAfterTheRetries() throws IOException {
    server.handle(
        "/slow.csv", (ex, n) -> LoopbackServer.send(ex, n % 2 == 1 ? 408 : 429, new byte[0]));
    try (HttpInput in = input(HttpOptions.builder().retries(2).build())) {
      assertThatThrownBy(() -> read(in, server.url("/slow.csv")))
          .hasMessageContaining("HTTP 408 from " + server.url("/slow.csv"))
          .hasMessageContaining("(3 attempts)");
    }
    assertThat(server.count("/slow.csv")).isEqualTo(3);
    assertThat(waits).hasSize(2);
  }

  @Test
  void shouldRetryARefusedConnection() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    URI url = URI.create("http://127.0.0.1:" + port + "/x.csv");
    try (HttpInput in =
        input(HttpOptions.builder().retries(2).maxBackoff(Duration.ofMillis(300)).build())) {
      assertThatThrownBy(() -> read(in, url))
          .hasMessageContaining("cannot fetch " + url)
          .hasMessageContaining("(3 attempts)");
    }
    assertThat(waits).containsExactly(Duration.ofMillis(200), Duration.ofMillis(300));
  }

  @Test
  void shouldTimeOutWhenTheServerStallsBeforeAnswering() throws IOException {
    server.handle(
        "/stall.csv",
        (ex, n) -> {
          release.await(20, TimeUnit.SECONDS);
          LoopbackServer.send(ex, 200, "late\n".getBytes(UTF_8));
        });
    try (HttpInput in =
        input(HttpOptions.builder().retries(1).requestTimeout(Duration.ofMillis(200)).build())) {
      assertThatThrownBy(() -> read(in, server.url("/stall.csv")))
          .hasMessageContaining("request timed out")
          .hasMessageContaining("(2 attempts)");
    }
    assertThat(waits).hasSize(1);
  }

  @Test
  void shouldFailTheStreamWhenTheServerStallsMidBodyAfterTheFileWasHandedOn() throws IOException {
    byte[] head = bytes(HttpInput.PREFETCH + 10_000);
    server.handle(
        "/half.csv",
        (ex, n) -> {
          ex.sendResponseHeaders(200, head.length + 1000L);
          OutputStream o = ex.getResponseBody();
          o.write(head);
          o.flush();
          release.await(20, TimeUnit.SECONDS);
        });
    try (HttpInput in =
            input(HttpOptions.builder().requestTimeout(Duration.ofMillis(300)).build());
        InputStream s = in.open(file(server.url("/half.csv")))) {
      assertThat(s.readNBytes(head.length)).isEqualTo(head);
      assertThatThrownBy(s::read)
          .hasMessageContaining("no data from " + server.url("/half.csv"))
          .hasMessageContaining(
              "after " + String.format(java.util.Locale.ROOT, "%,d", head.length) + " bytes");
    }
    // Once the caller has the stream, a failure is not retried: the records may be handed on.
    assertThat(server.count("/half.csv")).isEqualTo(1);
  }

  @Test
  void shouldRetryABodyCutBeforeAnythingWasHandedOn() throws IOException {
    byte[] body = bytes(5_000);
    server.handle(
        "/cut.csv",
        (ex, n) -> {
          if (n == 1) {
            ex.sendResponseHeaders(200, body.length);
            OutputStream o = ex.getResponseBody();
            o.write(body, 0, 100);
            o.flush();
            // Closing now leaves the body short: the client sees the connection end mid-body.
            throw new IOException("cut");
          }
          LoopbackServer.send(ex, 200, body);
        });
    try (HttpInput in = input(HttpOptions.defaults())) {
      assertThat(read(in, server.url("/cut.csv"))).isEqualTo(body);
    }
    assertThat(server.count("/cut.csv")).isEqualTo(2);
    assertThat(waits).hasSize(1);
  }

  @Test
  void shouldFollowRedirectsButSendHeadersToTheSameOriginOnly() throws IOException {
    byte[] body = "a\n".getBytes(UTF_8);
    try (LoopbackServer other = new LoopbackServer()) {
      other.serve("/there.csv", body);
      server.serve("/here.csv", body);
      server.handle(
          "/moved.csv",
          (ex, n) -> {
            ex.getResponseHeaders().add("Location", "/here.csv");
            LoopbackServer.send(ex, 302, new byte[0]);
          });
      server.handle(
          "/away.csv",
          (ex, n) -> {
            ex.getResponseHeaders().add("Location", other.url("/there.csv").toString());
            LoopbackServer.send(ex, 301, new byte[0]);
          });
      try (HttpInput in =
          input(HttpOptions.builder().header("Authorization", "Bearer t").build())) {
        assertThat(read(in, server.url("/moved.csv"))).isEqualTo(body);
        assertThat(read(in, server.url("/away.csv"))).isEqualTo(body);
      }
      assertThat(server.requests)
          .extracting(r -> r.headers().getFirst("Authorization"))
          .containsOnly("Bearer t");
      assertThat(other.requests).hasSize(1);
      assertThat(other.requests.get(0).headers().getFirst("Authorization")).isNull();
    }
  }

  @Test
  void shouldComputeTheBackoffWithJitterAndACap() {
    double[] jitter = {0.5};
    HttpInput in =
        new HttpInput(
            HttpOptions.builder()
                .initialBackoff(Duration.ofMillis(100))
                .maxBackoff(Duration.ofMillis(1000))
                .build(),
            waits::add,
            CLOCK,
            () -> jitter[0]);
    assertThat(
            Arrays.asList(
                in.waitBefore(1, null),
                in.waitBefore(2, null),
                in.waitBefore(5, null),
                in.waitBefore(80, null)))
        .containsExactly(
            Duration.ofMillis(50),
            Duration.ofMillis(100),
            Duration.ofMillis(500),
            Duration.ofMillis(500));
    jitter[0] = 0.0;
    assertThat(in.waitBefore(3, null)).isEqualTo(Duration.ZERO);
    in.close();
  }

  @Test
  void shouldReadRetryAfterLeniently() {
    assertThat(HttpInput.parseRetryAfter(" 12 ", CLOCK)).isEqualTo(Duration.ofSeconds(12));
    assertThat(HttpInput.parseRetryAfter("Thu, 26 Nov 2026 09:00:00 GMT", CLOCK))
        .isEqualTo(Duration.ZERO);
    assertThat(HttpInput.parseRetryAfter("-3", CLOCK)).isNull();
    assertThat(HttpInput.parseRetryAfter("soon", CLOCK)).isNull();
  }

  @Test
  void shouldRefuseBadHeaders() {
    assertThatThrownBy(() -> HttpOptions.builder().header("no colon here"))
        .hasMessageContaining("Name: value");
    assertThatThrownBy(() -> HttpOptions.builder().header("Host", "x"))
        .hasMessageContaining("set by the client");
    assertThatThrownBy(() -> HttpOptions.builder().header("X-A", "1\r\nX-B: 2"))
        .hasMessageContaining("line break");
    assertThat(HttpOptions.builder().header("Authorization: Bearer s3cret").build().toString())
        .contains("Authorization: ***")
        .doesNotContain("s3cret");
  }
}
