package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.Format;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The cron options of {@code sluice run} and {@code --job}, mapped to a spec without running. */
class CronOptionsTest {
  @TempDir Path tmp;
  private Path in;
  private Path out;

  @BeforeEach
  void createInput() throws IOException {
    in = Files.writeString(tmp.resolve("orders.csv"), "a,b\n1,2\n");
    out = tmp.resolve("out");
  }

  private static RunCommand parse(String... args) {
    RunCommand cmd = new RunCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd;
  }

  private static PipelineSpec spec(String... args) {
    return parse(args).toSpec();
  }

  private PipelineSpec specWith(String... extra) {
    List<String> a = new ArrayList<>(List.of("--input", in.toString(), "--output", out.toString()));
    a.addAll(Arrays.asList(extra));
    return spec(a.toArray(new String[0]));
  }

  private static List<String> described(PipelineSpec spec) {
    return spec.steps().stream().map(Step::describe).collect(Collectors.toList());
  }

  private Path job(String json) throws IOException {
    Path dir = tmp.resolve("jobs");
    Files.createDirectories(dir);
    return Files.writeString(dir.resolve("nightly.job"), json);
  }

  private static void assertUsageError(CliRunner.Result r, String message) {
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines().get(0)).startsWith("sluice: ").contains(message);
    assertThat(r.errLines().get(1)).isEqualTo("Try 'sluice run --help' for more information.");
  }

  @Test
  void stateDefaultsToDotSluiceUnderTheOutput() {
    PipelineSpec spec = specWith();
    assertThat(spec.stateDir()).isEqualTo(out.resolve(".sluice"));
    assertThat(spec.full()).isFalse();
    assertThat(spec.identity()).isEqualTo(PipelineSpec.Identity.STAT);
    assertThat(spec.waitLock()).isZero();
    assertThat(spec.timeout()).isNull();
  }

  @Test
  void cronOptionsReachTheSpec() {
    PipelineSpec spec =
        specWith(
            "--state-dir",
            tmp.resolve("state").toString(),
            "--full",
            "--identity",
            "HASH",
            "--wait-lock",
            "1h30m",
            "--timeout",
            "PT10M");
    assertThat(spec.stateDir()).isEqualTo(tmp.resolve("state"));
    assertThat(spec.full()).isTrue();
    assertThat(spec.identity()).isEqualTo(PipelineSpec.Identity.HASH);
    assertThat(spec.waitLock()).isEqualTo(Duration.ofMinutes(90));
    assertThat(spec.timeout()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void noStateRunsWithoutAStateDirectory() {
    assertThat(specWith("--no-state").stateDir()).isNull();
  }

  @Test
  void badCronOptionValuesAreUsageErrors() {
    String[] base = {"run", "--input", in.toString(), "--output", out.toString()};
    String[][] cases = {
      {"--no-state", "--state-dir", "s", "--no-state and --state-dir are mutually exclusive"},
      {"--identity", "md5", "--identity must be stat or hash (got 'md5')"},
      {"--wait-lock", "5", "--wait-lock: not a duration: '5' (use 30s, 5m, 1h30m or PT10M)"},
      {"--timeout", "soon", "--timeout: not a duration: 'soon'"},
      {"--timeout", "0s", "--timeout must be positive"},
      {"--log-format", "xml", "--log-format must be text or json (got 'xml')"},
    };
    for (String[] c : cases) {
      String[] args = new String[base.length + c.length - 1];
      System.arraycopy(base, 0, args, 0, base.length);
      System.arraycopy(c, 0, args, base.length, c.length - 1);
      assertUsageError(CliRunner.run(args), c[c.length - 1]);
    }
  }

  @Test
  void aJobFileAloneDescribesTheWholeJob() throws IOException {
    Path file =
        job(
            "{\"version\": 1, \"input\": {\"paths\": [\"../orders.csv\"]}, \"output\": {\"dir\": \"../out\"},"
                + " \"steps\": [{\"filter\": \"a == 1\"}, {\"upper\": [\"b\"]}], \"engine\": {\"threads\": 3},"
                + " \"state\": {\"waitLock\": \"5m\", \"identity\": \"hash\"}}");

    PipelineSpec spec = spec("--job", file.toString());

    assertThat(spec.inputs()).containsExactly(in);
    assertThat(spec.output()).isEqualTo(out);
    assertThat(described(spec))
        .containsExactly(Steps.filter("a == 1").describe(), Steps.upper("b").describe());
    assertThat(List.of(spec.readers(), spec.transformers(), spec.writers()))
        .containsExactly(3, 3, 3);
    assertThat(spec.waitLock()).isEqualTo(Duration.ofMinutes(5));
    assertThat(spec.identity()).isEqualTo(PipelineSpec.Identity.HASH);
    assertThat(spec.stateDir()).isEqualTo(out.resolve(".sluice"));
  }

  @Test
  void commandLineScalarsReplaceTheJobFilesValues() throws IOException {
    Path file =
        job(
            "{\"version\": 1, \"input\": {\"paths\": [\"../orders.csv\"], \"format\": \"csv\"}, \"output\": {\"dir\": \"../out\"},"
                + " \"engine\": {\"readers\": 5, \"writers\": 5}, \"errors\": {\"onError\": \"fail\"},"
                + " \"state\": {\"waitLock\": \"5m\"}}");

    PipelineSpec spec =
        spec(
            "--job",
            file.toString(),
            "--output",
            tmp.resolve("other").toString(),
            "--readers",
            "2",
            "--wait-lock",
            "30s",
            "--on-error",
            "skip",
            "--to",
            "jsonl",
            "--no-state");

    assertThat(spec.output()).isEqualTo(tmp.resolve("other"));
    assertThat(spec.readers()).isEqualTo(2);
    assertThat(spec.writers()).isEqualTo(5);
    assertThat(spec.waitLock()).isEqualTo(Duration.ofSeconds(30));
    assertThat(spec.onError()).isEqualTo(ErrorPolicy.SKIP);
    assertThat(spec.outputFormat().kind()).isEqualTo(Format.Kind.JSONL);
    assertThat(spec.stateDir()).isNull();
  }

  @Test
  void commandLineStepsReplaceAllOfTheJobFilesSteps() throws IOException {
    Path file =
        job(
            "{\"version\": 1, \"input\": {\"paths\": [\"../orders.csv\"]},"
                + " \"output\": {\"dir\": \"../out\", \"escapeFormulas\": true},"
                + " \"steps\": [{\"filter\": \"a == 1\"}, {\"upper\": [\"b\"]}]}");

    PipelineSpec spec = spec("--job", file.toString(), "--hash", "a");

    assertThat(described(spec))
        .containsExactly(Steps.hash("a").describe(), Steps.escapeFormulas().describe());
  }

  @Test
  void commandLineInputsReplaceAllOfTheJobFilesInputs() throws IOException {
    Path other = Files.writeString(tmp.resolve("other.csv"), "a\n");
    Path file =
        job(
            "{\"version\": 1, \"input\": {\"paths\": [\"../orders.csv\", \"../orders.csv\"]}, \"output\": {\"dir\": \"../out\"}}");

    assertThat(spec("--job", file.toString(), other.toString()).inputs()).containsExactly(other);
    assertThat(spec("--job", file.toString(), "--input", other.toString()).inputs())
        .containsExactly(other);
  }

  @Test
  void aJobFileMissingInputOrOutputCanTakeThemFromTheCommandLine() throws IOException {
    Path file = job("{\"version\": 1, \"steps\": [{\"lower\": [\"a\"]}]}");
    PipelineSpec spec =
        spec("--job", file.toString(), "--input", in.toString(), "--output", out.toString());
    assertThat(spec.inputs()).containsExactly(in);
    assertThat(described(spec)).containsExactly(Steps.lower("a").describe());

    assertThatThrownBy(() -> spec("--job", file.toString(), "--output", out.toString()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("no input")
        .hasMessageContaining("job file");
  }

  @Test
  void aJobFilesMissingInputIsAUsageError() throws IOException {
    Path file =
        job(
            "{\"version\": 1, \"input\": {\"paths\": [\"../nope.csv\"]}, \"output\": {\"dir\": \"../out\"}}");
    assertUsageError(
        CliRunner.run("run", "--job", file.toString()),
        "input not found: " + tmp.resolve("nope.csv"));
  }

  @Test
  void aBadJobFileIsExitTwoNamingTheFileAndTheKey() throws IOException {
    Path file =
        job("{\"version\": 1, \"input\": {\"paths\": [\"../orders.csv\"], \"sep\": \";\"}}");
    assertUsageError(
        CliRunner.run("run", "--job", file.toString()), file + ": unknown key 'input.sep'");
    Path versionless = job("{\"input\": {}}");
    assertUsageError(CliRunner.run("run", "--job", versionless.toString()), "missing \"version\"");
    assertUsageError(
        CliRunner.run("run", "--job", tmp.resolve("none.job").toString()), "job file not found");
  }

  @Test
  void aCustomStepClassFromAJobFileRuns() throws IOException {
    Path file =
        job(
            "{\"version\": 1, \"input\": {\"paths\": [\"../orders.csv\"]}, \"output\": {\"dir\": \"../out\"},"
                + " \"steps\": [{\"class\": \""
                + TaggingStep.class.getName()
                + "\"}]}");
    CliRunner.Result r = CliRunner.run("run", "--job", file.toString(), "--no-state");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(out.resolve("orders.csv")).hasContent("a,b\n1,2");
  }

  @Test
  void theJobNameComesFromTheFlagTheFileOrTheOutputDirectory() throws IOException {
    Path named = job("{\"version\": 1, \"name\": \"orders-eu\"}");
    assertThat(parse("--job", named.toString()).jobName(parse("--job", named.toString()).config()))
        .isEqualTo("orders-eu");
    Path unnamed = job("{\"version\": 1}");
    assertThat(
            parse("--job", unnamed.toString()).jobName(parse("--job", unnamed.toString()).config()))
        .isEqualTo("nightly");
    RunCommand flag = parse("--job", named.toString(), "--job-name", "eu");
    assertThat(flag.jobName(flag.config())).isEqualTo("eu");
    RunCommand plain = parse("--input", in.toString(), "--output", out.toString());
    assertThat(plain.jobName(plain.config())).isEqualTo("out");
    // Before the job file could be read, its file name still names the job.
    assertThat(parse("--job", tmp.resolve("weekly.job").toString()).jobName(null))
        .isEqualTo("weekly");
  }

  @Test
  void maxErrorsNeedsTheSkipPolicyFromEitherSource() throws IOException {
    assertThatThrownBy(() -> specWith("--max-errors", "5"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("--on-error skip");
    Path skipping =
        job(
            "{\"version\": 1, \"input\": {\"paths\": [\"../orders.csv\"]}, \"output\": {\"dir\": \"../out\"},"
                + " \"errors\": {\"onError\": \"skip\"}}");
    assertThat(spec("--job", skipping.toString(), "--max-errors", "5").onError())
        .isEqualTo(ErrorPolicy.SKIP);
  }
}
