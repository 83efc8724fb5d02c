package dev.sluice.cli;

/**
 * An option value or combination is invalid; {@link Main} prints the message on one line and exits
 * with 2. Immutable.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message, null, false, false);
  }
}
