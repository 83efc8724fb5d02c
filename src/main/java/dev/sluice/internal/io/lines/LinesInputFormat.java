package dev.sluice.internal.io.lines;

import dev.sluice.api.Columns;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.Format;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.internal.io.InputOpener;
import dev.sluice.internal.io.TextInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads plain text files, one record per line, in one column named {@code line} (or the single name
 * in {@link Format#columns()}). If {@link Format#header()} is true the first line is not a record
 * but the column's name. A line break at the end of the file does not start another record; an
 * empty line elsewhere is a record with an empty value, whatever {@link Format#blankLines()} says
 * (that setting is for CSV and TSV, whose blank lines carry no field). Obtained from {@link
 * dev.sluice.internal.io.Formats#input}.
 *
 * <p>Thread-safe: immutable; each {@link #open} returns a new reader, which is not thread-safe.
 */
public final class LinesInputFormat implements InputFormatProvider {
  private static final Columns DEFAULT_COLUMNS = Columns.of("line");

  /** Bytes searched for a line break after each nominal offset. */
  private static final int WINDOW = 64 * 1024;

  private final Format format;
  private final InputOpener opener;
  private final Columns columns;

  /**
   * A provider for {@code format}, whose kind is LINES.
   *
   * @throws ConfigurationException if {@link Format#columns()} names more than one column
   */
  public LinesInputFormat(Format format) {
    this(format, InputOpener.FILES);
  }

  /** A provider for {@code format} that opens URL inputs through {@code opener}. */
  public LinesInputFormat(Format format, InputOpener opener) {
    this.opener = opener;
    if (format.kind() != Format.Kind.LINES) {
      throw new IllegalArgumentException("not a lines format: " + format);
    }
    this.format = format;
    List<String> names = format.columns();
    if (names != null && names.size() != 1) {
      throw new ConfigurationException(
          "lines input has one column, but columns names "
              + names.size()
              + ": give exactly one name");
    }
    this.columns = names == null ? DEFAULT_COLUMNS : Columns.of(names);
  }

  /**
   * Cuts a plain file of at least 1.5 {@link Format#splitSize()} in an ASCII-compatible charset
   * (UTF-8, US-ASCII, ISO-8859-*, windows-125x) into splits that start after a line break (any line
   * break is a record boundary in a lines file); gzip and other files are one split.
   */
  @Override
  public List<Split> plan(InputFile file) throws IOException {
    return plan(file, format.splitSize());
  }

  /** {@link #plan(InputFile)} with another split size: for tests. */
  List<Split> plan(InputFile file, long splitSize) throws IOException {
    if (splitSize <= 0
        || file.isRemote()
        || file.size() < splitSize + splitSize / 2
        || !asciiCompatible()) {
      return List.of(Split.whole(file));
    }
    try (SeekableByteChannel ch = Files.newByteChannel(file.path())) {
      ByteBuffer head = ByteBuffer.allocate(2);
      while (head.hasRemaining() && ch.read(head) >= 0) {
        // The first two bytes: gzip's magic number is not cut.
      }
      if (head.position() == 2 && (head.get(0) & 0xff) == 0x1f && (head.get(1) & 0xff) == 0x8b) {
        return List.of(Split.whole(file));
      }
      // The size when listed: what is appended later is not read, so not planned either.
      long size = file.size() >= 0 ? Math.min(file.size(), ch.size()) : ch.size();
      long count = Math.max(1, Math.round((double) size / splitSize));
      ByteBuffer window = ByteBuffer.allocate((int) Math.min(WINDOW, size));
      List<Split> splits = new ArrayList<>();
      long start = 0;
      for (long k = 1; k < count; k++) {
        long from = Math.max((long) (k * ((double) size / count)), start);
        window.clear();
        if (window.capacity() > size - from) {
          window.limit((int) (size - from));
        }
        ch.position(from);
        while (window.hasRemaining() && ch.read(window) >= 0) {
          // Fills the window.
        }
        long b = lineStart(window.array(), window.position(), from);
        if (b > start && b < size) {
          splits.add(new Split(file, splits.size(), -1, start, b));
          start = b;
        }
      }
      if (splits.isEmpty()) {
        return List.of(Split.whole(file));
      }
      splits.add(new Split(file, splits.size(), -1, start, -1));
      int n = splits.size();
      List<Split> out = new ArrayList<>(n);
      for (Split s : splits) {
        out.add(new Split(file, s.index(), n, s.start(), s.end()));
      }
      return out;
    } catch (UnsupportedOperationException e) {
      // A file system without random access: read whole.
      return List.of(Split.whole(file));
    }
  }

  /** The offset after the first line break in {@code w[0, len)} (CRLF kept whole), or -1. */
  private static long lineStart(byte[] w, int len, long from) {
    for (int j = 0; j < len; j++) {
      if (w[j] == '\n') {
        return from + j + 1;
      }
      if (w[j] == '\r') {
        if (j + 1 >= len) {
          return -1;
        }
        return from + (w[j + 1] == '\n' ? j + 2 : j + 1);
      }
    }
    return -1;
  }

  private boolean asciiCompatible() {
    String name = format.charset().name().toUpperCase(Locale.ROOT);
    return name.equals("UTF-8")
        || name.equals("US-ASCII")
        || name.startsWith("ISO-8859-")
        || name.matches("WINDOWS-125[0-8]");
  }

  /**
   * Opens a reader for {@code split}. Reads the header line, if the format has one, before
   * returning (from the file's start, for a split after the first).
   *
   * @throws IOException if the file cannot be opened, or (as a {@link
   *     dev.sluice.api.spi.RecordException}) its header cannot be read
   */
  @Override
  public RecordReader open(Split split) throws IOException {
    if (split.count() > 1) {
      Columns c = columns;
      if (split.index() > 0 && format.header()) {
        try (LinesRecordReader r = LinesRecordReader.open(split.file(), format, columns)) {
          Columns named = r.columns();
          c = named != null ? named : columns;
        }
      }
      return LinesRecordReader.openSplit(split, format, c);
    }
    if (split.start() != 0) {
      throw new IllegalArgumentException("a single split must cover the whole file: " + split);
    }
    if (split.file().isRemote()) {
      return LinesRecordReader.open(
          TextInput.open(split.file(), opener, format.charset(), format.malformedInput()),
          format,
          columns);
    }
    return LinesRecordReader.open(split.file(), format, columns);
  }
}
