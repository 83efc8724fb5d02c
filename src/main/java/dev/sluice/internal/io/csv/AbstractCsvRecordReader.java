package dev.sluice.internal.io.csv;

import dev.sluice.api.Columns;
import dev.sluice.api.ErrorType;
import dev.sluice.api.Format;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.internal.io.TextInput;
import dev.sluice.internal.io.csv.RecordScanner.ScannedRecord;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the CSV readers share: a {@link RecordScanner} over a {@link TextInput} locates each record,
 * bounds its size, keeps its text and decides every failure, and a parser only splits the records
 * into fields. A subclass says which parser ({@link CsvRecordReader}: Commons CSV; {@link
 * FastCsvRecordReader}: FastCSV) in {@link #parse}; this class keeps the positions, turns what the
 * scanner found into {@link RecordException}s, and checks each record's field count, so that the
 * readers cannot drift apart in what they report. The rules are in the package documentation.
 *
 * <p>Not thread-safe: one instance per split.
 */
abstract class AbstractCsvRecordReader implements RecordReader {
  static final String[] NO_VALUES = new String[0];
  private static final int NAME_LIMIT = 64;

  final TextInput input;
  final RecordScanner scanner;
  final boolean header;
  final @Nullable Columns configured;
  final boolean allowShortRecords;
  final int maxRecordSize;
  final char quote;
  final Format.BlankLines blankLines;

  /** The split read, if the file is cut into several; null for a whole file. */
  final @Nullable Split split;

  /** For a split that is not the file's last: its byte range, which must end after a record. */
  final @Nullable Split checkedEnd;

  /** Whether the parser lost its place: the record is to be skipped and a new parser made. */
  boolean resync;

  @Nullable Columns columns;
  String @Nullable [] values;
  @Nullable ScannedRecord record;
  int charLength;
  long line;
  long recordNumber;
  boolean ended;
  boolean closed;
  @Nullable RecordException fatal;

  /** Blank lines skipped so far ({@link Format.BlankLines#SKIP}). */
  long blankSkipped;

  AbstractCsvRecordReader(
      TextInput input, Format format, @Nullable Columns configured, @Nullable Split split) {
    this.input = input;
    this.split = split;
    this.checkedEnd = split == null || split.isLast() ? null : split;
    this.header = format.header();
    this.configured = configured;
    this.allowShortRecords = format.allowShortRecords();
    this.maxRecordSize = format.maxRecordSize();
    this.quote = format.quote();
    this.blankLines = format.blankLines();
    this.scanner =
        new RecordScanner(
            input.reader(),
            input::foldMalformed,
            format.delimiter(),
            format.quote(),
            maxRecordSize);
  }

  /**
   * Opens the bytes of one split of a file cut into several; the last one's run to the file's
   * listed size.
   */
  static TextInput openRange(Split split, Format format) throws IOException {
    return TextInput.openSplit(split, format.charset(), format.malformedInput());
  }

  /**
   * Readies a new {@code reader} to return the first record: the first split of a file (or a whole
   * file) reads its header if there is one; a later split takes {@code fileColumns}, which the
   * caller read from the file's start (null if the file has no good record to size them).
   */
  static <R extends AbstractCsvRecordReader> R started(R reader, @Nullable Columns fileColumns)
      throws IOException {
    Split s = reader.split;
    if (s != null && s.index() > 0) {
      reader.columns = fileColumns;
    } else if (reader.header) {
      reader.readHeader();
    }
    return reader;
  }

  /**
   * Parses the next record and returns its fields, or null at the end of the text; a subclass may
   * return a marker of its own. Throws for a bad record, one over the size limit, or a failure of
   * the text; for the header ({@code isHeader}) every failure is fatal.
   *
   * @param number the record's number, -1 for the header
   */
  abstract String @Nullable [] parse(long number, boolean isHeader) throws IOException;

  /** Starts a new parser on the scanner, which is at the start of a record. */
  abstract void restartParser() throws IOException;

  /** Reads the header row; any failure is fatal, as the records cannot be named without it. */
  void readHeader() throws IOException {
    line = 1;
    takeHeader(parseRecord(-1, true));
  }

  /**
   * {@link #parse}, with blank lines handled as {@link Format#blankLines()} says: skipped and
   * counted, rejected, or returned as the one empty field RFC 4180 reads.
   */
  final String @Nullable [] parseRecord(long number, boolean isHeader) throws IOException {
    while (true) {
      String[] v = parse(number, isHeader);
      if (v == null || !blank(v) || blankLines == Format.BlankLines.KEEP) {
        return v;
      }
      if (blankLines == Format.BlankLines.FAIL) {
        throw blankLine(number, isHeader);
      }
      blankSkipped++;
    }
  }

  /**
   * Whether {@code v}, the fields just parsed, come from a blank line: one empty field and no
   * character at all (a line of {@code ""} has two, a line of spaces one or more).
   */
  final boolean blank(String[] v) {
    ScannedRecord r = record;
    return v.length == 1 && v[0].isEmpty() && r != null && r.complete() && r.contentEnd == r.start;
  }

  private RecordException blankLine(long number, boolean isHeader) {
    values = NO_VALUES;
    numbered(number);
    if (isHeader) {
      return fatal(
          ErrorType.FILE_FAILED,
          "blank line where the header row is expected (blank lines are not allowed: --blank-lines"
              + " fail)",
          -1,
          -1);
    }
    Columns c = columns != null ? columns : configured;
    return new RecordException(
        ErrorType.WRONG_FIELD_COUNT,
        "blank line, with no fields"
            + (c == null ? "" : ", " + expected(c.size()))
            + " (blank lines are not allowed: --blank-lines fail)",
        line,
        number,
        -1,
        -1,
        true,
        null);
  }

  /** Names the columns after the header row {@code names} (null: the text is empty). */
  final void takeHeader(String @Nullable [] names) throws IOException {
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
    long number = nextNumber();
    return number > 0 && takeRecord(parseRecord(number, false), number);
  }

  /**
   * Starts the next record of an open reader: throws a failure that ended the reading, else returns
   * the next record's number, or -1 at the end.
   */
  final long nextNumber() throws RecordException {
    if (fatal != null) {
      throw fatal;
    }
    values = null;
    return ended ? -1 : recordNumber + 1;
  }

  /**
   * Makes record {@code number} of its parsed fields {@code v} (null: the text ended): checks its
   * encoding and field count, pads a short one if allowed. Returns whether there is a record.
   */
  final boolean takeRecord(String @Nullable [] v, long number) throws RecordException {
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

  final ScannedRecord current() {
    ScannedRecord r = record;
    if (r == null) {
      throw new IllegalStateException("no record");
    }
    return r;
  }

  /**
   * If the parser lost its place at the last record, reads past the rest of it and starts a new
   * parser after it; throws if the record's end cannot be trusted.
   */
  final void resyncIfLost() throws IOException {
    if (!resync) {
      return;
    }
    resync = false;
    ScannedRecord bad = current();
    scanner.skipRecord();
    endCheck(bad, recordNumber);
    if (bad.unterminated) {
      // The skipped record's quoted field runs to the end of the text.
      throw unterminated(bad, recordNumber, null);
    }
    if (!bad.complete()) {
      throw textFailure(bad.line, recordNumber);
    }
    scanner.resumeAfter(bad);
    restartParser();
  }

  /**
   * Takes the record the parser read (or failed in) from the scanner; throws if it runs into the
   * end of a split that must end after a record.
   */
  final ScannedRecord takeScanned(long number) throws IOException {
    ScannedRecord r = scanner.take();
    if (r.atEnd) {
      record = r;
      line = r.line;
      numbered(number);
      endCheck(r, number);
    }
    return r;
  }

  /**
   * Throws if {@code r}, a record the end of the text ended, cannot be trusted: it runs into the
   * end of a split that must end after a record, or it is cut by the listed size of a file that
   * grew while it was read (what was appended continues it).
   */
  final void endCheck(ScannedRecord r, long number) throws IOException {
    if (!r.atEnd) {
      return;
    }
    if (checkedEnd != null) {
      throw atSplitEnd(r, number);
    }
    if (input.grewWhileRead() && !input.gzip()) {
      values = NO_VALUES;
      RecordException e = input.cutAtListedSize(r.line, number);
      fatal = e;
      throw e;
    }
  }

  /** Makes a failing record, not the header, the last one counted. */
  final void numbered(long number) {
    if (number > 0) {
      recordNumber = number;
    }
  }

  /**
   * Throws what the scanner found wrong with {@code r}, which the parser refused or did not read to
   * its end: a failure of the text, junk after a closing quote, a record over the size limit, a
   * quoted field that is not closed. Returns if the scanner saw none of these (an incomplete record
   * is then read past only if it holds junk).
   *
   * @param stop what stopped the scanner ({@link RecordScanner#stop()}) when it handed out {@code
   *     r}
   */
  final void rejectBad(
      ScannedRecord r, long number, boolean isHeader, int stop, @Nullable IOException cause)
      throws IOException {
    if (!r.complete()) {
      if (stop == RecordScanner.FAILURE) {
        throw textFailure(r.line, number);
      }
      if (r.junkOffset >= 0) {
        // The parser stopped at the junk, which comes before any size limit: the record's end
        // tells whether it can be trusted.
        scanner.skipRecord();
        endCheck(r, number);
        if (!r.complete()) {
          throw textFailure(r.line, number);
        }
      } else if (stop == RecordScanner.CAP) {
        resync = true;
        RecordException e =
            new RecordException(
                ErrorType.RECORD_TOO_LARGE,
                String.format(
                    Locale.ROOT,
                    "record is longer than the limit of %,d characters",
                    maxRecordSize),
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
      throw unterminated(r, number, cause);
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
              cause);
      if (recoverable) {
        resync = true;
      } else {
        fatal = e;
      }
      throw e;
    }
  }

  private RecordException unterminated(ScannedRecord r, long number, @Nullable IOException cause) {
    values = NO_VALUES;
    RecordException e =
        new RecordException(
            ErrorType.MALFORMED_CSV,
            "quoted field is not closed before the end of the file",
            r.line,
            number,
            -1,
            scanner.fieldAt(r, r.quoteOffset >= 0 ? r.quoteOffset : r.contentEnd),
            false,
            cause);
    fatal = e;
    return e;
  }

  /**
   * The failure of a record that runs into the end of a split that must end after a record. Inside
   * a quoted field that no quote of the rest of the file closes, the file itself has an
   * unterminated quote: that is the error a whole-file read reports, at the same line and column,
   * whatever the boundaries (the planner keeps a boundary after such a quote, as the rest of the
   * file reads like records); if the record, run to the end of the file, is over the size limit, a
   * {@code RECORD_TOO_LARGE} comes first, as it would. Otherwise the boundary is wrong.
   */
  final RecordException atSplitEnd(ScannedRecord r, long number) throws IOException {
    Split s = checkedEnd;
    if (s == null || !r.unterminated) {
      return badBoundary(r, number);
    }
    boolean utf8 = input.charset().name().equalsIgnoreCase("UTF-8");
    long rest = CsvSplitter.charsIfUnclosed(s.file().path(), s.end(), s.file().size(), quote, utf8);
    if (rest < 0) {
      return badBoundary(r, number);
    }
    RecordException unterminated = unterminated(r, number, null);
    if (r.capOffset >= 0 || r.contentEnd - r.start + rest <= maxRecordSize) {
      return unterminated;
    }
    // The limit is passed beyond the split's end, inside the unclosed field; the next call
    // throws the unterminated quote, as a whole-file read's skip of the record would.
    return new RecordException(
        ErrorType.RECORD_TOO_LARGE,
        String.format(
            Locale.ROOT, "record is longer than the limit of %,d characters", maxRecordSize),
        r.line,
        number,
        -1,
        unterminated.column(),
        true,
        null);
  }

  /**
   * The split ran out inside a record: it was cut at a place the planner took for a record start
   * but is not. Nothing after the cut can be trusted, so the file fails.
   */
  final RecordException badBoundary(ScannedRecord r, long number) {
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

  final RecordException textFailure(long at, long number) {
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

  final RecordException fatal(ErrorType type, String reason, long number, int column) {
    RecordException e = new RecordException(type, reason, line, number, -1, column, false, null);
    fatal = e;
    return e;
  }

  /**
   * The fields of the current record, or of the record that failed with {@code INVALID_ENCODING} or
   * {@code WRONG_FIELD_COUNT} (empty after other failures). The same array on each call for one
   * record; a new one per record.
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
   * {@link dev.sluice.internal.io.RawText#LIMIT} chars; made only when asked for. Null once the
   * reader is closed: the text was in buffers that then went back to the thread, for the next file.
   */
  @Override
  public @Nullable String rawText() {
    return closed ? null : scannedText();
  }

  /** The text of the current or failing record as the scanner keeps it, or null if none. */
  final @Nullable String scannedText() {
    ScannedRecord r = record;
    return r == null ? null : scanner.rawText(r);
  }

  @Override
  public long bytesRead() {
    return input.bytesRead();
  }

  @Override
  public boolean grewWhileRead() {
    return input.grewWhileRead();
  }

  @Override
  public long blankLinesSkipped() {
    return blankSkipped;
  }

  /** Counts the line breaks of the bytes before the split: a read of the file up to it. */
  @Override
  public long linesBefore() throws IOException {
    Split s = split;
    return s == null || s.start() == 0 ? 0 : TextInput.countLineBreaks(s.file().path(), s.start());
  }

  /** The line breaks read so far, inside quoted fields too: the header's included. */
  @Override
  public long linesRead() {
    return scanner.lineBreaks();
  }

  /** The most chars of one record the parser was given: for tests of the size limit. */
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
