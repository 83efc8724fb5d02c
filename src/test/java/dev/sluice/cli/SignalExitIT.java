package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real process: {@code Main.main} in a child JVM, stopped by SIGTERM or SIGINT while a run is
 * blocked in a custom step with an output temp file open. It exits 143 or 130, says so on stderr,
 * and leaves no temp file and no output under a final name.
 */
@Timeout(120)
class SignalExitIT {
  @TempDir Path tmp;

  private record Child(Process process, BufferedReader err, List<String> errLines, Path out) {}

  private static String orders(int from, int to) {
    StringBuilder csv = new StringBuilder("order_id,status\n");
    for (int i = from; i <= to; i++) {
      csv.append(i).append(",SHIPPED\n");
    }
    return csv.toString();
  }

  private Path in() {
    return tmp.resolve("in");
  }

  private Path out() {
    return tmp.resolve("out");
  }

  /** The command line after {@code sluice}: the same in the child and in a rerun. */
  private List<String> sluiceArgs() {
    return List.of(
        "run",
        "--input",
        in().toString(),
        "--output",
        out().toString(),
        "--step",
        BlockingStep.class.getName(),
        "--batch-size",
        "1",
        "--threads",
        "1",
        "--verbose");
  }

  private Child start() throws IOException {
    Files.createDirectories(in());
    Files.writeString(in().resolve("orders.csv"), orders(1, 8));
    return start(List.of());
  }

  private Child start(List<String> properties) throws IOException {
    Path out = out();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // A shell without job control starts background commands with SIGINT ignored, and an ignored
    // signal stays ignored across exec: the JVM would then install no handler for it and there
    // would be nothing to test. perl (in every Debian) resets it to the default before exec.
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "perl",
                "-e",
                "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\"",
                "--",
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-D" + BlockingStep.OUTPUT_PROPERTY + "=" + out));
    cmd.addAll(properties);
    cmd.add(Main.class.getName());
    cmd.addAll(sluiceArgs());
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(tmp.resolve("stdout.txt").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    BufferedReader err =
        new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
    Child c = new Child(p, err, new ArrayList<>(), out);
    // Blocking reads: the child prints the marker once the step blocks with a temp file open.
    String line;
    while ((line = err.readLine()) != null) {
      c.errLines().add(line);
      if (line.startsWith(BlockingStep.BLOCKING)) {
        return c;
      }
    }
    throw new AssertionError(
        "the child ended before blocking: exit "
            + waitFor(p)
            + "\n"
            + String.join("\n", c.errLines()));
  }

  private static int waitFor(Process p) {
    try {
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child exited within 60 s").isTrue();
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Reads stderr to its end (so the child never blocks on a full pipe) and waits for the exit. */
  private static int finish(Child c) throws IOException {
    String line;
    while ((line = c.err().readLine()) != null) {
      c.errLines().add(line);
    }
    return waitFor(c.process());
  }

  private static void assertStoppedCleanly(Child c, int code, int expected, String signal)
      throws IOException {
    String err = String.join("\n", c.errLines());
    assertThat(code).as(err).isEqualTo(expected);
    assertThat(c.errLines())
        .anySatisfy(l -> assertThat(l).startsWith(BlockingStep.BLOCKING + " temp=true"));
    assertThat(err).contains("stopping the run: the process received " + signal);
    assertThat(c.errLines())
        .anySatisfy(
            l -> assertThat(l).startsWith("sluice: ").contains(signal + ": the run was stopped"));
    assertThat(BlockingStep.hasTemp(c.out())).as("temp files left in " + c.out()).isFalse();
    assertThat(c.out().resolve("orders.csv")).doesNotExist();
  }

  @Test
  void sigtermStopsTheRunWithExit143AndNoTempFile() throws IOException {
    Child c = start();

    // SIGTERM on Unix; unlike Process.destroy(), the handle leaves the child's stderr open to read.
    assertThat(c.process().toHandle().destroy()).isTrue();

    assertStoppedCleanly(c, finish(c), 143, "SIGTERM");
  }

  @Test
  void aRerunAfterSigtermSkipsTheFilesTheStoppedRunFinished() throws IOException {
    Files.createDirectories(in());
    Files.writeString(in().resolve("a.csv"), orders(1, 4));
    Files.writeString(in().resolve("b.csv"), orders(5, 8));
    // Blocks in b.csv once a.csv is committed and recorded in the manifest.
    Child c = start(List.of("-D" + BlockingStep.DONE_PROPERTY + "=a.csv"));

    assertThat(c.process().toHandle().destroy()).isTrue();
    int code = finish(c);

    assertThat(code).as(String.join("\n", c.errLines())).isEqualTo(143);
    assertThat(out().resolve("a.csv")).hasContent(orders(1, 4).strip());
    assertThat(out().resolve("b.csv")).doesNotExist();
    assertThat(BlockingStep.hasTemp(out())).isFalse();
    // The same job again, in this JVM (where the step does not block): only b.csv is left to do.
    CliRunner.Result rerun = CliRunner.run(sluiceArgs().toArray(new String[0]));
    assertThat(rerun.code()).as(rerun.toString()).isZero();
    assertThat(rerun.out()).contains("files: 1", "1 skipped");
    assertThat(out().resolve("b.csv")).hasContent(orders(5, 8).strip());
  }

  @Test
  void sigintStopsTheRunWithExit130AndNoTempFile() throws IOException, InterruptedException {
    Child c = start();
    // start() resets SIGINT to its default, so the child must have its handler for it.
    assertThat(String.join("\n", c.errLines())).contains("stop signals told apart: [INT, TERM]");

    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(c.process().pid())).start();
    assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();

    assertStoppedCleanly(c, finish(c), 130, "SIGINT");
  }

  /**
   * A child reading standard input ({@code --input -}), stopped by SIGTERM once {@code ready}
   * appears on its stderr; returns its exit code and stderr. Its {@code java.io.tmpdir} is {@code
   * sys}, so the test sees exactly the spool directories the child made.
   */
  private int stopWhileReadingStandardInput(
      Path sys, String ready, boolean closeInput, List<String> args, List<String> errLines)
      throws IOException {
    Files.createDirectories(sys);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + sys,
                "-D" + BlockingStep.OUTPUT_PROPERTY + "=" + sys,
                Main.class.getName()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("stdout.txt").toFile()).start();
    p.getOutputStream().write(orders(1, 8).getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().flush();
    if (closeInput) {
      p.getOutputStream().close();
    }
    // A thread drains stderr, so that waiting for the marker is bounded even if it never comes.
    java.util.concurrent.BlockingQueue<String> lines =
        new java.util.concurrent.LinkedBlockingQueue<>();
    String end = "\u0000end";
    Thread drain =
        new Thread(
            () -> {
              try (BufferedReader err =
                  new BufferedReader(
                      new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = err.readLine()) != null; ) {
                  lines.add(l);
                }
              } catch (IOException e) {
                lines.add("stderr unreadable: " + e);
              } finally {
                lines.add(end);
              }
            },
            "stderr-drain");
    drain.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      boolean seen = false;
      while (!seen) {
        String l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (l == null || l.equals(end)) {
          p.destroyForcibly();
          throw new AssertionError(
              "the child did not print '"
                  + ready
                  + "' ("
                  + (l == null ? "60 s passed" : "it ended")
                  + "): "
                  + errLines);
        }
        errLines.add(l);
        seen = l.contains(ready);
      }
      assertThat(p.toHandle().destroy()).isTrue();
      int code = waitFor(p);
      drain.join(TimeUnit.SECONDS.toMillis(30));
      for (String l; (l = lines.poll()) != null && !l.equals(end); ) {
        errLines.add(l);
      }
      return code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new AssertionError("interrupted", e);
    }
  }

