package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.FileTrees;
import dev.sluice.Sluice;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Step;
import dev.sluice.internal.config.JobReader;
import dev.sluice.job.JobFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** sample-data/jobs/demo.job is the ./run.sh demo command line as a job file. */
@Timeout(60)
class DemoJobTest {
  static final Path DEMO_JOB = Path.of("sample-data/jobs/demo.job");

  /** run.sh's demo command line. */
  static final String[] DEMO_COMMAND = {
    "--input",
    "sample-data",
    "--output",
    "out",
    "--filter",
    "status == SHIPPED",
    "--filter",
    "amount > 100",
    "--select",
    "order_id,customer_name,email,country,amount",
    "--upper",
    "country",
    "--lower",
    "email",
    "--hash",
    "email",
    "--overwrite"
  };

  @TempDir Path tmp;

  private static PipelineSpec commandLine(String... args) {
    RunCommand cmd = new RunCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd.toSpec();
  }

  private static List<String> described(PipelineSpec spec) {
    return spec.steps().stream().map(Step::describe).collect(Collectors.toList());
  }

  @Test
  void theDemoJobFileGivesTheSpecOfTheDemoCommandLine() {
    PipelineSpec fromLine = commandLine(DEMO_COMMAND);
    PipelineSpec fromFile = JobFile.read(DEMO_JOB);

    assertThat(JobReader.read(DEMO_JOB).name()).isEqualTo("demo");
    assertThat(described(fromFile)).isEqualTo(described(fromLine)).hasSize(6);
    assertThat(fromFile.inputFormat()).isEqualTo(fromLine.inputFormat());
    assertThat(fromFile.outputFormat()).isEqualTo(fromLine.outputFormat());
    // ../../out from sample-data/jobs is ./out, as on the command line.
    assertThat(fromFile.output()).isEqualTo(fromLine.output()).isEqualTo(Path.of("out"));
    assertThat(fromFile.overwrite()).isEqualTo(fromLine.overwrite()).isTrue();
    assertThat(fromFile.stateDir()).isEqualTo(fromLine.stateDir());
    // The same files: a glob, so that the job file itself (in sample-data/jobs/) is not input.
    assertThat(fromFile.inputs()).containsExactly(EndToEndTest.SAMPLE_DATA);
  }

  @Test
  void theLibraryUseOfJobFilesInTheDocsRuns() {
    // As in docs/JOB-FILE.md, with the output moved into the test's directory.
    PipelineSpec.Builder job = JobFile.builder(DEMO_JOB).output(tmp.resolve("lib")).stateDir(null);
    RunResult result = Sluice.run(job.build());
    PipelineSpec spec = job.threadFactory(Thread::new).build();

    assertThat(result.files()).isEqualTo(3);
    assertThat(spec.threadFactory()).isNotNull();
  }

  @Test
  void runningTheDemoJobWritesWhatTheCommandLineWrites() throws IOException {
    Path byJob = tmp.resolve("job");
    Path byLine = tmp.resolve("line");
    String[] line = DEMO_COMMAND.clone();
    line[1] = EndToEndTest.SAMPLE_DATA.toString();
    line[3] = byLine.toString();
    String[] lineArgs = new String[line.length + 2];
    lineArgs[0] = "run";
    lineArgs[1] = "--no-state";
    System.arraycopy(line, 0, lineArgs, 2, line.length);

    CliRunner.Result job =
        CliRunner.run(
            "run", "--job", DEMO_JOB.toString(), "--output", byJob.toString(), "--no-state");
    CliRunner.Result cmd = CliRunner.run(lineArgs);

    assertThat(job.code()).as(job.toString()).isZero();
    assertThat(cmd.code()).as(cmd.toString()).isZero();
    assertThat(FileTrees.under(byJob).skipping(".sluice").text(StandardCharsets.ISO_8859_1))
        .containsOnlyKeys(
            "2026/10/orders-eu.csv", "2026/11/orders-apac.csv", "2026/11/orders-us.csv")
        .isEqualTo(FileTrees.under(byLine).skipping(".sluice").text(StandardCharsets.ISO_8859_1));
    assertThat(job.out()).contains("files: 3", "job: demo");
  }
}
