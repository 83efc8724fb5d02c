package dev.sluice.internal.io.lines;

import dev.sluice.api.Columns;
import dev.sluice.api.ErrorType;
import dev.sluice.api.Format;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.internal.io.RawText;
import dev.sluice.internal.io.TextInput;
import java.io.IOException;
import java.io.Reader;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads one line per record. {@link #byteOffset()} is always -1; the exceptions carry the byte
 * offset of bad bytes.
 *
 * <p>A line with bad bytes is rejected ({@code INVALID_ENCODING}, recoverable) unless the format
 * replaces them. A line longer than the record size limit is rejected ({@code RECORD_TOO_LARGE},
 * recoverable) as soon as the limit is passed, without holding more of it; the next {@link #next()}
 * skips the rest of it. After a non-recoverable failure (a NUL char, a read error, a bad header
 * line) every further {@link #next()} throws the same exception.
 *
 * <p>Not thread-safe: one instance per split.
 */
final class LinesRecordReader implements RecordReader {
  /** Returned by {@link #readLine()} for a line over the size limit. */
  @SuppressWarnings("StringOperationCanBeSimplified")
  private static final String TOO_LARGE = new String("");

  private final TextInput input;
  private final Reader reader;
  private final Columns configured;
  private final int maxRecordSize;

  /** For a split that is not the file's last: it must end right after a line break. */
  private final @Nullable Split checkedEnd;

  /** The split being read, or null for a whole file. */
  private @Nullable Split split;

  /**
   * Lent with the text ({@link TextInput#scanBuffer}) and given back when it is closed; may hold
   * another file's chars beyond {@code limit}, which nothing reads.
   */
  private final char[] buffer;

  private final StringBuilder pending = new StringBuilder();

  /** The text offset of {@code buffer[0]}. */
  private long bufferBase;

  private int position;
  private int limit;
  private boolean skipLineFeed;

  /** The rest of a line over the size limit is still to be skipped. */
  private boolean skipping;

  private long lineStart;
  private long lineEnd;
  private @Nullable String raw;

  private @Nullable Columns columns;
  private String @Nullable [] values;
  private long line;
  private long recordNumber;
  private boolean ended;
  private boolean closed;
  private @Nullable RecordException fatal;

  private LinesRecordReader(
      TextInput input, Columns configured, int maxRecordSize, @Nullable Split checkedEnd) {
    this.input = input;
    this.checkedEnd = checkedEnd;
    this.reader = input.reader();
    this.buffer = TextInput.scanBuffer(reader);
    this.configured = configured;
    this.maxRecordSize = maxRecordSize;
  }

  /** Reads the lines of a listed file, up to its listed size. */
  static LinesRecordReader open(InputFile file, Format format, Columns configured)
      throws IOException {
    return open(
        TextInput.open(file, format.charset(), format.malformedInput()), format, configured);
  }

  /** Reads the lines of {@code input}, which it closes when it fails or is closed. */
  static LinesRecordReader open(TextInput input, Format format, Columns configured)
      throws IOException {
    return input.ownedBy(
        in -> {
          LinesRecordReader reader =
              new LinesRecordReader(in, configured, format.maxRecordSize(), null);
          if (format.header()) {
            reader.readHeader();
          }
          return reader;
        });
  }

  /**
   * Opens one split of a file cut into several: its bytes only. The first split reads the header
   * line like a whole file; a later one takes {@code fileColumns}, read by the caller from the
   * file's start. Every split but the last must end right after a line break, else the file fails
   * ({@code FILE_FAILED}).
   */
  static LinesRecordReader openSplit(Split split, Format format, Columns fileColumns)
      throws IOException {
    return TextInput.openSplit(split, format.charset(), format.malformedInput())
        .ownedBy(
            in -> {
              LinesRecordReader reader =
                  new LinesRecordReader(
                      in, fileColumns, format.maxRecordSize(), split.isLast() ? null : split);
              reader.split = split;
              if (split.index() > 0) {
                reader.columns = fileColumns;
              } else if (format.header()) {
                reader.readHeader();
              }
              return reader;
            });
  }

  /** Reads the header line; any failure is fatal, as the column cannot be named without it. */
  private void readHeader() throws IOException {
    String name = read(1, -1, false);
    if (name == null) {
      ended = true;
    } else if (name.isEmpty()) {
      throw fail(
          new RecordException(
              ErrorType.FILE_FAILED, "empty column name (column 1)", 1, -1, -1, 1, false, null));
    } else {
      columns = Columns.of(name);
    }
  }

  @Override
  public @Nullable Columns columns() {
    return columns;
  }

  @Override
  public boolean next() throws IOException {
    if (closed) {
      throw new IllegalStateException("reader is closed");
    }
    if (fatal != null) {
      throw fatal;
    }
    values = null;
    raw = null;
    if (ended) {
      return false;
    }
    String text = read(line + 1, recordNumber + 1, true);
    if (text == null) {
      ended = true;
      return false;
    }
    if (columns == null) {
      columns = configured;
    }
    values = new String[] {text};
    return true;
  }

  /**
   * The next line, or null at the end of the text; throws a positioned exception for a line that
   * cannot be read, recoverable only for a record ({@code recoverable}) whose line was bad.
   */
  private @Nullable String read(long start, long number, boolean recoverable) throws IOException {
    String text;
    try {
      if (skipping) {
        skipRest();
      }
      text = readLine();
    } catch (RecordException e) {
      line = start;
      throw fail(e);
    } catch (IOException e) {
      line = start;
      if (number > 0) {
        recordNumber = number;
      }
      RecordException failure = input.failure(start, number);
      throw fail(
          failure != null
              ? failure
              : new RecordException(
                  ErrorType.FILE_FAILED,
                  "cannot read the file: " + e.getMessage(),
                  start,
                  number,
                  -1,
                  -1,
                  false,
                  e));
    }
    if (text == null) {
      return null;
    }
    line = start;
    if (number > 0) {
      recordNumber = number;
    }
    if (text == TOO_LARGE) {
      RecordException e =
          new RecordException(
              ErrorType.RECORD_TOO_LARGE,
              String.format(
                  Locale.ROOT, "line is longer than the limit of %,d characters", maxRecordSize),
              start,
              number,
              -1,
              1,
              recoverable,
              null);
      throw recoverable ? e : fail(e);
    }
    TextInput.Malformed m = input.firstMalformed(lineStart, lineEnd);
    if (m != null) {
      values = new String[] {text};
      RecordException e =
          new RecordException(
              ErrorType.INVALID_ENCODING,
              m.reason(),
              start,
              number,
              m.byteOffset(),
              1,
              recoverable,
              null);
      throw recoverable ? e : fail(e);
    }
    return text;
  }

  private RecordException fail(RecordException e) {
    fatal = e;
    return e;
  }

  /**
   * The next line without its line break, null at the end of the text, or {@link #TOO_LARGE} for a
   * line over the size limit: then {@link #raw} holds its start and, unless its line break was
   * already read, {@link #skipping} is set.
   */
  private @Nullable String readLine() throws IOException {
    pending.setLength(0);
    boolean started = false;
    while (true) {
      if (position == limit) {
        bufferBase += limit;
        int n = reader.read(buffer, 0, buffer.length);
        if (n < 0) {
          position = 0;
          limit = 0;
          if (!started) {
            return null;
          }
          if (checkedEnd != null) {
            throw badBoundary(checkedEnd);
          }
          if (input.grewWhileRead() && !input.gzip()) {
            throw input.cutAtListedSize(line + 1, recordNumber + 1);
          }
          lineEnd = bufferBase;
          return pending.toString();
        }
        position = 0;
        limit = n;
      }
      if (skipLineFeed) {
        // The previous line ended in CR: an LF right after it belongs to the same line break.
        skipLineFeed = false;
        if (buffer[position] == '\n') {
          position++;
          continue;
        }
      }
      if (!started) {
        started = true;
        lineStart = bufferBase + position;
      }
      int from = position;
      while (position < limit) {
        char c = buffer[position];
        if (c == '\n' || c == '\r') {
          skipLineFeed = c == '\r';
          int to = position++;
          lineEnd = bufferBase + to;
          if (pending.length() + (to - from) > maxRecordSize) {
            raw = RawText.of(pending.append(buffer, from, Math.min(to - from, RawText.LIMIT + 1)));
            return TOO_LARGE;
          }
          if (pending.length() == 0) {
            return new String(buffer, from, to - from);
          }
          return pending.append(buffer, from, to - from).toString();
        }
        position++;
      }
      pending.append(buffer, from, limit - from);
      input.foldMalformed(lineStart, bufferBase + limit);
      if (pending.length() > maxRecordSize) {
        char[] head = new char[Math.min(pending.length(), RawText.LIMIT)];
        pending.getChars(0, head.length, head, 0);
        raw = RawText.of(head, 0, head.length, pending.length(), true);
        pending.setLength(0);
        skipping = true;
        return TOO_LARGE;
      }
    }
  }

  private RecordException badBoundary(Split s) {
    return new RecordException(
        ErrorType.FILE_FAILED,
        String.format(
            Locale.ROOT,
            "bad split boundary: split %d of %d (bytes %,d to %,d) does not end at a line break;"
                + " read the file whole with --split-size 0",
            s.index() + 1,
            s.count(),
            s.start(),
            s.end()),
        line + 1,
        recordNumber + 1,
        s.end(),
        -1,
        false,
        null);
  }

  /** Reads past the rest of a line over the size limit, to the end of its line break. */
  private void skipRest() throws IOException {
    while (true) {
      if (position == limit) {
        // The bad bytes of a skipped line are of no use.
        input.firstMalformed(bufferBase + limit, bufferBase + limit);
        bufferBase += limit;
        int n = reader.read(buffer, 0, buffer.length);
        if (n < 0) {
          position = 0;
          limit = 0;
          skipping = false;
          return;
        }
        position = 0;
        limit = n;
      }
      while (position < limit) {
        char c = buffer[position++];
        if (c == '\n' || c == '\r') {
          skipLineFeed = c == '\r';
          skipping = false;
          return;
        }
      }
    }
  }

  /**
   * The current line, as a one-element array (also after an {@code INVALID_ENCODING} failure); a
   * new one per record.
   *
   * @throws IllegalStateException if there is no current record
   */
  @Override
  public String[] values() {
    String[] v = values;
    if (v == null) {
      throw new IllegalStateException("no current record");
    }
    return v;
  }

  @Override
  public long line() {
    return line;
  }

  @Override
  public long recordNumber() {
    return recordNumber;
  }

  /** Always -1. */
  @Override
  public long byteOffset() {
    return -1;
  }

  @Override
  public int charLength() {
    String[] v = values;
    return v == null ? 0 : v[0].length() + 1;
  }

  /** The current or failing line, cut at {@link RawText#LIMIT} chars. */
  @Override
  public @Nullable String rawText() {
    String[] v = values;
    return v != null ? RawText.of(v[0]) : raw;
  }

  @Override
  public long bytesRead() {
    return input.bytesRead();
  }

  @Override
  public boolean grewWhileRead() {
    return input.grewWhileRead();
  }

  /** Counts the line breaks of the bytes before the split: a read of the file up to it. */
  @Override
  public long linesBefore() throws IOException {
    Split s = split;
    return s == null || s.start() == 0 ? 0 : TextInput.countLineBreaks(s.file().path(), s.start());
  }

  /**
   * The lines read so far, the header's included: in a split that is not the file's last, every
   * line ends in a line break, so this is the count of line breaks the engine asks for.
   */
  @Override
  public long linesRead() {
    return line;
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      input.close();
    }
  }
}
