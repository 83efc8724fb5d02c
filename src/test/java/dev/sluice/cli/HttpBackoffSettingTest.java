package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.HttpOptions;
import dev.sluice.api.PipelineSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --http-backoff} and the job file's {@code http.backoff}: the setting added in one place,
 * its section class ({@code internal.config.HttpSection}: one field that is the option and the key,
 * one line that sets it), plus the docs.
 */
class HttpBackoffSettingTest {
  @TempDir Path tmp;

  private Path job(String http) throws IOException {
    return Files.writeString(
        tmp.resolve("feed.job"),
        "{\"version\": 1, \"input\": {\"paths\": [\"https://h.example/a.csv\"]}, \"output\":"
            + " {\"dir\": \"out\"}"
            + http
            + "}");
  }

  private static PipelineSpec spec(String... args) {
    return Parsed.run(args).toSpec();
  }

  @Test
  void shouldTakeTheJobFilesBackoffUnlessTheFlagIsGiven() throws IOException {
    Path j = job(", \"http\": {\"backoff\": \"2s\"}");
    assertThat(spec("--job", j.toString()).http().initialBackoff())
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(spec("--job", j.toString(), "--http-backoff", "500ms").http().initialBackoff())
        .isEqualTo(Duration.ofMillis(500));
    assertThat(spec("--job", job("").toString()).http().initialBackoff())
        .isEqualTo(HttpOptions.defaults().initialBackoff());
  }

  @Test
  void aBadBackoffShouldNameTheFlagOrTheKey() throws IOException {
    assertThatThrownBy(
            () ->
                spec(
                    "--input",
                    "https://h.example/a.csv",
                    "--output",
                    tmp.resolve("o").toString(),
                    "--http-backoff",
                    "soon"))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--http-backoff: not a duration: 'soon'");
    Path j = job(", \"http\": {\"backoff\": 2}");
    assertThatThrownBy(() -> spec("--job", j.toString()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(j + ": http.backoff: must be a duration such as \"30s\" (got the number 2)");
  }
}
