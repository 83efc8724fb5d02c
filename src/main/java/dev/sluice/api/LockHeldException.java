package dev.sluice.api;

import org.jspecify.annotations.Nullable;

/**
 * Another run of the same job, or another job writing the same output directory, holds the run
 * lock. The CLI maps it to exit code 4.
 *
 * <p>Immutable; safe to pass between threads.
 *
 * @since 0.1
 */
public class LockHeldException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception naming the lock that is held. */
  public LockHeldException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
