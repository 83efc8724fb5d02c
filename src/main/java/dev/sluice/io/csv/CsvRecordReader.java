package dev.sluice.io.csv;

import dev.sluice.api.ErrorType;
import dev.sluice.api.Columns;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.io.TextInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

/**
 * Reads the records of one CSV or TSV file with Commons CSV, checking field counts and turning
 * every failure into a {@link RecordException} positioned by its own counters.
 *
 * <p>{@link #line()} comes from Commons CSV's count of line breaks consumed (CR, LF and CRLF each
 * count once, inside quoted fields too), taken after each record: the next record starts on the
 * following line. {@link #byteOffset()} is always -1. After a {@code WRONG_FIELD_COUNT} failure,
 * {@link #values()} returns the offending record's fields as read; after a non-recoverable failure
 * every further {@link #next()} throws the same exception.
 *
 * <p>Not thread-safe: one instance per split.
 */
final class CsvRecordReader implements RecordReader {
  private final TextInput input;
  private final CSVParser parser;
  private final Iterator<CSVRecord> records;
  private final boolean header;
  private final @Nullable Columns configured;

  private @Nullable Columns columns;
  private String @Nullable [] values;
  private int charLength;
  private long line;
  private long nextLine = 1;
  private long recordNumber;
  private boolean ended;
  private boolean closed;
  private @Nullable RecordException fatal;

  private CsvRecordReader(
      TextInput input, CSVParser parser, boolean header, @Nullable Columns configured) {
    this.input = input;
    this.parser = parser;
    this.records = parser.iterator();
    this.header = header;
    this.configured = configured;
  }

  static CsvRecordReader open(
      Path path, CSVFormat format, Charset charset, boolean header, @Nullable Columns configured)
      throws IOException {
    TextInput input = TextInput.open(path, charset);
    try {
      CSVParser parser = CSVParser.builder().setReader(input.reader()).setFormat(format).get();
      CsvRecordReader reader = new CsvRecordReader(input, parser, header, configured);
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
    line = 1;
    CSVRecord record = read(1, -1);
    if (record == null) {
      ended = true;
    } else {
      columns = Columns.of(record.values());
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
    long start = nextLine;
    CSVRecord record = read(start, recordNumber + 1);
    if (record == null) {
      ended = true;
      return false;
    }
    line = start;
    recordNumber++;
    String[] v = record.values();
    values = v;
    int length = v.length;
    for (String s : v) {
      length += s.length();
    }
    charLength = length;
    Columns c = columns;
    if (c == null) {
      c = configured != null ? configured : Columns.positional(v.length);
      columns = c;
    }
    if (v.length != c.size()) {
      throw new RecordException(
          ErrorType.WRONG_FIELD_COUNT,
          "record has " + v.length + " fields, " + expected(c.size()),
          line,
          recordNumber,
          -1,
          -1,
          true,
          null);
    }
    return true;
  }

  private String expected(int n) {
    if (header) {
      return "header has " + n;
    }
    if (configured != null) {
      return n + (n == 1 ? " column is" : " columns are") + " configured";
    }
    return "first record has " + n;
  }

  /**
   * The next record, or null at the end of the file; on failure remembers and throws a
   * non-recoverable exception positioned at {@code start}.
   */
  private @Nullable CSVRecord read(long start, long number) throws IOException {
    CSVRecord record;
    try {
      record = records.hasNext() ? records.next() : null;
    } catch (UncheckedIOException e) {
      throw fail(start, number, e.getCause());
    }
    // Commons CSV counts the line breaks it consumed, the record's last one included.
    nextLine = parser.getCurrentLineNumber() + 1;
    return record;
  }

  private RecordException fail(long start, long number, IOException cause) {
    line = start;
    if (number > 0) {
      recordNumber = number;
    }
    RecordException e = input.failure(start, number);
    if (e == null) {
      // Commons CSV fails only on an unterminated quote, which it notices at the end of the
      // text, or on characters after a closing quote, which it notices before the end.
      String reason =
          input.endReached()
              ? "quoted field is not closed before the end of the file"
              : "characters between a closing quote and the next delimiter or line break";
      e =
          new RecordException(
              ErrorType.MALFORMED_CSV, reason, start, number, -1, -1, false, cause);
    }
    fatal = e;
    return e;
  }

  /**
   * The fields of the current record, or of the record that failed with {@code
   * WRONG_FIELD_COUNT}. The same array on each call for one record; a new one per record.
   *
   * @throws IllegalStateException if there is no such record
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

  /** Always -1: Commons CSV's byte tracking encodes every char again, which costs too much. */
  @Override
  public long byteOffset() {
    return -1;
  }

  @Override
  public int charLength() {
    return charLength;
  }

  @Override
  public long bytesRead() {
    return input.bytesRead();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      parser.close();
    } finally {
      input.close();
    }
  }
}
