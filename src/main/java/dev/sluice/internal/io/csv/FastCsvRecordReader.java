package dev.sluice.internal.io.csv;

import de.siegmar.fastcsv.reader.CommentStrategy;
import de.siegmar.fastcsv.reader.CsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.RecordType;
import dev.sluice.api.Columns;
import dev.sluice.api.Format;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.internal.io.TextInput;
import dev.sluice.internal.io.csv.RecordScanner.ScannedRecord;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

/**
 * Reads the records of one CSV or TSV file with FastCSV ({@link Format.Parser#FASTCSV}), with the
 * same results as {@link CsvRecordReader}: the same {@link RecordScanner} locates each record,
 * bounds its size and keeps its text, and decides every failure; FastCSV only splits the records
 * into fields. The rules are in the package documentation.
 *
 * <p>FastCSV's strict parser differs from Commons CSV in two places, both rare in real files. It
 * rejects whitespace between a closing quote and the delimiter, which Commons CSV drops; and after
 * a bare CR inside a quoted field it takes an LF that ends the record for the second half of a
 * CRLF, joining two records and dropping the field ({@link
 * RecordScanner.ScannedRecord#lfAfterQuotedCr}). Such a record is read by Commons CSV from the text
 * the scanner keeps, and a new FastCSV parser starts after it. Where that is not enough (the
 * record's text is no longer kept, or Commons CSV would have to decide whether it is bad), this
 * reader hands its input over to {@link CsvRecordReader}: it opens the file again (for one split of
 * a file cut into several, the same byte range with {@link CsvRecordReader#openSplit}, so no other
 * split's records are ever read), reads past the records already returned, and lets Commons CSV
 * read the rest, which costs a second read of the input's start.
 *
 * <p>A split other than the file's last gets the check of {@link CsvRecordReader#openSplit}: a
 * record that runs into the split's end fails the file ({@code FILE_FAILED}, "bad split boundary"),
 * at the same record and with the same message.
 *
 * <p>Not thread-safe: one instance per split.
 */
final class FastCsvRecordReader extends AbstractCsvRecordReader {
  /** What {@link #parse} returns when the rest of the file is for Commons CSV. */
  private static final String[] HAND_OVER = new String[0];

  /** Room beyond the record size limit for what FastCSV buffers: two of its reads. */
  private static final int BUFFER_SLACK = 4 * RecordScanner.MAX_READ;

  private final InputFile file;
  private final CSVFormat csvFormat;
  private final Format format;
  private final CsvReader.CsvReaderBuilder builder;

  /** The columns a later split takes from the file's start, for the hand-over; else null. */
  private final @Nullable Columns fileColumns;

  private Iterator<String[]> records;

  /** Set once the file is handed over to Commons CSV; every call goes there from then on. */
  private @Nullable CsvRecordReader commons;

  private long bytesBeforeHandOver;
  private long recordsByCommons;

  private FastCsvRecordReader(
      InputFile file,
      TextInput input,
      CSVFormat csvFormat,
      Format format,
      @Nullable Columns configured,
      @Nullable Split split,
      @Nullable Columns fileColumns) {
    super(input, format, configured, split);
    this.file = file;
    this.fileColumns = fileColumns;
    this.csvFormat = csvFormat;
    this.format = format;
    // Strict RFC 4180 as in CsvInputFormat.strict; field counts, empty lines and the byte order
    // mark are ours to handle, so FastCSV checks and skips nothing.
    this.builder =
        CsvReader.builder()
            .fieldSeparator(format.delimiter())
            .quoteCharacter(format.quote())
            .commentStrategy(CommentStrategy.NONE)
            .skipEmptyLines(false)
            .allowExtraFields(true)
            .allowMissingFields(true)
            .allowExtraCharsAfterClosingQuote(false)
            .trimWhitespacesAroundQuotes(false)
            .detectBomHeader(false)
            .maxBufferSize(
                (int) Math.min(Integer.MAX_VALUE - 64L, (long) maxRecordSize + BUFFER_SLACK));
    this.records = newParser();
  }

  /** Reads the records of a listed file, up to its listed size. */
  static RecordReader open(
      InputFile file, CSVFormat csvFormat, Format format, @Nullable Columns configured)
      throws IOException {
    return TextInput.open(file, format.charset(), format.malformedInput())
        .ownedBy(
            in ->
                started(
                    new FastCsvRecordReader(file, in, csvFormat, format, configured, null, null),
                    null));
  }

  /**
   * Opens one split of a file cut into several, as {@link CsvRecordReader#openSplit} does: the
   * split's bytes only; the first split reads the header, a later one takes {@code fileColumns}.
   */
  static RecordReader openSplit(
      Split split,
      CSVFormat csvFormat,
      Format format,
      @Nullable Columns configured,
      @Nullable Columns fileColumns)
      throws IOException {
    @Nullable Columns later = split.index() > 0 ? fileColumns : null;
    return openRange(split, format)
        .ownedBy(
            in ->
                started(
                    new FastCsvRecordReader(
                        split.file(), in, csvFormat, format, configured, split, later),
                    later));
  }

