package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionSuggestionsTest {
  private static final List<String> KNOWN =
      List.of(
          "-o",
          "--output",
          "--max-in-flight",
          "--max-errors",
          "--max-errors-per-file",
          "--overwrite");

  @Test
  void shouldSuggestTheNearestOptionForATypo() {
    assertThat(OptionSuggestions.closest("--max-inflight", KNOWN)).isEqualTo("--max-in-flight");
    assertThat(OptionSuggestions.closest("--ouptut", KNOWN)).isEqualTo("--output");
    assertThat(OptionSuggestions.closest("--max-error", KNOWN)).isEqualTo("--max-errors");
    assertThat(OptionSuggestions.closest("--overwrite=true", KNOWN)).isEqualTo("--overwrite");
    assertThat(OptionSuggestions.closest("--OUTPUT", KNOWN)).isEqualTo("--output");
  }

  @Test
  void shouldSuggestNothingForAnotherWord() {
    assertThat(OptionSuggestions.closest("--bogus", KNOWN)).isNull();
    assertThat(OptionSuggestions.closest("--parallelism=4", KNOWN)).isNull();
    assertThat(OptionSuggestions.closest("-x", KNOWN)).isNull();
    assertThat(OptionSuggestions.hint("--bogus", KNOWN)).isEmpty();
  }

  @Test
  void shouldCountASwapOfNeighboursAsOneEdit() {
    assertThat(OptionSuggestions.distance("--ouptut", "--output")).isEqualTo(1);
    assertThat(OptionSuggestions.distance("abc", "abc")).isZero();
    assertThat(OptionSuggestions.distance("", "abc")).isEqualTo(3);
  }

  @Test
  void shouldAddTheSuggestionToTheUsageErrorOfRun(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            tmp.toString(),
            "--output",
            tmp.resolve("out").toString(),
            "--max-inflight=1m");

    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines().get(0))
        .isEqualTo(
            "sluice: Unknown option: '--max-inflight=1m'; did you mean '--max-in-flight'? (options for Beam need --engine beam)");
  }

  @Test
  void shouldAddTheSuggestionToTheUsageErrorOfGenerate() {
    CliRunner.Result r = CliRunner.run("generate", "--sed=1");

    assertThat(r.code()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.errLines().get(0))
        .contains("Unknown option: '--sed=1'")
        .contains("did you mean '--seed'?");
  }
}
