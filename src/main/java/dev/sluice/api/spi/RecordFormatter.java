package dev.sluice.api.spi;

import dev.sluice.api.Columns;
import dev.sluice.api.Row;

/**
 * Turns records into output text, appended to a buffer the engine owns and reuses.
 *
 * <p>Not thread-safe: one instance per transformer thread, which may keep reusable scratch state in
 * fields.
 *
 * @since 0.1
 */
public interface RecordFormatter {
  /**
   * Appends what starts an output file with these columns (a CSV header row, or nothing), including
   * the line ending.
   */
  void header(Columns columns, StringBuilder out);

  /** Appends one record, including its line ending. */
  void record(Row row, StringBuilder out);
}
