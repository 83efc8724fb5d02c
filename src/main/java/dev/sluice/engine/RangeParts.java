package dev.sluice.engine;

import dev.sluice.api.ErrorType;
import dev.sluice.api.Reject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Where the parts of a file processed range by range live, and how a part keeps its rejects.
 *
 * <p>A range's formatted output and its rejects go to two hidden temp files next to the file's
 * final output, named from the output, the run and the range ({@code
 * .orders.csv.<run>.part-00003.sluice-tmp}, {@code .orders.csv.<run>.rejects-00003.sluice-tmp}):
 * the same names on every attempt, so a retried range replaces its part instead of adding one, and
 * whoever knows the run can find and delete them all. The {@code .sluice-tmp} suffix keeps them out
 * of every listing, as the engine's other temp files.
 *
 * <p>A reject part holds the rejects in a small binary form (not the reject file's CSV) because
 * their line numbers are still relative to the range: the join rewrites them once it knows the
 * lines before the range.
 *
 * <p>Stateless; thread-safe.
 */
final class RangeParts {
  private RangeParts() {}

  /** The output part of range {@code index} of the file whose output is {@code target}. */
  static Path outputPart(Path target, String runId, int index) {
    return part(target, runId, "part", index);
  }

  /** The reject part of range {@code index} of the file whose output is {@code target}. */
  static Path rejectPart(Path target, String runId, int index) {
    return part(target, runId, "rejects", index);
  }

  private static Path part(Path target, String runId, String kind, int index) {
    return target.resolveSibling(
        String.format(
            Locale.ROOT,
            ".%s.%s.%s-%05d%s",
            target.getFileName(),
            runId,
            kind,
            index,
            Listing.TEMP_SUFFIX));
  }

  /**
   * Deletes the parts of every range of a file of {@code count} ranges whose output is {@code
   * target}, those that exist.
   *
   * @throws IOException for the first part that could not be deleted, the others suppressed
   */
  static void deleteAll(Path target, String runId, int count) throws IOException {
    IOException first = null;
    for (int i = 0; i < count; i++) {
      for (Path p : List.of(outputPart(target, runId, i), rejectPart(target, runId, i))) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          if (first == null) {
            first = new IOException("cannot delete the range part " + p, e);
          } else {
            first.addSuppressed(e);
          }
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Appends {@code r} to a reject part. */
  static void write(OutputStream out, Reject r) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(128 + r.message().length());
    DataOutputStream d = new DataOutputStream(buf);
    writeString(d, r.file());
    d.writeLong(r.line());
    d.writeLong(r.byteOffset());
    d.writeInt(r.column());
    writeString(d, r.type().name());
    writeString(d, r.message());
    String raw = r.raw();
    d.writeBoolean(raw != null);
    if (raw != null) {
      writeString(d, raw);
    }
    d.flush();
    buf.writeTo(out);
  }

  /**
   * Reads up to {@code max} rejects from a reject part; fewer (maybe none) at its end.
   *
   * @throws IOException if the part is cut short inside a reject
   */
  static List<Reject> read(DataInputStream in, int max) throws IOException {
    List<Reject> out = new ArrayList<>(Math.min(max, 256));
    while (out.size() < max) {
      Reject r = readOne(in);
      if (r == null) {
        break;
      }
      out.add(r);
    }
    return out;
  }

  private static @Nullable Reject readOne(DataInputStream in) throws IOException {
    int first = in.read();
    if (first < 0) {
      return null; // the end, between two rejects
    }
    try {
      // The first string's length, whose first byte was read to look for the end.
      int length = (first << 24) | (in.readUnsignedByte() << 16) | in.readUnsignedShort();
      String file = readString(in, length);
      long line = in.readLong();
      long offset = in.readLong();
      int column = in.readInt();
      ErrorType type = ErrorType.valueOf(readString(in, in.readInt()));
      String message = readString(in, in.readInt());
      String raw = in.readBoolean() ? readString(in, in.readInt()) : null;
      return new Reject(file, line, offset, column, type, message, raw);
    } catch (EOFException | IllegalArgumentException e) {
      throw new IOException("reject part cut short or damaged", e);
    }
  }

  private static void writeString(DataOutputStream d, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    d.writeInt(b.length);
    d.write(b);
  }

  private static String readString(DataInputStream in, int length) throws IOException {
    if (length < 0) {
      throw new IOException("negative string length in a reject part: " + length);
    }
    byte[] b = new byte[length];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
