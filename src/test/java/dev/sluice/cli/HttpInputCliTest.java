package dev.sluice.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --input URL}, {@code --input-urls} and the {@code --http-*} options through the command
 * line.
 */
@Timeout(60)
class HttpInputCliTest {
  @TempDir Path tmp;
  private HttpServer server;
  private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/",
        ex -> {
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          authorizations.add(auth == null ? "none" : auth);
          byte[] body = bodies.get(ex.getRequestURI().getPath());
          if (body == null) {
            ex.sendResponseHeaders(404, -1);
          } else {
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
              o.write(body);
            }
          }
          ex.close();
        });
    server.start();
    bodies.put("/d/a.csv", "id,amount\n1,10\n2,20\n".getBytes(UTF_8));
    bodies.put("/d/b.csv", "id,amount\n3,30\n".getBytes(UTF_8));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void shouldReadAListOfUrlsWithHeadersFromAFile() throws IOException {
    Path list =
        Files.writeString(
            tmp.resolve("urls.txt"),
            "# nightly feed\n" + url("/d/a.csv") + "\n\n  " + url("/d/b.csv") + "  \n");
    Path headers =
        Files.writeString(
            tmp.resolve("headers.txt"), "# keep me secret\nAuthorization: Bearer s3cret\n");
    Path out = tmp.resolve("out");
    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input-urls",
            list.toString(),
            "--http-header-file",
            headers.toString(),
            "--output",
            out.toString(),
            "--readers",
            "2");
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(Files.readString(out.resolve("d/a.csv"))).isEqualTo("id,amount\n1,10\n2,20\n");
    assertThat(Files.readString(out.resolve("d/b.csv"))).isEqualTo("id,amount\n3,30\n");
    assertThat(authorizations).containsExactly("Bearer s3cret", "Bearer s3cret");
    assertThat(r.out() + r.err()).doesNotContain("s3cret");
  }

  @Test
  void shouldTakeAUrlAsAnInputBesideAPath() throws IOException {
    Path local = Files.writeString(tmp.resolve("c.csv"), "id,amount\n9,90\n");
    Path out = tmp.resolve("out");
    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            url("/d/a.csv"),
            "--input",
            local.toString(),
            "--http-header",
            "Authorization: Bearer x",
            "--output",
            out.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.OK);
    assertThat(out.resolve("d/a.csv")).exists();
    assertThat(out.resolve("c.csv")).exists();
    assertThat(authorizations).containsExactly("Bearer x");
  }

  @Test
  void shouldFailOnA404NamingTheUrlOrSkipItWithRejects() throws IOException {
    String missing = url("/d/missing.csv");
    CliRunner.Result fail =
        CliRunner.run(
            "run",
            "--input",
            missing,
            "--input",
            url("/d/a.csv"),
            "--output",
            tmp.resolve("out1").toString(),
            "--http-retries",
            "0");
    assertThat(fail.code()).as(fail.toString()).isEqualTo(ExitCodes.FAILED);
    assertThat(fail.err()).contains("HTTP 404 from " + missing);
    CliRunner.Result skip =
        CliRunner.run(
            "run",
            "--input",
            missing,
            "--input",
            url("/d/a.csv"),
            "--output",
            tmp.resolve("out2").toString(),
            "--on-error",
            "skip");
    assertThat(skip.code()).as(skip.toString()).isEqualTo(ExitCodes.REJECTS);
    assertThat(tmp.resolve("out2/d/a.csv")).exists();
  }

  @Test
  void shouldRefuseBadHttpOptionsAsUsageErrors() throws IOException {
    Path out = tmp.resolve("out");
    Path headers = Files.writeString(tmp.resolve("h.txt"), "Authorization Bearer no-colon\n");
    assertThat(
            CliRunner.run(
                    "run",
                    "--input",
                    url("/d/a.csv"),
                    "--output",
                    out.toString(),
                    "--http-header-file",
                    headers.toString())
                .code())
        .isEqualTo(ExitCodes.USAGE);
    assertThat(
            CliRunner.run(
                    "run",
                    "--input",
                    url("/d/a.csv"),
                    "--output",
                    out.toString(),
                    "--http-timeout",
                    "0s")
                .code())
        .isEqualTo(ExitCodes.USAGE);
    Path list = Files.writeString(tmp.resolve("urls.txt"), "ftp://h/x.csv\n");
    CliRunner.Result r =
        CliRunner.run("run", "--input-urls", list.toString(), "--output", out.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("urls.txt:1");
  }
}
