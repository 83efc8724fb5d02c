package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.sluice.api.LockHeldException;
import dev.sluice.api.PipelineException;
import dev.sluice.api.Stage;
import dev.sluice.api.internal.ApiAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus metrics file of {@code --metrics-file}, read back line by line. */
@Timeout(60)
class MetricsFileTest {
  @TempDir Path tmp;
  private Path in;
  private Path out;
  private Path metrics;

  @BeforeEach
  void createInput() throws IOException {
    in = tmp.resolve("in");
    Files.createDirectories(in);
    Files.writeString(
        in.resolve("orders.csv"), "order_id,status\n1,SHIPPED\n2,PENDING\n3,SHIPPED\n");
    out = tmp.resolve("nightly-out");
    metrics = tmp.resolve("textfile/sluice.prom");
  }

  private String[] args(String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "run",
                "--input",
                in.toString(),
                "--output",
                out.toString(),
                "--metrics-file",
                metrics.toString(),
                "--no-state",
                "--overwrite"));
    a.addAll(Arrays.asList(extra));
    return a.toArray(new String[0]);
  }

  /** The samples of the metrics file: "name{label=value,...}" (labels sorted) to value. */
  private Map<String, Double> samples() throws IOException {
    Map<String, Double> m = new HashMap<>();
    for (String line : Files.readAllLines(metrics, StandardCharsets.UTF_8)) {
      MetricsFile.Sample s = MetricsFile.parse(line);
      if (s != null) {
        String labels =
            s.labels().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
        m.put(s.name() + "{" + labels + "}", s.value());
      } else {
        assertThat(line).as("only comments besides samples").startsWith("# ");
      }
    }
    return m;
  }

  @Test
  void aSuccessfulRunWritesEveryMetricWithTheJobLabel() throws IOException {
    Instant before = Instant.now();
    CliRunner.Result r =
        CliRunner.run(args("--job-name", "nightly", "--filter", "status == SHIPPED"));

    assertThat(r.code()).as(r.toString()).isZero();
    Map<String, Double> s = samples();
    assertThat(s)
        .containsEntry("sluice_last_run_success{job=nightly}", 1.0)
        .containsEntry("sluice_last_run_exit_code{job=nightly}", 0.0)
        .containsEntry("sluice_files{job=nightly,outcome=ok}", 1.0)
        .containsEntry("sluice_files{job=nightly,outcome=failed}", 0.0)
        .containsEntry("sluice_files{job=nightly,outcome=skipped}", 0.0)
        .containsEntry("sluice_records{job=nightly,kind=read}", 3.0)
        .containsEntry("sluice_records{job=nightly,kind=passed}", 2.0)
        .containsEntry("sluice_records{job=nightly,kind=filtered}", 1.0)
        .containsEntry("sluice_records{job=nightly,kind=rejected}", 0.0)
        .containsEntry("sluice_records{job=nightly,kind=abandoned}", 0.0)
        .containsEntry("sluice_records{job=nightly,kind=written}", 2.0)
        .containsKeys(
            "sluice_bytes{direction=read,job=nightly}",
            "sluice_bytes{direction=written,job=nightly}",
            "sluice_run_duration_seconds{job=nightly}");
    double end = s.get("sluice_last_run_timestamp_seconds{job=nightly}");
    assertThat(end).isGreaterThanOrEqualTo(before.getEpochSecond());
    assertThat(s.get("sluice_last_success_timestamp_seconds{job=nightly}")).isEqualTo(end);
    assertThat(s.get("sluice_bytes{direction=read,job=nightly}")).isPositive();
    assertThat(s.get("sluice_run_duration_seconds{job=nightly}")).isPositive();
    assertThat(Files.readString(metrics))
        .contains("# TYPE sluice_files gauge", "# HELP sluice_last_run_success ");
  }

  @Test
  void aFailedRunKeepsTheLastSuccessAndReportsThePartialCounts() throws IOException {
    assertThat(CliRunner.run(args("--job-name", "nightly")).code()).isZero();
    double success = samples().get("sluice_last_success_timestamp_seconds{job=nightly}");

    PipelineException failure =
        ApiAccess.withResult(
            ApiAccess.pipelineException(
                Stage.COORDINATOR, null, -1, -1, "main", "timed out after 1s", null),
            FakePipelines.result(4, 1, 2, 1000, 10));
    CliRunner.Result r =
        CliRunner.run(FakePipelines.failingWith(failure), args("--job-name", "nightly"));

    assertThat(r.code()).isEqualTo(1);
    Map<String, Double> s = samples();
    assertThat(s)
        .containsEntry("sluice_last_run_success{job=nightly}", 0.0)
        .containsEntry("sluice_last_run_exit_code{job=nightly}", 1.0)
        .containsEntry("sluice_last_success_timestamp_seconds{job=nightly}", success)
        .containsEntry("sluice_files{job=nightly,outcome=ok}", 4.0)
        .containsEntry("sluice_files{job=nightly,outcome=failed}", 1.0)
        .containsEntry("sluice_files{job=nightly,outcome=skipped}", 2.0)
        .containsEntry("sluice_records{job=nightly,kind=read}", 1000.0)
        .containsEntry("sluice_records{job=nightly,kind=rejected}", 10.0);
    assertThat(s.get("sluice_last_run_timestamp_seconds{job=nightly}"))
        .isGreaterThanOrEqualTo(success);
  }

  @Test
  void aFailureBeforeAnythingWasCountedHasNoCountsAndNoInventedSuccess() throws IOException {
    CliRunner.Result r =
        CliRunner.run(FakePipelines.failingWith(new LockHeldException("held", null)), args());

    assertThat(r.code()).isEqualTo(4);
    Map<String, Double> s = samples();
    // The job label defaults to the output directory's name.
    assertThat(s)
        .containsEntry("sluice_last_run_success{job=nightly-out}", 0.0)
        .containsEntry("sluice_last_run_exit_code{job=nightly-out}", 4.0)
        .doesNotContainKey("sluice_last_success_timestamp_seconds{job=nightly-out}")
        .doesNotContainKey("sluice_files{job=nightly-out,outcome=ok}");
  }

  @Test
  void aUsageErrorStillWritesTheMetrics() throws IOException {
    CliRunner.Result r = CliRunner.run(args("--timeout", "soon"));
    assertThat(r.code()).isEqualTo(2);
    assertThat(samples()).containsEntry("sluice_last_run_exit_code{job=nightly-out}", 2.0);
  }

  @Test
  void theJobFileNamesTheJob() throws IOException {
    Path job = Files.writeString(tmp.resolve("orders-eu.job"), "{\"version\": 1}");
    assertThat(CliRunner.run(args("--job", job.toString())).code()).isZero();
    assertThat(samples()).containsEntry("sluice_last_run_success{job=orders-eu}", 1.0);
  }

  @Test
  void theFileIsReplacedWholeAndReadableByTheCollector() throws IOException {
    Files.createDirectories(metrics.getParent());
    Files.writeString(metrics, "garbage that is not a metric\n");

    assertThat(CliRunner.run(args()).code()).isZero();

    assertThat(Files.readString(metrics))
        .doesNotContain("garbage")
        .contains("sluice_last_run_success");
    try (Stream<Path> files = Files.list(metrics.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("sluice.prom");
    }
    PosixFileAttributeView posix =
        Files.getFileAttributeView(metrics, PosixFileAttributeView.class);
    assumeThat(posix).as("POSIX file system").isNotNull();
    assertThat(PosixFilePermissions.toString(posix.readAttributes().permissions()))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void aMetricsFileThatCannotBeWrittenIsAnErrorLineButNotAFailedRun() throws IOException {
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    metrics = file.resolve("sluice.prom");
    CliRunner.Result r = CliRunner.run(args("--quiet"));
    assertThat(r.code()).isZero();
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .contains("ERROR", "cannot write the metrics file");
  }

  @Test
  void labelValuesAreEscapedByTheWriterAndReadBack() throws IOException {
    String job = "odd \"job\" \\ name";
    MetricsFile.Run run =
        new MetricsFile.Run(
            job, Instant.ofEpochSecond(1_700_000_000, 500_000_000), Duration.ofSeconds(3), 0, null);
    Files.createDirectories(metrics.getParent());
    MetricsFile.write(metrics, run);

    assertThat(MetricsFile.lastSuccess(metrics, job)).hasValue(1_700_000_000.5);
    assertThat(MetricsFile.lastSuccess(metrics, "another job")).isEmpty();
    assertThat(MetricsFile.lastSuccess(tmp.resolve("missing.prom"), job))
        .isEqualTo(OptionalDouble.empty());
  }

  @Test
  void theLineParserReadsTheTextFormat() {
    MetricsFile.Sample s = MetricsFile.parse("sluice_files{job=\"a\\\"b\",outcome=\"ok\"} 3.0");
    assertThat(s).isNotNull();
    assertThat(s.name()).isEqualTo("sluice_files");
    assertThat(s.labels()).containsEntry("job", "a\"b").containsEntry("outcome", "ok");
    assertThat(s.value()).isEqualTo(3.0);
    assertThat(MetricsFile.parse("up 1 1700000000000").value()).isEqualTo(1.0);
    assertThat(MetricsFile.parse("x 1.7E9").value()).isEqualTo(1.7e9);
    assertThat(MetricsFile.parse("x +Inf").value()).isInfinite();
    assertThat(MetricsFile.parse("# HELP x y")).isNull();
    assertThat(MetricsFile.parse("")).isNull();
    assertThat(MetricsFile.parse("x{job=unquoted} 1")).isNull();
    assertThat(MetricsFile.parse("x one")).isNull();
  }
}
