package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: a command killed (halted, as by SIGKILL, at {@code -Dsluice.test.crashAt}) in the
 * middle of the final partition commit or the merge commit leaves temporary files; the rerun
 * removes them and gives the tree an uninterrupted run gives.
 */
@Timeout(300)
class JoinCrashIT {
  @TempDir Path tmp;
  Path in;

  @BeforeEach
  void inputs() throws IOException {
    in = Files.createDirectories(tmp.resolve("in"));
    StringBuilder a = new StringBuilder("id,k\n");
    StringBuilder b = new StringBuilder("k,id\n");
    for (int i = 0; i < 40; i++) {
      a.append(i).append(',').append("v").append(i % 5).append('\n');
      b.append(i % 3 == 0 ? "a/b" : "a_b").append(',').append(100 + i).append('\n');
    }
    Files.writeString(in.resolve("a.csv"), a.toString());
    Files.writeString(in.resolve("b.csv"), b.toString());
  }

  private int child(String crashAt, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    if (crashAt != null) {
      cmd.add("-Dsluice.test.crashAt=" + crashAt);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("child-" + System.nanoTime() + ".log").toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child JVM did not finish within 120 s: " + cmd);
    }
    return p.exitValue();
  }

  private static List<String> temps(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(Path::toString)
          .filter(n -> n.endsWith(".sluice-tmp"))
          .collect(Collectors.toList());
    }
  }

  @Test
  void aKillDuringThePartitionCommitThenARerunShouldLeaveNoTempFileAndTheFullTree()
      throws Exception {
    Path reference = tmp.resolve("reference");
    Path out = tmp.resolve("out");
    String[] job = {"run", "--input", in.toString(), "--partition-by", "k", "--quiet", "--output"};
    assertThat(CliRunner.run(concat(job, reference.toString())).code()).isZero();
    Map<String, String> expected = FileTrees.under(reference).skipping(".parts").text();
    assertThat(expected).hasSize(7);

    int crashed = child("partition:3", concat(job, out.toString()));

    assertThat(crashed)
        .as("the child halted after the third partition rename")
        .isEqualTo(JoinCrashPoints.HALT_STATUS);
    assertThat(temps(out)).as("the kill left partitions in their temporary files").hasSize(4);
    assertThat(FileTrees.under(out).skipping(".parts").text().keySet())
        .filteredOn(k -> !k.endsWith(".sluice-tmp"))
        .hasSize(3);

    int rerun = child(null, concat(job, out.toString()));

    assertThat(rerun).isZero();
    assertThat(temps(out)).isEmpty();
    assertThat(FileTrees.under(out).skipping(".parts").text()).isEqualTo(expected);
  }

  @Test
  void aRerunAfterAKillShouldStillJoinTheInputsTheKilledRunHadAlreadyMoved() throws Exception {
    // Found by the interaction suite: the killed run had moved its inputs (--on-success move), so
    // the rerun listed none of them and wrote partitions without their records.
    Path reference = tmp.resolve("reference");
    Path copy = tmp.resolve("in-copy");
    Files.createDirectories(copy);
    for (String f : List.of("a.csv", "b.csv")) {
      Files.copy(in.resolve(f), copy.resolve(f));
    }
    String[] referenceJob = {
      "run",
      "--input",
      copy.toString(),
      "--partition-by",
      "k",
      "--quiet",
      "--on-success",
      "move:" + tmp.resolve("archive-ref"),
      "--output",
      reference.toString()
    };
    assertThat(CliRunner.run(referenceJob).code()).isZero();
    Map<String, String> expected = FileTrees.under(reference).skipping(".parts").text();
    assertThat(expected).hasSize(7);
    Path out = tmp.resolve("out");
    String[] job = {
      "run",
      "--input",
      in.toString(),
      "--partition-by",
      "k",
      "--quiet",
      "--on-success",
      "move:" + tmp.resolve("archive"),
      "--output",
      out.toString()
    };

    int crashed = child("partition:1", job);

    assertThat(crashed)
        .as("halted after the first partition rename")
        .isEqualTo(JoinCrashPoints.HALT_STATUS);
    assertThat(in.resolve("a.csv")).as("the killed run moved its inputs").doesNotExist();
    assertThat(in.resolve("b.csv")).doesNotExist();

    int rerun = child(null, job);

    assertThat(rerun).isZero();
    assertThat(temps(out)).isEmpty();
    assertThat(FileTrees.under(out).skipping(".parts").text()).isEqualTo(expected);
    assertThat(out.resolve(JoinJournal.FILE))
        .as("the journal goes once the join is committed")
        .doesNotExist();
  }

  @Test
  void aRerunAfterAKillShouldStillMergeTheInputsTheKilledRunHadAlreadyMoved() throws Exception {
    Path all = tmp.resolve("merged/all.csv");
    Files.createDirectories(all.getParent());
    String[] job = {
      "run",
      "--input",
      in.toString(),
      "--quiet",
      "--column-match",
      "union",
      "--merge-output",
      all.toString(),
      "--on-success",
      "move:" + tmp.resolve("archive")
    };

    assertThat(child("merge:1", job)).isEqualTo(JoinCrashPoints.HALT_STATUS);
    assertThat(in.resolve("a.csv")).doesNotExist();

    assertThat(child(null, job)).isZero();
    List<String> lines = Files.readAllLines(all);
    assertThat(lines).hasSize(81).first().isEqualTo("id,k");
    assertThat(lines).contains("0,v0", "39,v4", "100,a/b", "138,a_b", "139,a/b");
  }

  @Test
  void aKillBeforeTheMergedFileIsRenamedThenARerunShouldLeaveNoTempFile() throws Exception {
    Path all = tmp.resolve("merged/all.csv");
    String[] job = {
      "run",
      "--input",
      in.toString(),
      "--quiet",
      "--column-match",
      "union",
      "--merge-output",
      all.toString()
    };
    Files.createDirectories(all.getParent());

    int crashed = child("merge:1", job);

    assertThat(crashed).isEqualTo(JoinCrashPoints.HALT_STATUS);
    assertThat(all).doesNotExist();
    assertThat(temps(all.getParent())).hasSize(1);

    int rerun = child(null, job);

    assertThat(rerun).isZero();
    assertThat(temps(all.getParent())).isEmpty();
    List<String> lines = Files.readAllLines(all);
    assertThat(lines).hasSize(81).first().isEqualTo("id,k");
    assertThat(lines).contains("0,v0", "100,a/b", "101,a_b");
  }

  private static String[] concat(String[] head, String last) {
    String[] all = java.util.Arrays.copyOf(head, head.length + 1);
    all[head.length] = last;
    return all;
  }
}
