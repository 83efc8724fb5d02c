package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cron behaviour that needs the engine's manifest and lock: a rerun resumes, a changed job needs
 * {@code --full}, a held lock is exit 4. Each test first checks that the engine has the feature and
 * is skipped (with the reason) until it does, so these run as soon as the engine work lands.
 */
@Timeout(120)
class CronIT {
  @TempDir Path tmp;
  private Path in;
  private Path out;
  private Path metrics;

  @BeforeEach
  void createInput() throws IOException {
    in = tmp.resolve("in");
    Files.createDirectories(in);
    for (int f = 1; f <= 3; f++) {
      StringBuilder csv = new StringBuilder("order_id,status\n");
      for (int i = 1; i <= 20; i++) {
        csv.append(f * 100 + i).append(i % 2 == 0 ? ",SHIPPED\n" : ",PENDING\n");
      }
      Files.writeString(in.resolve("orders-" + f + ".csv"), csv);
    }
    out = tmp.resolve("out");
    metrics = tmp.resolve("sluice.prom");
  }

  private CliRunner.Result run(String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "run",
                "--input",
                in.toString(),
                "--output",
                out.toString(),
                "--overwrite",
                "--metrics-file",
                metrics.toString(),
                "--job-name",
                "cron"));
    a.addAll(Arrays.asList(extra));
    return CliRunner.run(a.toArray(new String[0]));
  }

  private double metric(String name) throws IOException {
    return Files.readAllLines(metrics).stream()
        .map(MetricsFile::parse)
        .filter(s -> s != null && (s.name() + new TreeMap<>(s.labels())).equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + metrics))
        .value();
  }

  @Test
  void aRerunSkipsTheFilesDoneAndAChangedJobNeedsFull() throws IOException {
    CliRunner.Result first = run("--filter", "status == SHIPPED");
    assertThat(first.code()).as(first.toString()).isZero();

    CliRunner.Result again = run("--filter", "status == SHIPPED");
    assertThat(again.code()).as(again.toString()).isZero();
    assertThat(again.out())
        .as("the engine keeps a manifest (resume)")
        .contains("skipped (done by an earlier run)");
    assertThat(again.out()).contains("files: 0", "3 skipped");
    assertThat(metric("sluice_files{job=cron, outcome=skipped}")).isEqualTo(3.0);

    CliRunner.Result changed = run("--filter", "status == PENDING");
    assertThat(changed.code()).as(changed.toString()).isEqualTo(2);
    assertThat(changed.errLines().get(0)).startsWith("sluice: ").contains("--full");
    assertThat(metric("sluice_last_run_success{job=cron}")).isZero();

    CliRunner.Result full = run("--filter", "status == PENDING", "--full");
    assertThat(full.code()).as(full.toString()).isZero();
    assertThat(full.out()).contains("files: 3");
    assertThat(Files.readString(out.resolve("orders-1.csv")))
        .contains("PENDING")
        .doesNotContain("SHIPPED");
  }

  @Test
  void aHeldLockIsExitFourAtOnceAndAfterWaitLock() throws IOException, InterruptedException {
    assertThat(run().code()).isZero();
    List<Path> lockFiles;
    try (Stream<Path> s = Files.walk(out.resolve(".sluice"))) {
      lockFiles =
          s.filter(Files::isRegularFile)
              .filter(
                  p ->
                      p.getFileName()
                          .toString()
                          .toLowerCase(java.util.Locale.ROOT)
                          .contains("lock"))
              .collect(Collectors.toList());
    } catch (java.nio.file.NoSuchFileException e) {
      lockFiles = List.of();
    }
    assertThat(lockFiles).as("the engine keeps a lock file in the state directory").isNotEmpty();

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName()));
    lockFiles.forEach(p -> cmd.add(p.toString()));
    Process holder = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(stdout.readLine()).isEqualTo(LockHolder.LOCKED);

      CliRunner.Result now = run();
      assertThat(now.code()).as(now.toString()).isEqualTo(4);
      assertThat(now.errLines()).singleElement().asString().startsWith("sluice: ");
      CliRunner.Result waited = run("--wait-lock", "1s");
      assertThat(waited.code()).as(waited.toString()).isEqualTo(4);
      assertThat(metric("sluice_last_run_exit_code{job=cron}")).isEqualTo(4.0);
    } finally {
      holder.getOutputStream().close(); // the holder releases its locks and exits
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    CliRunner.Result after = run("--full");
    assertThat(after.code()).as(after.toString()).isZero();
  }
}
