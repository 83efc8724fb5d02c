package dev.sluice.api.spi;

import dev.sluice.api.ErrorType;
import java.io.IOException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A record cannot be read: bad syntax, wrong field count, undecodable bytes. Thrown by {@link
 * RecordReader#next()} with the position built from the reader's own counters (never parsed from a
 * parser's message, whose number format depends on the locale).
 *
 * <p>{@link #recoverable()} tells whether the reader can go on with the next record (the error
 * concerned one record, such as a wrong field count) or not (the parser lost its place, such as an
 * unterminated quote, or the file itself failed).
 *
 * <p>Immutable; safe to pass between threads.
 *
 * @since 0.1
 */
public class RecordException extends IOException {
  private static final long serialVersionUID = 1L;

  private final ErrorType type;
  private final String reason;
  private final long line;
  private final long recordNumber;
  private final long byteOffset;
  private final int column;
  private final boolean recoverable;
  private transient volatile @Nullable String message;

  /**
   * Creates an exception.
   *
   * @param type what went wrong
   * @param reason a short reason, without position (the position is added)
   * @param line 1-based line where the record starts, or -1
   * @param recordNumber 1-based record number, or -1
   * @param byteOffset byte offset in the file, or -1
   * @param column 1-based column, or -1
   * @param recoverable whether reading can continue with the next record
   * @param cause the underlying exception, or null
   */
  public RecordException(
      ErrorType type,
      String reason,
      long line,
      long recordNumber,
      long byteOffset,
      int column,
      boolean recoverable,
      @Nullable Throwable cause) {
    // The message is built when asked for: under --on-error skip most of these are only counted
    // and written as reject rows (type, reason, position), and a formatted message per bad record
    // was most of the CPU of an all-rejected run.
    super(null, cause);
    this.type = type;
    this.reason = reason;
    this.line = line;
    this.recordNumber = recordNumber;
    this.byteOffset = byteOffset;
    this.column = column;
    this.recoverable = recoverable;
  }

  /** {@code TYPE: reason (line L, column C, byte B)}, with the parts that are known. */
  @Override
  public String getMessage() {
    String m = message;
    if (m == null) {
      m = describe(type, reason, line, byteOffset, column);
      message = m;
    }
    return m;
  }

  private static String describe(
      ErrorType type, String reason, long line, long offset, int column) {
    StringBuilder sb = new StringBuilder(type.name()).append(": ").append(reason);
    if (line > 0) {
      sb.append(String.format(Locale.ROOT, " (line %,d", line));
      if (column > 0) {
        sb.append(String.format(Locale.ROOT, ", column %,d", column));
      }
      if (offset >= 0) {
        sb.append(String.format(Locale.ROOT, ", byte %,d", offset));
      }
      sb.append(')');
    } else if (offset >= 0) {
      sb.append(String.format(Locale.ROOT, " (byte %,d)", offset));
    }
    return sb.toString();
  }

  /** What went wrong. */
  public ErrorType type() {
    return type;
  }

  /** What went wrong, without the position (which the fields carry). */
  public String reason() {
    return reason;
  }

  /** The 1-based line where the record starts, or -1. */
  public long line() {
    return line;
  }

  /** The 1-based record number, or -1. */
  public long recordNumber() {
    return recordNumber;
  }

  /** The byte offset in the file, or -1. */
  public long byteOffset() {
    return byteOffset;
  }

  /** The 1-based column, or -1. */
  public int column() {
    return column;
  }

  /** Whether reading can continue with the next record. */
  public boolean recoverable() {
    return recoverable;
  }
}
