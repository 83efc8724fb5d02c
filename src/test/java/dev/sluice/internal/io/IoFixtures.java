package dev.sluice.internal.io;

import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Test helpers shared by the io test packages: files, splits, reading everything. */
public final class IoFixtures {
  private IoFixtures() {}

  /** Writes {@code content} as UTF-8 to {@code dir/name}. */
  public static Path write(Path dir, String name, String content) throws IOException {
    return write(dir, name, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code content} to {@code dir/name}. */
  public static Path write(Path dir, String name, byte[] content) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, content);
    return file;
  }

  /** The whole-file split of {@code file}. */
  public static Split split(Path file) throws IOException {
    return Split.whole(new InputFile(0, file, file.getFileName().toString(), Files.size(file)));
  }

  /** {@code content} gzip-compressed. */
  public static byte[] gzip(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** {@code a} followed by {@code b}. */
  public static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** Every remaining record of {@code reader}, failing on the first error. */
  public static List<List<String>> readAll(RecordReader reader) throws IOException {
    List<List<String>> records = new ArrayList<>();
    while (reader.next()) {
      records.add(List.of(reader.values()));
    }
    return records;
  }

  /** Reads until {@code reader} throws, and returns what it threw; fails if it reaches the end. */
  public static RecordException readUntilFailure(RecordReader reader) throws IOException {
    try {
      while (reader.next()) {
        // Skipped: only the failure matters.
      }
    } catch (RecordException e) {
      return e;
    }
    throw new AssertionError("reached the end without a failure");
  }
}
