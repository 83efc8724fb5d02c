package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code run --help} grouped by section without cut words; {@code check} with its own options. */
class UsageHelpTest {
  private static List<String> lines(String text) {
    return Arrays.asList(text.split("\n"));
  }

  @Test
  void runHelpShouldGroupTheOptionsBySectionInOrder() {
    String help = CliRunner.run("run", "--help").out();
    List<String> headings =
        List.of(
            "Input:",
            "URL inputs:",
            "Output:",
            "Steps (applied in the order given):",
            "Threads and memory:",
            "Bad input:",
            "State: resume, lock, timeout:",
            "Job, reports and engine:",
            "Logging:");
    int last = -1;
    for (String h : headings) {
      int at = lines(help).indexOf(h);
      assertThat(at).as("heading %s after the previous one", h).isGreaterThan(last);
      last = at;
    }
    // Each option under its section's heading.
    assertThat(help.indexOf("      --readers="))
        .isBetween(help.indexOf("Threads and memory:"), help.indexOf("Bad input:"));
    assertThat(help.indexOf("      --http-retries="))
        .isBetween(help.indexOf("URL inputs:"), help.indexOf("Output:"));
  }

  @Test
  void runHelpShouldCutNoWordAndKeepToEightyColumns() {
    String help = CliRunner.run("run", "--help").out();
    assertThat(lines(help)).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
    // picocli's own wrapping cut these at '.' and ','.
    assertThat(help).contains("docs/JOB-FILE.md").contains("id,name,email");
    // Every word of every option description is printed whole.
    for (String word : List.of("'in/**/*.csv'.", "--virtual-readers)", "<output>/.sluice).")) {
      assertThat(help).contains(word);
    }
  }

  @Test
  void checkHelpShouldLeaveOutWhatOnlyRunWrites() {
    String help = CliRunner.run("check", "--help").out();
    assertThat(help).startsWith("Usage: sluice check [OPTIONS] [--input=PATH]... [PATH]...");
    // No row of the option list names one of them (descriptions and examples may mention them).
    for (String option : CheckCommand.WRITE_ONLY) {
      assertThat(help)
          .as(option)
          .doesNotContainPattern("(?m)^  (-\\w, |    )" + option + "(=| |$)");
    }
    assertThat(help)
        .contains("--filter=EXPR")
        .contains("--on-error=POLICY")
        .contains("--from=FORMAT");
  }

  @Test
  void aWriteOnlyOptionGivenToCheckShouldBeAUsageErrorNamingIt() {
    CliRunner.Result r = CliRunner.run("check", "--output", "x", "sample-data");
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .startsWith(
            "sluice: --output is an option of 'sluice run' only: 'sluice check' writes nothing");
    CliRunner.Result eq = CliRunner.run("check", "--overwrite", "sample-data");
    assertThat(eq.err()).startsWith("sluice: --overwrite is an option of 'sluice run' only");
  }
}
