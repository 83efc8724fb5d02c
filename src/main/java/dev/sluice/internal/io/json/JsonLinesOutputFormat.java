package dev.sluice.internal.io.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.sluice.api.Format;
import dev.sluice.api.spi.OutputFormatProvider;
import dev.sluice.api.spi.RecordFormatter;
import dev.sluice.internal.io.OutputNames;
import java.nio.charset.Charset;
import java.util.Locale;

/**
 * Writes JSON Lines: one object per record, then the format's line ending. Keys are the column
 * names in order (a repeated name gives a repeated key), values are JSON strings. No header.
 * Obtained from {@link dev.sluice.internal.io.Formats#output}.
 *
 * <p>Non-ASCII characters are written as they are when the charset is a Unicode one (UTF-8, UTF-16,
 * UTF-32); with any other charset they are escaped as {@code \}{@code uXXXX}, so the output is
 * plain ASCII and still encodable.
 *
 * <pre>{@code
 * {"id":"7","name":"İstanbul"}
 * }</pre>
 *
 * <p>Thread-safe: immutable; each formatter it makes is for one thread.
 */
public final class JsonLinesOutputFormat implements OutputFormatProvider {
  private final Format format;
  private final JsonFactory factory;

  /** A provider for {@code format}, whose kind is JSONL. */
  public JsonLinesOutputFormat(Format format) {
    if (format.kind() != Format.Kind.JSONL) {
      throw new IllegalArgumentException("not a JSON Lines format: " + format);
    }
    this.format = format;
    boolean unicode = format.charset().name().toUpperCase(Locale.ROOT).startsWith("UTF-");
    // Jackson separates root-level values with a space by default; records end in a line ending
    // appended by the formatter instead.
    this.factory =
        new JsonFactoryBuilder()
            .rootValueSeparator((String) null)
            .configure(JsonWriteFeature.ESCAPE_NON_ASCII, !unicode)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .build();
  }

  @Override
  public RecordFormatter newFormatter() {
    return new JsonLinesRecordFormatter(
        factory,
        format.lineSeparator(),
        format.jsonTypes() == dev.sluice.api.Format.JsonTypes.INFER);
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
