package dev.sluice.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Directory names for {@code --partition-by}: {@code COLUMN=VALUE} with the column and the value
 * made safe as one path element, and distinct values always given distinct names, as URL inputs'
 * names are ({@code engine.UrlNames}). Path separators ({@code /}, {@code \}), control characters
 * (C0, C1, line and paragraph separators, bidirectional overrides) and {@code : * ? " < > |} become
 * {@code _}; the empty value is {@code __empty__}; a value longer than {@value #MAX_VALUE_BYTES}
 * UTF-8 bytes (a column name longer than {@value #MAX_COLUMN_BYTES}) is cut and gets {@code -} and
 * 8 hex digits of its SHA-256. Values whose names clash (after cleaning, ignoring case, since some
 * file systems do) each get {@code -} and 8 hex digits of the value's SHA-256, whatever order they
 * came in; a name is therefore at most 230 bytes, within every common file system's limit. The
 * value itself is kept in the partition file's records, so nothing is lost by cleaning.
 *
 * <p>Stateless and thread-safe.
 */
final class PartitionNames {
  static final int MAX_VALUE_BYTES = 100;
  static final int MAX_COLUMN_BYTES = 64;
  static final String EMPTY = "__empty__";

  private PartitionNames() {}

  /** The directory name part for the column: {@code COLUMN} of {@code COLUMN=VALUE}. */
  static String column(String column) {
    return base(column, MAX_COLUMN_BYTES);
  }

  /**
   * {@code s} cleaned and cut; when the file system cannot name it even so (a lone surrogate, or a
   * JVM whose file name encoding is ASCII, as under {@code LANG=C}), its non-ASCII characters are
   * replaced too and the hash tells it apart.
   */
  private static String base(String s, int max) {
    String cut = cut(clean(s), s, max);
    if (nameable(cut)) {
      return cut;
    }
    StringBuilder ascii = new StringBuilder();
    clean(s).chars().forEach(c -> ascii.append(c < 0x80 ? (char) c : '_'));
    String suffix =
        "-" + hash(s, 8); // always: values that differ only outside ASCII now look alike
    return ascii.substring(0, Math.min(ascii.length(), max - suffix.length())) + suffix;
  }

  @SuppressWarnings("ReturnValueIgnored") // Path.of is called for its InvalidPathException
  private static boolean nameable(String name) {
    try {
      java.nio.file.Path.of(name);
      return true;
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  /** The names of {@code values} (distinct), in the same order: distinct, even ignoring case. */
  static List<String> names(List<String> values) {
    List<String> base = new ArrayList<>(values.size());
    for (String v : values) {
      base.add(v.isEmpty() ? EMPTY : base(v, MAX_VALUE_BYTES));
    }
    List<String> names = new ArrayList<>(base);
    // Rounds with longer hashes only if a value's own text looks like another's suffixed name.
    for (int hexDigits : new int[] {8, 16, 64}) {
      Map<String, Integer> count = new HashMap<>();
      for (String n : names) {
        count.merge(n.toLowerCase(Locale.ROOT), 1, Integer::sum);
      }
      boolean clash = false;
      for (int i = 0; i < names.size(); i++) {
        if (count.getOrDefault(names.get(i).toLowerCase(Locale.ROOT), 0) > 1) {
          // Every clashing value gets the suffix, the first one too: names do not depend on order.
          names.set(i, base.get(i) + "-" + hash(values.get(i), hexDigits));
          clash = true;
        }
      }
      if (!clash) {
        return names;
      }
    }
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String other = seen.putIfAbsent(names.get(i).toLowerCase(Locale.ROOT), values.get(i));
      if (other != null) {
        throw new IllegalStateException(
            "partition values '"
                + other
                + "' and '"
                + values.get(i)
                + "' share the name "
                + names.get(i));
      }
    }
    return names;
  }

  /** {@code s} with every character that is unsafe in a file name replaced by {@code _}. */
  static String clean(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(c -> sb.appendCodePoint(unsafe(c) ? '_' : c));
    return sb.toString();
  }

  private static boolean unsafe(int c) {
    switch (c) {
      case '/':
      case '\\':
      case ':':
      case '*':
      case '?':
      case '"':
      case '<':
      case '>':
      case '|':
      case 0x2028: // line and paragraph separators
      case 0x2029:
        return true;
      default:
        // Controls (C0, DEL, C1), and the bidirectional overrides that make a name read otherwise.
        return Character.isISOControl(c)
            || (c >= 0x202a && c <= 0x202e)
            || (c >= 0x2066 && c <= 0x2069);
    }
  }

  /** {@code clean}, cut to {@code max} UTF-8 bytes with a hash of {@code original} when longer. */
  private static String cut(String clean, String original, int max) {
    if (clean.getBytes(StandardCharsets.UTF_8).length <= max) {
      return clean;
    }
    String suffix = "-" + hash(original, 8);
    int budget = max - suffix.length();
    StringBuilder sb = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < clean.length(); ) {
      int c = clean.codePointAt(i);
      int n = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + n > budget) {
        break;
      }
      sb.appendCodePoint(c);
      bytes += n;
      i += Character.charCount(c);
    }
    return sb + suffix;
  }

  static String hash(String value, int hexDigits) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h).substring(0, hexDigits);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
