package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import picocli.CommandLine;

/**
 * The command line over a job file's URL inputs and {@code http} object: what it adds, what it
 * replaces.
 */
class JobFileHttpCliTest {
  @TempDir Path tmp;

  private Path write(String name, String text) throws IOException {
    Path f = tmp.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
    return f;
  }

  private Path feedJob() throws IOException {
    write("jobs/job.headers", "Authorization: Bearer from-job-file\n");
    write("jobs/urls.txt", "https://h.example/b.csv\n");
    return write(
        "jobs/feed.job",
        "{\"version\": 1, \"input\": {\"paths\": [\"https://h.example/a.csv\"], \"urlsFile\": \"urls.txt\"},"
            + " \"output\": {\"dir\": \"out\"}, \"http\": {\"headers\": [\"Accept: text/csv\"], \"headerFile\":"
            + " \"job.headers\", \"timeout\": \"1m\", \"connectTimeout\": \"5s\", \"retries\": 6}}");
  }

  private static PipelineSpec spec(String... args) {
    RunCommand cmd = new RunCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd.toSpec();
  }

  @Test
  void withoutHttpFlagsTheJobFilesOptionsAndUrlsReachTheSpec() throws IOException {
    PipelineSpec spec = spec("--job", feedJob().toString());
    assertThat(spec.inputUrls())
        .containsExactly(
            URI.create("https://h.example/a.csv"), URI.create("https://h.example/b.csv"));
    HttpOptions http = spec.http();
    assertThat(http.headers())
        .containsExactly(
            Map.entry("Accept", "text/csv"), Map.entry("Authorization", "Bearer from-job-file"));
    assertThat(http.requestTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(http.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(http.retries()).isEqualTo(6);
  }

  @Test
  void headerFlagsAddToTheJobsHeadersAndValueFlagsReplaceItsValues() throws IOException {
    Path cliHeaders = write("cli.headers", "# from the operator\nX-Trace: on\n");
    HttpOptions http =
        spec(
                "--job", feedJob().toString(),
                "--http-header", "X-Run: 7",
                "--http-header-file", cliHeaders.toString(),
                "--http-retries", "0",
                "--http-timeout", "2m")
            .http();
    assertThat(http.headers())
        .containsExactly(
            Map.entry("Accept", "text/csv"),
            Map.entry("Authorization", "Bearer from-job-file"),
            Map.entry("X-Run", "7"),
            Map.entry("X-Trace", "on"));
    assertThat(http.retries()).isZero();
    assertThat(http.requestTimeout()).isEqualTo(Duration.ofMinutes(2));
    // Not given on the command line: the job file's value stays.
    assertThat(http.connectTimeout()).isEqualTo(Duration.ofSeconds(5));

    HttpOptions connect =
        spec("--job", feedJob().toString(), "--http-connect-timeout", "1s").http();
    assertThat(connect.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(connect.requestTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(connect.retries()).isEqualTo(6);
  }

  @Test
  void inputsOnTheCommandLineReplaceTheJobsUrlsButKeepItsHttpOptions() throws IOException {
    Path local = write("local.csv", "a\n1\n");
    PipelineSpec paths = spec("--job", feedJob().toString(), "--input", local.toString());
    assertThat(paths.inputUrls()).isEmpty();
    assertThat(paths.inputs()).containsExactly(local);

    PipelineSpec urls =
        spec("--job", feedJob().toString(), "--input", "https://other.example/z.csv");
    assertThat(urls.inputUrls()).containsExactly(URI.create("https://other.example/z.csv"));
    assertThat(urls.http().retries()).isEqualTo(6);
  }

  @Test
  void aBadHttpSettingInTheJobFileIsAConfigurationErrorNamingTheFileAndKey() throws IOException {
    Path job =
        write(
            "jobs/bad.job",
            "{\"version\": 1, \"input\": {\"paths\": [\"https://h.example/a.csv\"]}, \"output\": {\"dir\": \"out\"},"
                + " \"http\": {\"headers\": [\"Authorization: Bearer s3cret\", \"Authorization Bearer s3cret\"]}}");
    CliRunner.Result r = CliRunner.run("run", "--job", job.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains(job + ": http.headers[1]: an HTTP header is 'Name: value'");
    assertThat(r.out() + r.err()).doesNotContain("s3cret");

    Path badUrl =
        write(
            "jobs/url.job",
            "{\"version\": 1, \"input\": {\"paths\": [\"in\", \"https:///x.csv\"]}, \"output\": {\"dir\": \"out\"}}");
    CliRunner.Result u = CliRunner.run("run", "--job", badUrl.toString());
    assertThat(u.code()).as(u.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(u.err())
        .contains(
            badUrl + ": input.paths[1]: not an http or https URL with a host: https:///x.csv");
  }

  @Test
  void theHeaderFileFlagKeepsItsMessagesAfterMovingItsParsingIntoHttpOptions() throws IOException {
    Path headers = write("h.txt", "# first\nAuthorization Bearer s3cret-no-colon\n");
    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            "https://h.example/a.csv",
            "--output",
            tmp.resolve("out").toString(),
            "--http-header-file",
            headers.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("--http-header-file " + headers + ":2: an HTTP header is 'Name: value'");
    assertThat(r.err()).doesNotContain("s3cret");

    Path missing = tmp.resolve("missing.txt");
    CliRunner.Result m =
        CliRunner.run(
            "run",
            "--input",
            "https://h.example/a.csv",
            "--output",
            tmp.resolve("out").toString(),
            "--http-header-file",
            missing.toString());
    assertThat(m.code()).as(m.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(m.err())
        .contains("--http-header-file: header file not found: " + missing.toAbsolutePath());
  }
}
