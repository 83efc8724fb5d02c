package dev.sluice.api;

import org.jspecify.annotations.Nullable;

/**
 * A job definition, flag or input path is invalid; nothing was processed. The CLI maps it to exit
 * code 2. The message says what is wrong and how to fix it.
 *
 * <p>Immutable; safe to pass between threads.
 *
 * @since 0.1
 */
public class ConfigurationException extends SluiceException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that says how to fix the problem. */
  public ConfigurationException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the underlying cause. */
  public ConfigurationException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
