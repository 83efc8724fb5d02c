package dev.sluice.api;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * A parsed {@link Steps#filter} expression, {@code column OP value}, and its test on one cell.
 *
 * <p>Grammar: the column is a bare word (letters, digits, {@code _ . -}) or is quoted with {@code
 * "..."}, {@code '...'} or backticks; OP is the longest of {@code == != <= >= < > ~} that matches;
 * the value is quoted with {@code '...'} or {@code "..."}, or else is the rest of the expression,
 * stripped. Inside quotes a doubled quote stands for one. White space around the parts is ignored.
 *
 * <p>Immutable and thread-safe.
 */
final class FilterExpression implements Serializable {
  private static final long serialVersionUID = 1L;

  static final String EXPECTED =
      "expected 'column OP value' where OP is one of == != < <= > >= ~,"
          + " e.g. amount > 100 or status == 'SHIPPED'";

  /** Longest warning excerpt of a bad cell, in chars. */
  private static final int EXCERPT = 40;

  /** Returned by {@link #compareNumber} for a cell that is not a number. */
  static final int NOT_A_NUMBER = Integer.MIN_VALUE;

  /** Plain numbers have at most this many integer digits, so they never overflow a long. */
  private static final int MAX_PLAIN_DIGITS = 18;

  /** The operators, longest first where one is a prefix of another. */
  enum Op {
    EQ("=="),
    NE("!="),
    LE("<="),
    GE(">="),
    LT("<"),
    GT(">"),
    FIND("~");

    final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    boolean numeric() {
      return this == LT || this == LE || this == GT || this == GE;
    }

    /** The operator at {@code s[i]}, or null. Relies on the declaration order (longest first). */
    static @Nullable Op at(String s, int i) {
      for (Op op : values()) {
        if (s.startsWith(op.symbol, i)) {
          return op;
        }
      }
      return null;
    }
  }

  private final String source;
  private final String column;
  private final Op op;
  private final String value;
  private final @Nullable Pattern pattern;
  private final @Nullable BigDecimal number;
  // Fast path: when the literal is an integer that fits a long, cells that are plain longs are
  // compared without BigDecimal. Both give the same order, so results are identical.
  private final boolean literalIsLong;
  private final long literal;

  private FilterExpression(String source, String column, Op op, String value) {
    this.source = source;
    this.column = column;
    this.op = op;
    this.value = value;
    Pattern p = null;
    BigDecimal n = null;
    boolean isLong = false;
    long l = 0;
    if (op == Op.FIND) {
      try {
        p = Pattern.compile(value);
      } catch (PatternSyntaxException e) {
        throw error(
            source,
            "bad regular expression '" + value + "': " + e.getDescription() + at(e.getIndex()),
            e);
      }
    } else if (op.numeric()) {
      try {
        n = new BigDecimal(value);
      } catch (NumberFormatException e) {
        throw error(
            source,
            "'"
                + value
                + "' is not a number, and "
                + op.symbol
                + " compares numbers (use == or != to compare text)",
            e);
      }
      try {
        l = n.longValueExact();
        isLong = true;
      } catch (ArithmeticException notAnExactLong) {
        isLong = false;
      }
    }
    this.pattern = p;
    this.number = n;
    this.literalIsLong = isLong;
    this.literal = l;
  }

  private static String at(int index) {
    return index >= 0 ? " (at index " + index + ")" : "";
  }

  /** Parses {@code expression}; the message of the exception says what is wrong. */
  static FilterExpression parse(@Nullable String expression) {
    if (expression == null) {
      throw new ConfigurationException("filter expression is null; " + EXPECTED);
    }
    String s = expression;
    int n = s.length();
    int i = skipSpace(s, 0);
    if (i == n) {
      throw error(s, "the expression is empty", null);
    }

    String column;
    char c = s.charAt(i);
    if (c == '"' || c == '\'' || c == '`') {
      int end = closingQuote(s, i);
      if (end < 0) {
        throw error(s, "the column name has no closing " + c, null);
      }
      column = unquote(s, i, end);
      i = end + 1;
    } else {
      int start = i;
      while (i < n) {
        int cp = s.codePointAt(i);
        if (!(Character.isLetterOrDigit(cp) || cp == '_' || cp == '.' || cp == '-')) {
          break;
        }
        i += Character.charCount(cp);
      }
      column = s.substring(start, i);
    }
    if (column.isEmpty()) {
      throw error(s, "the column name is missing", null);
    }

    i = skipSpace(s, i);
    Op op = Op.at(s, i);
    if (op == null) {
      throw error(
          s,
          i == n
              ? "the operator is missing after column '" + column + "'"
              : "unknown operator at '" + excerpt(s.substring(i)) + "'",
          null);
    }
    i = skipSpace(s, i + op.symbol.length());
    if (i == n) {
      throw error(s, "the value is missing after '" + op.symbol + "'", null);
    }

    String value;
    c = s.charAt(i);
    if (c == '"' || c == '\'') {
      int end = closingQuote(s, i);
      if (end < 0) {
        throw error(s, "the value has no closing " + c, null);
      }
      value = unquote(s, i, end);
      int rest = skipSpace(s, end + 1);
      if (rest != n) {
        throw error(
            s,
            "unexpected text after the quoted value: '" + excerpt(s.substring(rest)) + "'",
            null);
      }
    } else {
      value = s.substring(i).strip();
    }
    return new FilterExpression(s, column, op, value);
  }

  private static int skipSpace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i;
  }

  /** Index of the quote closing the one at {@code open}, skipping doubled quotes; or -1. */
  private static int closingQuote(String s, int open) {
    char q = s.charAt(open);
    int i = open + 1;
    while (i < s.length()) {
      if (s.charAt(i) == q) {
        if (i + 1 < s.length() && s.charAt(i + 1) == q) {
          i += 2;
          continue;
        }
        return i;
      }
      i++;
    }
    return -1;
  }

  private static String unquote(String s, int open, int close) {
    String q = String.valueOf(s.charAt(open));
    return s.substring(open + 1, close).replace(q + q, q);
  }

  private static ConfigurationException error(
      String source, String problem, @Nullable Throwable cause) {
    return new ConfigurationException(
        "filter \"" + source + "\": " + problem + "; " + EXPECTED, cause);
  }

  /** At most {@value #EXCERPT} chars of {@code s}, without splitting a surrogate pair. */
  static String excerpt(String s) {
    if (s.length() <= EXCERPT) {
      return s;
    }
    int end = Character.isHighSurrogate(s.charAt(EXCERPT - 1)) ? EXCERPT - 1 : EXCERPT;
    return s.substring(0, end) + "...";
  }

  String source() {
    return source;
  }

  String column() {
    return column;
  }

  Op op() {
    return op;
  }

  String value() {
    return value;
  }

  /**
   * True if {@code cell} passes. A numeric comparison with a cell that is not a number fails and
   * warns through {@code out}.
   */
  boolean test(CharSequence cell, Emitter out) {
    switch (op) {
      case EQ:
        return value.contentEquals(cell);
      case NE:
        return !value.contentEquals(cell);
      case FIND:
        return java.util.Objects.requireNonNull(pattern, "pattern").matcher(cell).find();
      default:
        int c = compareNumber(cell);
        if (c == NOT_A_NUMBER) {
          out.warn(
              "filter("
                  + source.strip()
                  + "): value '"
                  + excerpt(cell.toString())
                  + "' in column '"
                  + column
                  + "' is not a number; row dropped");
          return false;
        }
        switch (op) {
          case LT:
            return c < 0;
          case LE:
            return c <= 0;
          case GT:
            return c > 0;
          default:
            return c >= 0;
        }
    }
  }

  /** The sign of {@code cell - literal}, or {@link #NOT_A_NUMBER}. Numeric operators only. */
  int compareNumber(CharSequence cell) {
    if (literalIsLong) {
      int c = comparePlain(cell, literal);
      if (c != NOT_A_NUMBER) {
        return c;
      }
    }
    return compareBigDecimal(cell.toString());
  }

  /**
   * The sign of {@code cell - literal} when {@code cell} is an optional sign, 1 to 18 ASCII digits,
   * and optionally a point followed by at least one ASCII digit (such as amounts: {@code 199.00});
   * else {@link #NOT_A_NUMBER}, and the caller asks {@link BigDecimal}. With the cell as sign x (I
   * + F), I its integer digits and 0 <= F < 1 its fraction, only I and whether F is zero matter
   * against a whole literal: this avoids a BigDecimal per row (a fifth of a transformer's time on a
   * filter such as {@code amount > 100}; issue #6).
   */
  private static int comparePlain(CharSequence s, long literal) {
    int n = s.length();
    int i = 0;
    boolean negative = false;
    if (n > 0) {
      char c = s.charAt(0);
      if (c == '-' || c == '+') {
        negative = c == '-';
        i = 1;
      }
    }
    int start = i;
    long whole = 0;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      whole = whole * 10 + (c - '0');
      if (i - start >= MAX_PLAIN_DIGITS) {
        return NOT_A_NUMBER;
      }
    }
    if (i == start) {
      return NOT_A_NUMBER;
    }
    boolean fraction = false;
    if (i < n) {
      if (s.charAt(i) != '.' || i == n - 1) {
        return NOT_A_NUMBER;
      }
      for (i++; i < n; i++) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
          return NOT_A_NUMBER;
        }
        fraction |= c != '0';
      }
    }
    if (negative && literal == Long.MIN_VALUE) {
      return NOT_A_NUMBER; // -literal overflows; BigDecimal decides
    }
    // |cell| = whole + F, compared with the literal mirrored to the cell's side of zero.
    long target = negative ? -literal : literal;
    int magnitude = whole != target ? Long.compare(whole, target) : fraction ? 1 : 0;
    return negative ? -magnitude : magnitude;
  }

  /** Like {@link #compareNumber} but always through {@link BigDecimal}: the reference for tests. */
  int compareBigDecimal(String cell) {
    // Cheap pre-check so that common non-numbers ("", "N/A", " 5") do not cost an exception:
    // BigDecimal requires an optional sign followed by a digit or a point.
    if (cell.isEmpty()) {
      return NOT_A_NUMBER;
    }
    char first = cell.charAt(0);
    if (!(first == '+' || first == '-' || first == '.' || Character.isDigit(first))) {
      return NOT_A_NUMBER;
    }
    try {
      return Integer.signum(new BigDecimal(cell).compareTo(number));
    } catch (NumberFormatException e) {
      return NOT_A_NUMBER;
    }
  }

  @Override
  public String toString() {
    return source;
  }
}
