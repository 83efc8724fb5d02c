package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.LockHeldException;
import dev.sluice.api.Stage;
import dev.sluice.api.internal.ApiAccess;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every exit code of {@code sluice run}, produced through {@link Main#run}. */
@Timeout(60)
class ExitCodeTest {
  @TempDir Path tmp;
  private Path in;
  private Path out;

  @BeforeEach
  void createInput() throws IOException {
    in = tmp.resolve("in");
    Files.createDirectories(in);
    Files.writeString(
        in.resolve("orders.csv"), "order_id,status\n1,SHIPPED\n2,PENDING\n3,SHIPPED\n");
    out = tmp.resolve("out");
  }

  @AfterEach
  void forgetSignals() {
    Signals.simulate(null);
  }

  private CliRunner.Result run(String... extra) {
    return CliRunner.run(args(extra));
  }

  private String[] args(String... extra) {
    String[] a = new String[extra.length + 5];
    a[0] = "run";
    a[1] = "--input";
    a[2] = in.toString();
    a[3] = "--output";
    a[4] = out.toString();
    System.arraycopy(extra, 0, a, 5, extra.length);
    return a;
  }

  @Test
  void zeroWhenTheRunSucceeds() {
    CliRunner.Result r = run();
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(out.resolve("orders.csv")).exists();
  }

  @Test
  void oneWhenAStepFails() {
    CliRunner.Result r = run("--step", FailingStep.class.getName());
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .startsWith("sluice: ")
        .contains("cannot process order 3");
  }

  @Test
  void oneWhenRejectsExceedTheThreshold() throws IOException {
    Files.writeString(
        in.resolve("orders.csv"), "order_id,status\n1,SHIPPED\n2,PENDING,extra\n3,x,y\n");
    CliRunner.Result r = run("--on-error", "skip", "--max-errors", "1");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).contains("sluice: ");
  }

  @Test
  void oneWhenAFileFailsUnderTheFailPolicy() throws IOException {
    Files.writeString(in.resolve("orders.csv"), "order_id,status\n1,SHIPPED\n2,PENDING,extra\n");
    CliRunner.Result r = run();
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(out.resolve("orders.csv")).doesNotExist();
    // The file and line once, the bad record's column still there.
    assertThat(r.errLines().get(0))
        .isEqualTo(
            "sluice: bad input in orders.csv at line 3 (record 2): WRONG_FIELD_COUNT: record has 3 fields,"
                + " header has 2 (column 3)");
  }

  @Test
  void oneWhenTheOutputCannotBeCreated() throws IOException {
    // A regular file where a directory must go: unwritable even for root, unlike permissions.
    Path file = Files.writeString(tmp.resolve("file"), "x");
    out = file.resolve("out");
    CliRunner.Result r = run();
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .startsWith("sluice: ")
        .contains("Not a directory");
  }

  @Test
  void oneWhenTheRunTimesOut() {
    FakePipelines engine =
        FakePipelines.failingWith(
            ApiAccess.pipelineException(
                Stage.COORDINATOR, null, -1, -1, "main", "timed out after 1s", null));
    CliRunner.Result r = CliRunner.run(engine, args("--timeout", "1s"));
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("sluice: timed out after 1s");
    assertThat(engine.lastSpec().timeout()).hasSeconds(1);
  }

  @Test
  void twoForABadFlagValue() {
    assertThat(run("--wait-lock", "soon").code()).isEqualTo(2);
    assertThat(run("--bogus").code()).isEqualTo(2);
  }

  @Test
  void twoForAMissingInput() {
    CliRunner.Result r =
        CliRunner.run("run", "--input", tmp.resolve("nope").toString(), "--output", out.toString());
    assertThat(r.code()).isEqualTo(2);
  }

  @Test
  void twoWhenTheJobChangedSinceTheLastRunWithoutFull() {
    FakePipelines engine =
        FakePipelines.failingWith(
            new ConfigurationException(
                "the job changed since the last run: use --full to process every file again"));
    CliRunner.Result r = CliRunner.run(engine, args());
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.errLines().get(0))
        .isEqualTo(
            "sluice: the job changed since the last run: use --full to process every file again");
  }

  @Test
  void threeWhenRecordsWereRejectedUnderTheThreshold() throws IOException {
    Files.writeString(
        in.resolve("orders.csv"), "order_id,status\n1,SHIPPED\n2,PENDING,extra\n3,SHIPPED\n");
    CliRunner.Result r = run("--on-error", "skip");
    assertThat(r.code()).as(r.toString()).isEqualTo(3);
    assertThat(out.resolve("orders.csv")).hasContent("order_id,status\n1,SHIPPED\n3,SHIPPED");
    assertThat(r.out()).contains("1 rejected");
  }

  @Test
  void fourWhenAnotherRunHoldsTheLock() {
    FakePipelines engine =
        FakePipelines.failingWith(
            new LockHeldException(
                "another run holds the lock " + out.resolve(".sluice") + " (waited 2s)", null));
    CliRunner.Result r = CliRunner.run(engine, args("--wait-lock", "2s"));
    assertThat(r.code()).as(r.toString()).isEqualTo(4);
    assertThat(r.errLines())
        .singleElement()
        .asString()
        .startsWith("sluice: another run holds the lock");
    assertThat(engine.lastSpec().waitLock()).hasSeconds(2);
  }

  @Test
  void fourWhenTheJobsLockFileIsHeld() throws IOException {
    // The engine's lock file: <state>/lock. A lock held in this JVM counts as held, as another
    // process's would (see CronIT for a lock held by another process).
    Path state = tmp.resolve("state");
    Files.createDirectories(state);
    try (FileChannel ch =
            FileChannel.open(
                state.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = ch.lock()) {
      CliRunner.Result r = run("--state-dir", state.toString());
      assertThat(r.code()).as(r.toString()).isEqualTo(4);
      assertThat(r.errLines())
          .singleElement()
          .asString()
          .startsWith("sluice: another run holds the lock");
      assertThat(held.isValid()).isTrue();
    }
    assertThat(run("--state-dir", state.toString()).code()).isZero();
  }

  @Test
  void oneForAnUnexpectedErrorNeverZero() {
    CliRunner.Result r =
        CliRunner.run(FakePipelines.failingWith(new IllegalStateException("bug")), args());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.errLines().get(0))
        .isEqualTo("sluice: unexpected error: IllegalStateException: bug");
  }

  @Test
  void signalsMapTo130And143() {
    Signals.simulate("INT");
    assertThat(Signals.exitCode()).isEqualTo(130);
    assertThat(Signals.describe()).isEqualTo("SIGINT");
    Signals.simulate("TERM");
    assertThat(Signals.exitCode()).isEqualTo(143);
    assertThat(Signals.describe()).isEqualTo("SIGTERM");
    assertThat(ExitCodes.of(new InterruptedRunException("stopped", 143, new RuntimeException())))
        .isEqualTo(143);
    assertThat(ExitCodes.of(new InterruptedRunException("stopped", 130, new RuntimeException())))
        .isEqualTo(130);
  }

  @Test
  void withoutASignalHandlerAStopWithoutATerminalCountsAsSigterm() {
    Signals.simulate(null);
    // Test JVMs run without a console (Maven forks them with pipes), like a job under cron.
    assertThat(System.console()).as("a test JVM has no console").isNull();
    assertThat(Signals.exitCode()).isEqualTo(143);
    assertThat(Signals.describe()).contains("SIGTERM assumed");
  }

  @Test
  void successForMonitoringMeansZeroOrThree() {
    assertThat(ExitCodes.success(0)).isTrue();
    assertThat(ExitCodes.success(3)).isTrue();
    for (int code : new int[] {1, 2, 4, 130, 143}) {
      assertThat(ExitCodes.success(code)).as("exit %d", code).isFalse();
    }
  }

  @Test
  void helpDocumentsEveryExitCodeAndTheCronOptions() {
    CliRunner.Result r = CliRunner.run("run", "--help");
    assertThat(r.out())
        .containsPattern("(?m)^\\s+0\\s+success")
        .containsPattern("(?m)^\\s+1\\s+the run failed")
        .containsPattern("(?m)^\\s+2\\s+usage or configuration error")
        .containsPattern("(?m)^\\s+3\\s+finished, but some records were rejected")
        .containsPattern("(?m)^\\s+4\\s+another run holds the lock")
        .containsPattern("(?m)^\\s+130\\s+interrupted \\(SIGINT")
        .containsPattern("(?m)^\\s+143\\s+terminated \\(SIGTERM")
        .contains(
            "--job=FILE",
            "--state-dir=DIR",
            "--no-state",
            "--full",
            "--identity",
            "--wait-lock=DURATION",
            "--timeout=DURATION",
            "--metrics-file=PATH",
            "--log-file=FILE",
            "--log-format=FORMAT",
            "--job-name=NAME");
  }
}
