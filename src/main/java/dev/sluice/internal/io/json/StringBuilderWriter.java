package dev.sluice.internal.io.json;

import java.io.Writer;
import org.jspecify.annotations.Nullable;

/**
 * A writer that appends to a {@link StringBuilder} that can be changed between writes, so one
 * generator can serve buffers the engine swaps. Commons IO's {@code StringBuilderWriter} fixes its
 * builder at construction.
 *
 * <p>Not thread-safe.
 */
final class StringBuilderWriter extends Writer {
  private @Nullable StringBuilder target;

  /** Sets where writes go; null while no call is in progress. */
  void target(@Nullable StringBuilder target) {
    this.target = target;
  }

  private StringBuilder out() {
    StringBuilder t = target;
    if (t == null) {
      throw new IllegalStateException("write outside a record");
    }
    return t;
  }

  @Override
  public void write(char[] cbuf, int off, int len) {
    out().append(cbuf, off, len);
  }

  @Override
  public void write(String str, int off, int len) {
    out().append(str, off, off + len);
  }

  @Override
  public void write(int c) {
    out().append((char) c);
  }

  @Override
  public Writer append(CharSequence csq) {
    out().append(csq);
    return this;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
