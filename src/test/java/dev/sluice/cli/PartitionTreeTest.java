package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: {@code --partition-by} gives every value a safe, distinct directory whatever the value
 * (collisions after cleaning, over-long, empty, dots, control characters) instead of failing the
 * run; the tree holds exactly the current inputs' partitions; temporary files a killed join left
 * (in the partition root or next to a merged file) are removed by the next run.
 */
@Timeout(60)
class PartitionTreeTest {
  /** A file's text; a gzipped partition only by name. */
  private static final FileTrees.Content<String> TEXT_OR_GZIP =
      p -> p.toString().endsWith(".gz") ? "(gzip)" : Files.readString(p);

  @TempDir Path tmp;
  Path in;
  Path out;

  @BeforeEach
  void setUp() throws IOException {
    in = Files.createDirectories(tmp.resolve("in"));
    out = tmp.resolve("out");
  }

  private static List<String> temps(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(Path::toString)
          .filter(n -> n.endsWith(".sluice-tmp"))
          .collect(Collectors.toList());
    }
  }

  private CliRunner.Result partition(String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "run",
                "--input",
                in.toString(),
                "--output",
                out.toString(),
                "--partition-by",
                "k",
                "--quiet"));
    args.addAll(List.of(more));
    return CliRunner.run(args.toArray(new String[0]));
  }

  @Test
  void valuesThatCollideAfterCleaningShouldGetTheirOwnPartitionsInsteadOfFailingTheRun()
      throws IOException {
    Files.writeString(in.resolve("a.csv"), "id,k\n1,a/b\n2,a_b\n3,a/b\n4,DE\n5,de\n");

    CliRunner.Result r = partition();

    assertThat(r.code()).as(r.toString()).isZero();
    Map<String, String> tree = FileTrees.under(out).skipping(".parts").map(TEXT_OR_GZIP);
    assertThat(tree).hasSize(4);
    assertThat(tree.values())
        .containsExactlyInAnyOrder(
            "id,k\n1,a/b\n3,a/b\n", "id,k\n2,a_b\n", "id,k\n4,DE\n", "id,k\n5,de\n");
    assertThat(tree.keySet()).allMatch(k -> k.matches("k=(a_b|DE|de)-[0-9a-f]{8}/part\\.csv"));
  }

  @Test
  void longEmptyDotAndControlCharacterValuesShouldGetSafeDirectoriesUnderTheRoot()
      throws IOException {
    String longValue = "v".repeat(400);
    Files.writeString(
        in.resolve("a.csv"),
        "id,k\n1," + longValue + "\n2,\n3,.\n4,..\n5,\"x\ty\"\n6,\"bell\u0007\"\n7,../../escape\n");

    CliRunner.Result r = partition();

    assertThat(r.code()).as(r.toString()).isZero();
    Map<String, String> tree = FileTrees.under(out).skipping(".parts").map(TEXT_OR_GZIP);
    assertThat(tree).hasSize(7);
    assertThat(tree)
        .containsEntry("k=__empty__/part.csv", "id,k\n2,\n")
        .containsEntry("k=./part.csv", "id,k\n3,.\n")
        .containsEntry("k=../part.csv", "id,k\n4,..\n")
        .containsEntry("k=x_y/part.csv", "id,k\n5,x\ty\n")
        .containsEntry("k=bell_/part.csv", "id,k\n6,bell\u0007\n")
        .containsEntry("k=.._.._escape/part.csv", "id,k\n7,../../escape\n");
    assertThat(tree.keySet()).anyMatch(k -> k.matches("k=v{91}-[0-9a-f]{8}/part\\.csv"));
    assertThat(tree.keySet()).noneMatch(k -> k.codePoints().anyMatch(Character::isISOControl));
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("in", "out");
    }
  }

  @Test
  void aRerunShouldRemovePartitionsWhoseValueNoLongerOccurs() throws IOException {
    Files.writeString(in.resolve("a.csv"), "id,k\n1,DE\n");
    Files.writeString(in.resolve("b.csv"), "id,k\n2,FR\n");
    assertThat(partition().code()).isZero();
    assertThat(FileTrees.under(out).skipping(".parts").map(TEXT_OR_GZIP))
        .containsOnlyKeys("k=DE/part.csv", "k=FR/part.csv");
    Path foreign =
        Files.writeString(
            Files.createDirectories(out.resolve("other")).resolve("notes.txt"), "keep");

    Files.delete(in.resolve("b.csv"));
    CliRunner.Result r = partition();

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(FileTrees.under(out).skipping(".parts").map(TEXT_OR_GZIP))
        .containsOnlyKeys("k=DE/part.csv", "other/notes.txt");
    assertThat(out.resolve("k=FR")).doesNotExist();
    assertThat(foreign).hasContent("keep");
  }

  @Test
  void gzipOutputShouldGzipThePartitionsAndReplaceTheUncompressedOnes() throws IOException {
    Files.writeString(in.resolve("a.csv"), "id,k\n1,DE\n");
    assertThat(partition().code()).isZero();

    CliRunner.Result r = partition("--gzip-output", "--full");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(FileTrees.under(out).skipping(".parts").map(TEXT_OR_GZIP).keySet())
        .containsExactly("k=DE/part.csv.gz");
    try (GZIPInputStream z =
        new GZIPInputStream(Files.newInputStream(out.resolve("k=DE/part.csv.gz")))) {
      assertThat(new String(z.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo("id,k\n1,DE\n");
    }
  }

  @Test
  void moreValuesThanOpenFilesShouldBeAppendedToAfterReopeningGzipToo() throws IOException {
    int values = Partitions.MAX_OPEN + 6;
    StringBuilder csv = new StringBuilder("id,k\n");
    for (int round = 0; round < 3; round++) {
      for (int v = 0; v < values; v++) {
        csv.append(round).append(",v").append(v).append('\n');
      }
    }
    Files.writeString(in.resolve("a.csv"), csv.toString());

    CliRunner.Result r = partition("--gzip-output");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(FileTrees.under(out).skipping(".parts").map(TEXT_OR_GZIP)).hasSize(values);
    for (int v : new int[] {0, 37, values - 1}) {
      try (GZIPInputStream z =
          new GZIPInputStream(Files.newInputStream(out.resolve("k=v" + v + "/part.csv.gz")))) {
        assertThat(new String(z.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
            .isEqualTo("id,k\n0,v" + v + "\n1,v" + v + "\n2,v" + v + "\n");
      }
    }
  }

  @Test
  void aRerunShouldRemoveTheTemporaryFilesAKilledJoinLeft() throws IOException {
    Files.writeString(in.resolve("a.csv"), "id,k\n1,DE\n");
    assertThat(partition().code()).isZero();
    // What a SIGKILL in the commit leaves: the names this version and earlier versions used.
    Files.writeString(out.resolve("k=DE/.part.csv.17a2b3c4d.sluice-tmp"), "id,k\n1,DE\n");
    Files.writeString(out.resolve(".partition-0.17a2b3c4d.sluice-tmp"), "id,k\n1,DE\n");
    Path all = tmp.resolve("all.csv");
    assertThat(
            CliRunner.run(
                    "run", "--input", in.toString(), "--merge-output", all.toString(), "--quiet")
                .code())
        .isZero();
    Path mergeTemp = Files.writeString(tmp.resolve(".all.csv.17a2b3c4d.sluice-tmp"), "half");
    Path otherTemp =
        Files.writeString(tmp.resolve(".other.csv.17a2b3c4d.sluice-tmp"), "another merge's");

    CliRunner.Result p = partition();
    CliRunner.Result m =
        CliRunner.run("run", "--input", in.toString(), "--merge-output", all.toString(), "--quiet");

    assertThat(p.code()).as(p.toString()).isZero();
    assertThat(m.code()).as(m.toString()).isZero();
    assertThat(temps(out)).isEmpty();
    assertThat(FileTrees.under(out).skipping(".parts").map(TEXT_OR_GZIP))
        .containsOnlyKeys("k=DE/part.csv");
    assertThat(mergeTemp).doesNotExist();
    assertThat(otherTemp).as("only this target's temporary files").exists();
  }

  @Test
  void aSecondJoinIntoTheSameTargetShouldWaitForTheLockOrExitFour() throws Exception {
    Files.writeString(in.resolve("a.csv"), "id,k\n1,DE\n");
    Path parts = Files.createDirectories(out.resolve(".parts"));
    try (JoinLock held =
        JoinLock.acquire(parts.resolve(JoinLock.FILE), java.time.Duration.ZERO, "test")) {
      CliRunner.Result r = partition();

      assertThat(r.code()).as(r.toString()).isEqualTo(4);
      assertThat(r.err())
          .contains("another run is writing the partitions under " + out.toAbsolutePath());
    }
    assertThat(partition().code()).isZero();
  }
}
