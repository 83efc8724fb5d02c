package dev.sluice.internal.io.csv;

import dev.sluice.api.Columns;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.Format;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.internal.io.InputOpener;
import dev.sluice.internal.io.TextInput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.jspecify.annotations.Nullable;

/**
 * Reads CSV and TSV files: strict RFC 4180 with the format's delimiter and quote, gzip detected by
 * magic bytes, decoding in the format's charset, records bounded by {@link Format#maxRecordSize()}.
 * What each kind of bad input gets, and where reading resumes after it, is in the {@link
 * dev.sluice.internal.io.csv package documentation}. Obtained from {@link
 * dev.sluice.internal.io.Formats#input}.
 *
 * <p>Columns come from the header row when {@link Format#header()} is true ({@link
 * Format#columns()} is then ignored), else from {@link Format#columns()}, else positional names
 * {@code c1..cn} sized by the first record. A 0-byte file has no columns and no records; a file
 * with only a header has columns and no records.
 *
 * <p>Thread-safe: immutable; each {@link #open} returns a new reader, which is not thread-safe.
 */
public final class CsvInputFormat implements InputFormatProvider {
  private final CSVFormat csvFormat;
  private final Format format;
  private final InputOpener opener;
  private final @Nullable Columns configured;

  /** Whether records are read by {@link ByteCsvRecordReader}: the default, where it can. */
  private final boolean bytes;

  /**
   * A provider for {@code format}, whose kind is CSV or TSV.
   *
   * @throws ConfigurationException if Commons CSV rejects the delimiter or quote
   */
  public CsvInputFormat(Format format) {
    this(format, InputOpener.FILES);
  }

  /** A provider for {@code format} that opens URL inputs through {@code opener}. */
  public CsvInputFormat(Format format, InputOpener opener) {
    this.opener = opener;
    if (format.kind() != Format.Kind.CSV && format.kind() != Format.Kind.TSV) {
      throw new IllegalArgumentException("not a CSV or TSV format: " + format);
    }
    this.csvFormat = strict(format);
    this.format = format;
    List<String> names = format.columns();
    this.configured = format.header() || names == null ? null : Columns.of(names);
    this.bytes = format.parser() == Format.Parser.BYTES && ByteCsvRecordReader.reads(format);
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
   * Cuts a plain file of at least 1.5 {@link Format#splitSize()} into splits that start at records
   * (the rules are in the {@link dev.sluice.internal.io.csv package documentation}); any other
   * file, and any file when the split size is 0, is one split.
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
        || !CsvSplitter.splittable(format.charset(), format.delimiter(), format.quote())
        || gzip(file.path())) {
      return List.of(Split.whole(file));
    }
    Columns columns;
    try {
      columns = fileColumns(file);
    } catch (IOException e) {
      // A bad header or a binary start: the single reader reports it.
      return List.of(Split.whole(file));
    }
    if (columns == null) {
      return List.of(Split.whole(file));
    }
    try {
      return CsvSplitter.plan(
          file,
          splitSize,
          columns.size(),
          format.delimiter(),
          format.quote(),
          format.allowShortRecords(),
          format.blankLines());
    } catch (UnsupportedOperationException e) {
      // A file system without random access: read whole.
      return List.of(Split.whole(file));
    }
  }

  private static boolean gzip(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      byte[] magic = in.readNBytes(2);
      return magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
    }
  }

  /**
   * The columns a whole-file read would give the file's records: from the header, the format, or
   * the first record that is read without error; null if there is none.
   */
  private @Nullable Columns fileColumns(InputFile file) throws IOException {
    if (configured != null) {
      return configured;
    }
    try (CsvRecordReader r = CsvRecordReader.open(file, csvFormat, format, null)) {
      if (format.header()) {
        return r.columns();
      }
      while (true) {
        try {
          return r.next() ? r.columns() : null;
        } catch (RecordException e) {
          if (!e.recoverable()) {
            throw e;
          }
        }
      }
    }
  }

  /**
   * Opens a reader for {@code split}. Reads the header row, if the format has one, before returning
   * (from the file's start, for a split after the first).
   *
   * @throws IOException if the file cannot be opened, or (as a non-recoverable {@link
   *     dev.sluice.api.spi.RecordException}) its start is binary or broken gzip, or its header
   *     cannot be read or has a duplicate or empty name
   */
  @Override
  public RecordReader open(Split split) throws IOException {
    if (split.count() > 1) {
      Columns columns = split.index() > 0 ? fileColumns(split.file()) : null;
      if (bytes) {
        return ByteCsvRecordReader.openSplit(split, csvFormat, format, configured, columns);
      }
      if (format.parser() == Format.Parser.FASTCSV) {
        return FastCsvRecordReader.openSplit(split, csvFormat, format, configured, columns);
      }
      return CsvRecordReader.openSplit(split, csvFormat, format, configured, columns);
    }
    if (split.start() != 0) {
      throw new IllegalArgumentException("a single split must cover the whole file: " + split);
    }
    if (split.file().isRemote()) {
      // Always Commons CSV: the FastCSV reader's last-resort fallback reopens the file by path.
      return CsvRecordReader.open(
          TextInput.open(split.file(), opener, format.charset(), format.malformedInput()),
          csvFormat,
          format,
          configured);
    }
    if (bytes) {
      return ByteCsvRecordReader.open(split.file(), csvFormat, format, configured);
    }
    if (format.parser() == Format.Parser.FASTCSV) {
      return FastCsvRecordReader.open(split.file(), csvFormat, format, configured);
    }
    return CsvRecordReader.open(split.file(), csvFormat, format, configured);
  }
}
