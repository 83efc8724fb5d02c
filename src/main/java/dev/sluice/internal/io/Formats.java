package dev.sluice.internal.io;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.Format;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.OutputFormatProvider;
import dev.sluice.internal.io.csv.CsvInputFormat;
import dev.sluice.internal.io.csv.CsvOutputFormat;
import dev.sluice.internal.io.json.JsonLinesOutputFormat;
import dev.sluice.internal.io.lines.LinesInputFormat;
import dev.sluice.internal.io.lines.LinesOutputFormat;

/**
 * The built-in file formats: picks the input or output provider for a {@link Format}.
 *
 * <p>Stateless and thread-safe; the providers it returns are thread-safe too.
 *
 * <pre>{@code
 * InputFormatProvider in = Formats.input(Format.csv());
 * try (RecordReader r = in.open(Split.whole(file))) {
 *   while (r.next()) {
 *     process(r.columns(), r.values());
 *   }
 * }
 * }</pre>
 */
public final class Formats {
  private Formats() {}

  /**
   * The provider that reads files in {@code format}: CSV and TSV (strict RFC 4180) or plain lines.
   *
   * @throws ConfigurationException if {@code format} cannot be read (JSON Lines is output only) or
   *     its settings do not fit its kind
   */
  public static InputFormatProvider input(Format format) {
    return input(format, InputOpener.FILES);
  }

  /** Like {@link #input(Format)}, opening URL inputs through {@code opener}. */
  public static InputFormatProvider input(Format format, InputOpener opener) {
    switch (format.kind()) {
      case CSV:
      case TSV:
        return new CsvInputFormat(format, opener);
      case LINES:
        return new LinesInputFormat(format, opener);
      case JSONL:
        throw new ConfigurationException(
            "JSON Lines is an output format only: read the input as csv, tsv or lines");
      default:
        throw new AssertionError(format.kind());
    }
  }

  /** The provider that writes files in {@code format}: CSV, TSV, plain lines or JSON Lines. */
  public static OutputFormatProvider output(Format format) {
    switch (format.kind()) {
      case CSV:
      case TSV:
        return new CsvOutputFormat(format);
      case LINES:
        return new LinesOutputFormat(format);
      case JSONL:
        return new JsonLinesOutputFormat(format);
      default:
        throw new AssertionError(format.kind());
    }
  }
}
