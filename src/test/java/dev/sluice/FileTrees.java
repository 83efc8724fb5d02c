package dev.sluice;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Test fixture: the regular files under a directory, by relative name (separated by {@code /},
 * sorted), with what a test compares of each (bytes, text, a digest, nothing). Tests compare whole
 * output trees with it: a local run against a Beam run, a crashed-and-resumed run against a clean
 * one.
 *
 * <pre>{@code
 * FileTrees.under(out).skipping(".sluice").bytes()   // the job's state directory is not output
 * FileTrees.under(out).orEmptyIfMissing().names()
 * }</pre>
 *
 * <p>Reading fails with an {@link UncheckedIOException}, so a view can be read inside a lambda.
 *
 * <p>Immutable: each option returns a new view. Thread-safe.
 */
public final class FileTrees {
  /** What a test keeps of one file. */
  @FunctionalInterface
  public interface Content<V> {
    V read(Path file) throws IOException;
  }

  private final Path dir;
  private final List<String> skipped;
  private final boolean missingIsEmpty;

  private FileTrees(Path dir, List<String> skipped, boolean missingIsEmpty) {
    this.dir = dir;
    this.skipped = skipped;
    this.missingIsEmpty = missingIsEmpty;
  }

  /** The files under {@code dir}; reading fails if {@code dir} does not exist. */
  public static FileTrees under(Path dir) {
    return new FileTrees(dir, List.of(), false);
  }

  /**
   * Leaves out every file whose relative name starts with {@code prefix}: {@code ".sluice"} (the
   * job's state directory and the output lock), {@code ".parts"} (the engine's parts of a merge).
   */
  public FileTrees skipping(String prefix) {
    List<String> s = new ArrayList<>(skipped);
    s.add(prefix);
    return new FileTrees(dir, List.copyOf(s), missingIsEmpty);
  }

  /** A directory that does not exist reads as an empty tree (a run that wrote nothing). */
  public FileTrees orEmptyIfMissing() {
    return new FileTrees(dir, skipped, true);
  }

  /** Relative name to the file's bytes. */
  public Map<String, byte[]> bytes() {
    return map(Files::readAllBytes);
  }

  /** Relative name to the file's text in UTF-8. */
  public Map<String, String> text() {
    return text(StandardCharsets.UTF_8);
  }

  /**
   * Relative name to the file's text in {@code charset}; ISO-8859-1 maps every byte to one char, so
   * any content compares exactly and still prints readably.
   */
  public Map<String, String> text(Charset charset) {
    return map(p -> new String(Files.readAllBytes(p), charset));
  }

  /** The relative names, sorted. */
  public List<String> names() {
    return new ArrayList<>(map(p -> Boolean.TRUE).keySet());
  }

  /**
   * Relative name to the size and the start of the SHA-256 of the file's bytes: readable in an
   * assertion message, unlike the bytes, and compared exactly enough for big files.
   */
  public Map<String, String> digests() {
    return map(p -> digest(Files.readAllBytes(p)));
  }

  /** {@code "<n> bytes, sha256 <first 8 bytes in hex>"}. */
  public static String digest(byte[] bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
      return bytes.length + " bytes, sha256 " + HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Relative name to {@code content} of the file. */
  public <V> Map<String, V> map(Content<V> content) {
    Map<String, V> m = new TreeMap<>();
    if (missingIsEmpty && !Files.exists(dir)) {
      return m;
    }
    try {
      List<Path> files;
      try (Stream<Path> s = Files.walk(dir)) {
        files = s.filter(Files::isRegularFile).collect(Collectors.toList());
      }
      for (Path p : files) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        if (skipped.stream().noneMatch(rel::startsWith)) {
          m.put(rel, content.read(p));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the tree under " + dir.toAbsolutePath(), e);
    }
    return m;
  }
}
