package dev.sluice.internal.io.csv;

import dev.sluice.api.Columns;
import dev.sluice.api.ErrorType;
import dev.sluice.api.Format;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.Split;
import dev.sluice.internal.io.TextInput;
import dev.sluice.internal.io.csv.RecordScanner.ScannedRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

/**
 * Reads the records of one CSV or TSV file with Commons CSV, parsing from a {@link RecordScanner}
 * that locates each record, bounds its size and keeps its text. Every failure becomes a {@link
 * RecordException} positioned by the scanner's counters, never by Commons CSV's messages. The rules
 * (what each bad input gets, and where reading resumes) are in the package documentation.
 *
 * <p>When Commons CSV loses its place (characters after a closing quote, a record over the size
 * limit), the parser is dropped: the scanner reads past the rest of the record, or goes back to the
 * end of the record within the text it keeps (the dropped parser may have buffered some of the
 * records after it), and a new parser starts on the scanner at the next record.
 *
 * <p>{@link #byteOffset()} is always -1; the exceptions carry the byte offset of bad bytes. After
 * an {@code INVALID_ENCODING} or {@code WRONG_FIELD_COUNT} failure {@link #values()} returns the
 * record's fields as read, after {@code RECORD_TOO_LARGE} and {@code MALFORMED_CSV} none. After a
 * non-recoverable failure every further {@link #next()} throws the same exception.
 *
 * <p>Not thread-safe: one instance per split.
 */
final class CsvRecordReader extends AbstractCsvRecordReader {
  private final CSVFormat csvFormat;

  private CSVParser parser;
  private Iterator<CSVRecord> records;

  private CsvRecordReader(
      TextInput input,
      CSVFormat csvFormat,
      Format format,
      @Nullable Columns configured,
      @Nullable Split split)
      throws IOException {
    super(input, format, configured, split);
    this.csvFormat = csvFormat;
    this.parser = newParser();
    this.records = parser.iterator();
  }

  /** Reads the records of a listed file, up to its listed size. */
  static CsvRecordReader open(
      InputFile file, CSVFormat csvFormat, Format format, @Nullable Columns configured)
      throws IOException {
    return open(
        TextInput.open(file, format.charset(), format.malformedInput()),
        csvFormat,
        format,
        configured);
  }

  /** Reads the records of {@code input}, which it closes when it fails or is closed. */
  static CsvRecordReader open(
      TextInput input, CSVFormat csvFormat, Format format, @Nullable Columns configured)
      throws IOException {
    return input.ownedBy(
        in -> started(new CsvRecordReader(in, csvFormat, format, configured, null), null));
  }

  /**
   * Opens one split of a file cut into several: the split's bytes only. The first split reads the
   * header like a whole file; a later one starts at a record and takes {@code fileColumns}, which
   * the caller read from the file's start (null if the file has no good record to size them). Every
   * split but the last must end right after a record's line break: one that does not fails the file
   * ({@code FILE_FAILED}, not recoverable) rather than yield wrong records.
   */
  static CsvRecordReader openSplit(
      Split split,
      CSVFormat csvFormat,
      Format format,
      @Nullable Columns configured,
      @Nullable Columns fileColumns)
      throws IOException {
    return openRange(split, format)
        .ownedBy(
            in ->
                started(
                    new CsvRecordReader(in, csvFormat, format, configured, split), fileColumns));
  }

  /**
   * Opens {@code file} (or {@code split} of it) again and reads past its first {@code done} records
   * (header excluded), whose outcome a faster reader has already given, so that the next call of
   * {@link #next()} reads record {@code done + 1}: the hand-over of {@link FastCsvRecordReader} and
   * {@link ByteCsvRecordReader} to the reference. Recoverable failures met on the way were given
   * too, and are passed over.
   *
   * @param line the line of the faster reader's last record, for the failure of a file that has
   *     fewer records now
   * @throws RecordException (not recoverable) if the file cannot be read again as far, or now has
   *     fewer records
   */
  static CsvRecordReader reopenAfter(
      InputFile file,
      @Nullable Split split,
      CSVFormat csvFormat,
      Format format,
      @Nullable Columns configured,
      @Nullable Columns fileColumns,
      long done,
      long line)
      throws IOException {
    CsvRecordReader c =
        split == null
            ? open(file, csvFormat, format, configured)
            : openSplit(split, csvFormat, format, configured, fileColumns);
    try {
      while (c.recordNumber() < done) {
        try {
          if (!c.next()) {
            break;
          }
        } catch (RecordException e) {
          if (!e.recoverable()) {
            throw e;
          }
        }
      }
    } catch (IOException | RuntimeException | Error e) {
      c.close();
      throw e;
    }
    if (c.recordNumber() != done) {
      c.close();
      throw new RecordException(
          ErrorType.FILE_FAILED,
          "the file changed while it was read: record " + done + " is gone",
          line,
          done,
          -1,
          -1,
          false,
          null);
    }
    return c;
  }

  private CSVParser newParser() throws IOException {
    return CSVParser.builder().setReader(scanner).setFormat(csvFormat).get();
  }

  @Override
  void restartParser() throws IOException {
    parser = newParser();
    records = parser.iterator();
  }

  /**
   * Parses the next record and returns its fields, or null at the end of the text. Throws for a
   * record Commons CSV cannot parse, one over the size limit, or a failure of the text; for the
   * header ({@code isHeader}) every failure is fatal.
   */
  @Override
  String @Nullable [] parse(long number, boolean isHeader) throws IOException {
    resyncIfLost();
    CSVRecord parsed = null;
    IOException error = null;
    try {
      parsed = records.hasNext() ? records.next() : null;
    } catch (UncheckedIOException e) {
      error = e.getCause();
    }
    ScannedRecord r = takeScanned(number);
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
    numbered(number);
    if (error == null && parsed == null) {
      if (stop == RecordScanner.FAILURE) {
        throw textFailure(r.line, number);
      }
      throw confused(r, number, null);
    }
    rejectBad(r, number, isHeader, stop, error);
    throw confused(r, number, error);
  }

  /** Commons CSV and the scanner disagree: a bug on one side; the file cannot be trusted. */
  private RecordException confused(ScannedRecord r, long number, @Nullable IOException cause) {
    values = NO_VALUES;
    RecordException e =
        new RecordException(
            ErrorType.MALFORMED_CSV,
            "cannot parse the record",
            r.line,
            number,
            -1,
            -1,
            false,
            cause);
    fatal = e;
    return e;
  }
}
