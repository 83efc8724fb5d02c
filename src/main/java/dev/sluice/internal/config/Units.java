package dev.sluice.internal.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations and byte sizes that job files and the command line share:
 *
 * <pre>{@code
 * Units.duration("1h30m");  // PT1H30M; also 30s, 5m, 2d, 250ms, 0, or ISO-8601 such as PT10M
 * Units.bytes("64m");       // 67108864; also 65536, 512k, 1g, 64MiB (k, m, g, t are powers of 1024)
 * }</pre>
 *
 * <p>Thread-safe: static methods without state. Parsing is independent of the default locale.
 *
 * @since 0.1
 */
public final class Units {
  // k, m, g, t with optional "b" or "ib": all powers of 1024, as in -Xmx and most buffer flags.
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(?:([kmgt])(?:i?b)?|b)?", Pattern.CASE_INSENSITIVE);

  // One or more <number><unit> parts, largest unit first by convention (not enforced): 1h30m.
  private static final Pattern DURATION_PART =
      Pattern.compile("(\\d+)(ms|d|h|m|s)", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION =
      Pattern.compile("(?:\\d+(?:ms|d|h|m|s))+", Pattern.CASE_INSENSITIVE);

  private Units() {}

  /**
   * The duration {@code text} stands for: {@code 0}, one or more parts such as {@code 30s}, {@code
   * 5m}, {@code 1h30m}, {@code 2d}, {@code 250ms} (units d, h, m, s, ms), or an ISO-8601 duration
   * such as {@code PT10M}.
   *
   * @throws IllegalArgumentException if it is not a duration, is negative, or is too long
   */
  public static Duration duration(String text) {
    String s = text.strip();
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.startsWith("P") || s.startsWith("p")) {
      Duration d;
      try {
        d = Duration.parse(s.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not a duration: '" + text + "'");
      }
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative duration: '" + text + "'");
      }
      return d;
    }
    if (!DURATION.matcher(s).matches()) {
      throw new IllegalArgumentException("not a duration: '" + text + "'");
    }
    Duration total = Duration.ZERO;
    Matcher m = DURATION_PART.matcher(s);
    try {
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "ms":
            total = total.plusMillis(n);
            break;
          case "s":
            total = total.plusSeconds(n);
            break;
          case "m":
            total = total.plus(Duration.ofMinutes(n));
            break;
          case "h":
            total = total.plus(Duration.ofHours(n));
            break;
          default:
            total = total.plus(Duration.ofDays(n));
            break;
        }
      }
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("duration too long: '" + text + "'");
    }
    return total;
  }

  /**
   * The number of bytes {@code text} stands for: digits with an optional unit {@code k}, {@code m},
   * {@code g} or {@code t} (powers of 1024, optionally followed by {@code b} or {@code ib}).
   *
   * @throws IllegalArgumentException if it is not a size, or is too large for a long
   */
  public static long bytes(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: '" + text + "'");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("size too large: '" + text + "'");
    }
    String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
    int shift;
    switch (unit) {
      case "":
        shift = 0;
        break;
      case "k":
        shift = 10;
        break;
      case "m":
        shift = 20;
        break;
      case "g":
        shift = 30;
        break;
      default:
        shift = 40;
        break;
    }
    if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("size too large: '" + text + "'");
    }
    return n << shift;
  }

  /** A duration as the shortest text {@link #duration} reads back, e.g. {@code 1h30m}. */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
      return d.toString();
    }
    StringBuilder sb = new StringBuilder();
    long days = d.toDays();
    Duration rest = d.minusDays(days);
    append(sb, days, "d");
    append(sb, rest.toHours(), "h");
    append(sb, rest.toMinutesPart(), "m");
    append(sb, rest.toSecondsPart(), "s");
    append(sb, rest.toMillisPart(), "ms");
    return sb.toString();
  }

  private static void append(StringBuilder sb, long n, String unit) {
    if (n > 0) {
      sb.append(n).append(unit);
    }
  }
}
