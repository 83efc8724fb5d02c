package dev.sluice.internal.io.csv;

import dev.sluice.api.Columns;
import dev.sluice.api.Row;
import dev.sluice.api.internal.ApiAccess;
import dev.sluice.api.internal.LazyFields;
import dev.sluice.api.internal.Utf8Formatter;
import dev.sluice.api.internal.Utf8Sink;
import dev.sluice.api.spi.RecordFormatter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

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

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long CR_BYTES = ONES * '\r';
  private static final long LF_BYTES = ONES * '\n';
  private static final long QUESTION_BYTES = ONES * '?';

  /** From this many chars, a value is encoded at once and checked a word at a time. */
  private static final int LONG_VALUE = 16;

  private final char delimiter;
  private final char quote;
  private final String lineSeparator;
  private final boolean header;

  /**
   * Whether the delimiter and the quote are ASCII: then a field's bytes can be checked as bytes.
   */
  private final boolean asciiSpecials;

  private final long delimiterBytes;
  private final long quoteBytes;

  CsvRecordFormatter(char delimiter, char quote, String lineSeparator, boolean header) {
    this.delimiter = delimiter;
    this.quote = quote;
    this.lineSeparator = lineSeparator;
    this.header = header;
    this.asciiSpecials = delimiter < 0x80 && quote < 0x80;
    this.delimiterBytes = ONES * (delimiter & 0x7f);
    this.quoteBytes = ONES * (quote & 0x7f);
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
    if (!asciiSpecials || !plain(b, from, to, false)) {
      return false;
    }
    out.append(b, from, to);
    return true;
  }

  /**
   * Whether {@code b[from, to)} holds neither the delimiter nor the quote nor a line break (nor a
   * '?' if {@code noQuestionMark}), eight bytes at a time: the carry trick tells exactly whether a
   * word holds one of them.
   */
  private boolean plain(byte[] b, int from, int to, boolean noQuestionMark) {
    long question = noQuestionMark ? QUESTION_BYTES : delimiterBytes;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      long v = (long) LONGS.get(b, i);
      if ((zeroes(v ^ delimiterBytes)
              | zeroes(v ^ quoteBytes)
              | zeroes(v ^ CR_BYTES)
              | zeroes(v ^ LF_BYTES)
              | zeroes(v ^ question))
          != 0) {
        return false;
      }
    }
    for (; i < to; i++) {
      int c = b[i];
      if (c == delimiter || c == quote || c == '\n' || c == '\r' || (noQuestionMark && c == '?')) {
        return false;
      }
    }
    return true;
  }

  /** The high bit of each zero byte of {@code x}, if it has one; 0 if it has none. */
  private static long zeroes(long x) {
    return (x - ONES) & ~x & HIGHS;
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
    if (value.length() >= LONG_VALUE && asciiSpecials) {
      // A long value (a hash's 64 hex digits): the JDK's encoder copies the bytes of a one-byte
      // String at once, and a word-wise check is faster than a char-wise one. '?' stands for a
      // char the encoder could not encode, which the char path below refuses instead.
      byte[] u = value.getBytes(StandardCharsets.UTF_8);
      if (plain(u, 0, u.length, true)) {
        out.append(u, 0, u.length);
        return;
      }
    } else if (out.appendPlainAscii(value, delimiter, quote)) {
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
