package dev.sluice.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses byte sizes such as {@code 65536}, {@code 64k}, {@code 64m}, {@code 1g}, {@code 64MiB}. */
final class Sizes {
  // k, m, g, t with optional "b" or "ib": all powers of 1024, as in -Xmx and most buffer flags.
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(?:([kmgt])(?:i?b)?|b)?", Pattern.CASE_INSENSITIVE);

  private Sizes() {}

  /**
   * The number of bytes {@code text} stands for.
   *
   * @throws IllegalArgumentException if it is not a size, or is too large for a long
   */
  static long parseBytes(String text) {
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
}
