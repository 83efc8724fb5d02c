package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.Format;
import dev.sluice.api.InputAction;
import dev.sluice.api.PipelineSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --json-types}, {@code --on-success} and {@code --on-failure}, which were options of {@code
 * sluice run} only, as job file keys ({@code output.jsonTypes}, {@code input.onSuccess}, {@code
 * input.onFailure}): each was added by moving its field into its section class, where it is both.
 */
class JobKeysForRunOptionsTest {
  @TempDir Path tmp;

  @BeforeEach
  void input() throws IOException {
    Files.createDirectories(tmp.resolve("jobs"));
    Files.writeString(tmp.resolve("jobs/a.csv"), "id,n\n1,2\n");
  }

  private static PipelineSpec spec(String... args) {
    return Parsed.run(args).toSpec();
  }

  @Test
  void shouldTakeTheJsonTypesFromTheJobFileUnlessTheFlagIsGiven() throws IOException {
    Path j =
        Files.writeString(
            tmp.resolve("jobs/t.job"),
            "{\"version\": 1, \"input\": {\"paths\": [\"a.csv\"]}, \"output\": {\"dir\": \"out\","
                + " \"format\": \"jsonl\", \"jsonTypes\": \"infer\"}}");
    assertThat(spec("--job", j.toString()).outputFormat().jsonTypes())
        .isEqualTo(Format.JsonTypes.INFER);
    assertThat(spec("--job", j.toString(), "--json-types", "STRINGS").outputFormat().jsonTypes())
        .isEqualTo(Format.JsonTypes.STRINGS);
  }

  @Test
  void jsonTypesWithoutJsonLinesShouldNameTheFileAndBothSpellings() throws IOException {
    Path j =
        Files.writeString(
            tmp.resolve("jobs/t.job"),
            "{\"version\": 1, \"input\": {\"paths\": [\"a.csv\"]}, \"output\": {\"dir\": \"out\","
                + " \"jsonTypes\": \"infer\"}}");
    assertThatThrownBy(() -> spec("--job", j.toString()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            j + ": --json-types (output.jsonTypes) needs JSON Lines output: add --to jsonl");
    assertThatThrownBy(() -> spec("--job", j.toString(), "--json-types", "maybe"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--json-types must be strings or infer (got 'maybe')");
  }

  @Test
  void inputActionsShouldResolveAgainstTheJobFilesDirectory() throws IOException {
    Path j =
        Files.writeString(
            tmp.resolve("jobs/t.job"),
            "{\"version\": 1, \"input\": {\"paths\": [\"a.csv\"], \"onSuccess\": \"move:done\","
                + " \"onFailure\": \"move:bad\"}, \"output\": {\"dir\": \"out\"}}");
    PipelineSpec s = spec("--job", j.toString());
    assertThat(s.onSuccess()).isEqualTo(InputAction.moveTo(tmp.resolve("jobs/done")));
    assertThat(s.onFailure()).isEqualTo(InputAction.moveTo(tmp.resolve("jobs/bad")));
    // The command line's own value stays relative to the working directory, as its paths do.
    assertThat(spec("--job", j.toString(), "--on-success", "delete").onSuccess())
        .isEqualTo(InputAction.delete());
  }

  @Test
  void deleteOnFailureShouldBeRefusedInBothSpellings() throws IOException {
    Path j =
        Files.writeString(
            tmp.resolve("jobs/t.job"),
            "{\"version\": 1, \"input\": {\"paths\": [\"a.csv\"], \"onFailure\": \"delete\"},"
                + " \"output\": {\"dir\": \"out\"}}");
    assertThatThrownBy(() -> spec("--job", j.toString()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(j + ": --on-failure delete (input.onFailure) would lose");
    String in = tmp.resolve("jobs/a.csv").toString();
    assertThatThrownBy(
            () ->
                spec(
                    "--input",
                    in,
                    "--output",
                    tmp.resolve("o").toString(),
                    "--on-failure",
                    "delete"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("would lose the only copy of a bad input");
    Path bad =
        Files.writeString(
            tmp.resolve("jobs/u.job"), "{\"version\": 1, \"input\": {\"onSuccess\": \"shred\"}}");
    assertThatThrownBy(() -> spec("--job", bad.toString()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(bad + ": input.onSuccess: ");
  }
}
