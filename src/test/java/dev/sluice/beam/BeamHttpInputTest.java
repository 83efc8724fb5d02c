package dev.sluice.beam;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.FileTrees;
import dev.sluice.Sluice;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.HttpOptions;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Steps;
import dev.sluice.cli.Main;
import dev.sluice.internal.io.http.HttpFixtures;
import dev.sluice.internal.io.http.LoopbackServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * URL inputs on the Beam engine (Direct runner) against the local engine reading the same URLs from
 * a loopback server: same names, same bytes, same failures, and no HTTP thread left behind.
 */
@Timeout(180)
class BeamHttpInputTest {
  @TempDir Path tmp;
  private LoopbackServer server;

  @BeforeEach
  void start() throws IOException {
    server = new LoopbackServer();
  }

  /** No waiting: run() returns only when the workers' HTTP clients (sluice-http-N) have stopped. */
  @AfterEach
  void stop() {
    server.close();
    assertThat(BeamEngineTest.engineThreads().map(Thread::getName))
        .as("sluice threads alive after the test")
        .isEmpty();
  }

  /**
   * Serves some CSV files (one gzipped, two whose names clash, one with a path to sanitise) and
   * returns their URLs.
   */
  private List<URI> serveFiles(int n) throws IOException {
    List<URI> urls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] bytes = HttpFixtures.csv(i, 40 + i * 29, 7);
      String path = i % 3 == 2 ? "/data/f" + i + ".csv.gz" : "/data/f" + i + ".csv";
      if (path.endsWith(".gz")) {
        bytes = HttpFixtures.gzip(bytes);
      }
      server.serve(path, bytes);
      urls.add(server.url(path));
    }
    byte[] q = "id,name,amount\nq,quoted,500\n".getBytes(UTF_8);
    server.serve("/q.csv", q);
    urls.add(server.url("/q.csv"));
    urls.add(URI.create(server.url("/q.csv") + "?page=2")); // same name: both get their URL's hash
    server.serve("/x/..%2F..%2Fetc/.odd.csv", q);
    urls.add(server.url("/x/..%2F..%2Fetc/.odd.csv"));
    return urls;
  }

  private static PipelineSpec.Builder job(PipelineSpec.Builder b, Path out, List<URI> urls) {
    return b.output(out)
        .inputUrls(urls)
        .step(Steps.filter("amount > 100"))
        .step(Steps.upper("name"))
        .http(HttpOptions.builder().retries(0).build());
  }

  @Test
  void shouldWriteTheSameBytesUnderTheSameNamesAsTheLocalEngine() throws IOException {
    List<URI> urls = serveFiles(7);
    Path local = tmp.resolve("local");
    Path beam = tmp.resolve("beam");

    RunResult l = job(Sluice.builder(), local, urls).run();
    RunResult b =
        BeamEngine.run(job(PipelineSpec.builder(), beam, urls).build(), BeamEngineTest.DIRECT);

    assertThat(FileTrees.under(beam).orEmptyIfMissing().bytes())
        .containsKeys("data/f0.csv", "data/f2.csv", "x/etc/_odd.csv")
        .hasSize(10);
    BeamEngineTest.assertSameBytes(local, beam);
    BeamEngineTest.assertSameCounts(b, l);
    assertThat(b.files()).isEqualTo(10);
    assertThat(b.recordsWritten()).isPositive();
  }

  @Test
  void shouldFailTheRunOnA404UnderTheFailPolicyNamingTheUrl() throws IOException {
    List<URI> urls = new ArrayList<>(serveFiles(2));
    URI missing = server.url("/data/missing.csv");
    urls.add(1, missing);

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () ->
                BeamEngine.run(
                    job(PipelineSpec.builder(), tmp.resolve("out"), urls).build(),
                    BeamEngineTest.DIRECT));

    assertThat(e).isNotNull().hasMessageContaining("HTTP 404 from " + missing);
    assertThat(FileTrees.under(tmp.resolve("out")).orEmptyIfMissing().bytes().keySet())
        .noneMatch(n -> n.contains("missing"));
  }

  @Test
  void shouldCountAndSkipA404UnderTheSkipPolicyAsTheLocalEngineDoes() throws IOException {
    List<URI> urls = new ArrayList<>(serveFiles(3));
    URI missing = server.url("/data/missing.csv");
    urls.add(1, missing);
    Path local = tmp.resolve("local");
    Path beam = tmp.resolve("beam");

    RunResult l = job(Sluice.builder(), local, urls).onError(ErrorPolicy.SKIP).run();
    RunResult b =
        BeamEngine.run(
            job(PipelineSpec.builder(), beam, urls).onError(ErrorPolicy.SKIP).build(),
            BeamEngineTest.DIRECT);

    assertThat(b.filesFailed()).isEqualTo(1);
    assertThat(b.files()).isEqualTo(6);
    assertThat(beam.resolve("data/missing.csv")).doesNotExist();
    assertThat(Files.readString(beam.resolve("_rejects/data/missing.csv.rejects.csv")))
        .contains("FILE_FAILED")
        .contains("HTTP 404 from " + missing);
    BeamEngineTest.assertSameBytes(local, beam);
    BeamEngineTest.assertSameCounts(b, l);
    assertThat(b.rejectFiles())
        .containsExactly(beam.resolve("_rejects/data/missing.csv.rejects.csv").toAbsolutePath());
  }

  @Test
  void shouldStopTheHttpClientOfAWorkerStillFetchingWhenAnotherFileFailsTheRun()
      throws InterruptedException {
    CountDownLatch fetching = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    // One worker's request hangs until the test lets go; the other file fails once it hangs. The
    // Direct runner throws at the failure while the first worker (and its HTTP client) still runs.
    server.handle(
        "/held.csv",
        (ex, n) -> {
          fetching.countDown();
          letGo.await(60, TimeUnit.SECONDS);
          LoopbackServer.send(ex, 200, "id,amount\n1,500\n".getBytes(UTF_8));
        });
    server.handle(
        "/gone.csv",
        (ex, n) -> {
          fetching.await(60, TimeUnit.SECONDS);
          LoopbackServer.send(ex, 404, new byte[0]);
        });
    PipelineSpec spec =
        PipelineSpec.builder()
            .output(tmp.resolve("out"))
            .inputUrl(server.url("/held.csv"))
            .inputUrl(server.url("/gone.csv"))
            .http(HttpOptions.builder().retries(0).requestTimeout(Duration.ofSeconds(90)).build())
            .build();

    PipelineException e;
    List<String> aliveAtReturn;
    try {
      e =
          catchThrowableOfType(
              PipelineException.class, () -> BeamEngine.run(spec, BeamEngineTest.DIRECT));
      aliveAtReturn =
          BeamEngineTest.engineThreads().map(Thread::getName).collect(Collectors.toList());
    } finally {
      letGo.countDown();
    }

    assertThat(e).isNotNull().hasMessageContaining("HTTP 404 from " + server.url("/gone.csv"));
    assertThat(aliveAtReturn).as("sluice threads alive when the run threw").isEmpty();
    assertThat(tmp.resolve("out/held.csv")).doesNotExist();
  }

  /**
   * Beam may never call {@code @Teardown} (Dataflow), or call it after the run has returned (the
   * Direct runner after a failure): the run closes the client of a DoFn that was not torn down.
   */
  @Test
  void shouldCloseTheHttpClientOfADoFnThatIsNeverTornDownWhenTheRunCloses()
      throws InterruptedException {
    server.serve("/a.csv", "id,amount\n1,500\n".getBytes(UTF_8));
    PipelineSpec spec =
        PipelineSpec.builder().output(tmp.resolve("out")).inputUrl(server.url("/a.csv")).build();
    InProcessWorkers.Run run = InProcessWorkers.open("url-run");
    ProcessFileFn fn = new ProcessFileFn(spec, "url-run");

    fn.processElement(KV.of("a.csv", server.url("/a.csv").toString()));
    List<String> during =
        BeamEngineTest.engineThreads().map(Thread::getName).collect(Collectors.toList());
    List<String> left = run.close(false, Duration.ofSeconds(60));

    assertThat(during)
        .as("the client's threads while the DoFn lives")
        .anyMatch(n -> n.startsWith("sluice-http"));
    assertThat(left).isEmpty();
    assertThat(tmp.resolve("out/a.csv")).hasContent("id,amount\n1,500");
    // The AfterEach finds no sluice-http thread, with no teardown called.
  }

  @Test
  void shouldSendTheHeadersRetryAsConfiguredAndFetchAgainOnEveryRun() throws IOException {
    byte[] body = "id,amount\n1,500\n".getBytes(UTF_8);
    // The first request fails with a 503: one retry with the spec's backoff makes the file.
    server.handle(
        "/r.csv",
        (ex, n) -> LoopbackServer.send(ex, n == 1 ? 503 : 200, n == 1 ? new byte[0] : body));
    server.serve("/s.csv", body);
    PipelineSpec spec =
        PipelineSpec.builder()
            .output(tmp.resolve("out"))
            .overwrite(true)
            .inputUrl(server.url("/r.csv"))
            .inputUrl(server.url("/s.csv"))
            .http(
                HttpOptions.builder()
                    .header("Authorization", "Bearer s3cret")
                    .header("X-Trace", "beam")
                    .retries(1)
                    .initialBackoff(Duration.ofMillis(1))
                    .build())
            .build();

    RunResult first = BeamEngine.run(spec, BeamEngineTest.DIRECT);
    RunResult again = BeamEngine.run(spec, BeamEngineTest.DIRECT);

    assertThat(first.files()).isEqualTo(2);
    assertThat(again.files()).isEqualTo(2);
    assertThat(server.count("/r.csv")).isEqualTo(3); // 503 and 200, then 200 on the rerun
    assertThat(server.count("/s.csv")).isEqualTo(2);
    assertThat(server.requests).hasSize(5);
    assertThat(server.requests)
        .allSatisfy(
            r -> {
              assertThat(r.headers().getFirst("Authorization")).isEqualTo("Bearer s3cret");
              assertThat(r.headers().getFirst("X-Trace")).isEqualTo("beam");
            });
    assertThat(Files.readString(tmp.resolve("out/r.csv"))).isEqualTo("id,amount\n1,500\n");
  }

  @Test
  void shouldCarryEveryHttpOptionToTheWorkersWithoutPrintingTheHeaders() throws Exception {
    HttpOptions http =
        HttpOptions.builder()
            .header("Authorization", "Bearer s3cret")
            .header("X-A", "1")
            .header("X-A", "2")
            .connectTimeout(Duration.ofSeconds(3))
            .requestTimeout(Duration.ofSeconds(7))
            .retries(2)
            .initialBackoff(Duration.ofMillis(50))
            .maxBackoff(Duration.ofSeconds(9))
            .maxRetryAfter(Duration.ofSeconds(11))
            .build();
    PipelineSpec spec =
        PipelineSpec.builder()
            .output(tmp.resolve("out"))
            .inputUrl(server.url("/a.csv"))
            .http(http)
            .build();

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
      o.writeObject(spec);
    }
    PipelineSpec back;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (PipelineSpec) in.readObject();
    }
    HttpOptions h = back.http();

    assertThat(h.headers()).isEqualTo(http.headers());
    assertThat(h.connectTimeout()).isEqualTo(http.connectTimeout());
    assertThat(h.requestTimeout()).isEqualTo(http.requestTimeout());
    assertThat(h.retries()).isEqualTo(2);
    assertThat(h.initialBackoff()).isEqualTo(http.initialBackoff());
    assertThat(h.maxBackoff()).isEqualTo(http.maxBackoff());
    assertThat(h.maxRetryAfter()).isEqualTo(http.maxRetryAfter());
    assertThat(back.toString()).doesNotContain("s3cret");
  }

  @Test
  void shouldRefuseACustomTlsContextThatCannotReachTheWorkers() throws Exception {
    PipelineSpec spec =
        PipelineSpec.builder()
            .output(tmp.resolve("out"))
            .inputUrl(server.url("/a.csv"))
            .http(HttpOptions.builder().sslContext(SSLContext.getDefault()).build())
            .build();

    assertThat(
            catchThrowableOfType(
                ConfigurationException.class, () -> BeamEngine.run(spec, BeamEngineTest.DIRECT)))
        .hasMessageContaining("sslContext");
  }

  @Test
  void shouldRunUrlListsOnBeamFromTheCommandLineWithTheLocalEnginesOutputs() throws IOException {
    List<URI> urls = serveFiles(4);
    StringBuilder list = new StringBuilder("# feed\n");
    urls.forEach(u -> list.append(u).append('\n'));
    Path listFile = Files.writeString(tmp.resolve("urls.txt"), list);
    Path headers = Files.writeString(tmp.resolve("headers.txt"), "Authorization: Bearer s3cret\n");
    Path local = tmp.resolve("local");
    Path beam = tmp.resolve("beam");

    Cli l =
        cli(
            "run",
            "--input-urls",
            listFile.toString(),
            "--http-header-file",
            headers.toString(),
            "--output",
            local.toString(),
            "--filter",
            "amount > 100");
    Cli b =
        cli(
            "run",
            "--engine",
            "beam",
            "--runner",
            "DirectRunner",
            "--input-urls",
            listFile.toString(),
            "--http-header-file",
            headers.toString(),
            "--output",
            beam.toString(),
            "--filter",
            "amount > 100");

    assertThat(l.code).as(l.err).isZero();
    assertThat(b.code).as(b.err).isZero();
    // The local run keeps its state (.sluice) in the output; Beam keeps none. The rest is equal.
    Map<String, byte[]> expected = FileTrees.under(local).orEmptyIfMissing().bytes();
    expected.keySet().removeIf(n -> n.startsWith(".sluice"));
    Map<String, byte[]> actual = FileTrees.under(beam).orEmptyIfMissing().bytes();
    assertThat(actual).hasSize(7).containsOnlyKeys(expected.keySet());
    expected.forEach((name, bytes) -> assertThat(actual.get(name)).as(name).isEqualTo(bytes));
    assertThat(b.out + b.err).doesNotContain("s3cret");
    assertThat(server.requests)
        .hasSize(14)
        .allSatisfy(
            r -> assertThat(r.headers().getFirst("Authorization")).isEqualTo("Bearer s3cret"));
  }

  private record Cli(int code, String out, String err) {}

  private static Cli cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Cli(code, out.toString(), err.toString());
  }
}
