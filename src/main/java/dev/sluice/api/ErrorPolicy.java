package dev.sluice.api;

/**
 * What a run does with bad input.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public enum ErrorPolicy {
  /** The first bad record or file fails the run (the default). */
  FAIL,
  /**
   * Bad records are skipped and written to the file's reject file; a file that cannot be read to
   * its end is dropped whole (one {@link ErrorType#FILE_FAILED} reject). Thresholds ({@link
   * PipelineSpec#maxErrors()}) still fail the run when there are too many.
   */
  SKIP;

  /**
   * The policy named {@code fail} or {@code skip} (any case, surrounding blanks ignored), or null:
   * one reading of the name for the command line and job files.
   */
  public static @org.jspecify.annotations.Nullable ErrorPolicy byName(String name) {
    switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "fail":
        return FAIL;
      case "skip":
        return SKIP;
      default:
        return null;
    }
  }
}
