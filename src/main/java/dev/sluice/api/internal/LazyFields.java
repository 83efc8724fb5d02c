package dev.sluice.api.internal;

/**
 * The fields of one record kept as the bytes they were read from, for a {@link dev.sluice.api.Row}
 * that makes each value only when a step (or the writer) first asks for it: a record that a filter
 * drops after reading one field costs one String, not one per field. Made by readers that keep
 * their records' bytes ({@code ByteCsvRecordReader}), through {@link ApiAccess#lazyRow}.
 *
 * <p>Implementations are immutable and thread-safe: the bytes are never written after the record
 * was read, and {@link #value} may be called by any thread, more than once for the same field.
 */
public abstract class LazyFields {
  /** For subclasses in Sluice's own packages. */
  protected LazyFields() {}

  /** The value of field {@code i} (0-based, below the row's size), made from its bytes. */
  public abstract String value(int i);

  /**
   * The value of field {@code i} as chars to be read once (by a filter), without making its String
   * where the bytes are the chars (ASCII and ISO-8859-1 text): by default {@link #value}.
   */
  public CharSequence text(int i) {
    return value(i);
  }
}
