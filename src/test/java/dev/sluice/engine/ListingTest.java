package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.spi.InputFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListingTest {
  @TempDir Path tmp;
  Path in;
  final List<String> warnings = new ArrayList<>();

  @BeforeEach
  void tree() throws IOException {
    in = tmp.resolve("in");
    for (String f :
        List.of(
            "b.csv",
            "a.csv",
            "sub/c.csv",
            "sub/deeper/d.csv",
            "sub/notes.txt",
            ".hidden.csv",
            ".git/config.csv",
            "sub/.x.csv.abc123.sluice-tmp",
            "sub/x.csv.1234.sluice-tmp")) {
      Path p = in.resolve(f);
      Files.createDirectories(p.getParent());
      Files.writeString(p, "x\n");
    }
  }

  private List<String> names(List<InputFile> files) {
    return files.stream().map(InputFile::relativeName).collect(Collectors.toList());
  }

  private List<InputFile> list(Path... inputs) {
    return new Listing(List.of(tmp.resolve("out")), warnings::add).list(List.of(inputs));
  }

  @Test
  void shouldListDirectoriesRecursivelySortedSkippingHiddenAndTempFiles() {
    List<InputFile> files = list(in);

    assertThat(names(files))
        .containsExactly("a.csv", "b.csv", "sub/c.csv", "sub/deeper/d.csv", "sub/notes.txt");
    assertThat(files).extracting(InputFile::id).containsExactly(0, 1, 2, 3, 4);
    assertThat(files.get(0).size()).isEqualTo(2);
  }

  @Test
  void shouldMatchGlobsIncludingZeroDirectoriesForDoubleStar() {
    assertThat(names(list(in.resolve("**/*.csv"))))
        .containsExactly("a.csv", "b.csv", "sub/c.csv", "sub/deeper/d.csv");
    assertThat(names(list(in.resolve("sub/*.csv")))).containsExactly("c.csv");
    assertThat(names(list(in.resolve("?.csv")))).containsExactly("a.csv", "b.csv");
  }

  @Test
  void shouldTakeExplicitFilesByNameAndListAFileReachedTwiceOnce() {
    List<InputFile> files = list(in.resolve("sub/c.csv"), in.resolve("a.csv"), in);

    assertThat(names(files))
        .containsExactly("c.csv", "a.csv", "b.csv", "sub/deeper/d.csv", "sub/notes.txt");
  }

  @Test
  void shouldRejectMissingInputsAndGlobsThatMatchNothing() {
    assertThatThrownBy(() -> list(in.resolve("nope")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("input not found")
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> list(in.resolve("*.json")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no input file matches");
    assertThatThrownBy(() -> list(tmp.resolve("missing/*.csv")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("input not found");
  }

  @Test
  void shouldSkipASymlinkLoopWithAWarning() throws IOException {
    Files.createSymbolicLink(in.resolve("sub/deeper/loop"), in.resolve("sub"));

    List<InputFile> files = list(in);

    assertThat(names(files))
        .containsExactly("a.csv", "b.csv", "sub/c.csv", "sub/deeper/d.csv", "sub/notes.txt");
    assertThat(warnings).singleElement().asString().contains("loop");
  }

  @Test
  void shouldSkipTheOutputDirectoryWhenItLiesInsideAnInput() throws IOException {
    Path out = in.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("a.csv"), "old output\n");

    List<InputFile> files = new Listing(List.of(out), warnings::add).list(List.of(in));

    assertThat(names(files)).doesNotContain("out/a.csv");
  }

  // ---- issue 14: broken and self-referencing links are skipped with a warning naming both ends

  @Test
  void aDanglingLinkInsideAnInputIsSkippedWithAWarningNamingTheLinkAndItsTarget()
      throws IOException {
    Path link = Files.createSymbolicLink(in.resolve("sub/gone.csv"), Path.of("../vanished.csv"));

    List<InputFile> files = list(in);

    assertThat(names(files))
        .containsExactly("a.csv", "b.csv", "sub/c.csv", "sub/deeper/d.csv", "sub/notes.txt");
    assertThat(warnings)
        .containsExactly(
            "broken symbolic link skipped: "
                + link.toAbsolutePath()
                + " -> ../vanished.csv (no such file: "
                + in.resolve("vanished.csv").toAbsolutePath()
                + ")");
  }

  @Test
  void aLinkToItselfInsideAnInputIsSkippedWithAWarning() throws IOException {
    Path self = Files.createSymbolicLink(in.resolve("sub/self.csv"), Path.of("self.csv"));
    Path a = Files.createSymbolicLink(in.resolve("ping.csv"), Path.of("pong.csv"));
    Files.createSymbolicLink(in.resolve("pong.csv"), Path.of("ping.csv"));

    List<InputFile> files = list(in);

    assertThat(names(files))
        .containsExactly("a.csv", "b.csv", "sub/c.csv", "sub/deeper/d.csv", "sub/notes.txt");
    assertThat(warnings).hasSize(3);
    assertThat(warnings)
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith(
                        "symbolic link loop skipped: " + self.toAbsolutePath() + " -> self.csv"))
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith(
                        "symbolic link loop skipped: " + a.toAbsolutePath() + " -> pong.csv"));
  }

  @Test
  void aDanglingLinkMatchedByAGlobIsSkippedWithAWarning() throws IOException {
    Path link = Files.createSymbolicLink(in.resolve("z.csv"), tmp.resolve("nowhere.csv"));

    assertThat(names(list(in.resolve("*.csv")))).containsExactly("a.csv", "b.csv");
    assertThat(warnings)
        .containsExactly(
            "broken symbolic link skipped: "
                + link.toAbsolutePath()
                + " -> "
                + tmp.resolve("nowhere.csv")
                + " (no such file: "
                + tmp.resolve("nowhere.csv").toAbsolutePath()
                + ")");
  }

  @Test
  void aGlobThatMatchesOnlyBrokenLinksFailsSayingSo() throws IOException {
    Files.createSymbolicLink(in.resolve("z.json"), tmp.resolve("nowhere.json"));

    assertThatThrownBy(() -> list(in.resolve("*.json")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no input file matches " + in.resolve("*.json").toAbsolutePath())
        .hasMessageContaining("1 broken symbolic link or loop skipped");
  }

  @Test
  void aDanglingLinkGivenAsAnInputIsAnErrorNamingItsAbsolutePathAndTarget() throws IOException {
    Path link = Files.createSymbolicLink(in.resolve("dead.csv"), Path.of("missing.csv"));

    assertThatThrownBy(() -> list(link))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(
            "input not found: "
                + link.toAbsolutePath()
                + " is a broken symbolic link to missing.csv (no such file: "
                + in.resolve("missing.csv").toAbsolutePath()
                + ")");
  }

  @Test
  void aLinkToItselfGivenAsAnInputIsAnError() throws IOException {
    Path self = Files.createSymbolicLink(in.resolve("self.csv"), Path.of("self.csv"));

    assertThatThrownBy(() -> list(self))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(
            "input " + self.toAbsolutePath() + " is a symbolic link loop (-> self.csv");
  }

  @Test
  void missingInputsAreNamedByTheirAbsolutePath() {
    Path relative = Path.of("no-such-dir-" + System.nanoTime(), "x.csv");

    assertThatThrownBy(() -> list(relative))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("input not found: " + relative.toAbsolutePath());
  }

  @Test
  void aNamedPipeInsideAnInputIsSkippedWithAWarning() throws Exception {
    Path fifo = in.resolve("sub/pipe.csv");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(p.waitFor()).isZero();

    assertThat(names(list(in)))
        .containsExactly("a.csv", "b.csv", "sub/c.csv", "sub/deeper/d.csv", "sub/notes.txt");
    assertThat(warnings).containsExactly("not a regular file, skipped: " + fifo.toAbsolutePath());
  }
}
