package dev.sluice.cli;

/**
 * A run that failed because the process is shutting down on a signal; {@link Main} exits with 130
 * (SIGINT) or 143 (SIGTERM). Immutable.
 */
final class InterruptedRunException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;

  InterruptedRunException(String message, int code, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** 130 or 143. */
  int code() {
    return code;
  }
}
