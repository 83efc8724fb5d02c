package dev.sluice.api;

/**
 * What a run does with bad input.
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
  SKIP
}
