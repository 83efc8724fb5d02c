package dev.sluice.api.internal;

import dev.sluice.api.Columns;
import dev.sluice.api.Row;

/**
 * A record formatter that can also write UTF-8 bytes itself ({@link Utf8Sink}): the transformer
 * uses this when the output charset is UTF-8, and the formatter's {@code StringBuilder} methods
 * otherwise. Both must give the same text.
 *
 * <p>Implementations need not be thread-safe: one per transformer thread.
 */
public interface Utf8Formatter {
  /** As {@code RecordFormatter.header}, into {@code out}. */
  void header(Columns columns, Utf8Sink out);

  /** As {@code RecordFormatter.record}, into {@code out}. */
  void record(Row row, Utf8Sink out);
}
