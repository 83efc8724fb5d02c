package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: every "not found" names the absolute path it looked at, so a relative path read against
 * an unexpected working directory (a wrapper script, cron's {@code $HOME}) is obvious.
 */
@Timeout(60)
class NotFoundMessagesTest {
  @TempDir Path tmp;

  private static String abs(String relative) {
    return Path.of(relative).toAbsolutePath().normalize().toString();
  }

  private static void assertNotFound(CliRunner.Result r, String what, String path) {
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines().get(0)).as(r.toString()).contains(what).contains("not found: " + path);
  }

  @Test
  void relativePathsGivenOnTheCommandLineShouldBeShownAbsolute() {
    String out = tmp.resolve("out").toString();

    assertNotFound(
        CliRunner.run("run", "--input", "no-such-input", "--output", out),
        "input",
        abs("no-such-input"));
    assertNotFound(CliRunner.run("run", "--job", "no-such.job"), "job file", abs("no-such.job"));
    assertNotFound(
        CliRunner.run(
            "run",
            "--input",
            "pom.xml",
            "--output",
            out,
            "--hash",
            "x",
            "--hash-key-file",
            "no-such.key"),
        "hash key file",
        abs("no-such.key"));
    assertNotFound(
        CliRunner.run("run", "--input-urls", "no-such-urls.txt", "--output", out),
        "URL list",
        abs("no-such-urls.txt"));
    assertNotFound(
        CliRunner.run(
            "run",
            "--input",
            "http://127.0.0.1:9/x.csv",
            "--output",
            out,
            "--http-header-file",
            "no-such.headers"),
        "header file",
        abs("no-such.headers"));
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void pathsInAJobFileShouldBeShownAbsoluteAfterResolvingAgainstItsDirectory() throws IOException {
    Path jobs = Files.createDirectories(tmp.resolve("jobs"));
    Path job = jobs.resolve("j.job");
    // Read from a relative name, as cron's "sluice run --job jobs/j.job" in the job's parent would.
    String base = "{\"version\": 1, \"output\": {\"dir\": \"out\"}, ";

    Files.writeString(job, base + "\"input\": {\"paths\": [\"missing-dir\"]}}");
    CliRunner.Result input = CliRunner.run("run", "--job", job.toString());
    Files.writeString(job, base + "\"input\": {\"urlsFile\": \"missing-urls.txt\"}}");
    CliRunner.Result urls = CliRunner.run("run", "--job", job.toString());
    Files.writeString(
        job,
        base
            + "\"input\": {\"paths\": [\"http://127.0.0.1:9/x.csv\"]}, \"http\": {\"headerFile\": \"missing.headers\"}}");
    CliRunner.Result headers = CliRunner.run("run", "--job", job.toString());

    assertNotFound(input, "input", jobs.resolve("missing-dir").toString());
    assertNotFound(urls, "urlsFile", jobs.resolve("missing-urls.txt").toString());
    assertNotFound(headers, "headerFile", jobs.resolve("missing.headers").toString());
  }
}
