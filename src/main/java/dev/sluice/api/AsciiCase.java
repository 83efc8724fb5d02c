package dev.sluice.api;

import dev.sluice.api.internal.LazyFields;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * {@link UpperStep} and {@link LowerStep} on a value whose bytes are ASCII: for ASCII text, {@code
 * toUpperCase(Locale.ROOT)} changes exactly a-z to A-Z and {@code toLowerCase(Locale.ROOT)} A-Z to
 * a-z (the root locale has no Turkish dotted I; the default locale is never asked), so the bytes
 * tell whether the value changes, and give the new one, without making the old value's String. A
 * value with any other byte takes the step's {@code String} path, whose Unicode case mappings
 * (&szlig; to SS, final sigma, ...) the bytes cannot stand in for.
 *
 * <p>Stateless and thread-safe.
 */
final class AsciiCase {
  private AsciiCase() {}

  /**
   * {@link ValueStep#change} for a step that moves the 26 letters from {@code first} ('a' or 'A')
   * to the other case.
   */
  static @Nullable String change(ValueStep step, Row row, int p, char first) {
    long range = row.utf8Range(p);
    if (range < 0) {
      return step.changeValue(row, p);
    }
    byte[] b = row.utf8Bytes();
    int from = LazyFields.start(range);
    int to = LazyFields.end(range);
    int at = -1;
    for (int i = from; i < to; i++) {
      int c = b[i];
      if (c < 0) {
        return step.changeValue(row, p); // beyond ASCII
      }
      if (at < 0 && isLetter(c, first)) {
        at = i;
      }
    }
    if (at < 0) {
      return null; // the value as it is: left unmade
    }
    byte[] out = Arrays.copyOfRange(b, from, to);
    for (int i = at - from; i < out.length; i++) {
      if (isLetter(out[i], first)) {
        out[i] ^= 0x20; // ASCII cases differ in this bit alone
      }
    }
    // ASCII bytes are their chars in ISO-8859-1, the decoding that only copies them.
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  private static boolean isLetter(int c, char first) {
    return c - first >= 0 && c - first < 26;
  }
}
