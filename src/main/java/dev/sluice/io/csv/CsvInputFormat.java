package dev.sluice.io.csv;

import dev.sluice.api.Columns;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.Format;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.io.InputOpener;
import dev.sluice.io.TextInput;
import java.io.IOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.jspecify.annotations.Nullable;

/**
 * Reads CSV and TSV files: strict RFC 4180 with the format's delimiter and quote, gzip detected by
 * magic bytes, decoding in the format's charset, records bounded by {@link
 * Format#maxRecordSize()}. What each kind of bad input gets, and where reading resumes after it,
 * is in the {@link dev.sluice.io.csv package documentation}. Obtained from {@link
 * dev.sluice.io.Formats#input}.
 *
 * <p>Columns come from the header row when {@link Format#header()} is true ({@link
 * Format#columns()} is then ignored), else from {@link Format#columns()}, else positional names
 * {@code c1..cn} sized by the first record. A 0-byte file has no columns and no records; a file
 * with only a header has columns and no records.
 *
 * <p>Thread-safe: immutable; each {@link #open} returns a new reader, which is not thread-safe.
 *
 * @since 0.1
 */
public final class CsvInputFormat implements InputFormatProvider {
  private final CSVFormat csvFormat;
  private final Format format;
  private final InputOpener opener;
  private final @Nullable Columns configured;

  /**
   * A provider for {@code format}, whose kind is CSV or TSV.
   *
   * @throws ConfigurationException if Commons CSV rejects the delimiter or quote
   */
  public CsvInputFormat(Format format) {
    this(format, InputOpener.FILES);
  }

  /**
   * A provider for {@code format} that opens URL inputs through {@code opener}.
   *
   * @since 0.2
   */
  public CsvInputFormat(Format format, InputOpener opener) {
    this.opener = opener;
    if (format.kind() != Format.Kind.CSV && format.kind() != Format.Kind.TSV) {
      throw new IllegalArgumentException("not a CSV or TSV format: " + format);
    }
    this.csvFormat = strict(format);
    this.format = format;
    List<String> names = format.columns();
    this.configured = format.header() || names == null ? null : Columns.of(names);
  }

  /**
   * RFC 4180 with every leniency spelled out as off, so a change of Commons CSV defaults cannot
   * loosen parsing. The header is not given to Commons CSV: the reader reads it as the first
   * record, so its errors are reported like any other record's.
   */
  private static CSVFormat strict(Format format) {
    try {
      return CSVFormat.RFC4180
          .builder()
          .setDelimiter(format.delimiter())
          .setQuote(format.quote())
          .setEscape((Character) null)
          .setCommentMarker((Character) null)
          .setIgnoreEmptyLines(false)
          .setIgnoreSurroundingSpaces(false)
          .setTrim(false)
          .setTrailingDelimiter(false)
          .setTrailingData(false)
          .setLenientEof(false)
          .setHeader((String[]) null)
          .setSkipHeaderRecord(false)
          .get();
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(
          "cannot read " + format + ": " + e.getMessage() + "; choose another delimiter or quote",
          e);
    }
  }

  /**
   * Opens a reader for {@code split}, which must cover the whole file. Reads the header row, if
   * the format has one, before returning.
   *
   * @throws IOException if the file cannot be opened, or (as a non-recoverable {@link
   *     dev.sluice.api.spi.RecordException}) its start is binary or broken gzip, or its header
   *     cannot be read or has a duplicate or empty name
   */
  @Override
  public RecordReader open(Split split) throws IOException {
    if (format.parser() == Format.Parser.FASTCSV && split.count() == 1 && split.start() == 0) {
      return FastCsvRecordReader.open(split.file().path(), csvFormat, format, configured);
    }
    if (split.count() != 1 || split.start() != 0) {
      throw new IllegalArgumentException("only whole-file splits are supported: " + split);
    }
    if (split.file().isRemote()) {
      return CsvRecordReader.open(
          TextInput.open(split.file(), opener, format.charset(), format.malformedInput()), csvFormat, format, configured);
    }
    return CsvRecordReader.open(split.file().path(), csvFormat, format, configured);
  }
}
