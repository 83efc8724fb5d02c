package dev.sluice.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.HttpOptions;
import dev.sluice.api.PipelineSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * URL inputs ({@code input.paths} URLs, {@code input.urlsFile}) and the {@code http} object of job
 * files.
 */
class JobFileHttpTest {
  @TempDir Path tmp;

  private Path write(String name, String text) throws IOException {
    Path f = tmp.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
    return f;
  }

  /** A job file {@code jobs/t.job} with an output and {@code rest} as further top-level keys. */
  private Path job(String rest) throws IOException {
    return write("jobs/t.job", "{\"version\": 1, \"output\": {\"dir\": \"out\"}, " + rest + "}");
  }

  @Test
  void urlEntriesOfPathsBecomeUrlInputsAndTheOthersStayPaths() throws IOException {
    JobConfig d =
        JobReader.read(
            job(
                "\"input\": {\"paths\": [\"in\", \"https://h.example/a.csv\", \" HTTP://h.example:8080/b.csv?x=1 \", \"http-logs\"]}"));
    assertThat(d.inputs()).containsExactly(tmp.resolve("jobs/in"), tmp.resolve("jobs/http-logs"));
    assertThat(d.inputUrls())
        .containsExactly(
            URI.create("https://h.example/a.csv"), URI.create("HTTP://h.example:8080/b.csv?x=1"));
    assertThat(d.toSpec().inputUrls()).isEqualTo(d.inputUrls());
  }

  @Test
  void aUrlAloneIsEnoughInput() throws IOException {
    PipelineSpec spec =
        JobReader.read(job("\"input\": {\"paths\": [\"https://h.example/a.csv\"]}")).toSpec();
    assertThat(spec.inputs()).isEmpty();
    assertThat(spec.inputUrls()).containsExactly(URI.create("https://h.example/a.csv"));
  }

  @Test
  void theUrlsFileResolvesAgainstTheJobFilesDirectoryAndItsUrlsFollowThePaths() throws IOException {
    write(
        "jobs/lists/urls.txt",
        "\uFEFF# feeds\n\n  https://h.example/b.csv  \nhttp://h.example/c.csv\n");
    JobConfig d =
        JobReader.read(
            job(
                "\"input\": {\"urlsFile\": \"lists/urls.txt\", \"paths\": [\"https://h.example/a.csv\", \"in\"]}"));
    assertThat(d.inputs()).containsExactly(tmp.resolve("jobs/in"));
    assertThat(d.inputUrls())
        .containsExactly(
            URI.create("https://h.example/a.csv"),
            URI.create("https://h.example/b.csv"),
            URI.create("http://h.example/c.csv"));

    Path absolute = write("elsewhere/u.txt", "https://h.example/z.csv\n");
    JobConfig abs = JobReader.read(job("\"input\": {\"urlsFile\": \"" + absolute + "\"}"));
    assertThat(abs.inputUrls()).containsExactly(URI.create("https://h.example/z.csv"));
  }

  @Test
  void anEmptyUrlsFileWithoutOtherInputsLeavesTheJobWithoutInput() throws IOException {
    write("jobs/urls.txt", "# nothing today\n");
    JobConfig d = JobReader.read(job("\"input\": {\"urlsFile\": \"urls.txt\"}"));
    assertThat(d.inputUrls()).isEmpty();
    assertThatThrownBy(d::toSpec)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no input");
  }

