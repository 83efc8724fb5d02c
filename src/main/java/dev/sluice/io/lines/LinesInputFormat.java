package dev.sluice.io.lines;

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

/**
 * Reads plain text files, one record per line, in one column named {@code line} (or the single
 * name in {@link Format#columns()}). If {@link Format#header()} is true the first line is not a
 * record but the column's name. A line break at the end of the file does not start another record;
 * an empty line elsewhere is a record with an empty value. Obtained from {@link
 * dev.sluice.io.Formats#input}.
 *
 * <p>Thread-safe: immutable; each {@link #open} returns a new reader, which is not thread-safe.
 *
 * @since 0.1
 */
public final class LinesInputFormat implements InputFormatProvider {
  private static final Columns DEFAULT_COLUMNS = Columns.of("line");

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

  /**
   * A provider for {@code format} that opens URL inputs through {@code opener}.
   *
   * @since 0.2
   */
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
   * Opens a reader for {@code split}, which must cover the whole file. Reads the header line, if
   * the format has one, before returning.
   *
   * @throws IOException if the file cannot be opened, or (as a {@link
   *     dev.sluice.api.spi.RecordException}) its header cannot be read
   */
  @Override
  public RecordReader open(Split split) throws IOException {
    if (split.count() != 1 || split.start() != 0) {
      throw new IllegalArgumentException("only whole-file splits are supported: " + split);
    }
    if (split.file().isRemote()) {
      return LinesRecordReader.open(
          TextInput.open(split.file(), opener, format.charset(), format.malformedInput()), format, columns);
    }
    return LinesRecordReader.open(split.file().path(), format, columns);
  }
}
