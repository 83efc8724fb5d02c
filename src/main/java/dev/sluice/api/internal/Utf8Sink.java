package dev.sluice.api.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A transformer's output for a batch, written as UTF-8 bytes as it is formatted: no char builder
 * that turns to two bytes a char at the first char beyond ISO-8859-1 (a name in Polish or Chinese
 * in the batch), and no encoding pass over it at the end. A char that UTF-8 cannot encode (an
 * unpaired surrogate) is not refused at once: like the char builder's encoder at the end of the
 * batch, {@link #toArray()} refuses the batch, unless the record that held it was taken back with
 * {@link #setLength}.
 *
 * <p>Not thread-safe: one instance per transformer thread, reused from batch to batch.
 */
public final class Utf8Sink {
  /** Buffers that grew past this for one huge batch are dropped, not kept forever. */
  public static final int KEEP_CAPACITY = 4 * 1024 * 1024;

  private static final int INITIAL_CAPACITY = 64 * 1024;

  private byte[] buf = new byte[INITIAL_CAPACITY];
  private int length;

  /** Where the first char UTF-8 cannot encode was to go, or -1. */
  private int badAt = -1;

  /** Empties the sink for the next batch, dropping a buffer a huge batch grew. */
  public void reset() {
    if (buf.length > KEEP_CAPACITY) {
      buf = new byte[INITIAL_CAPACITY];
    }
    length = 0;
    badAt = -1;
  }

  /**
   * Lets go of the buffer, as after a failure: a batch may have grown it to what filled the heap.
   */
  public void drop() {
    buf = new byte[0];
    length = 0;
    badAt = -1;
  }

  /** The bytes written so far: a mark for {@link #setLength}. */
  public int length() {
    return length;
  }

  /** Takes back what was written after {@code mark} (a record whose step failed). */
  public void setLength(int mark) {
    length = mark;
    if (badAt >= mark) {
      badAt = -1;
    }
  }

  /** Appends {@code c}, a char that is not a surrogate (a delimiter, a quote). */
  public void append(char c) {
    if (c < 0x80) {
      ensure(1);
      buf[length++] = (byte) c;
    } else {
      append(String.valueOf(c), 0, 1);
    }
  }

  /** Appends {@code s}. */
  public void append(String s) {
    append(s, 0, s.length());
  }

  /** Appends the chars {@code [from, to)} of {@code s}. */
  public void append(String s, int from, int to) {
    ensure(to - from);
    byte[] b = buf;
    int n = length;
    int i = from;
    // ASCII, one byte a char: most of any CSV.
    for (; i < to; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        break;
      }
      b[n++] = (byte) c;
    }
    length = n;
    if (i < to) {
      appendSlow(s, i, to);
    }
  }

  /**
   * Appends {@code s} and returns true if it is all ASCII and holds neither {@code a} nor {@code b}
   * nor a line break; otherwise appends nothing and returns false. One pass for the common value a
   * CSV writer writes as it is, instead of one to decide on quotes and one to encode.
   */
  public boolean appendPlainAscii(String s, char a, char b) {
    int len = s.length();
    ensure(len);
    byte[] out = buf;
    int n = length;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c >= 0x80 || c == a || c == b || c == '\n' || c == '\r') {
        return false; // what was copied lies past the length, to be written over
      }
      out[n++] = (byte) c;
    }
    length = n;
    return true;
  }

  /** Appends the bytes {@code [from, to)} of {@code b}, which are UTF-8 already. */
  public void append(byte[] b, int from, int to) {
    int n = to - from;
    ensure(n);
    System.arraycopy(b, from, buf, length, n);
    length += n;
  }

  private void appendSlow(String s, int from, int to) {
    // At most three bytes a char (a surrogate pair: four for two).
    ensure(3 * (to - from));
    byte[] b = buf;
    int n = length;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[n++] = (byte) c;
      } else if (c < 0x800) {
        b[n++] = (byte) (0xC0 | (c >> 6));
        b[n++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        char low = i + 1 < to ? s.charAt(i + 1) : 0;
        if (Character.isHighSurrogate(c) && Character.isLowSurrogate(low)) {
          int cp = Character.toCodePoint(c, low);
          b[n++] = (byte) (0xF0 | (cp >> 18));
          b[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
          b[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
          b[n++] = (byte) (0x80 | (cp & 0x3F));
          i++;
        } else if (badAt < 0) {
          badAt = n;
        }
      } else {
        b[n++] = (byte) (0xE0 | (c >> 12));
        b[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[n++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    length = n;
  }

  /**
   * The bytes of the batch, in a new array of exactly their length.
   *
   * @throws IllegalArgumentException if the batch holds a char UTF-8 cannot encode, with the
   *     message the char builder's encoder gives
   */
  public byte[] toArray() {
    if (badAt >= 0) {
      int at = new String(buf, 0, badAt, StandardCharsets.UTF_8).length();
      throw new IllegalArgumentException(
          "output contains a character that UTF-8 cannot encode (near output char " + at + ")");
    }
    return Arrays.copyOf(buf, length);
  }

  private void ensure(int more) {
    if (buf.length - length < more) {
      buf =
          Arrays.copyOf(
              buf,
              (int)
                  Math.min(
                      Integer.MAX_VALUE - 16L, Math.max(2L * buf.length, (long) length + more)));
    }
  }
}
