package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Crash a run (in a child JVM) at a chosen point or at a random moment, rerun it, and compare the
 * final tree with an uninterrupted run: identical outputs and reject files, the same counts in the
 * manifest, no temporary files. SIGKILL does not test power loss; the forced writes and directory
 * syncs are what covers that.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CrashResumeIT {
  private static final int FILES = 6;
  private static final long SEED = Long.getLong("sluice.crash.seed", 20261126L);

  @TempDir static Path shared;
  static Path in;
  static Map<String, byte[]> reference;
  static Map<String, String> referenceCounts;

  @TempDir Path tmp;

  @BeforeAll
  static void referenceRun() throws Exception {
    in = shared.resolve("in");
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(new StringWriter()),
            new PrintWriter(err),
            "generate",
            "--files",
            String.valueOf(FILES),
            "--rows",
            "3000",
            "--seed",
            "11",
            "--output",
            in.toString(),
            "--quiet");
    assertThat(code).as(err.toString()).isZero();
    // Two files get a bad record each, so reject files are part of what must survive a crash.
    for (String name : List.of("orders-00002.csv", "orders-00005.csv")) {
      Files.writeString(
          in.resolve(name),
          "1,2,3\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND);
    }
    Path out = shared.resolve("reference");
    CrashJob.run(in, out);
    reference = FileTrees.under(out).skipping(".sluice").bytes();
    referenceCounts = manifestCounts(out);
    assertThat(reference.keySet()).anyMatch(k -> k.endsWith(".rejects.csv"));
  }

  /** The last manifest entry per file, reduced to outcome and counts. */
  static Map<String, String> manifestCounts(Path out) throws IOException {
    Map<String, String> m = new TreeMap<>();
    for (String line : Files.readAllLines(out.resolve(".sluice/manifest.jsonl"))) {
      if (line.contains("\"type\":\"file\"")) {
        String file = field(line, "file");
        m.put(
            file,
            field(line, "outcome")
                + " read="
                + num(line, "read")
                + " passed="
                + num(line, "passed")
                + " filtered="
                + num(line, "filtered")
                + " rejected="
                + num(line, "rejected")
                + " written="
                + num(line, "written"));
      }
    }
    return m;
  }

  private static String field(String json, String name) {
    int i = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
    return json.substring(i, json.indexOf('"', i));
  }

  private static String num(String json, String name) {
    int i = json.indexOf("\"" + name + "\":") + name.length() + 3;
    int j = i;
    while (j < json.length() && Character.isDigit(json.charAt(j))) {
      j++;
    }
    return json.substring(i, j);
  }

  private Process child(Path out, String crashAt) throws IOException {
    return child(out, crashAt, -1, tmp.resolve("child-" + System.nanoTime() + ".log"));
  }

  private Process child(Path out, String crashAt, long gate, Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    if (crashAt != null) {
      cmd.add("-Dsluice.test.crashAt=" + crashAt);
    }
    if (gate > 0) {
      cmd.add("-Dsluice.crash.gate=" + gate);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CrashJob.class.getName());
    cmd.add(in.toString());
    cmd.add(out.toString());
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
    // A gated child is read through a pipe (the test waits for its GATE line); others write a file.
    return (gate > 0 ? b : b.redirectOutput(log.toFile())).start();
  }

  private static int await(Process p) throws InterruptedException {
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child JVM did not finish within 120 s");
    }
    return p.exitValue();
  }

  private void rerunAndCompare(Path out, String what) throws Exception {
    int code = await(child(out, null));
    assertThat(code).as("rerun after %s", what).isIn(0, 3);
    assertThat(FileTrees.under(out).skipping(".sluice").bytes().keySet())
        .as("files after %s", what)
        .isEqualTo(reference.keySet());
    FileTrees.under(out)
        .skipping(".sluice")
        .bytes()
        .forEach((k, v) -> assertThat(v).as("%s after %s", k, what).isEqualTo(reference.get(k)));
    assertThat(manifestCounts(out)).as("manifest after %s", what).isEqualTo(referenceCounts);
    try (Stream<Path> s = Files.walk(out)) {
      assertThat(s.map(Path::toString))
          .as("temp files after %s", what)
          .noneMatch(n -> n.endsWith(".sluice-tmp"));
    }
  }

  @ParameterizedTest(name = "crash at {0}:{1}")
  @CsvSource({
    "rename, 1",
    "rename, 4",
    "rename, 6",
    "rejects, 1",
    "rejects, 2",
    "manifest, 1",
    "manifest, 3",
    "manifest, 6"
  })
  void aCrashAtAHookedPointThenARerunShouldGiveTheUninterruptedResult(String point, int k)
      throws Exception {
    Path out = tmp.resolve("out");

    int crashed = await(child(out, point + ":" + k));

    assertThat(crashed).as("the child halted at %s:%s", point, k).isEqualTo(97);
    rerunAndCompare(out, point + ":" + k);
  }

  /**
   * A kill at a seeded random moment that is known to be mid-run: the child holds one transformer
   * at a seeded record (see {@link CrashJob.Gate}) and says so; the kill comes a seeded 0-300 ms
   * later, while the other threads go on as far as the held record lets them. The manifest then
   * must not record every file (the held record's file cannot be committed): that is what proves
   * the kill interrupted the run rather than followed it.
   */
  @Test
  void seededRandomKillsThenARerunShouldGiveTheUninterruptedResult() throws Exception {
    Random rnd = new Random(SEED);
    long records = FILES * 3000L;
    for (int i = 0; i < 4; i++) {
      Path out = tmp.resolve("out-" + i);
      long gate = 1 + (long) (rnd.nextDouble() * (records - 1));
      long delay = rnd.nextInt(300);
      String what =
          "SIGKILL " + delay + " ms after record " + gate + " (seed " + SEED + ", kill " + i + ")";
      Path log = tmp.resolve("child-" + i + ".log");
      Process p = child(out, null, gate, log);
      awaitLine(p, log, "GATE " + gate, what);
      // A kill at a seeded moment after the gate: the other threads keep working meanwhile.
      assertThat(p.waitFor(delay, TimeUnit.MILLISECONDS))
          .as("the child is held at the gate: %s", what)
          .isFalse();
      p.destroyForcibly(); // SIGKILL
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("killed child exits: %s", what).isTrue();
      Path manifest = out.resolve(".sluice/manifest.jsonl");
      long recorded =
          Files.exists(manifest)
              ? Files.readAllLines(manifest).stream()
                  .filter(l -> l.contains("\"type\":\"file\""))
                  .count()
              : 0;
      assertThat(recorded).as("files recorded before the kill, %s", what).isLessThan(FILES);
      rerunAndCompare(out, what);
    }
  }

  /**
   * Waits (bounded) until the child prints {@code line}, draining its output on a thread of the
   * test (so a full pipe never holds the child) into {@code log}; fails if the child exits first.
   */
  private static void awaitLine(Process p, Path log, String line, String what) throws Exception {
    java.util.concurrent.CompletableFuture<Boolean> seen =
        new java.util.concurrent.CompletableFuture<>();
    Thread drain =
        new Thread(
            () -> {
              try (var r =
                      new java.io.BufferedReader(
                          new java.io.InputStreamReader(
                              p.getInputStream(), StandardCharsets.UTF_8));
                  var w = Files.newBufferedWriter(log)) {
                for (String l; (l = r.readLine()) != null; ) {
                  w.write(l);
                  w.newLine();
                  if (l.equals(line)) {
                    seen.complete(true);
                  }
                }
              } catch (IOException e) {
                seen.completeExceptionally(e);
              }
              seen.complete(false); // end of output without the line: the child exited
            },
            "crash-test-drain");
    drain.setDaemon(true);
    drain.start();
    boolean ok;
    try {
      ok = seen.get(120, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      p.destroyForcibly();
      throw new AssertionError("no " + line + " within 120 s: " + what);
    }
    if (!ok) {
      drain.join(10_000);
      throw new AssertionError(
          "the child exited before " + line + ": " + what + "\n" + Files.readString(log));
    }
  }
}
