package dev.sluice.api;

/**
 * Why a record or a file was rejected: the fixed set of error types that appear in reject files,
 * messages, the run report and {@link Reject}.
 *
 * @since 0.1
 */
public enum ErrorType {
  /** CSV syntax that cannot be parsed: an unterminated quote, junk after a closing quote. */
  MALFORMED_CSV,
  /** More or fewer fields than the header. */
  WRONG_FIELD_COUNT,
  /** Bytes that are not valid in the charset. */
  INVALID_ENCODING,
  /** A record longer than the record size limit. */
  RECORD_TOO_LARGE,
  /** A column a step names is missing from the file's header. */
  MISSING_COLUMN,
  /** A step threw (or emitted something invalid) for this record. */
  STEP_FAILED,
  /**
   * The whole file failed: unreadable, truncated or corrupt gzip, binary, or a parse error with no
   * safe place to resume.
   */
  FILE_FAILED
}
