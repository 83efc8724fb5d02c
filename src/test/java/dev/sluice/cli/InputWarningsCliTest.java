package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: what the listing and the readers skip is never silent. Each is a counted warning of the
 * run, printed by the CLI; an input named on the command line that cannot be read is a usage error
 * naming its absolute path.
 */
class InputWarningsCliTest {
  @TempDir Path tmp;

  private Path in() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(in.resolve("a.csv"), "id,v\n1,x\n");
    return in;
  }

  @Test
  void aDanglingLinkInTheInputIsAWarningOnStderrAndInTheSummary() throws IOException {
    Path in = in();
    Path link = Files.createSymbolicLink(in.resolve("b.csv"), tmp.resolve("gone.csv"));

    CliRunner.Result r =
        CliRunner.run("run", "--input", in.toString(), "--output", tmp.resolve("out").toString());

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err())
        .as(r.toString())
        .contains(
            "warning: broken symbolic link skipped: " + link + " -> " + tmp.resolve("gone.csv"));
    assertThat(r.out()).as(r.toString()).contains("warnings: 1");
  }

  @Test
  void aDanglingLinkGivenAsTheInputIsAUsageError() throws IOException {
    Path link = Files.createSymbolicLink(in().resolve("b.csv"), Path.of("gone.csv"));

    CliRunner.Result r =
        CliRunner.run("run", "--input", link.toString(), "--output", tmp.resolve("out").toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .as(r.toString())
        .contains("input not found: " + link + " is a broken symbolic link to gone.csv");
  }

  @Test
  void blankLinesAreSkippedByDefaultWithOneWarningPerFile() throws IOException {
    Path in = in();
    Files.writeString(in.resolve("b.csv"), "id,v\n1,x\n\n2,y\n\n\n");
    Path out = tmp.resolve("out");

    CliRunner.Result r = CliRunner.run("run", "--input", in.toString(), "--output", out.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).as(r.toString()).contains("warning: b.csv: 3 blank lines skipped");
    assertThat(r.out()).as(r.toString()).contains("warnings: 1");
    assertThat(Files.readString(out.resolve("b.csv"))).isEqualTo("id,v\n1,x\n2,y\n");
  }

  @Test
  void blankLinesFailRejectsThemWithTheirLines() throws IOException {
    Path in = in();
    Files.writeString(in.resolve("b.csv"), "id,v\n1,x\n\n2,y\n");
    Path out = tmp.resolve("out");

    CliRunner.Result skip =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--blank-lines",
            "fail",
            "--on-error",
            "skip");
    CliRunner.Result fail =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--output",
            tmp.resolve("out2").toString(),
            "--blank-lines",
            "fail");

    assertThat(skip.code()).as(skip.toString()).isEqualTo(3);
    assertThat(Files.readString(out.resolve("_rejects/b.csv.rejects.csv")))
        .contains("b.csv,3,,,WRONG_FIELD_COUNT,\"blank line, with no fields, header has 2");
    assertThat(fail.code()).as(fail.toString()).isEqualTo(1);
    assertThat(fail.err()).as(fail.toString()).contains("b.csv at line 3").contains("blank line");
  }

  @Test
  void aBadBlankLinesValueIsAUsageError() throws IOException {
    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            in().toString(),
            "--output",
            tmp.resolve("out").toString(),
            "--blank-lines",
            "drop");

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("--blank-lines must be skip, fail or keep (got 'drop')");
  }
}
