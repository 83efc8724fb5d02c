package dev.sluice.api;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * The built-in steps: filter rows, select, drop and rename columns, and rewrite values.
 *
 * <pre>{@code
 * PipelineSpec spec = PipelineSpec.builder()
 *     .input(Path.of("in"))
 *     .output(Path.of("out"))
 *     .step(Steps.filter("status == SHIPPED"))
 *     .step(Steps.select("order_id", "email", "amount"))
 *     .step(Steps.rename("order_id", "id"))
 *     .step(Steps.trim("email"))
 *     .step(Steps.lower("email"))
 *     .step(Steps.hash("email"))
 *     .build();
 * }</pre>
 *
 * <p>Every factory checks its arguments at once and throws {@link ConfigurationException} with a
 * message saying how to fix them. A step that names a column checks in {@link Step#outputColumns}
 * that the input has it and otherwise throws {@link MissingColumnException}, which fails that file
 * before any of its rows is processed. Column positions are looked up once per input {@link
 * Columns} instance, not per row. Every step but {@link #filter} emits exactly one row per input
 * row.
 *
 * <p>The steps returned are immutable apart from an internal cache of column positions, and
 * thread-safe: one instance may be shared by any number of threads and jobs. They are {@link
 * java.io.Serializable} and work the same after a serialization round trip. This class itself has
 * no state.
 *
 * @since 0.1
 */
public final class Steps {
  private Steps() {}

  /**
   * Keeps the rows whose cell passes a comparison {@code column OP value}:
   *
   * <ul>
   *   <li>{@code ==} and {@code !=} compare text exactly: {@code status == SHIPPED};
   *   <li>{@code < <= > >=} compare decimal numbers, so {@code 0100 > 99} and {@code 1.50 <= 1.5}
   *       hold. A cell that is not a number as {@link java.math.BigDecimal#BigDecimal(String)}
   *       reads it (no surrounding spaces, no thousands separators) fails the test and counts a
   *       warning through {@link Emitter#warn};
   *   <li>{@code ~} keeps the row if a regular expression matches anywhere in the cell ({@link
   *       java.util.regex.Matcher#find}): {@code email ~ '@example\.org$'}.
   * </ul>
   *
   * <p>The column is a bare word of letters, digits, {@code _}, {@code .} and {@code -}, or is
   * quoted with {@code "..."}, {@code '...'} or backticks: {@code "order date" >= 20240101}. The
   * value is quoted with {@code '...'} or {@code "..."} or else is the rest of the expression
   * without surrounding spaces: {@code status == 'in transit'} and {@code status == in transit} are
   * the same test. Inside quotes a doubled quote stands for one: {@code name == 'O''Brien'}.
   *
   * @param expression for example {@code "amount > 100"}
   * @throws ConfigurationException if the expression is not {@code column OP value}, if a numeric
   *     operator has a value that is not a number, or if the regular expression is invalid
   */
  public static Step filter(String expression) {
    return new FilterStep(FilterExpression.parse(expression));
  }

  /**
   * Keeps only {@code columns}, in this order. The output rows share one {@link Columns} instance
   * per input {@link Columns}.
   *
   * @throws ConfigurationException if no column is given, or one is null, empty or repeated
   */
  public static Step select(String... columns) {
    return new SelectStep(columns("select", columns));
  }

  /**
   * Removes {@code columns} and keeps the others in their order. Every input column must exist.
   *
   * @throws ConfigurationException if no column is given, or one is null, empty or repeated
   */
  public static Step drop(String... columns) {
    return new DropStep(columns("drop", columns));
  }

  /**
   * Renames column {@code from} to {@code to}, keeping its position and values. The input must not
   * already have a column {@code to} (other than {@code from} itself); {@link Step#outputColumns}
   * throws {@link ConfigurationException} if it does.
   *
   * @throws ConfigurationException if a name is null or empty
   */
  public static Step rename(String from, String to) {
    return new RenameStep(column("rename", "from", from), column("rename", "to", to));
  }

  /**
   * Upper-cases the values of {@code columns} with {@link java.util.Locale#ROOT}, so the result
   * does not depend on the default locale ({@code "title"} becomes {@code "TITLE"} everywhere).
   *
   * @throws ConfigurationException if no column is given, or one is null, empty or repeated
   */
  public static Step upper(String... columns) {
    return new UpperStep(columns("upper", columns));
  }

  /**
   * Lower-cases the values of {@code columns} with {@link java.util.Locale#ROOT}, so the result
   * does not depend on the default locale.
   *
   * @throws ConfigurationException if no column is given, or one is null, empty or repeated
   */
  public static Step lower(String... columns) {
    return new LowerStep(columns("lower", columns));
  }

  /**
   * Removes leading and trailing white space from the values of {@code columns}, as {@link
   * String#strip()} does: every character for which {@link Character#isWhitespace(int)} holds,
   * which includes tabs, line breaks and Unicode spaces such as U+3000, but not the no-break space
   * U+00A0 nor control characters such as U+0000 (unlike {@link String#trim()}, which removes every
   * character up to U+0020 and no Unicode space).
   *
   * @throws ConfigurationException if no column is given, or one is null, empty or repeated
   */
  public static Step trim(String... columns) {
    return new TrimStep(columns("trim", columns));
  }

  /**
   * Replaces every match of {@code regex} in the values of {@code column} by {@code replacement},
   * as {@link java.util.regex.Matcher#replaceAll(String)} does: {@code $1} or {@code ${name}}
   * refers to a group, and {@code \$} and {@code \\} are a literal dollar and backslash.
   *
   * <pre>{@code
   * Steps.replace("phone", "[^0-9+]", "")                    // "+44 (20) 7946-0000" -> "+442079460000"
   * Steps.replace("email", "^[^@]*@(.*)$", "***@$1")         // "ann@example.org" -> "***@example.org"
   * }</pre>
   *
   * @throws ConfigurationException if an argument is null, the column is empty, the regex is
   *     invalid or the replacement refers to a group that the regex does not have
   */
  public static Step replace(String column, String regex, String replacement) {
    String c = column("replace", "column", column);
    if (regex == null) {
      throw new ConfigurationException("replace: regex is null; pass a regular expression");
    }
    if (replacement == null) {
      throw new ConfigurationException(
          "replace: replacement is null; pass \"\" to delete the matches");
    }
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new ConfigurationException(
          "replace("
              + c
              + "): bad regular expression '"
              + regex
              + "': "
              + e.getDescription()
              + (e.getIndex() >= 0 ? " (at index " + e.getIndex() + ")" : ""),
          e);
    }
    String problem = replacementProblem(pattern, replacement);
    if (problem != null) {
      throw new ConfigurationException(
          "replace(" + c + "): bad replacement '" + replacement + "': " + problem);
    }
    return new ReplaceStep(c, pattern, replacement);
  }

  /**
   * Replaces the values of {@code columns} by the SHA-256 of their UTF-8 bytes, as 64 lower-case
   * hex digits. Equal values give equal hashes, so hashed columns can still be joined and counted.
   * The hash is not salted: short or guessable values (phone numbers, e-mail addresses) can be
   * found again by hashing candidates.
   *
   * @throws ConfigurationException if no column is given, or one is null, empty or repeated
   */
  public static Step hash(String... columns) {
    return new HashStep(columns("hash", columns));
  }

  /**
   * Replaces values by the lower-case hex HMAC-SHA256 of their UTF-8 bytes under {@code key}: a
   * keyed hash for pseudonymising personal data. A plain {@link #hash} of an e-mail address can be
   * reversed by hashing a list of known addresses and comparing (a dictionary attack); without the
   * key that is not possible. Use a key of at least 32 random bytes and keep it secret.
   */
  public static Step hmac(byte[] key, String... columns) {
    if (key == null) {
      throw new ConfigurationException("hmac: no key given");
    }
    return new HmacStep(key, columns("hmac", columns));
  }

  /**
   * Neutralises spreadsheet formulas (CSV injection): a cell starting with {@code = + - @}, a tab
   * or a carriage return gets a leading {@code '} so that Excel, LibreOffice and Google Sheets show
   * it as text instead of running it. Plain numbers such as {@code -12.5} or {@code +3} are left
   * alone. Applies to every column, and to the header row where the output writes one (CSV, TSV;
   * JSON Lines keys stay the column names); put it last so no later step brings a formula back. All
   * instances are {@linkplain Object#equals equal}, so {@code
   * spec.steps().contains(Steps.escapeFormulas())} tells whether a spec escapes formulas.
   */
  public static Step escapeFormulas() {
    return new EscapeFormulasStep();
  }

  /**
   * What {@link #escapeFormulas()} makes of one cell: {@code value} with a leading {@code '} if a
   * spreadsheet would run it as a formula, else {@code value} itself. For text written beside the
   * rows, such as reject files.
   *
   * @since 0.2
   */
  public static String escapeFormula(String value) {
    return EscapeFormulasStep.escape(value);
  }

  /** A validated copy of {@code columns}. */
  private static String[] columns(String step, String @Nullable [] columns) {
    if (columns == null || columns.length == 0) {
      throw new ConfigurationException(
          step + ": no columns given; name at least one, e.g. Steps." + step + "(\"email\")");
    }
    String[] copy = columns.clone();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < copy.length; i++) {
      String c = column(step, "column " + (i + 1), copy[i]);
      if (!seen.add(c)) {
        throw new ConfigurationException(
            step + ": column '" + c + "' is listed twice; list each column once");
      }
    }
    return copy;
  }

  private static String column(String step, String what, @Nullable String name) {
    if (name == null) {
      throw new ConfigurationException(step + ": " + what + " is null; pass a column name");
    }
    if (name.isEmpty()) {
      throw new ConfigurationException(
          step + ": " + what + " is empty; pass a column name such as \"email\"");
    }
    return name;
  }

  /**
   * Why {@link java.util.regex.Matcher#replaceAll(String)} would reject {@code replacement} for
   * {@code pattern}, or null. Matcher checks only when a value matches, so a mistake would
   * otherwise surface mid-run, on the first matching row.
   */
  static @Nullable String replacementProblem(Pattern pattern, String replacement) {
    int groups = pattern.matcher("").groupCount();
    int n = replacement.length();
    for (int i = 0; i < n; i++) {
      char c = replacement.charAt(i);
      if (c == '\\') {
        i++;
        if (i == n) {
          return "it ends with a lone \\ (write \\\\ for a literal backslash)";
        }
      } else if (c == '$') {
        i++;
        if (i == n) {
          return "it ends with a lone $ (write \\$ for a literal dollar sign)";
        }
        char d = replacement.charAt(i);
        if (d == '{') {
          int close = replacement.indexOf('}', i);
          if (close < 0) {
            return "${ has no closing }";
          }
          String name = replacement.substring(i + 1, close);
          if (!isGroupName(name)) {
            return "${" + name + "} is not a group name (a letter, then letters or digits)";
          }
          // Pattern has no API for its group names before Java 20; look for the declaration.
          if (!pattern.pattern().contains("(?<" + name + ">")) {
            return "the regex has no group named '" + name + "'";
          }
          i = close;
        } else if (d >= '0' && d <= '9') {
          // Matcher reads the first digit, then more digits only while they name a group.
          if (d - '0' > groups) {
            return "$" + d + " refers to group " + d + " but the regex has " + groups + " group(s)";
          }
        } else {
          return "$ must be followed by a group number or {name} (write \\$ for a literal dollar)";
        }
      }
    }
    return null;
  }

  private static boolean isGroupName(String name) {
    if (name.isEmpty() || !isAsciiLetter(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isAsciiLetter(c) && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
