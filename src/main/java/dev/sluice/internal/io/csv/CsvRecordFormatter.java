package dev.sluice.internal.io.csv;

import dev.sluice.api.Columns;
import dev.sluice.api.Row;
import dev.sluice.api.internal.ApiAccess;
import dev.sluice.api.internal.LazyFields;
import dev.sluice.api.internal.Utf8Formatter;
import dev.sluice.api.internal.Utf8Sink;
import dev.sluice.api.spi.RecordFormatter;

/**
 * Appends CSV or TSV records with minimal RFC 4180 quoting. Commons CSV's {@code QuoteMode.MINIMAL}
 * is not used because it also quotes an empty first field and values that start with a character up
 * to {@code #} or end in a space, which RFC 4180 does not need.
 *
 * <p>Not thread-safe: one instance per transformer thread (it holds no per-record state).
 */
final class CsvRecordFormatter implements RecordFormatter, Utf8Formatter {
  /** {@link #quoting}: the value is written as it is. */
  private static final int PLAIN = -2;

  /** {@link #quoting}: the value is quoted and holds no quote. */
  private static final int QUOTED = -1;

  private final char delimiter;
  private final char quote;
  private final String lineSeparator;
  private final boolean header;

  CsvRecordFormatter(char delimiter, char quote, String lineSeparator, boolean header) {
    this.delimiter = delimiter;
    this.quote = quote;
    this.lineSeparator = lineSeparator;
    this.header = header;
  }

  @Override
  public void header(Columns columns, StringBuilder out) {
    if (!header) {
      return;
    }
    int n = columns.size();
    if (n == 1 && columns.name(0).isEmpty()) {
      out.append(quote).append(quote);
    } else {
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          out.append(delimiter);
        }
        appendField(columns.name(i), out);
      }
    }
    out.append(lineSeparator);
  }

  @Override
  public void record(Row row, StringBuilder out) {
    int n = row.size();
    if (n == 1 && row.get(0).isEmpty()) {
      // A lone empty value would be an empty line, which many readers skip.
      out.append(quote).append(quote);
    } else {
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          out.append(delimiter);
        }
        appendField(row.get(i), out);
      }
    }
    out.append(lineSeparator);
  }

  @Override
  public void header(Columns columns, Utf8Sink out) {
    if (!header) {
      return;
    }
    int n = columns.size();
    if (n == 1 && columns.name(0).isEmpty()) {
      out.append(quote);
      out.append(quote);
    } else {
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          out.append(delimiter);
        }
        appendField(columns.name(i), out);
      }
    }
    out.append(lineSeparator);
  }

  @Override
  public void record(Row row, Utf8Sink out) {
    int n = row.size();
    byte[] bytes = ApiAccess.utf8Bytes(row);
    if (n == 1 && isEmpty(row, 0)) {
      out.append(quote);
      out.append(quote);
    } else {
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          out.append(delimiter);
        }
        long range = ApiAccess.utf8Range(row, i);
        // A value no step changed is copied from the bytes it was read from, unless it needs
        // quotes: no String made for it, and no encoding.
        if (range < 0 || !appendPlain(bytes, LazyFields.start(range), LazyFields.end(range), out)) {
          appendField(row.get(i), out);
        }
      }
    }
    out.append(lineSeparator);
  }

  private static boolean isEmpty(Row row, int i) {
    long range = ApiAccess.utf8Range(row, i);
    return range >= 0 ? LazyFields.start(range) == LazyFields.end(range) : row.get(i).isEmpty();
  }

  /**
   * Appends the UTF-8 bytes {@code [from, to)} as they are if the value they hold needs no quotes,
   * and returns whether it did. The delimiter and the quote are ASCII here (a wider one never
   * matches a byte, so such a value takes the String path), and in UTF-8 an ASCII byte is never
   * part of another char.
   */
  private boolean appendPlain(byte[] b, int from, int to, Utf8Sink out) {
    if (delimiter >= 0x80 || quote >= 0x80) {
      return false;
    }
    for (int i = from; i < to; i++) {
      int c = b[i];
      if (c == delimiter || c == quote || c == '\n' || c == '\r') {
        return false;
      }
    }
    out.append(b, from, to);
    return true;
  }

  /**
   * How {@code value} is written: {@link #PLAIN}, {@link #QUOTED} (no quote inside), or quoted with
   * its quotes doubled from the index returned, its first quote.
   */
  private int quoting(String value) {
    int length = value.length();
    int how = PLAIN;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c == quote) {
        return i;
      }
      if (c == delimiter || c == '\n' || c == '\r') {
        how = QUOTED;
      }
    }
    return how;
  }

  private void appendField(String value, StringBuilder out) {
    int how = quoting(value);
    if (how == PLAIN) {
      out.append(value);
      return;
    }
    out.append(quote);
    if (how == QUOTED) {
      out.append(value);
    } else {
      int length = value.length();
      int from = 0;
      for (int i = how; i < length; i++) {
        if (value.charAt(i) == quote) {
          // RFC 4180 escapes a quote by doubling it.
          out.append(value, from, i + 1).append(quote);
          from = i + 1;
        }
      }
      out.append(value, from, length);
    }
    out.append(quote);
  }

  private void appendField(String value, Utf8Sink out) {
    if (out.appendPlainAscii(value, delimiter, quote)) {
      return;
    }
    int how = quoting(value);
    if (how == PLAIN) {
      out.append(value);
      return;
    }
    out.append(quote);
    if (how == QUOTED) {
      out.append(value);
    } else {
      int length = value.length();
      int from = 0;
      for (int i = how; i < length; i++) {
        if (value.charAt(i) == quote) {
          out.append(value, from, i + 1);
          out.append(quote);
          from = i + 1;
        }
      }
      out.append(value, from, length);
    }
    out.append(quote);
  }
}
