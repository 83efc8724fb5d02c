package dev.sluice.internal.io.lines;

import dev.sluice.api.Columns;
import dev.sluice.api.Row;
import dev.sluice.api.spi.RecordFormatter;

/**
 * Appends each record as its tab-joined values and a line ending.
 *
 * <p>Not thread-safe: one instance per transformer thread (it holds no per-record state).
 */
final class LinesRecordFormatter implements RecordFormatter {
  private final String lineSeparator;

  LinesRecordFormatter(String lineSeparator) {
    this.lineSeparator = lineSeparator;
  }

  /** Appends nothing: plain text has no header. */
  @Override
  public void header(Columns columns, StringBuilder out) {}

  @Override
  public void record(Row row, StringBuilder out) {
    int n = row.size();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.append('\t');
      }
      out.append(row.get(i));
    }
    out.append(lineSeparator);
  }
}
