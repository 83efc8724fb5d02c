package dev.sluice.internal.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.FileTrees;
import dev.sluice.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job file whose inputs are URLs, run by {@code sluice run --job}: the same output as the same
 * files on disk.
 */
@Timeout(60)
class JobFileUrlsTest {
  @TempDir Path tmp;
  private LoopbackServer server;

  @BeforeEach
  void start() throws IOException {
    server = new LoopbackServer();
  }

  @AfterEach
  void stop() {
    server.close();
    assertThat(ThreadsCheck.alive("sluice-")).as("sluice threads after the run").isEmpty();
  }

  /**
   * Writes CSV files under {@code dir} and serves each at /data/<name>, only with the right token.
   */
  private List<URI> files(Path dir, int n) throws IOException {
    Files.createDirectories(dir);
    List<URI> urls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] bytes = HttpFixtures.csv(i, 40 + i * 29, 13);
      String name = "f" + i + ".csv";
      Files.write(dir.resolve(name), bytes);
      server.handle(
          "/data/" + name,
          (ex, count) -> {
            boolean authorized =
                "Bearer s3cret".equals(ex.getRequestHeaders().getFirst("Authorization"));
            LoopbackServer.send(ex, authorized ? 200 : 401, authorized ? bytes : new byte[0]);
          });
      urls.add(server.url("/data/" + name));
    }
    return urls;
  }

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  private static final String REST =
      " \"output\": {\"dir\": \"%s\"}, \"steps\": [{\"filter\": \"amount > 100\"}, {\"upper\": [\"name\"]}],"
          + " \"engine\": {\"readers\": 3, \"transformers\": 2, \"writers\": 2}";

  @Test
  void aJobFileReadingUrlsWritesWhatTheSameJobWritesFromDisk() throws IOException {
    List<URI> urls = files(tmp.resolve("in"), 5);
    Path jobs = Files.createDirectories(tmp.resolve("jobs"));
    Files.writeString(
        jobs.resolve("disk.job"),
        "{\"version\": 1, \"input\": {\"paths\": [\"../in\"]},"
            + String.format(REST, "../disk")
            + "}");
    // Two URLs inline, the rest in a list; the token in a header file, both next to the job file.
    Files.writeString(
        jobs.resolve("urls.txt"),
        "# the rest\n"
            + urls.subList(2, 5).stream().map(URI::toString).collect(Collectors.joining("\n"))
            + "\n");
    Files.writeString(jobs.resolve("feed.headers"), "Authorization: Bearer s3cret\n");
    Files.writeString(
        jobs.resolve("http.job"),
        "{\"version\": 1, \"input\": {\"paths\": [\""
            + urls.get(0)
            + "\", \""
            + urls.get(1)
            + "\"], \"urlsFile\": \"urls.txt\"},"
            + String.format(REST, "../http")
            + ", \"http\": {\"headers\": [\"Accept: text/csv\"], \"headerFile\": \"feed.headers\", \"retries\": 0, \"timeout\": \"20s\"}}");

    String[] disk = run("run", "--job", jobs.resolve("disk.job").toString());
    assertThat(disk[0]).as(String.join("\n", disk)).isEqualTo("0");
    String[] http =
        run("run", "--job", jobs.resolve("http.job").toString(), "--http-header", "X-Run: 1");
    assertThat(http[0]).as(String.join("\n", http)).isEqualTo("0");

    // The URLs' paths are /data/<name>: the outputs mirror them under data/.
    assertThat(FileTrees.under(tmp.resolve("http/data")).skipping(".sluice").text())
        .isEqualTo(FileTrees.under(tmp.resolve("disk")).skipping(".sluice").text())
        .hasSize(5);
    assertThat(server.requests).hasSize(5);
    assertThat(server.requests)
        .allSatisfy(
            r -> {
              assertThat(r.headers().getFirst("Accept")).isEqualTo("text/csv");
              assertThat(r.headers().getFirst("Authorization")).isEqualTo("Bearer s3cret");
              assertThat(r.headers().getFirst("X-Run")).isEqualTo("1");
            });
    assertThat(http[1] + http[2]).doesNotContain("s3cret");
  }

  @Test
  void withoutTheHeaderFileTheServerRefusesAndTheRunFailsNamingTheUrl() throws IOException {
    List<URI> urls = files(tmp.resolve("in"), 1);
    Path job = tmp.resolve("noauth.job");
    Files.writeString(
        job,
        "{\"version\": 1, \"input\": {\"paths\": [\""
            + urls.get(0)
            + "\"]},"
            + String.format(REST, "out")
            + ", \"http\": {\"retries\": 0}}");
    String[] r = run("run", "--job", job.toString());
    assertThat(r[0]).as(String.join("\n", r)).isEqualTo("1");
    assertThat(r[2]).contains("HTTP 401 from " + urls.get(0));
  }
}