  @Test
  void sigtermWhileStandardInputIsSpooledLeavesNoSpoolDirectory() throws IOException {
    Path sys = tmp.resolve("sys");
    List<String> err = new ArrayList<>();

    int code =
        stopWhileReadingStandardInput(
            sys,
            "reading standard input into",
            false,
            List.of("run", "--input", "-", "--output", out().toString(), "--verbose"),
            err);

    assertThat(code).as(String.join("\n", err)).isEqualTo(143);
    assertThat(NoSpoolLeft.spools(sys)).as("spool directories left").isEmpty();
    assertThat(out()).doesNotExist();
  }

  @Test
  void sigtermDuringARunFromStandardInputLeavesNoSpoolDirectory() throws IOException {
    Path sys = tmp.resolve("sys");
    List<String> err = new ArrayList<>();

    int code =
        stopWhileReadingStandardInput(
            sys,
            BlockingStep.BLOCKING,
            true,
            List.of(
                "run",
                "--input",
                "-",
                "--output",
                "-",
                "--step",
                BlockingStep.class.getName(),
                "--batch-size",
                "1",
                "--threads",
                "1",
                "--verbose"),
            err);

    String all = String.join("\n", err);
    assertThat(code).as(all).isEqualTo(143);
    assertThat(all).contains(BlockingStep.BLOCKING + " temp=true", "SIGTERM: the run was stopped");
    assertThat(NoSpoolLeft.spools(sys)).as("spool directories left").isEmpty();
    assertThat(tmp.resolve("stdout.txt")).isEmptyFile();
  }
}
