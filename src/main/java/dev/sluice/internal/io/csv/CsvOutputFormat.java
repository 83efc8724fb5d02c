package dev.sluice.internal.io.csv;

import dev.sluice.api.Format;
import dev.sluice.api.spi.OutputFormatProvider;
import dev.sluice.api.spi.RecordFormatter;
import dev.sluice.internal.io.OutputNames;
import java.nio.charset.Charset;

/**
 * Writes CSV and TSV: the format's delimiter and quote, RFC 4180 quoting only where a value needs
 * it (it holds the delimiter, the quote, CR or LF), the format's line ending, and a header row if
 * {@link Format#header()}. Obtained from {@link dev.sluice.internal.io.Formats#output}.
 *
 * <p>An empty value is written as nothing, except when it is a record's only value: that record is
 * written as two quotes, because an empty line is skipped by many readers.
 *
 * <p>Thread-safe: immutable; each formatter it makes is for one thread.
 */
public final class CsvOutputFormat implements OutputFormatProvider {
  private final Format format;

  /** A provider for {@code format}, whose kind is CSV or TSV. */
  public CsvOutputFormat(Format format) {
    if (format.kind() != Format.Kind.CSV && format.kind() != Format.Kind.TSV) {
      throw new IllegalArgumentException("not a CSV or TSV format: " + format);
    }
    this.format = format;
  }

  @Override
  public RecordFormatter newFormatter() {
    return new CsvRecordFormatter(
        format.delimiter(), format.quote(), format.lineSeparator(), format.header());
  }

  @Override
  public Charset charset() {
    return format.charset();
  }

  @Override
  public boolean gzip() {
    return format.gzip();
  }

  /** See {@link OutputNames#outputName} for the rule. */
  @Override
  public String outputName(String inputRelativeName) {
    return OutputNames.outputName(inputRelativeName, format.kind(), format.gzip());
  }
}
