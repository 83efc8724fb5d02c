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
import java.util.stream.Collectors;
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
        Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
            "generate", "--files", String.valueOf(FILES), "--rows", "3000", "--seed", "11", "--output", in.toString(), "--quiet");
    assertThat(code).as(err.toString()).isZero();
    // Two files get a bad record each, so reject files are part of what must survive a crash.
    for (String name : List.of("orders-00002.csv", "orders-00005.csv")) {
      Files.writeString(in.resolve(name), "1,2,3\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }
    Path out = shared.resolve("reference");
    CrashJob.run(in, out);
    reference = tree(out);
    referenceCounts = manifestCounts(out);
    assertThat(reference.keySet()).anyMatch(k -> k.endsWith(".rejects.csv"));
  }

  /** Every file under {@code dir} except the state directory, by relative path. */
  static Map<String, byte[]> tree(Path dir) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
        String rel = dir.relativize(p).toString();
        if (!rel.startsWith(".sluice")) {
          m.put(rel, Files.readAllBytes(p));
        }
      }
    }
    return m;
  }

  /** The last manifest entry per file, reduced to outcome and counts. */
  static Map<String, String> manifestCounts(Path out) throws IOException {
    Map<String, String> m = new TreeMap<>();
    for (String line : Files.readAllLines(out.resolve(".sluice/manifest.jsonl"))) {
      if (line.contains("\"type\":\"file\"")) {
        String file = field(line, "file");
        m.put(file, field(line, "outcome") + " read=" + num(line, "read") + " passed=" + num(line, "passed")
            + " filtered=" + num(line, "filtered") + " rejected=" + num(line, "rejected") + " written=" + num(line, "written"));
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
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    if (crashAt != null) {
      cmd.add("-Dsluice.test.crashAt=" + crashAt);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CrashJob.class.getName());
    cmd.add(in.toString());
    cmd.add(out.toString());
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("child-" + System.nanoTime() + ".log").toFile()).start();
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
    assertThat(tree(out).keySet()).as("files after %s", what).isEqualTo(reference.keySet());
    tree(out).forEach((k, v) -> assertThat(v).as("%s after %s", k, what).isEqualTo(reference.get(k)));
    assertThat(manifestCounts(out)).as("manifest after %s", what).isEqualTo(referenceCounts);
    try (Stream<Path> s = Files.walk(out)) {
      assertThat(s.map(Path::toString)).as("temp files after %s", what).noneMatch(n -> n.endsWith(".sluice-tmp"));
    }
  }

  @ParameterizedTest(name = "crash at {0}:{1}")
  @CsvSource({"rename, 1", "rename, 4", "rename, 6", "rejects, 1", "rejects, 2", "manifest, 1", "manifest, 3", "manifest, 6"})
  void aCrashAtAHookedPointThenARerunShouldGiveTheUninterruptedResult(String point, int k) throws Exception {
    Path out = tmp.resolve("out");

    int crashed = await(child(out, point + ":" + k));

    assertThat(crashed).as("the child halted at %s:%s", point, k).isEqualTo(97);
    rerunAndCompare(out, point + ":" + k);
  }

  @Test
  void seededRandomKillsThenARerunShouldGiveTheUninterruptedResult() throws Exception {
    Random rnd = new Random(SEED);
    for (int i = 0; i < 4; i++) {
      Path out = tmp.resolve("out-" + i);
      Process p = child(out, null);
      long delay = 300 + rnd.nextInt(1500);
      if (!p.waitFor(delay, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly(); // SIGKILL
        p.waitFor(30, TimeUnit.SECONDS);
      }
      rerunAndCompare(out, "SIGKILL after " + delay + " ms (seed " + SEED + ", kill " + i + ")");
    }
  }
}
