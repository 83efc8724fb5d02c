package dev.sluice.internal.io;

import dev.sluice.api.Format;

/**
 * Names output files after their input files. Used by the output providers of every format; not
 * meant for callers outside {@code dev.sluice.internal.io}.
 *
 * <p>Stateless and thread-safe.
 */
public final class OutputNames {
  private static final String GZ = ".gz";

  private OutputNames() {}

  /**
   * The output file's relative name for an input file's relative name. The rule, in order:
   *
   * <ol>
   *   <li>A trailing {@code .gz} (any case) is removed: the output is compressed only if asked.
   *   <li>If the last extension is one of the known ones ({@code .csv}, {@code .tsv}, {@code .txt},
   *       {@code .jsonl}, any case), it is replaced by {@code kind}'s extension, unless it already
   *       is that extension (its case is then kept).
   *   <li>Otherwise (another extension, or none) {@code kind}'s extension is appended, except for
   *       {@link Format.Kind#LINES}, whose output keeps the name as it is: {@code app.log} stays
   *       {@code app.log}.
   *   <li>{@code .gz} is appended when {@code gzip}.
   * </ol>
   *
   * <p>Examples for CSV output: {@code a/x.csv.gz -> a/x.csv}, {@code x.tsv -> x.csv}, {@code x.log
   * -> x.log.csv}, {@code x -> x.csv}; for JSON Lines: {@code a/x.csv.gz -> a/x.jsonl}; for lines:
   * {@code x.csv -> x.txt}, {@code x.log -> x.log}.
   *
   * @param inputRelativeName the input's relative name, with {@code /} separators
   * @param kind the output kind, which gives the extension
   * @param gzip whether the output is gzip-compressed
   */
  public static String outputName(String inputRelativeName, Format.Kind kind, boolean gzip) {
    String name = inputRelativeName;
    if (name.regionMatches(true, name.length() - GZ.length(), GZ, 0, GZ.length())) {
      name = name.substring(0, name.length() - GZ.length());
    }
    String target = kind.extension();
    int dot = name.lastIndexOf('.');
    String extension = dot > name.lastIndexOf('/') ? name.substring(dot + 1) : null;
    if (extension != null && isKnown(extension)) {
      if (!extension.equalsIgnoreCase(target)) {
        name = name.substring(0, dot + 1) + target;
      }
    } else if (kind != Format.Kind.LINES) {
      name = name + '.' + target;
    }
    return gzip ? name + GZ : name;
  }

  private static boolean isKnown(String extension) {
    for (Format.Kind k : Format.Kind.values()) {
      if (k.extension().equalsIgnoreCase(extension)) {
        return true;
      }
    }
    return false;
  }
}