  private Iterator<String[]> newParser() {
    return builder.build(new Fields(), scanner).iterator();
  }

  @Override
  void restartParser() {
    records = newParser();
  }

  @Override
  void readHeader() throws IOException {
    line = 1;
    String[] names = parseRecord(-1, true);
    if (names == HAND_OVER) {
      handOver(0);
      return;
    }
    takeHeader(names);
  }

  /**
   * Opens the file (or the split's byte range) again with Commons CSV and reads past its first
   * {@code done} records (header excluded), whose outcome this reader has already given, so that
   * the next call of {@link #next()} on it reads record {@code done + 1}.
   */
  private void handOver(long done) throws IOException {
    bytesBeforeHandOver = input.bytesRead();
    input.close();
    try {
      commons =
          CsvRecordReader.reopenAfter(
              file, split, csvFormat, format, configured, fileColumns, done, line);
    } catch (RecordException e) {
      fatal = e;
      throw e;
    }
  }

  @Override
  public @Nullable Columns columns() {
    CsvRecordReader c = commons;
    return c != null ? c.columns() : columns;
  }

  @Override
  public boolean next() throws IOException {
    if (closed) {
      throw new IllegalStateException("reader is closed");
    }
    CsvRecordReader c = commons;
    if (c != null) {
      return c.next();
    }
    long number = nextNumber();
    if (number < 0) {
      return false;
    }
    String[] v = parseRecord(number, false);
    if (v == HAND_OVER) {
      handOver(number - 1);
      return next();
    }
    return takeRecord(v, number);
  }

  /**
   * Parses the next record and returns its fields, null at the end of the text, or {@link
   * #HAND_OVER} if FastCSV cannot be trusted with it. Throws for a record the scanner finds bad (as
   * {@link CsvRecordReader} does), one over the size limit, or a failure of the text; for the
   * header ({@code isHeader}) every failure is fatal.
   */
  @Override
  String @Nullable [] parse(long number, boolean isHeader) throws IOException {
    resyncIfLost();
    String[] parsed = null;
    RuntimeException error = null;
    try {
      parsed = records.hasNext() ? records.next() : null;
    } catch (CsvParseException | UncheckedIOException e) {
      if (e.getCause() instanceof Error) {
        // FastCSV wraps every Throwable in its exception: an Error is not a parse failure.
        throw (Error) e.getCause();
      }
      error = e;
    }
    ScannedRecord r = takeScanned(number);
    int stop = scanner.stop();
    if (r.lfAfterQuotedCr) {
      // FastCSV joined it with the next record, dropping the quoted field.
      return byCommons(r, number);
    }
    if (error == null && parsed == null && stop == RecordScanner.END && !r.complete()) {
      // The end: line() and recordNumber() stay those of the last record.
      return null;
    }
    record = r;
    line = r.line;
    if (error == null && parsed != null && r.complete() && !r.unterminated && r.junkOffset < 0) {
      return parsed;
    }
    if (stop == RecordScanner.FAILURE && !r.complete()) {
      numbered(number);
      throw textFailure(r.line, number);
    }
    if (error != null && r.junkOffset < 0 && !r.unterminated && stop != RecordScanner.CAP) {
      // Whitespace after a closing quote, which Commons CSV drops, or anything else FastCSV
      // refuses where the scanner saw nothing wrong.
      return byCommons(r, number);
    }
    numbered(number);
    if (error == null && parsed == null) {
      if (stop == RecordScanner.FAILURE) {
        throw textFailure(r.line, number);
      }
      // The scanner has a record FastCSV did not see.
      return HAND_OVER;
    }
    if (!r.complete() && r.junkOffset < 0 && stop != RecordScanner.CAP) {
      // Incomplete for a reason the scanner cannot name.
      return HAND_OVER;
    }
    IOException cause = error == null ? null : new IOException(error.getMessage(), error);
    rejectBad(r, number, isHeader, stop, cause);
    return HAND_OVER;
  }

