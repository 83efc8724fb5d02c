package dev.sluice.cli;

/**
 * A run that failed because the process is shutting down (Ctrl-C, SIGTERM); {@link Main} exits with
 * 130. Immutable.
 */
final class InterruptedRunException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  InterruptedRunException(String message, Throwable cause) {
    super(message, cause);
  }
}
