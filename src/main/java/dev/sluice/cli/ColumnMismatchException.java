package dev.sluice.cli;

import dev.sluice.api.SluiceException;

/**
 * The parts of a run cannot be joined into one output under the chosen {@code --column-match}: a
 * file's columns differ from the first file's. Found after the run read the inputs, so it is a
 * failed run (exit 1), like a bad record under {@code --on-error fail}; nothing of the joined
 * output was written. Immutable.
 */
final class ColumnMismatchException extends SluiceException {
  private static final long serialVersionUID = 1L;

  ColumnMismatchException(String message) {
    super(message);
  }
}