  /**
   * Reads the taken record {@code r}, which FastCSV cannot be trusted with, with Commons CSV from
   * the text the scanner keeps, and starts a new FastCSV parser after it. Returns its fields, or
   * {@link #HAND_OVER} when Commons CSV must decide more than this record's fields (the record is
   * bad or too large, or its text is no longer kept), which only a reread can tell. Throws, as
   * Commons CSV's split reader would, if the record runs into the end of a split that must end
   * after a record.
   */
  private String[] byCommons(ScannedRecord r, long number) throws IOException {
    record = r;
    line = r.line;
    if (!r.complete()) {
      if (scanner.stop() != RecordScanner.NONE) {
        return HAND_OVER;
      }
      // FastCSV failed inside it: the scanner reads on to its end.
      scanner.skipRecord();
      if (r.atEnd) {
        numbered(number);
        endCheck(r, number);
      }
    }
    if (!r.complete()
        || r.unterminated
        || r.junkOffset >= 0
        || r.contentEnd - r.start > maxRecordSize) {
      return HAND_OVER;
    }
    String text = scanner.text(r);
    if (text == null) {
      return HAND_OVER;
    }
    String[] v;
    // Ended by a line break as in the file, so that Commons CSV ends it as it would there.
    try (CSVParser p =
        CSVParser.builder().setReader(new StringReader(text + "\n")).setFormat(csvFormat).get()) {
      Iterator<CSVRecord> it = p.iterator();
      if (!it.hasNext()) {
        return HAND_OVER;
      }
      v = it.next().values();
      if (it.hasNext()) {
        return HAND_OVER;
      }
    } catch (UncheckedIOException | IllegalStateException e) {
      return HAND_OVER;
    }
    scanner.resumeAfter(r);
    records = newParser();
    recordsByCommons++;
    return v;
  }

  /**
   * The fields of the current record, or of the record that failed with {@code INVALID_ENCODING} or
   * {@code WRONG_FIELD_COUNT} (empty after other failures).
   *
   * @throws IllegalStateException if there is no such record
   */
  @Override
  public String[] values() {
    CsvRecordReader c = commons;
    return c != null ? c.values() : super.values();
  }

  @Override
  public long line() {
    CsvRecordReader c = commons;
    return c != null ? c.line() : line;
  }

  @Override
  public long recordNumber() {
    CsvRecordReader c = commons;
    return c != null ? c.recordNumber() : recordNumber;
  }

  @Override
  public int charLength() {
    CsvRecordReader c = commons;
    return c != null ? c.charLength() : charLength;
  }

  /** The original text of the current or failing record, as {@link CsvRecordReader#rawText()}. */
  @Override
  public @Nullable String rawText() {
    CsvRecordReader c = commons;
    if (c != null) {
      return c.rawText();
    }
    // Null once closed, like the Commons reader: the scanner's buffers went back to the thread.
    return closed ? null : scannedText();
  }

  @Override
  public long bytesRead() {
    CsvRecordReader c = commons;
    return c != null ? Math.max(bytesBeforeHandOver, c.bytesRead()) : input.bytesRead();
  }

  /**
   * The blank lines skipped: once handed over, Commons CSV's count, which covers the split from its
   * start as Commons CSV read it again from there.
   */
  @Override
  public long blankLinesSkipped() {
    CsvRecordReader c = commons;
    return c != null ? c.blankLinesSkipped() : blankSkipped;
  }

  @Override
  public boolean grewWhileRead() {
    CsvRecordReader c = commons;
    return c != null ? c.grewWhileRead() : super.grewWhileRead();
  }

  @Override
  public long linesBefore() throws IOException {
    CsvRecordReader c = commons;
    return c != null ? c.linesBefore() : super.linesBefore();
  }

  @Override
  public long linesRead() {
    CsvRecordReader c = commons;
    return c != null ? c.linesRead() : scanner.lineBreaks();
  }

  /** How many records Commons CSV read one by one: for tests. */
  long recordsByCommons() {
    return recordsByCommons;
  }

  /** Whether the file (or split) was handed over to Commons CSV: for tests. */
  boolean handedOver() {
    return commons != null;
  }

  @Override
  public void close() throws IOException {
    try {
      super.close();
    } finally {
      CsvRecordReader c = commons;
      if (c != null) {
        c.close();
      }
    }
  }

  /**
   * Collects the fields of one record as Strings.
   *
   * <p>Not thread-safe: one per FastCSV reader.
   */
  private static final class Fields extends CsvCallbackHandler<String[]> {
    private String[] fields = new String[32];
    private int count;

    @Override
    protected RecordType getRecordType() {
      return RecordType.DATA;
    }

    @Override
    protected int getFieldCount() {
      return count;
    }

    @Override
    protected void beginRecord(long startingLineNumber) {
      count = 0;
    }

    @Override
    protected void addField(char[] buf, int offset, int len, boolean quoted) {
      if (count == fields.length) {
        fields = Arrays.copyOf(fields, count * 2);
      }
      fields[count++] = len == 0 ? "" : new String(buf, offset, len);
    }

    @Override
    protected void setComment(char[] buf, int offset, int len) {
      throw new IllegalStateException("comments are off");
    }

    @Override
    protected void setEmpty() {
      // An empty line: one empty field, as Commons CSV reads it.
      fields[0] = "";
      count = 1;
    }

    @Override
    protected String[] buildRecord() {
      return Arrays.copyOf(fields, count);
    }
  }
}
