package dev.sluice.api;

import org.jspecify.annotations.Nullable;

/**
 * Root of Sluice's unchecked exception family. Catch this to handle every failure Sluice reports.
 *
 * <p>Immutable once thrown (suppressed exceptions aside) and therefore safe to pass between
 * threads.
 *
 * @since 0.1
 */
public class SluiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message and an optional cause. */
  public SluiceException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /** Creates an exception with a message. */
  public SluiceException(String message) {
    super(message);
  }
}
