package dev.sluice.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest of a job that runs every day over a rolling set of inputs stays proportional to what
 * is live (inputs still listed, outputs still present), not to every file it ever saw; an output
 * whose input is gone stays ours while it exists.
 */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ManifestPruningTest {
  private static final int FILES_PER_DAY = 20;

  /** Days an input stays in the input directory (it is then moved away by someone else). */
  private static final int INPUT_DAYS = 3;

  /** Days an output stays in the output directory (a retention job deletes older ones). */
  private static final int OUTPUT_DAYS = 5;

  @TempDir Path tmp;

  private Path in() {
    return tmp.resolve("in");
  }

  private Path out() {
    return tmp.resolve("out");
  }

  private Path manifest() {
    return tmp.resolve("state").resolve(StateStore.MANIFEST);
  }

  private PipelineSpec spec() {
    return PipelineSpec.builder().input(in()).output(out()).stateDir(tmp.resolve("state")).build();
  }

  private static String day(int d) {
    return String.format(Locale.ROOT, "day-%02d", d);
  }

  private void deliver(int d) throws IOException {
    for (int f = 0; f < FILES_PER_DAY; f++) {
      Path p = in().resolve(day(d)).resolve(String.format(Locale.ROOT, "f-%02d.txt", f));
      Files.createDirectories(p.getParent());
      Files.write(p, List.of("d" + d + "-f" + f), UTF_8);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(p);
      }
    }
  }

  private static long count(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  /** Records in the manifest: header, file entries and every claimed path. */
  private long records() throws IOException {
    long n = 0;
    for (String line : Files.readAllLines(manifest(), UTF_8)) {
      if (line.contains("\"type\":\"claim\"")) {
        n += line.split("\",\"", -1).length;
      } else if (!line.isBlank()) {
        n++;
      }
    }
    return n;
  }

  @Test
  void thirtyDailyRunsOverARollingSetOfInputsShouldKeepTheManifestBounded() throws IOException {
    long largest = 0;
    for (int d = 1; d <= 30; d++) {
      deliver(d);
      deleteTree(in().resolve(day(d - INPUT_DAYS)));
      deleteTree(out().resolve(day(d - OUTPUT_DAYS)));

      RunResult r = EngineFixture.run(spec(), new FakeFormat(1));

      assertThat(r.files()).as("day %d: the new inputs", d).isEqualTo(FILES_PER_DAY);
      assertThat(r.filesSkipped())
          .as("day %d: the inputs of the days before, still listed, are still known", d)
          .isEqualTo((long) FILES_PER_DAY * (Math.min(d, INPUT_DAYS) - 1));
      long live = count(in()) + count(out());
      long appended = 3L * FILES_PER_DAY; // this run's entries and claims (outputs, reject files)
      assertThat(records())
          .as("day %d: manifest records for %d live inputs and outputs", d, live)
          .isLessThanOrEqualTo(2 * (1 + live) + 64 + appended);
      largest = Math.max(largest, Files.size(manifest()));
    }
    // Every file it ever saw would be 600 entries and 1,200 claimed paths (well over 150 KB).
    assertThat(largest).as("largest manifest, bytes").isLessThan(100_000);
  }

  @Test
  void anOutputWhoseInputIsGoneShouldStayOursAfterItsEntryIsDropped() throws IOException {
    Files.createDirectories(in());
    Files.write(in().resolve("keep.txt"), List.of("first"), UTF_8);
    EngineFixture.run(spec(), new FakeFormat(1));
    Files.delete(in().resolve("keep.txt"));
    // Enough short-lived inputs for the manifest to be compacted without keep.txt's entry.
    for (int i = 0; i < 40; i++) {
      Path p = in().resolve("tmp-" + i + ".txt");
      Files.write(p, List.of("x" + i), UTF_8);
      EngineFixture.run(spec(), new FakeFormat(1));
      Files.delete(p);
      Files.delete(out().resolve("tmp-" + i + ".txt"));
    }
    List<String> lines = Files.readAllLines(manifest(), UTF_8);
    assertThat(lines)
        .as("keep.txt's entry was dropped")
        .noneMatch(l -> l.contains("\"file\":\"keep.txt\""));
    assertThat(lines)
        .as("its output is still claimed")
        .anyMatch(
            l ->
                l.contains("\"type\":\"claim\"")
                    && l.contains(out().resolve("keep.txt").toString()));

    Files.write(in().resolve("keep.txt"), List.of("second"), UTF_8);
    RunResult r = EngineFixture.run(spec(), new FakeFormat(1));

    assertThat(r.files())
        .as("its output, still ours, is replaced without --overwrite")
        .isEqualTo(1);
    assertThat(Files.readAllLines(out().resolve("keep.txt"), UTF_8)).containsExactly("v", "second");
  }

  @Test
  void claimsOfFilesNeverWrittenOrGoneShouldNotAccumulate() throws IOException {
    Files.createDirectories(in());
    for (int i = 0; i < 60; i++) {
      // Each run claims an output and a reject file (never written); both are gone a run later.
      Path p = in().resolve("f-" + i + ".txt");
      Files.write(p, List.of("x" + i), UTF_8);
      EngineFixture.run(spec(), new FakeFormat(1));
      Files.delete(p);
      Files.delete(out().resolve("f-" + i + ".txt"));

      long claimed =
          Files.readAllLines(manifest(), UTF_8).stream()
              .filter(l -> l.contains("\"type\":\"claim\""))
              .mapToLong(l -> l.split("\",\"", -1).length)
              .sum();
      assertThat(claimed).as("paths claimed after run %d", i).isLessThanOrEqualTo(2 + 64 + 2);
    }
  }

  @Test
  void aFileEntryWithoutItsNameShouldBeRefusedNamingTheManifest() throws IOException {
    deliver(1);
    EngineFixture.run(spec(), new FakeFormat(1));
    List<String> lines = new ArrayList<>();
    for (String line : Files.readAllLines(manifest(), UTF_8)) {
      lines.add(line.contains("\"type\":\"file\"") ? line.replace("\"file\":", "\"name\":") : line);
    }
    assertThat(lines).as("the edited manifest").anyMatch(l -> l.contains("\"name\":"));
    Files.write(manifest(), lines, UTF_8);

    assertThatThrownBy(() -> EngineFixture.run(spec(), new FakeFormat(1)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(manifest().toString())
        .hasMessageContaining("without \"file\"");
  }
}
