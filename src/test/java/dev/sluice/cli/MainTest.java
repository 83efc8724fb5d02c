package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and messages of the command line that need no engine run. */
class MainTest {
  @TempDir Path tmp;
  private Path input;
  private Path output;

  @BeforeEach
  void createInput() throws IOException {
    input = tmp.resolve("orders.csv");
    Files.writeString(input, OrdersGenerator.HEADER + "\n");
    output = tmp.resolve("out");
  }

  private CliRunner.Result runWith(String... extra) {
    String[] args = new String[extra.length + 5];
    args[0] = "run";
    args[1] = "--input";
    args[2] = input.toString();
    args[3] = "--output";
    args[4] = output.toString();
    System.arraycopy(extra, 0, args, 5, extra.length);
    return CliRunner.run(args);
  }

  private static void assertUsageError(CliRunner.Result r, String expectedMessagePart) {
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines()).as(r.toString()).hasSize(2);
    assertThat(r.errLines().get(0)).startsWith("sluice: ").contains(expectedMessagePart);
    assertThat(r.errLines().get(1))
        .startsWith("Try 'sluice")
        .endsWith("--help' for more information.");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void helpExitsZeroAndDocumentsExitCodes() {
    CliRunner.Result r = CliRunner.run("run", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("Exit codes:", "--max-in-flight", "--filter", "--replace")
        .containsPattern("(?m)^\\s+3\\s+finished, but some records were rejected")
        .containsPattern("(?m)^\\s+4\\s+another run holds the lock")
        .containsPattern("(?m)^\\s+130\\s")
        .containsPattern("(?m)^\\s+143\\s");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void helpIsAvailableOnEveryCommand() {
    assertThat(CliRunner.run("--help").code()).isZero();
    assertThat(CliRunner.run("generate", "--help").out()).contains("--seed", "Exit codes:");
    assertThat(CliRunner.run("help", "run").out()).contains("--output");
  }

  @Test
  void versionPrintsTheVersionAndExitsZero() {
    CliRunner.Result r = CliRunner.run("--version");
    assertThat(r.code()).isZero();
    // Classes run from target/classes, without a jar manifest: the version is "dev".
    assertThat(r.out()).startsWith("sluice " + Main.version()).contains("Java ");
    assertThat(CliRunner.run("run", "--version").out()).startsWith("sluice ");
  }

  @Test
  void unknownOptionIsAOneLineUsageError() {
    CliRunner.Result r = runWith("--bogus");
    assertUsageError(r, "Unknown option: '--bogus'");
    assertThat(r.errLines().get(1)).isEqualTo("Try 'sluice run --help' for more information.");
  }

  @Test
  void missingOutputIsAUsageError() {
    CliRunner.Result r = CliRunner.run("run", "--input", input.toString());
    assertUsageError(r, "--output");
  }

  @Test
  void missingInputPathIsAUsageError() {
    CliRunner.Result r =
        CliRunner.run(
            "run", "--input", tmp.resolve("nope").toString(), "--output", output.toString());
    assertUsageError(r, "input not found: " + tmp.resolve("nope"));
    assertThat(output).doesNotExist();
  }

  @Test
  void noInputAtAllIsAUsageError() {
    assertUsageError(CliRunner.run("run", "--output", output.toString()), "no input");
  }

  @Test
  void badMaxInFlightIsAUsageError() {
    assertUsageError(runWith("--max-in-flight", "12q"), "--max-in-flight: not a size: '12q'");
    assertUsageError(runWith("--max-in-flight", "0"), "--max-in-flight must be >= 1");
  }

  @Test
  void unknownCharsetIsAUsageError() {
    assertUsageError(runWith("--charset", "no-such-charset"), "unknown charset 'no-such-charset'");
  }

  @Test
  void quietAndVerboseAreMutuallyExclusive() {
    assertUsageError(
        runWith("--quiet", "--verbose"), "--quiet and --verbose are mutually exclusive");
    assertUsageError(
        CliRunner.run("generate", "-q", "-v", "--output", output.toString()), "mutually exclusive");
  }

  @Test
  void nonPositiveThreadCountIsAUsageErrorNamingTheOption() {
    assertUsageError(runWith("--readers", "0"), "--readers must be >= 1 (got 0)");
    assertUsageError(runWith("--threads", "-1"), "--threads must be >= 1 (got -1)");
  }

  @Test
  void nonNumericThreadCountIsAUsageError() {
    assertUsageError(runWith("--writers", "two"), "--writers");
  }

  @Test
  void badDelimiterAndFormatAreUsageErrors() {
    assertUsageError(runWith("--delimiter", ";;"), "--delimiter must be one character");
    assertUsageError(runWith("--from", "xml"), "--from must be csv, tsv or lines (got 'xml')");
    assertUsageError(runWith("--from", "jsonl"), "output format only");
    assertUsageError(runWith("--to", "xml"), "--to must be csv, tsv, lines or jsonl");
    assertUsageError(runWith("--delimiter", "\""), "delimiter and quote");
  }

  @Test
  void badRenameIsAUsageError() {
    assertUsageError(runWith("--rename", "a"), "--rename expects OLD=NEW (got 'a')");
  }

  @Test
  void missingStepClassIsAUsageError() {
    assertUsageError(
        runWith("--step", "com.example.NoSuchStep"), "com.example.NoSuchStep not found");
  }

  @Test
  void stepClassThatIsNotAStepIsAUsageError() {
    assertUsageError(
        runWith("--step", NotAStep.class.getName()), "does not implement dev.sluice.api.Step");
  }

  @Test
  void stacktraceOptionAddsTheTraceToTheOneLineMessage() {
    CliRunner.Result plain = runWith("--step", NotAStep.class.getName());
    CliRunner.Result traced = runWith("-x", "--step", NotAStep.class.getName());
    assertThat(plain.err()).doesNotContain("\tat ");
    assertThat(traced.code()).isEqualTo(2);
    assertThat(traced.errLines().get(0)).isEqualTo(plain.errLines().get(0));
    assertThat(traced.err()).contains("UsageException");
  }

  @Test
  void noCommandIsAUsageError() {
    CliRunner.Result r = CliRunner.run();
    assertUsageError(r, "missing command");
    assertThat(r.errLines().get(1)).isEqualTo("Try 'sluice --help' for more information.");
  }

  @Test
  void multiLineMessagesAreJoinedOnOneLine() {
    assertThat(Main.oneLine("bad record\n  at line 3\r\nend "))
        .isEqualTo("bad record | at line 3 | end");
    assertThat(Main.oneLine(null)).isNotBlank();
  }
}
