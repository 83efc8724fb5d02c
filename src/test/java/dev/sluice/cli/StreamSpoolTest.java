package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: the temporary directory behind {@code --input -} and {@code --output -} holds the raw
 * input; it is owner-only while it exists and never outlives the command (success, failure, usage
 * error after spooling). {@link NoSpoolLeft} checks every test; signals are in {@code
 * SignalExitIT}.
 */
@Timeout(60)
class StreamSpoolTest {
  @RegisterExtension final NoSpoolLeft spools = new NoSpoolLeft();
  @TempDir Path tmp;
  private final InputStream stdin = System.in;
  private final PrintStream stdout = System.out;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  @BeforeEach
  void capture() {
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    SpoolPermissionsStep.SEEN.clear();
  }

  @AfterEach
  void restore() {
    System.setIn(stdin);
    System.setOut(stdout);
  }

  /** {@code text} as standard input, with the spool check's token in a last record. */
  private void stdin(String text) {
    String tagged = text + "9," + spools.token() + "\n";
    System.setIn(new ByteArrayInputStream(tagged.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aSuccessfulPipeShouldLeaveNoSpoolDirectory() throws Exception {
    stdin("id,email\n1,ann@x.org\n");

    CliRunner.Result r =
        CliRunner.run("run", "--input", "-", "--output", "-", "--hash", "email", "--quiet");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(captured.toString(StandardCharsets.UTF_8)).startsWith("id,email\n1,");
    assertThat(NoSpoolLeft.spools(spools.dir())).isEmpty();
  }

  @Test
  void aFailedRunShouldLeaveNoSpoolDirectory() throws Exception {
    stdin("id,email\n1,ann@x.org\n2\n"); // record 2 has one field: the run fails

    CliRunner.Result r =
        CliRunner.run("run", "--input", "-", "--output", tmp.resolve("out").toString(), "--quiet");

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(NoSpoolLeft.spools(spools.dir())).isEmpty();
  }

  @Test
  void aUsageErrorAfterSpoolingShouldLeaveNoSpoolDirectory() throws Exception {
    stdin("id,email\n1,ann@x.org\n");

    CliRunner.Result r = CliRunner.run("run", "--input", "-", "--output", "-", "--threads", "0");

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(NoSpoolLeft.spools(spools.dir())).isEmpty();
  }

  @Test
  void aUsageErrorFoundBeforeSpoolingShouldNotReadStandardInput() throws Exception {
    ByteArrayInputStream in = new ByteArrayInputStream("id\n1\n".getBytes(StandardCharsets.UTF_8));
    System.setIn(in);

    CliRunner.Result r =
        CliRunner.run("run", "--input", "-", "--output", "-", "--on-error", "skip");

    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("--reject-dir");
    assertThat(in.available()).as("standard input left for the caller").isEqualTo(5);
  }

  @Test
  void theSpooledInputShouldBeOwnerOnlyWhileItExists() throws Exception {
    stdin("id,email\n1,ann@x.org\n");

    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            "-",
            "--output",
            "-",
            "--step",
            SpoolPermissionsStep.class.getName(),
            "--quiet");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(SpoolPermissionsStep.SEEN)
        .containsEntry("SPOOL", "rwx------")
        .containsEntry("SPOOL/in", "rwx------")
        .containsEntry("SPOOL/in/stdin.csv", "rw-------")
        .containsEntry("SPOOL/out", "rwx------");
  }

  @Test
  void aSpoolDirectoryOfAKilledCommandShouldBeRemovedByTheNextOne() throws Exception {
    // A process that has ended stands for a command killed by SIGKILL (no hook ran).
    Process gone = new ProcessBuilder("true").start();
    assertThat(gone.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    ProcessHandle me = ProcessHandle.current();
    long started = me.info().startInstant().orElseThrow().toEpochMilli();
    Path killed =
        java.nio.file.Files.createDirectories(
            spools.dir().resolve(StreamSpool.PREFIX + gone.pid() + "-" + started + "-123/in"));
    java.nio.file.Files.writeString(killed.resolve("stdin.csv"), "raw,data\n");
    // This process's id with another start time: the id was reused, the old command is gone too.
    Path reused =
        java.nio.file.Files.createDirectories(
            spools.dir().resolve(StreamSpool.PREFIX + me.pid() + "-" + (started - 1) + "-456"));
    // This very process, as another command of it would be: still in use, kept.
    Path live =
        java.nio.file.Files.createDirectories(
            spools.dir().resolve(StreamSpool.PREFIX + me.pid() + "-" + started + "-789"));
    stdin("id,email\n1,ann@x.org\n");

    CliRunner.Result r = CliRunner.run("run", "--input", "-", "--output", "-", "--quiet");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(killed.getParent()).doesNotExist();
    assertThat(reused).doesNotExist();
    assertThat(live).isDirectory();
    java.nio.file.Files.delete(live);
  }
}
