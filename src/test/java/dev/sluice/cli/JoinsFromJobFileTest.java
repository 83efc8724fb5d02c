package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code output.mergeFile} and {@code output.partitionBy} in a job file, and where they meet the
 * command line: the same joins as {@code --merge-output} and {@code --partition-by}, a command
 * line's {@code --output} replacing the file's merged file, and {@code check} joining nothing.
 */
class JoinsFromJobFileTest {
  @TempDir Path tmp;

  @BeforeEach
  void inputs() throws IOException {
    Files.createDirectories(tmp.resolve("jobs/in"));
    Files.writeString(tmp.resolve("jobs/in/a.csv"), "id,country\n1,NL\n2,DE\n");
    Files.writeString(tmp.resolve("jobs/in/b.csv"), "country,id\nNL,3\n");
  }

  private Path job(String output) throws IOException {
    return Files.writeString(
        tmp.resolve("jobs/t.job"),
        "{\"version\": 1, \"input\": {\"paths\": [\"in\"]}, \"output\": {" + output + "}}");
  }

  @Test
  void aJobFilesMergeFileShouldWriteWhatTheFlagWrites() throws IOException {
    Path j = job("\"mergeFile\": \"all.csv\"");
    CliRunner.Result fromFile = CliRunner.run("run", "--job", j.toString(), "-q");
    assertThat(fromFile.code()).as(fromFile.err()).isZero();

    CliRunner.Result fromFlag =
        CliRunner.run(
            "run",
            "--input",
            tmp.resolve("jobs/in").toString(),
            "--merge-output",
            tmp.resolve("flag.csv").toString(),
            "-q");
    assertThat(fromFlag.code()).as(fromFlag.err()).isZero();
    // Relative to the job file's directory; columns matched by name.
    assertThat(tmp.resolve("jobs/all.csv")).hasContent("id,country\n1,NL\n2,DE\n3,NL\n");
    assertThat(Files.readString(tmp.resolve("jobs/all.csv")))
        .isEqualTo(Files.readString(tmp.resolve("flag.csv")));
  }

  @Test
  void aJobFilesPartitionByShouldPartitionItsOutputDirectory() throws IOException {
    Path j = job("\"dir\": \"out\", \"partitionBy\": \"country\"");
    CliRunner.Result r = CliRunner.run("run", "--job", j.toString(), "-q");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(tmp.resolve("jobs/out/country=NL/part.csv")).hasContent("id,country\n1,NL\n3,NL\n");
    assertThat(tmp.resolve("jobs/out/country=DE/part.csv")).hasContent("id,country\n2,DE\n");
  }

  @Test
  void anOutputDirectoryOnTheCommandLineShouldReplaceTheFilesMergedFile() throws IOException {
    Path j = job("\"mergeFile\": \"all.csv\"");
    Path out = tmp.resolve("perfile");
    CliRunner.Result r = CliRunner.run("run", "--job", j.toString(), "--output", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(out.resolve("a.csv")).exists();
    assertThat(out.resolve("b.csv")).exists();
    assertThat(tmp.resolve("jobs/all.csv")).doesNotExist();
  }

  @Test
  void aMergedFileAndADirectoryInOneJobFileShouldBeAUsageErrorNamingBothKeys() throws IOException {
    Path j = job("\"dir\": \"out\", \"mergeFile\": \"all.csv\"");
    CliRunner.Result r = CliRunner.run("run", "--job", j.toString());
    assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("output.mergeFile and output.dir in a job file");
  }

  @Test
  void checkShouldJoinNothingEvenWhenTheJobFileMerges() throws IOException {
    Path j = job("\"mergeFile\": \"all.csv\"");
    CliRunner.Result r = CliRunner.run("check", "--job", j.toString());
    assertThat(r.code()).as(r.err()).isZero();
    try (var left = Files.list(tmp.resolve("jobs"))) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("in", "t.job");
    }
  }
}