  @Test
  void theHttpObjectSetsEveryOptionWithTheHeadersBeforeTheHeaderFilesOnes() throws IOException {
    write(
        "secrets/feed.headers",
        "\uFEFF# rotated monthly\nAuthorization: Bearer s3cret\n\nX-Tenant: 42\n");
    JobConfig d =
        JobReader.read(
            job(
                "\"input\": {\"paths\": [\"https://h.example/a.csv\"]}, \"http\": {\"headers\": [\"Accept: text/csv\","
                    + " \"User-Agent:  nightly \"], \"headerFile\": \"../secrets/feed.headers\", \"timeout\": \"1m30s\","
                    + " \"connectTimeout\": \"PT5S\", \"retries\": 0}"));
    HttpOptions http = d.http();
    assertThat(http).isNotNull();
    assertThat(http.headers())
        .containsExactly(
            Map.entry("Accept", "text/csv"),
            Map.entry("User-Agent", "nightly"),
            Map.entry("Authorization", "Bearer s3cret"),
            Map.entry("X-Tenant", "42"));
    assertThat(http.requestTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(http.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(http.retries()).isZero();
    assertThat(d.toSpec().http()).isSameAs(http);
  }

  @Test
  void keysLeftOutOfTheHttpObjectKeepTheDefaults() throws IOException {
    HttpOptions http = JobReader.read(job("\"http\": {\"retries\": 9}")).http();
    assertThat(http).isNotNull();
    assertThat(http.retries()).isEqualTo(9);
    assertThat(http.headers()).isEmpty();
    assertThat(http.requestTimeout()).isEqualTo(HttpOptions.defaults().requestTimeout());
    assertThat(http.connectTimeout()).isEqualTo(HttpOptions.defaults().connectTimeout());
  }

  @Test
  void withoutAnHttpObjectTheSpecKeepsTheDefaults() throws IOException {
    JobConfig d = JobReader.read(job("\"input\": {\"paths\": [\"https://h.example/a.csv\"]}"));
    assertThat(d.http()).isNull();
    assertThat(d.toSpec().http()).isSameAs(HttpOptions.defaults());
  }

  @Test
  void everyBadValueIsAnErrorNamingTheFileTheKeyAndTheReason() throws IOException {
    Path badList =
        write("jobs/bad-urls.txt", "https://h.example/a.csv\n# two\nftp://h.example/b.csv\n");
    Path badHeaders =
        write("jobs/bad.headers", "Accept: text/csv\n\nAuthorization Bearer s3cret\n");
    String[][] cases = {
      {"\"input\": {\"paths\": [\"in\", \"http://\"]}", "input.paths[1]: not a URL: "},
      {
        "\"input\": {\"paths\": [\"https:///x.csv\"]}",
        "input.paths[0]: not an http or https URL with a host: https:///x.csv"
      },
      {
        "\"input\": {\"paths\": [\"https://exa mple.com/x.csv\"]}",
        "input.paths[0]: not a URL: Illegal character"
      },
      {
        "\"input\": {\"urlsFile\": \"missing.txt\"}",
        "input.urlsFile: not found: " + tmp.resolve("jobs/missing.txt")
      },
      {
        "\"input\": {\"urlsFile\": \"bad-urls.txt\"}",
        "input.urlsFile: "
            + badList
            + ":3: not an http or https URL with a host: ftp://h.example/b.csv"
      },
      {"\"input\": {\"urlsFile\": [\"a.txt\"]}", "input.urlsFile: must be a string (got an array)"},
      {"\"input\": {\"urlsFile\": \"\"}", "input.urlsFile: is empty"},
      {"\"http\": []", "http: must be an object (got an array)"},
      {
        "\"http\": {\"header\": [\"A: b\"]}",
        "unknown key 'http.header' (known in http: headers, headerFile, timeout, connectTimeout, retries, backoff)"
      },
      {
        "\"http\": {\"headers\": \"Accept: text/csv\"}",
        "http.headers: must be an array of strings (got the string"
      },
      {
        "\"http\": {\"headers\": [\"Accept: text/csv\", 7]}",
        "http.headers[1]: must be a string (got the number 7)"
      },
      {
        "\"http\": {\"headers\": [\"Accept text/csv\"]}",
        "http.headers[0]: an HTTP header is 'Name: value' (no colon in"
      },
      {
        "\"http\": {\"headers\": [\"Bad Name: x\"]}",
        "http.headers[0]: invalid HTTP header name 'Bad Name'"
      },
      {
        "\"http\": {\"headers\": [\"Host: h.example\"]}",
        "http.headers[0]: the HTTP header Host is set by the client"
      },
      {
        "\"http\": {\"headers\": [\"X-A: a\\r\\nX-B: b\"]}",
        "http.headers[0]: the value of HTTP header X-A holds a line break"
      },
      {
        "\"http\": {\"headerFile\": \"nope.headers\"}",
        "http.headerFile: not found: " + tmp.resolve("jobs/nope.headers")
      },
      {
        "\"http\": {\"headerFile\": \"bad.headers\"}",
        "http.headerFile: " + badHeaders + ":3: an HTTP header is 'Name: value' (no colon in"
      },
      {"\"http\": {\"headerFile\": true}", "http.headerFile: must be a string (got true)"},
      {
        "\"http\": {\"timeout\": \"soon\"}",
        "http.timeout: not a duration: 'soon' (use 30s, 5m, 1h30m or PT10M)"
      },
      {
        "\"http\": {\"timeout\": \"0\"}",
        "http.timeout: must be positive; leave it out for the default (30s)"
      },
      {
        "\"http\": {\"timeout\": 30}",
        "http.timeout: must be a duration such as \"30s\" (got the number 30)"
      },
      {
        "\"http\": {\"connectTimeout\": \"0s\"}",
        "http.connectTimeout: must be positive; leave it out for the default (10s)"
      },
      {"\"http\": {\"connectTimeout\": \"-5s\"}", "http.connectTimeout: not a duration: '-5s'"},
      {"\"http\": {\"retries\": -1}", "http.retries: must be an integer >= 0 (got -1)"},
      {"\"http\": {\"retries\": \"3\"}", "http.retries: must be an integer >= 0 (got \"3\")"},
      {"\"http\": {\"retries\": 1.5}", "http.retries: must be an integer >= 0 (got 1.5)"},
    };
    for (String[] c : cases) {
      Path file = job(c[0]);
      assertThatThrownBy(() -> JobReader.read(file))
          .as(c[0])
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith(file + ": ")
          .hasMessageContaining(c[1])
          .hasMessageNotContaining("s3cret");
    }
  }

  @Test
  void headerValuesAppearInNoMessageAndNoToString() throws IOException {
    write("jobs/feed.headers", "Authorization: Bearer s3cret-from-file\n");
    JobConfig d =
        JobReader.read(
            job(
                "\"input\": {\"paths\": [\"https://h.example/a.csv\"]}, \"http\": {\"headers\": [\"X-Api-Key: s3cret-inline\"],"
                    + " \"headerFile\": \"feed.headers\"}"));
    assertThat(d.toString())
        .contains("X-Api-Key: ***")
        .contains("Authorization: ***")
        .doesNotContain("s3cret");
    assertThat(d.toSpec().toString()).doesNotContain("s3cret");
    // A bad header after a good one: the message names the bad one's key, never a value.
    Path bad =
        job(
            "\"http\": {\"headers\": [\"X-Api-Key: s3cret-inline\", \"X-Api-Key2 : ok\", \"Host: s3cret\"]}");
    assertThatThrownBy(() -> JobReader.read(bad))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("http.headers[2]")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void anOverridingJobsHttpOptionsReplaceTheFilesOneByOneAndItsInputsReplacePathsAndUrls()
      throws IOException {
    JobConfig file =
        JobReader.read(
            job(
                "\"input\": {\"paths\": [\"in\", \"https://h.example/a.csv\"]}, \"http\": {\"retries\": 9, \"timeout\": \"1m\"}"));
    JobConfig keep = file.over(JobFileTest.layer("\"engine\": {\"threads\": 2}"));
    assertThat(String.valueOf(keep.http())).isEqualTo(String.valueOf(file.http()));
    assertThat(keep.inputUrls()).isEqualTo(file.inputUrls());
    assertThat(keep.inputs()).isEqualTo(file.inputs());

    JobConfig replaced =
        file.over(
            JobFileTest.layer(
                "\"http\": {\"retries\": 1}, \"input\": {\"paths\": [\"https://h.example/z.csv\"]}"));
    // A setting laid over replaces that setting; the others stay (the file's timeout).
    assertThat(replaced.http().retries()).isEqualTo(1);
    assertThat(replaced.http().requestTimeout()).isEqualTo(file.http().requestTimeout());
    assertThat(replaced.inputs()).isEmpty();
    assertThat(replaced.inputUrls()).containsExactly(URI.create("https://h.example/z.csv"));

    JobConfig paths =
        file.over(JobFileTest.layer("\"input\": {\"paths\": [\"" + tmp.resolve("x") + "\"]}"));
    assertThat(paths.inputUrls()).isEmpty();
    assertThat(paths.inputs()).containsExactly(tmp.resolve("x"));
  }
}
