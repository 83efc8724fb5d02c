package dev.sluice.io.lines;

import dev.sluice.api.ErrorType;
import dev.sluice.api.Columns;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.io.TextInput;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Reads one line per record. {@link #byteOffset()} is always -1. After a failure (undecodable
 * bytes, a read error) every further {@link #next()} throws the same exception.
 *
 * <p>Not thread-safe: one instance per split.
 */
final class LinesRecordReader implements RecordReader {
  private static final int BUFFER_SIZE = 8 * 1024;

  private final TextInput input;
  private final Reader reader;
  private final Columns configured;
  private final char[] buffer = new char[BUFFER_SIZE];
  private final StringBuilder pending = new StringBuilder();
  private int position;
  private int limit;
  private boolean skipLineFeed;

  private @Nullable Columns columns;
  private String @Nullable [] values;
  private long line;
  private long recordNumber;
  private boolean ended;
  private boolean closed;
  private @Nullable RecordException fatal;

  private LinesRecordReader(TextInput input, Columns configured) {
    this.input = input;
    this.reader = input.reader();
    this.configured = configured;
  }

  static LinesRecordReader open(Path path, Charset charset, boolean header, Columns configured)
      throws IOException {
    TextInput input = TextInput.open(path, charset);
    try {
      LinesRecordReader reader = new LinesRecordReader(input, configured);
      if (header) {
        reader.readHeader();
      }
      return reader;
    } catch (IOException | RuntimeException | Error e) {
      try {
        input.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private void readHeader() throws IOException {
    String name = readLine(1, -1);
    line = 1;
    if (name == null) {
      ended = true;
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
    if (ended) {
      return false;
    }
    long start = line + 1;
    String text = readLine(start, recordNumber + 1);
    if (text == null) {
      ended = true;
      return false;
    }
    line = start;
    recordNumber++;
    if (columns == null) {
      columns = configured;
    }
    values = new String[] {text};
    return true;
  }

  /** The next line without its line break, or null at the end of the text. */
  private @Nullable String readLine(long start, long number) throws IOException {
    try {
      pending.setLength(0);
      boolean consumed = false;
      while (true) {
        if (position == limit) {
          int n = reader.read(buffer, 0, buffer.length);
          if (n < 0) {
            return consumed ? pending.toString() : null;
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
        consumed = true;
        int from = position;
        while (position < limit) {
          char c = buffer[position];
          if (c == '\n' || c == '\r') {
            skipLineFeed = c == '\r';
            int to = position;
            position++;
            if (pending.length() == 0) {
              return new String(buffer, from, to - from);
            }
            return pending.append(buffer, from, to - from).toString();
          }
          position++;
        }
        pending.append(buffer, from, limit - from);
      }
    } catch (IOException e) {
      line = start;
      if (number > 0) {
        recordNumber = number;
      }
      RecordException failure = input.failure(start, number);
      fatal =
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
                  e);
      throw fatal;
    }
  }

  /**
   * The current line, as a one-element array; a new one per record.
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

  @Override
  public long bytesRead() {
    return input.bytesRead();
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      input.close();
    }
  }
}
