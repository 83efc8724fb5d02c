package dev.sluice.internal.io.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.sluice.api.Columns;
import dev.sluice.api.Row;
import dev.sluice.api.spi.RecordFormatter;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * Appends one JSON object per record. One generator is kept for the formatter's life and writes,
 * through {@link StringBuilderWriter}, into whichever buffer the current call was given; it is
 * flushed at the end of every record, so nothing is left behind between calls. If a record fails
 * half-way, the generator is dropped and a fresh one is made for the next record.
 *
 * <p>Not thread-safe: one instance per transformer thread.
 */
final class JsonLinesRecordFormatter implements RecordFormatter {
  private final JsonFactory factory;
  private final String lineSeparator;
  private final StringBuilderWriter writer = new StringBuilderWriter();
  private @Nullable JsonGenerator generator;
  private @Nullable Columns namesFor;
  private SerializedString[] names = new SerializedString[0];

  private final boolean infer;

  JsonLinesRecordFormatter(JsonFactory factory, String lineSeparator) {
    this(factory, lineSeparator, false);
  }

  JsonLinesRecordFormatter(JsonFactory factory, String lineSeparator, boolean infer) {
    this.infer = infer;
    this.factory = factory;
    this.lineSeparator = lineSeparator;
  }

  /** Appends nothing: JSON Lines has no header. */
  @Override
  public void header(Columns columns, StringBuilder out) {}

  @Override
  public void record(Row row, StringBuilder out) {
    SerializedString[] keys = keys(row.columns());
    writer.target(out);
    try {
      JsonGenerator g = generator();
      g.writeStartObject();
      int n = row.size();
      for (int i = 0; i < n; i++) {
        g.writeFieldName(keys[i]);
        String v = row.get(i);
        if (!infer) {
          g.writeString(v);
        } else if (v.isEmpty()) {
          g.writeNull();
        } else if (v.equals("true") || v.equals("false")) {
          g.writeBoolean(v.equals("true"));
        } else if (isPlainNumber(v)) {
          g.writeNumber(v); // written as it is: no rounding through a double
        } else {
          g.writeString(v);
        }
      }
      g.writeEndObject();
      g.flush();
    } catch (IOException e) {
      generator = null;
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      generator = null;
      throw e;
    } finally {
      writer.target(null);
    }
    out.append(lineSeparator);
  }

  /** The keys for {@code columns}, escaped once per columns instance rather than per record. */
  /**
   * A JSON number as the text stands: optional minus, digits without a leading zero (except a lone
   * 0), optional fraction and exponent. "007" and "+1" stay strings: they are codes, not numbers.
   */
  static boolean isPlainNumber(String v) {
    int i = 0;
    int n = v.length();
    if (i < n && v.charAt(i) == '-') {
      i++;
    }
    int start = i;
    while (i < n && Character.isDigit(v.charAt(i)) && v.charAt(i) < 128) {
      i++;
    }
    if (i == start || (v.charAt(start) == '0' && i - start > 1)) {
      return false;
    }
    if (i < n && v.charAt(i) == '.') {
      int f = ++i;
      while (i < n && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
        i++;
      }
      if (i == f) {
        return false;
      }
    }
    if (i < n && (v.charAt(i) == 'e' || v.charAt(i) == 'E')) {
      i++;
      if (i < n && (v.charAt(i) == '+' || v.charAt(i) == '-')) {
        i++;
      }
      int e = i;
      while (i < n && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
        i++;
      }
      if (i == e) {
        return false;
      }
    }
    return i == n;
  }

  private SerializedString[] keys(Columns columns) {
    if (columns != namesFor) {
      SerializedString[] k = new SerializedString[columns.size()];
      for (int i = 0; i < k.length; i++) {
        k[i] = new SerializedString(columns.name(i));
      }
      names = k;
      namesFor = columns;
    }
    return names;
  }

  private JsonGenerator generator() throws IOException {
    JsonGenerator g = generator;
    if (g == null) {
      g = factory.createGenerator(writer);
      generator = g;
    }
    return g;
  }
}
