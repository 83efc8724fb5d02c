package dev.sluice.api;

/**
 * Where a {@link Step} sends its output rows.
 *
 * <p>Not thread-safe: the engine gives each transformer thread its own emitter, valid only during
 * the {@link Step#apply} call it was passed to.
 *
 * @since 0.1
 */
public interface Emitter {
  /** Passes {@code row} to the next step (or to the output). */
  void emit(Row row);

  /**
   * Counts a warning for the current record, such as a non-numeric cell in a numeric comparison.
   * The run's result reports the total and the first few messages.
   */
  void warn(String message);
}
