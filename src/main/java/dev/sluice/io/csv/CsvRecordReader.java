package dev.sluice.io.csv;

import dev.sluice.api.Columns;
import dev.sluice.api.ErrorType;
import dev.sluice.api.Format;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.io.TextInput;
import dev.sluice.io.csv.RecordScanner.ScannedRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

/**
 * Reads the records of one CSV or TSV file with Commons CSV, parsing from a {@link RecordScanner}
 * that locates each record, bounds its size and keeps its text. Every failure becomes a {@link
 * RecordException} positioned by the scanner's counters, never by Commons CSV's messages. The
 * rules (what each bad input gets, and where reading resumes) are in the package documentation.
 *
 * <p>When Commons CSV loses its place (characters after a closing quote, a record over the size
 * limit), the parser is dropped: the scanner reads past the rest of the record, or goes back to
 * the end of the record within the text it keeps (the dropped parser may have buffered some of
 * the records after it), and a new parser starts on the scanner at the next record.
 *
 * <p>{@link #byteOffset()} is always -1; the exceptions carry the byte offset of bad bytes. After
 * an {@code INVALID_ENCODING} or {@code WRONG_FIELD_COUNT} failure {@link #values()} returns the
 * record's fields as read, after {@code RECORD_TOO_LARGE} and {@code MALFORMED_CSV} none. After a
 * non-recoverable failure every further {@link #next()} throws the same exception.
 *
 * <p>Not thread-safe: one instance per split.
 */
final class CsvRecordReader implements RecordReader {
  private static final String[] NO_VALUES = new String[0];
  private static final int NAME_LIMIT = 64;

  private final TextInput input;
  private final RecordScanner scanner;
  private final CSVFormat csvFormat;
  private final boolean header;
  private final @Nullable Columns configured;
  private final boolean allowShortRecords;
  private final int maxRecordSize;
  /**
   * For a split that is not the file's last: its byte range, which must end right after a
   * record's line break; null otherwise.
   */
  private final @Nullable Split checkedEnd;
  /** The file offset of the split's first byte: 0 for a whole file. */
  private long start;
  private @Nullable Path path;

  private CSVParser parser;
  private Iterator<CSVRecord> records;
  /** Whether the parser lost its place: the record is to be skipped and a new parser made. */
  private boolean resync;

  private @Nullable Columns columns;
  private String @Nullable [] values;
  private @Nullable ScannedRecord record;
  private int charLength;
  private long line;
  private long recordNumber;
  private boolean ended;
  private boolean closed;
  private @Nullable RecordException fatal;

  private CsvRecordReader(
      TextInput input,
      CSVFormat csvFormat,
      Format format,
      @Nullable Columns configured,
      @Nullable Split checkedEnd)
      throws IOException {
    this.input = input;
    this.checkedEnd = checkedEnd;
    this.csvFormat = csvFormat;
    this.header = format.header();
    this.configured = configured;
    this.allowShortRecords = format.allowShortRecords();
    this.maxRecordSize = format.maxRecordSize();
    this.scanner =
        new RecordScanner(
            input.reader(), input::foldMalformed, format.delimiter(), format.quote(), maxRecordSize);
    this.parser = newParser();
    this.records = parser.iterator();
  }

  static CsvRecordReader open(
      Path path, CSVFormat csvFormat, Format format, @Nullable Columns configured)
      throws IOException {
    return open(TextInput.open(path, format.charset(), format.malformedInput()), csvFormat, format, configured);
  }

