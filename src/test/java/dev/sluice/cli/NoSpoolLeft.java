package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Points {@code java.io.tmpdir} (which {@code --input -} and {@code --output -} read when they make
 * their directory) at a fresh directory for each test, and fails the test if a {@code
 * sluice-stream-*} directory is left there: the raw input must never outlive a command. A directory
 * of its own, because other builds on the machine share the real temp directory. Code that takes
 * the JVM's temp directory as it was at start-up instead (as {@code
 * Files.createTempDirectory(prefix)} does) is caught too: the JVM's own temp directory is searched
 * for spool directories holding {@link #token()}, which the test puts into its standard input.
 */
final class NoSpoolLeft implements BeforeEachCallback, AfterEachCallback {
  private final String token = "spool-check-" + java.util.UUID.randomUUID();
  private String saved;
  private Path dir;

  /** A text unique to this test: put it into standard input so that a leftover copy is found. */
  String token() {
    return token;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    saved = System.getProperty("java.io.tmpdir");
    dir = Files.createTempDirectory("sluice-spool-check-");
    System.setProperty("java.io.tmpdir", dir.toString());
  }

  /** The temp directory the commands of the current test use. */
  Path dir() {
    return dir;
  }

  /** The {@code sluice-stream-*} directories in {@code dir}. */
  static List<String> spools(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(StreamSpool.PREFIX))
          .collect(Collectors.toList());
    }
  }

  /** The spool directories in {@code tmp} with a file that holds {@code token}. */
  static List<String> spoolsHolding(Path tmp, String token) throws IOException {
    List<String> found = new java.util.ArrayList<>();
    for (String name : spools(tmp)) {
      try (Stream<Path> s = Files.walk(tmp.resolve(name))) {
        for (Path f : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
          try {
            if (Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).contains(token)) {
              found.add(f.toString());
            }
          } catch (IOException e) {
            // another build's spool, unreadable or going away: not ours
          }
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        // another build's spool going away while walked: not ours
      }
    }
    return found;
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    System.setProperty("java.io.tmpdir", saved);
    try {
      assertThat(spools(dir)).as("spool directories left in the temp directory").isEmpty();
      assertThat(spoolsHolding(Path.of(saved), token))
          .as("this test's input left in the JVM's temp directory")
          .isEmpty();
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}
