package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: what the listing and the readers skip is never silent. Each is a counted warning of
 * the run, printed by the CLI; an input named on the command line that cannot be read is a usage
 * error naming its absolute path.
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

    CliRunner.Result r = CliRunner.run("run", "--input", in.toString(), "--output", tmp.resolve("out").toString());

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err())
        .as(r.toString())
        .contains("warning: broken symbolic link skipped: " + link + " -> " + tmp.resolve("gone.csv"));
    assertThat(r.out()).as(r.toString()).contains("warnings: 1");
  }

  @Test
  void aDanglingLinkGivenAsTheInputIsAUsageError() throws IOException {
    Path link = Files.createSymbolicLink(in().resolve("b.csv"), Path.of("gone.csv"));

    CliRunner.Result r = CliRunner.run("run", "--input", link.toString(), "--output", tmp.resolve("out").toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).as(r.toString()).contains("input not found: " + link + " is a broken symbolic link to gone.csv");
  }
}
