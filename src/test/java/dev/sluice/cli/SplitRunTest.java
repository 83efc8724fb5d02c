package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One generated orders file cut into many splits gives byte-identical output to the whole read. */
class SplitRunTest {
  @TempDir static Path shared;
  private static Path in;
  private static Map<String, byte[]> whole;

  @TempDir Path tmp;

  @BeforeAll
  static void generateAndReadWhole() throws IOException {
    in = shared.resolve("in");
    CliRunner.Result g =
        CliRunner.run(
            "generate",
            "--files",
            "1",
            "--rows",
            "20000",
            "--seed",
            "42",
            "--output",
            in.toString(),
            "--quiet");
    assertThat(g.code()).as(g.toString()).isZero();
    whole = run(shared.resolve("whole"), "--split-size", "0", "--readers", "1");
  }

  private static Map<String, byte[]> run(Path out, String... extra) throws IOException {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "run",
                "--input",
                in.toString(),
                "--output",
                out.toString(),
                "--no-state",
                "--quiet",
                "--upper",
                "status",
                "--on-error",
                "skip"));
    args.addAll(List.of(extra));
    CliRunner.Result r = CliRunner.run(args.toArray(new String[0]));
    assertThat(r.code()).as(r.toString()).isIn(0, 3);
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(out)) {
      for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
        files.put(out.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return files;
  }

  @ParameterizedTest(name = "{0} readers")
  @ValueSource(ints = {1, 2, 4})
  void aFileReadInSplitsGivesTheBytesOfTheWholeRead(int readers) throws IOException {
    Path orders = Files.list(in).findFirst().orElseThrow();
    assertThat(Files.size(orders)).isGreaterThan(30L * 64 * 1024);

    Map<String, byte[]> split =
        run(
            tmp.resolve("out"),
            "--split-size",
            "64k",
            "--readers",
            String.valueOf(readers),
            "--transformers",
            "2");

    assertThat(split.keySet()).isEqualTo(whole.keySet());
    for (String name : whole.keySet()) {
      assertThat(split.get(name)).as(name).isEqualTo(whole.get(name));
    }
  }

  @Test
  void theSplitSizeFlagReachesTheInputFormat() {
    FakePipelines fake = FakePipelines.failingWith(new IllegalStateException("not run"));
    CliRunner.run(
        fake, "run", "--input", in.toString(), "--output", tmp.toString(), "--split-size", "16m");
    assertThat(fake.lastSpec().inputFormat().splitSize()).isEqualTo(16L << 20);
    CliRunner.run(
        fake, "run", "--input", in.toString(), "--output", tmp.toString(), "--split-size", "0");
    assertThat(fake.lastSpec().inputFormat().splitSize()).isZero();
    CliRunner.run(fake, "run", "--input", in.toString(), "--output", tmp.toString());
    assertThat(fake.lastSpec().inputFormat().splitSize())
        .isEqualTo(dev.sluice.api.Format.DEFAULT_SPLIT_SIZE);
  }

  @Test
  void aBadSplitSizeIsAUsageError() {
    CliRunner.Result r =
        CliRunner.run(
            "run", "--input", in.toString(), "--output", tmp.toString(), "--split-size", "lots");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--split-size");
  }
}
