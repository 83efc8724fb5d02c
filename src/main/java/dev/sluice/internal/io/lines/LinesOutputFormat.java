package dev.sluice.internal.io.lines;

import dev.sluice.api.Format;
import dev.sluice.api.spi.OutputFormatProvider;
import dev.sluice.api.spi.RecordFormatter;
import dev.sluice.internal.io.OutputNames;
import java.nio.charset.Charset;

/**
 * Writes plain text: each record's values joined by a tab (a one-column record is just its value),
 * then the format's line ending. No header, no quoting. Obtained from {@link
 * dev.sluice.internal.io.Formats#output}.
 *
 * <p>Thread-safe: immutable; each formatter it makes is for one thread.
 */
public final class LinesOutputFormat implements OutputFormatProvider {
  private final Format format;

  /** A provider for {@code format}, whose kind is LINES. */
  public LinesOutputFormat(Format format) {
    if (format.kind() != Format.Kind.LINES) {
      throw new IllegalArgumentException("not a lines format: " + format);
    }
    this.format = format;
  }

  @Override
  public RecordFormatter newFormatter() {
    return new LinesRecordFormatter(format.lineSeparator());
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
