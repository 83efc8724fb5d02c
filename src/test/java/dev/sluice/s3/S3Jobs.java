package dev.sluice.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the S3 tests share: running the CLI, uploading a tree, comparing trees of bytes. */
final class S3Jobs {
  private S3Jobs() {}

  /** A CLI run's exit code and what it printed. */
  record Cli(int code, String out, String err) {}

  /** Runs the CLI with {@code args} then {@code more}. */
  static Cli cli(String[] more, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(more));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), all.toArray(new String[0]));
    return new Cli(code, out.toString(), err.toString());
  }

  /**
   * Uploads every file under {@code dir} to {@code bucket}, keys {@code prefix} + relative path.
   */
  static void putTree(S3Server s3, String bucket, Path dir, String prefix) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
        s3.put(
            bucket,
            prefix + dir.relativize(p).toString().replace('\\', '/'),
            Files.readAllBytes(p));
      }
    }
  }

  /** Both trees hold the same names with the same bytes. */
  static void assertSameBytes(Map<String, byte[]> actual, Map<String, byte[]> expected) {
    assertThat(actual).containsOnlyKeys(expected.keySet());
    expected.forEach((k, v) -> assertThat(actual.get(k)).as(k).isEqualTo(v));
  }
}
