package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Log lines of {@code sluice run}: run id on every line, text and JSON, the log file. */
@Timeout(60)
class LoggingTest {
  private static final Pattern RUN_LINE = Pattern.compile("(?m)^run: ([0-9a-f]{8}), job: ");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private Path in;
  private Path out;

  @BeforeEach
  void createInput() throws IOException {
    in = tmp.resolve("in");
    Files.createDirectories(in);
    Files.writeString(
        in.resolve("orders.csv"),
        "order_id,status,amount\n1,SHIPPED,5\n2,PENDING,abc\n3,SHIPPED,7\n");
    out = tmp.resolve("out");
  }

  private CliRunner.Result run(String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "run",
                "--input",
                in.toString(),
                "--output",
                out.toString(),
                "--no-state",
                "--overwrite"));
    a.addAll(Arrays.asList(extra));
    return CliRunner.run(a.toArray(new String[0]));
  }

  private static String runId(CliRunner.Result r) {
    Matcher m = RUN_LINE.matcher(r.out());
    assertThat(m.find()).as("run id in the summary: %s", r).isTrue();
    return m.group(1);
  }

  @Test
  void everyStderrLineCarriesTheRunIdOfTheSummaryIncludingEngineThreads() {
    CliRunner.Result r = run("--verbose", "--step", LoggingStep.class.getName());

    assertThat(r.code()).as(r.toString()).isZero();
    String id = runId(r);
    assertThat(r.errLines()).isNotEmpty();
    for (String line : r.errLines()) {
      assertThat(line)
          .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO |WARN ) run=" + id + " \\[[^]]+\\] .*");
    }
    assertThat(r.err())
        .contains("run " + id + " started: job out", "step: LoggingStep", "run finished (exit 0)")
        .containsPattern("WARN  run=" + id + " \\[sluice-transformer-\\d+\\] step saw order 1");
  }

  @Test
  void jsonLinesParseAndCarryTheRunIdAlsoInTheMdcOfEngineThreads() throws IOException {
    CliRunner.Result r =
        run("--verbose", "--log-format", "json", "--step", LoggingStep.class.getName());

    assertThat(r.code()).as(r.toString()).isZero();
    String id = runId(r);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : r.errLines()) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).hasSizeGreaterThan(3);
    for (JsonNode n : lines) {
      assertThat(n.path("run").asText()).as(n.toString()).isEqualTo(id);
      assertThat(n.path("mdc").path("run").asText()).as(n.toString()).isEqualTo(id);
      assertThat(n.path("level").asText()).isIn("INFO", "WARN");
      assertThat(n.path("timestamp").isNumber()).isTrue();
    }
    List<JsonNode> fromStep =
        lines.stream()
            .filter(n -> n.path("formattedMessage").asText().startsWith("step saw order"))
            .collect(Collectors.toList());
    assertThat(fromStep).hasSize(3);
    assertThat(fromStep)
        .allSatisfy(
            n -> assertThat(n.path("threadName").asText()).startsWith("sluice-transformer-"));
  }

  @Test
  void theLogFileIsAppendedAcrossRunsAtInfoEvenWhenQuiet() throws IOException {
    Path log = tmp.resolve("logs/sluice.log");

    CliRunner.Result first = run("--quiet", "--log-file", log.toString());
    CliRunner.Result second = run("--quiet", "--log-file", log.toString());

    assertThat(first.code()).isZero();
    assertThat(second.code()).isZero();
    assertThat(first.out()).isEmpty();
    assertThat(first.err()).isEmpty();
    List<String> lines = Files.readAllLines(log);
    List<String> ids =
        lines.stream()
            .map(l -> l.replaceAll("^.* run=([0-9a-f]{8}) .*$", "$1"))
            .distinct()
            .collect(Collectors.toList());
    assertThat(ids).hasSize(2);
    for (String id : ids) {
      assertThat(lines)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .matches(
                          "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  run="
                              + id
                              + " \\[main\\] run "
                              + id
                              + " started: .*"))
          .anySatisfy(
              l ->
                  assertThat(l)
                      .contains(
                          "run=" + id,
                          "run finished (exit 0): files 1 ok, 0 failed, 0 skipped; records 3 read"));
    }
  }

  @Test
  void aFailureIsOneLineOnStderrAndAnErrorLineInTheLogFile() throws IOException {
    Path log = tmp.resolve("run.log");
    CliRunner.Result r = run("--log-file", log.toString(), "--step", FailingStep.class.getName());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .startsWith("sluice: ")
        .contains("cannot process order 3");
    assertThat(Files.readString(log))
        .containsPattern(
            "ERROR run=[0-9a-f]{8} \\[main\\] run failed \\(exit 1\\): .*cannot process order 3");
  }

  @Test
  void warningsAreLoggedAtWarnUnlessQuiet() throws IOException {
    Path log = tmp.resolve("run.log");
    CliRunner.Result plain = run("--filter", "amount > 1");
    CliRunner.Result quiet = run("--filter", "amount > 1", "--quiet", "--log-file", log.toString());

    assertThat(plain.code()).as(plain.toString()).isZero();
    String id = runId(plain);
    assertThat(plain.errLines())
        .isNotEmpty()
        .allSatisfy(l -> assertThat(l).contains(" WARN  run=" + id + " ", "warning: "));
    assertThat(quiet.err()).isEmpty();
    assertThat(Files.readString(log)).contains("WARN", "warning: ");
  }

  @Test
  void rejectsGetOneSummaryLinePerFile() throws IOException {
    Files.writeString(
        in.resolve("bad.csv"), "order_id,status,amount\n1,SHIPPED,5,extra\n2,x\n3,SHIPPED,9\n");
    Path log = tmp.resolve("run.log");
    CliRunner.Result r = run("--on-error", "skip", "--log-file", log.toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(3);
    assertThat(Files.readString(log))
        .contains("rejected in bad.csv: 2 records (WRONG_FIELD_COUNT 2)")
        .doesNotContain("rejected in orders.csv");
  }

  @Test
  void aLogFileThatCannotBeOpenedIsAUsageError() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("a-directory"));
    CliRunner.Result r = run("--log-file", dir.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines().get(0))
        .isEqualTo("sluice: --log-file: cannot open " + dir + " for appending");
  }
}
