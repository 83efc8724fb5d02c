package dev.sluice.internal.io.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.FileTrees;
import dev.sluice.Sluice;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.HttpOptions;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Steps;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole runs over URL inputs: the same output as the same files read from disk, and the failures.
 */
@Timeout(60)
class HttpPipelineTest {
  @TempDir Path tmp;
  private LoopbackServer server;

  @BeforeEach
  void start() throws IOException {
    server = new LoopbackServer();
  }

  @AfterEach
  void stop() {
    server.close();
    // run() has returned: no thread of the run, the HTTP client's included, may be left.
    assertThat(ThreadsCheck.alive("sluice-")).as("sluice threads after the run").isEmpty();
  }

  /** Writes some CSV files (one gzip) under {@code dir} and serves each at /data/<name>. */
  private List<URI> files(Path dir, int n) throws IOException {
    Files.createDirectories(dir);
    List<URI> urls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] bytes = HttpFixtures.csv(i, 50 + i * 37, 7);
      String name = i % 3 == 2 ? "f" + i + ".csv.gz" : "f" + i + ".csv";
      if (name.endsWith(".gz")) {
        bytes = HttpFixtures.gzip(bytes);
      }
      Files.write(dir.resolve(name), bytes);
      server.serve("/data/" + name, bytes);
      urls.add(server.url("/data/" + name));
    }
    return urls;
  }

  private PipelineSpec.Builder job(Path out) {
    return Sluice.builder()
        .output(out)
        .threads(4, 2, 2)
        .step(Steps.filter("amount > 100"))
        .step(Steps.upper("name"))
        .http(HttpOptions.builder().retries(0).build());
  }

  @Test
  void shouldWriteTheSameOutputAsReadingTheSameFilesFromDisk() throws IOException {
    List<URI> urls = files(tmp.resolve("in"), 9);
    RunResult fromDisk = job(tmp.resolve("disk")).input(tmp.resolve("in")).run();
    RunResult fromHttp = job(tmp.resolve("http")).inputUrls(urls).run();
    // The URLs' paths are /data/<name>: the outputs mirror them under data/.
    assertThat(FileTrees.under(tmp.resolve("http/data")).skipping(".sluice").text())
        .isEqualTo(FileTrees.under(tmp.resolve("disk")).skipping(".sluice").text())
        .hasSize(9);
    assertThat(fromHttp.recordsWritten()).isEqualTo(fromDisk.recordsWritten()).isPositive();
    assertThat(fromHttp.files()).isEqualTo(9);
    assertThat(fromHttp.bytesRead()).isEqualTo(fromDisk.bytesRead());
  }

  @Test
  void shouldFailTheRunOnA404UnderTheFailPolicyNamingTheUrl() throws IOException {
    List<URI> urls = new ArrayList<>(files(tmp.resolve("in"), 2));
    URI missing = server.url("/data/missing.csv");
    urls.add(1, missing);
    assertThatThrownBy(() -> job(tmp.resolve("out")).inputUrls(urls).run())
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("HTTP 404 from " + missing);
  }

  @Test
  void shouldDropOnlyTheMissingFileUnderTheSkipPolicy() throws IOException {
    List<URI> urls = new ArrayList<>(files(tmp.resolve("in"), 3));
    URI missing = server.url("/data/missing.csv");
    urls.add(1, missing);
    RunResult r = job(tmp.resolve("out")).onError(ErrorPolicy.SKIP).inputUrls(urls).run();
    assertThat(r.files()).isEqualTo(3);
    assertThat(r.filesFailed()).isEqualTo(1);
    assertThat(tmp.resolve("out/data/f0.csv")).exists();
    assertThat(tmp.resolve("out/data/missing.csv")).doesNotExist();
    String rejects = Files.readString(tmp.resolve("out/_rejects/data/missing.csv.rejects.csv"));
    assertThat(rejects).contains("FILE_FAILED").contains("HTTP 404 from " + missing);
  }

  @Test
  void shouldKeepEveryOutputInsideTheOutputDirectoryWhateverTheUrlPath() throws IOException {
    byte[] body = "a\n1\n".getBytes(UTF_8);
    String[] paths = {
      "/x/..%2F..%2F..%2Fetc/passwd.csv",
      "/%2e%2e/%2E%2E/escape.csv",
      "/a%5C..%5C..%5Cwin.csv",
      "/",
      "/.hidden.csv",
      "/q.csv",
    };
    List<URI> urls = new ArrayList<>();
    for (String p : paths) {
      server.serve(URI.create("http://h" + p).getRawPath(), body);
      urls.add(server.url(p));
    }
    urls.add(URI.create(server.url("/q.csv") + "?page=2"));
    Path out = tmp.resolve("deep/out");
    RunResult r = Sluice.builder().output(out).inputUrls(urls).run();
    assertThat(r.files()).isEqualTo(7);
    try (Stream<Path> s = Files.walk(tmp)) {
      List<String> written =
          s.filter(Files::isRegularFile)
              .filter(p -> !p.toString().contains(".sluice"))
              .map(p -> tmp.relativize(p).toString())
              .sorted()
              .collect(Collectors.toList());
      assertThat(written)
          .allMatch(p -> p.startsWith("deep/out/"))
          .contains(
              "deep/out/x/etc/passwd.csv",
              "deep/out/escape.csv",
              "deep/out/a/win.csv",
              "deep/out/index.csv",
              "deep/out/_hidden.csv");
      // /q.csv and /q.csv?page=2 both name q.csv: each gets its URL's hash, whatever the order.
      assertThat(written.stream().filter(p -> p.matches("deep/out/q-[0-9a-f]{8}\\.csv")))
          .hasSize(2);
    }
  }

  @Test
  void shouldRetryInsideARunAndFetchEveryUrlAgainOnTheNextRun() throws IOException {
    byte[] body = "id,amount\n1,500\n".getBytes(UTF_8);
    server.handle(
        "/r.csv",
        (ex, n) -> LoopbackServer.send(ex, n == 1 ? 503 : 200, n == 1 ? new byte[0] : body));
    Path out = tmp.resolve("out");
    PipelineSpec.Builder b =
        Sluice.builder()
            .output(out)
            .stateDir(tmp.resolve("state"))
            .inputUrl(server.url("/r.csv"))
            .http(HttpOptions.builder().initialBackoff(Duration.ofMillis(1)).build());
    assertThat(b.run().files()).isEqualTo(1);
    assertThat(server.count("/r.csv")).isEqualTo(2);
    // A URL is never "already done": the rerun fetches it again and replaces its own output.
    RunResult again = b.run();
    assertThat(again.files()).isEqualTo(1);
    assertThat(again.filesSkipped()).isZero();
    assertThat(server.count("/r.csv")).isEqualTo(3);
    assertThat(Files.readString(out.resolve("r.csv"))).isEqualTo("id,amount\n1,500\n");
  }

  /** Serves {@code n} files whose responses wait until {@code n} requests are in flight at once. */
  private List<URI> together(int n) {
    java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(n);
    List<URI> urls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String path = "/t/" + i + ".csv";
      byte[] body = ("id,amount\n" + i + ",500\n").getBytes(UTF_8);
      server.handle(
          path,
          (ex, count) -> {
            all.countDown();
            // Without n requests in flight this wait fails, and so does the run (no retries).
            boolean together = all.await(20, TimeUnit.SECONDS);
            LoopbackServer.send(ex, together ? 200 : 500, together ? body : new byte[0]);
          });
      urls.add(server.url(path));
    }
    return urls;
  }

  @Test
  void shouldKeepOneRequestInFlightPerReader() {
    RunResult r =
        Sluice.builder()
            .output(tmp.resolve("out"))
            .readers(6)
            .inputUrls(together(6))
            .http(HttpOptions.builder().retries(0).build())
            .run();
    assertThat(r.files()).isEqualTo(6);
  }

  @Test
  void shouldKeepHundredsOfRequestsInFlightOnVirtualReaders() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Runtime.version().feature() >= 21, "virtual threads need Java 21");
    RunResult r =
        Sluice.builder()
            .output(tmp.resolve("out"))
            .readers(200)
            .virtualReaders(true)
            .inputUrls(together(200))
            .http(HttpOptions.builder().retries(0).build())
            .run();
    assertThat(r.files()).isEqualTo(200);
  }

  @Test
  void shouldRefuseToMoveOrDeleteUrlInputs() {
    assertThatThrownBy(
            () ->
                Sluice.builder()
                    .output(tmp.resolve("out"))
                    .inputUrl(server.url("/a.csv"))
                    .onSuccess(dev.sluice.api.InputAction.delete())
                    .build())
        .hasMessageContaining("URL inputs cannot be moved or deleted");
    assertThatThrownBy(
            () ->
                Sluice.builder()
                    .output(tmp.resolve("out"))
                    .inputUrl(URI.create("ftp://h/a.csv"))
                    .build())
        .hasMessageContaining("not an http or https URL");
  }

  @Test
  void shouldReadOverHttpsWithACertificateMadeForTheTest() throws Exception {
    Path store = tmp.resolve("server.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "loopback",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "san=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String log;
    try (InputStream o = p.getInputStream()) {
      log = new String(o.readAllBytes(), UTF_8);
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(p.exitValue()).as("keytool: " + log).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    Certificate cert = ks.getCertificate("loopback");
    trust.setCertificateEntry("loopback", cert);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext clientTls = SSLContext.getInstance("TLS");
    clientTls.init(null, tmf.getTrustManagers(), null);

    byte[] body = "id,amount\n1,500\n2,50\n".getBytes(UTF_8);
    try (LoopbackServer tls = new LoopbackServer(serverTls)) {
      tls.serve("/s.csv", body);
      RunResult r =
          Sluice.builder()
              .output(tmp.resolve("out"))
              .inputUrl(tls.url("/s.csv"))
              .http(
                  HttpOptions.builder()
                      .sslContext(clientTls)
                      .header("Authorization", "Bearer t")
                      .build())
              .run();
      assertThat(r.recordsWritten()).isEqualTo(2);
      assertThat(tls.requests.get(0).headers().getFirst("Authorization")).isEqualTo("Bearer t");
      // Without trusting the certificate the handshake fails, and is not retried.
      assertThatThrownBy(
              () ->
                  Sluice.builder()
                      .output(tmp.resolve("out2"))
                      .inputUrl(tls.url("/s.csv"))
                      .http(HttpOptions.builder().initialBackoff(Duration.ofMillis(1)).build())
                      .run())
          .isInstanceOf(PipelineException.class)
          .hasMessageContaining(tls.url("/s.csv").toString());
      assertThat(tls.count("/s.csv")).isEqualTo(1);
    }
  }
}
