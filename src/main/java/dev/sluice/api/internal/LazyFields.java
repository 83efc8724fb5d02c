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
  private static final byte[] NO_BYTES = new byte[0];

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

  /**
   * The array that holds the fields' bytes, for the ranges {@link #utf8Range} gives; by default
   * empty, as there are none.
   */
  public byte[] bytes() {
    return NO_BYTES;
  }

  /**
   * Where in {@link #bytes} field {@code i}'s bytes are, if they are exactly {@code
   * value(i).getBytes(UTF_8)}: the start in the high 32 bits and the end (exclusive) in the low 32,
   * or -1 if they are not (a field with doubled quotes, non-ASCII bytes of another charset). Lets a
   * step that wants the value's UTF-8 bytes (a hash) or can tell from ASCII bytes that the value
   * stays as it is (upper) skip making the String; packed into one long so that asking costs no
   * allocation per field. By default -1.
   *
   * @see #start
   * @see #end
   */
  public long utf8Range(int i) {
    return -1;
  }

  /** The start of a range {@link #utf8Range} gave. */
  public static int start(long range) {
    return (int) (range >>> 32);
  }

  /** The end (exclusive) of a range {@link #utf8Range} gave. */
  public static int end(long range) {
    return (int) range;
  }

  /** A range for {@link #utf8Range}: {@code from} and {@code to} are at least 0. */
  protected static long range(int from, int to) {
    return ((long) from << 32) | to;
  }
}