  /** Reads the records of {@code input}, which it closes when it fails or is closed. */
  static CsvRecordReader open(
      TextInput input, CSVFormat csvFormat, Format format, @Nullable Columns configured)
      throws IOException {
    try {
      CsvRecordReader reader = new CsvRecordReader(input, csvFormat, format, configured, null);
      if (format.header()) {
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

  /**
   * Opens one split of a file cut into several: the split's bytes only. The first split reads the
   * header like a whole file; a later one starts at a record and takes {@code fileColumns}, which
   * the caller read from the file's start (null if the file has no good record to size them).
   * Every split but the last must end right after a record's line break: one that does not fails
   * the file ({@code FILE_FAILED}, not recoverable) rather than yield wrong records.
   */
  static CsvRecordReader openSplit(
      Split split,
      CSVFormat csvFormat,
      Format format,
      @Nullable Columns configured,
      @Nullable Columns fileColumns)
      throws IOException {
    TextInput input =
        TextInput.openRange(
            split.file().path(),
            format.charset(),
            format.malformedInput(),
            split.start(),
            split.isLast() ? -1 : split.end());
    try {
      CsvRecordReader reader =
          new CsvRecordReader(
              input, csvFormat, format, configured, split.isLast() ? null : split);
      reader.start = split.start();
      reader.path = split.file().path();
      if (split.index() > 0) {
        reader.columns = fileColumns;
      } else if (format.header()) {
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

  private CSVParser newParser() throws IOException {
    return CSVParser.builder().setReader(scanner).setFormat(csvFormat).get();
  }

  /** Reads the header row; any failure is fatal, as the records cannot be named without it. */
  private void readHeader() throws IOException {
    line = 1;
    String[] names = parse(-1, true);
    if (names == null) {
      ended = true;
      return;
    }
    ScannedRecord r = current();
    checkEncoding(r, -1, names, false);
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      String name = names[i];
      if (name.isEmpty()) {
        throw fatal(ErrorType.FILE_FAILED, "empty column name (column " + (i + 1) + ")", -1, i + 1);
      }
      Integer first = seen.putIfAbsent(name, i);
      if (first != null) {
        throw fatal(
            ErrorType.FILE_FAILED,
            "duplicate column name '"
                + shorten(name)
                + "' (columns "
                + (first + 1)
                + " and "
                + (i + 1)
                + ")",
            -1,
            i + 1);
      }
    }
    columns = Columns.of(names);
  }

  private static String shorten(String name) {
    return name.length() <= NAME_LIMIT ? name : name.substring(0, NAME_LIMIT) + "…";
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
    long number = recordNumber + 1;
    String[] v = parse(number, false);
    if (v == null) {
      ended = true;
      return false;
    }
    ScannedRecord r = current();
    recordNumber = number;
    checkEncoding(r, number, v, true);
    Columns c = columns;
    if (c == null) {
      c = configured != null ? configured : Columns.positional(v.length);
      columns = c;
    }
    if (v.length != c.size()) {
      if (v.length < c.size() && allowShortRecords) {
        int have = v.length;
        v = Arrays.copyOf(v, c.size());
        Arrays.fill(v, have, v.length, "");
      } else {
        values = v;
        throw new RecordException(
            ErrorType.WRONG_FIELD_COUNT,
            "record has " + v.length + " fields, " + expected(c.size()),
            line,
            number,
            -1,
            v.length > c.size() ? c.size() + 1 : -1,
            true,
            null);
      }
    }
    values = v;
    int length = v.length;
    for (String s : v) {
      length += s.length();
    }
    charLength = length;
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

  /** Rejects the record if the text logged bad bytes inside it. */
  private void checkEncoding(ScannedRecord r, long number, String[] v, boolean recoverable)
      throws RecordException {
    TextInput.Malformed m = input.firstMalformed(r.start, r.contentEnd);
    if (m == null) {
      return;
    }
    values = v;
    RecordException e =
        new RecordException(
            ErrorType.INVALID_ENCODING,
            m.reason(),
            line,
            number,
            m.byteOffset(),
            scanner.fieldAt(r, m.charOffset()),
            recoverable,
            null);
    if (!recoverable) {
      fatal = e;
    }
    throw e;
  }

  private ScannedRecord current() {
    ScannedRecord r = record;
    if (r == null) {
      throw new IllegalStateException("no record");
    }
    return r;
  }

  /**
   * Parses the next record and returns its fields, or null at the end of the text. Throws for a
   * record Commons CSV cannot parse, one over the size limit, or a failure of the text; for the
   * header ({@code isHeader}) every failure is fatal.
   */
  private String @Nullable [] parse(long number, boolean isHeader) throws IOException {
    if (resync) {
      resync = false;
      ScannedRecord bad = current();
      scanner.skipRecord();
      if (checkedEnd != null && bad.atEnd) {
        throw badBoundary(bad, recordNumber);
      }
      if (bad.unterminated) {
        // The skipped record's quoted field runs to the end of the text.
        throw unterminated(bad, recordNumber, null);
      }
      if (!bad.complete()) {
        throw textFailure(bad.line, recordNumber);
      }
      scanner.resumeAfter(bad);
      parser = newParser();
      records = parser.iterator();
    }
    CSVRecord parsed = null;
    IOException error = null;
    try {
      parsed = records.hasNext() ? records.next() : null;
    } catch (UncheckedIOException e) {
      error = e.getCause();
    }
    ScannedRecord r = scanner.take();
    if (checkedEnd != null && r.atEnd) {
      record = r;
      line = r.line;
      if (number > 0) {
        recordNumber = number;
      }
      throw badBoundary(r, number);
    }
    int stop = scanner.stop();
    if (error == null && parsed == null && stop == RecordScanner.END && !r.complete()) {
      // The end: line() and recordNumber() stay those of the last record.
      return null;
    }
    record = r;
    line = r.line;
    if (error == null && parsed != null && r.complete()) {
      return parsed.values();
    }
    if (number > 0) {
      recordNumber = number;
    }
    if (error == null && parsed == null) {
      if (stop == RecordScanner.FAILURE) {
        throw textFailure(r.line, number);
      }
      throw confused(r, number, null);
    }
    if (!r.complete()) {
      if (stop == RecordScanner.FAILURE) {
        throw textFailure(r.line, number);
      }
      if (r.junkOffset >= 0) {
        // Commons CSV stopped at the junk, which comes before any size limit: the record's end
        // tells whether it can be trusted.
        scanner.skipRecord();
        if (checkedEnd != null && r.atEnd) {
          throw badBoundary(r, number);
        }
        if (!r.complete()) {
          throw textFailure(r.line, number);
        }
      } else if (stop == RecordScanner.CAP) {
        resync = true;
        RecordException e =
            new RecordException(
                ErrorType.RECORD_TOO_LARGE,
                String.format(
                    Locale.ROOT, "record is longer than the limit of %,d characters", maxRecordSize),
                r.line,
                number,
                -1,
                scanner.fieldAt(r, r.capOffset),
                !isHeader,
                null);
        values = NO_VALUES;
        if (isHeader) {
          fatal = e;
        }
        throw e;
      }
    }
    if (r.unterminated) {
      throw unterminated(r, number, error);
    }
    if (r.junkOffset >= 0) {
      values = NO_VALUES;
      boolean recoverable = r.junkEven && !isHeader;
      int column = scanner.fieldAt(r, r.junkOffset);
      RecordException e =
          new RecordException(
              ErrorType.MALFORMED_CSV,
              recoverable
                  ? "characters between a closing quote and the next delimiter or line break"
                  : "characters between a closing quote and the next delimiter or line break,"
                      + " and an odd number of quotes in the field up to the end of the line:"
                      + " the line break may be inside the field, so nothing after it can be"
                      + " trusted",
              r.line,
              number,
              -1,
              column,
              recoverable,
              error);
      if (recoverable) {
        resync = true;
      } else {
        fatal = e;
      }
      throw e;
    }
    throw confused(r, number, error);
  }

  private RecordException unterminated(
      ScannedRecord r, long number, @Nullable IOException cause) {
    values = NO_VALUES;
    RecordException e =
        new RecordException(
            ErrorType.MALFORMED_CSV,
            "quoted field is not closed before the end of the file",
            r.line,
            number,
            -1,
            scanner.fieldAt(r, r.contentEnd),
            false,
            cause);
    fatal = e;
    return e;
  }

  /**
   * The split ran out inside a record: it was cut at a place the planner took for a record start
   * but is not. Nothing after the cut can be trusted, so the file fails.
   */
  private RecordException badBoundary(ScannedRecord r, long number) {
    Split s = checkedEnd;
    long end = s == null ? -1 : s.end();
    values = NO_VALUES;
    RecordException e =
        new RecordException(
            ErrorType.FILE_FAILED,
            String.format(
                Locale.ROOT,
                "bad split boundary: split %d of %d (bytes %,d to %,d) ends inside %s, so the file"
                    + " was cut where no record starts; nothing is written for it. Read the file"
                    + " whole with --split-size 0 (and report the file, if it is valid CSV)",
                s == null ? 0 : s.index() + 1,
                s == null ? 0 : s.count(),
                s == null ? 0 : s.start(),
                end,
                r.unterminated ? "a quoted field" : "a record"),
            r.line,
            number,
            end,
            -1,
            false,
            null);
    fatal = e;
    return e;
  }

  private RecordException textFailure(long at, long number) {
    values = NO_VALUES;
    RecordException e = input.failure(at, number);
    if (e == null) {
      IOException cause = scanner.failure();
      e =
          new RecordException(
              ErrorType.FILE_FAILED,
              "cannot read the file: " + (cause == null ? "unknown error" : cause.getMessage()),
              at,
              number,
              -1,
              -1,
              false,
              cause);
    }
    fatal = e;
    return e;
  }

  /** Commons CSV and the scanner disagree: a bug on one side; the file cannot be trusted. */
  private RecordException confused(ScannedRecord r, long number, @Nullable IOException cause) {
    values = NO_VALUES;
    RecordException e =
        new RecordException(
            ErrorType.MALFORMED_CSV, "cannot parse the record", r.line, number, -1, -1, false, cause);
    fatal = e;
    return e;
  }

  private RecordException fatal(ErrorType type, String reason, long number, int column) {
    RecordException e = new RecordException(type, reason, line, number, -1, column, false, null);
    fatal = e;
    return e;
  }

  /**
   * The fields of the current record, or of the record that failed with {@code
   * INVALID_ENCODING} or {@code WRONG_FIELD_COUNT} (empty after other failures). The same array
   * on each call for one record; a new one per record.
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

  /** Always -1: a record's byte offset would cost an encoding pass over every char. */
  @Override
  public long byteOffset() {
    return -1;
  }

  @Override
  public int charLength() {
    return charLength;
  }

  /**
   * The original text of the current or failing record (U+FFFD in place of bad bytes), cut at
   * {@link dev.sluice.io.RawText#LIMIT} chars; made only when asked for. Null once the reader
   * is closed: the text was in buffers that then went back to the thread, for the next file.
   */
  @Override
  public @Nullable String rawText() {
    ScannedRecord r = record;
    return r == null || closed ? null : scanner.rawText(r);
  }

  @Override
  public long bytesRead() {
    return input.bytesRead();
  }

  /** Counts the line breaks of the bytes before the split: a read of the file up to it. */
  @Override
  public long linesBefore() throws IOException {
    Path p = path;
    return start == 0 || p == null ? 0 : TextInput.countLineBreaks(p, start);
  }

  /** The line breaks read so far, inside quoted fields too: the header's included. */
  @Override
  public long linesRead() {
    return scanner.lineBreaks();
  }

  /** The most chars of one record Commons CSV was given: for tests of the size limit. */
  long peakRecordChars() {
    return scanner.peak();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    input.close();
  }
}
