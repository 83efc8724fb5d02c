package dev.sluice.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI in a child JVM with a small heap (issue 14). An input whose every row is rejected used to
 * pile up in one batch outside the budget: the JVM ran out of memory, the failure was lost on the
 * way (its report needed memory too), {@code main} waited forever and SIGTERM could not even be
 * dispatched. Now the rejects flow through the budget like rows and the run ends with exit 3; and a
 * step that really runs the heap out ends the run with exit 1, promptly.
 *
 * <p>The child's wait is bounded (a hang fails the test); nothing here measures time.
 */
@Timeout(600)
class SmallHeapIT {
  /** A generous bound for a child that takes seconds alone, on a loaded 2-core machine. */
  private static final Duration LIMIT = Duration.ofMinutes(4);

  private static final String ROW = "x1234,y1234,z1234,extra\n";

  @TempDir static Path tmp;
  private static String classPath;

  @BeforeAll
  static void classPath() throws IOException {
    classPath = ChildJvm.join(ChildJvm.classPath());
  }

  private static ChildJvm.Result cli(String heap, String... args)
      throws IOException, InterruptedException {
    return ChildJvm.run(
        List.of(),
        List.of("-Xmx" + heap, "-XX:+UseSerialGC"),
        classPath,
        tmp,
        tmp.resolve("logs"),
        LIMIT,
        args);
  }

  /** A CSV with header a,b,c and {@code rows} rows of four fields: every row is rejected. */
  private static Path allRejected(String name, int rows) throws IOException {
    Path in = Files.createDirectories(tmp.resolve(name));
    try (BufferedWriter w =
        Files.newBufferedWriter(in.resolve("bad.csv"), StandardCharsets.UTF_8)) {
      w.write("a,b,c\n");
      for (int i = 0; i < rows; i++) {
        w.write(ROW);
      }
    }
    return in;
  }

  private static List<Path> temps(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".sluice-tmp")).toList();
    }
  }

  @Test
  void anAllRejectedFileWhoseRejectsOutgrowTheHeapShouldFinishWithExit3() throws Exception {
    // 8 MiB of input, one split: as rejects (the object, its message, its raw text) about eight
    // times that, three times the heap.
    int rows = 8 * 1024 * 1024 / ROW.length();
    Path in = allRejected("all-rejected", rows);
    Path out = tmp.resolve("out-rejected");

    ChildJvm.Result r =
        cli(
            "24m",
            "run",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--on-error",
            "skip",
            "--quiet");

    assertThat(r.code()).as("exit code of %s", r).isEqualTo(3);
    Path rejects = out.resolve("_rejects/bad.csv.rejects.csv");
    try (Stream<String> lines = Files.lines(rejects)) {
      assertThat(lines.count()).as("reject rows and header").isEqualTo(rows + 1L);
    }
    assertThat(Files.readAllLines(out.resolve("bad.csv"))).containsExactly("a,b,c");
    assertThat(temps(out)).isEmpty();
  }

  @Test
  void sigtermDuringAnAllRejectedRunUnderASmallHeapShouldStopItWithExit143() throws Exception {
    Path in = allRejected("all-rejected-term", 8 * 1024 * 1024 / ROW.length());
    Path out = tmp.resolve("out-term");
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    List<String> cmd =
        List.of(
            ChildJvm.java(),
            "-Xmx24m",
            "-XX:+UseSerialGC",
            "-cp",
            classPath,
            "dev.sluice.cli.Main",
            "run",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--on-error",
            "skip");
    Path err = Files.createTempFile(logs, "stderr", ".txt");
    Process p =
        new ProcessBuilder(cmd)
            .directory(tmp.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectOutput(Files.createTempFile(logs, "stdout", ".txt").toFile())
            .redirectError(err.toFile())
            .start();
    try {
      // Mid-run: once the reject file is being written (bounded wait; the run takes seconds).
      Path rejectDir = out.resolve("_rejects");
      long deadline = System.nanoTime() + LIMIT.toNanos();
      while (temps(rejectDir).isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(p.isAlive()).as("the run is still going: %s", Files.readString(err)).isTrue();
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(LIMIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
          .as("stopped by SIGTERM: %s", Files.readString(err))
          .isTrue();
    } finally {
      p.destroyForcibly();
    }

    assertThat(p.exitValue()).as("exit code, stderr: %s", Files.readString(err)).isEqualTo(143);
    assertThat(Files.readString(err)).contains("terminated");
    assertThat(temps(out)).isEmpty();
  }

  @Test
  void aStepThatRunsTheHeapOutShouldFailTheRunWithExit1() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in-hoard"));
    StringBuilder csv = new StringBuilder("id,value\n");
    for (int i = 0; i < 20_000; i++) {
      csv.append(i).append(",v").append(i).append('\n');
    }
    Files.writeString(in.resolve("rows.csv"), csv);
    Path out = tmp.resolve("out-hoard");

    ChildJvm.Result r =
        cli(
            "32m",
            "run",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--step",
            HoardingStep.class.getName());

    assertThat(r.code()).as("exit code of %s", r).isEqualTo(1);
    assertThat(r.err()).as("stderr").contains("OutOfMemoryError");
    assertThat(out.resolve("rows.csv")).doesNotExist();
    assertThat(temps(out)).isEmpty();
  }
}
