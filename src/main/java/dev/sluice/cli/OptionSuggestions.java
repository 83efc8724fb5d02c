package dev.sluice.cli;

import java.util.Collection;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The "did you mean" for an option the command does not know: the known long option nearest to the
 * unknown one by edit distance (insertions, deletions, substitutions and swaps of neighbours), if
 * one is near enough to be a typo rather than another word.
 *
 * <p>Thread-safe: static methods only.
 */
final class OptionSuggestions {
  private OptionSuggestions() {}

  /**
   * The known option nearest to {@code unknown} (its {@code =value} part ignored), or null when
   * none is within a typo's distance: at most 2 edits, or a third of the name's length for long
   * names.
   */
  static @Nullable String closest(String unknown, Collection<String> known) {
    String name = unknown;
    int eq = name.indexOf('=');
    if (eq > 0) {
      name = name.substring(0, eq);
    }
    name = name.toLowerCase(Locale.ROOT);
    if (!name.startsWith("--") || name.length() < 4) {
      return null;
    }
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      if (!k.startsWith("--")) {
        continue;
      }
      int d = distance(name, k);
      // Ties go to the name listed first, so the answer does not depend on hashing.
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    int allowed = Math.max(2, (name.length() - 2) / 3);
    return best != null && bestDistance <= allowed ? best : null;
  }

  /** The optimal string alignment distance between {@code a} and {@code b}. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          v = Math.min(v, d[i - 2][j - 2] + 1);
        }
        d[i][j] = v;
      }
    }
    return d[a.length()][b.length()];
  }

  /** {@code "; did you mean '--x'?"} for an unknown option near {@code --x}, else empty. */
  static String hint(String unknown, Collection<String> known) {
    String c = closest(unknown, known);
    return c == null ? "" : "; did you mean '" + c + "'?";
  }
}
