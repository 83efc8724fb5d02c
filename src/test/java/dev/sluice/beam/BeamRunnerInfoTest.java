package dev.sluice.beam;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Steps;
import dev.sluice.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A Beam run's result and summary say which runner ran it, with what parallelism. */
@Timeout(120)
class BeamRunnerInfoTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @CsvSource({
    "local,1",
    "local[2],2",
    "'local[3, 4]',0",
    "'local[4,2]',4",
    "yarn,0",
    "spark://h:7077,0"
  })
  void shouldReadTheCoresOfALocalSparkMaster(String master, int cores) {
    assertThat(RunnerInfo.sparkLocalCores(master)).isEqualTo(cores);
  }

  @Test
  void shouldCountEveryCoreForLocalStar() {
    assertThat(RunnerInfo.sparkLocalCores("local[*]"))
        .isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void shouldReadTheDirectRunnersTargetParallelism() {
    assertThat(
            RunnerInfo.of(
                PipelineOptionsFactory.fromArgs("--runner=DirectRunner", "--targetParallelism=3")
                    .create()))
        .isEqualTo(new RunResult.Runner("DirectRunner", 3));
  }

  @Test
  void shouldPutTheRunnerInTheSummaryInsteadOfThreadCounts() {
    Path in = BeamEngineTest.generate(tmp.resolve("in"), 2, 50);
    RunResult r =
        BeamEngine.run(
            PipelineSpec.builder()
                .input(in)
                .output(tmp.resolve("out"))
                .step(Steps.filter("status == SHIPPED"))
                .build(),
            "--runner=DirectRunner",
            "--targetParallelism=2");

    assertThat(r.runner()).isEqualTo(new RunResult.Runner("DirectRunner", 2));
    assertThat(r.summary())
        .contains("ran on: Beam DirectRunner, parallelism 2")
        .doesNotContain("threads:");
  }

  @Test
  void shouldPutTheRunnerInTheCliSummaryAndReport() throws Exception {
    Path in = BeamEngineTest.generate(tmp.resolve("in"), 2, 50);
    Path report = tmp.resolve("report.json");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "run",
            "--engine",
            "beam",
            "--runner=DirectRunner",
            "--targetParallelism=2",
            "--no-state",
            "--input",
            in.toString(),
            "--output",
            tmp.resolve("out").toString(),
            "--report",
            report.toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("ran on: Beam DirectRunner, parallelism 2");
    JsonNode runner =
        new ObjectMapper().readTree(Files.readString(report, StandardCharsets.UTF_8)).get("runner");
    assertThat(runner.get("name").asText()).isEqualTo("DirectRunner");
    assertThat(runner.get("parallelism").asInt()).isEqualTo(2);
  }
}
