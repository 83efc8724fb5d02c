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
}
