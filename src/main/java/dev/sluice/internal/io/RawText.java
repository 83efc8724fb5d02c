package dev.sluice.internal.io;

/**
 * The text of a bad record as readers report it for reject files ({@link
 * dev.sluice.api.spi.RecordReader#rawText()}): at most {@link #LIMIT} chars, followed by {@code …}
 * when there is more. Used by the readers of every input format; not meant for callers outside
 * {@code dev.sluice.internal.io}.
 *
 * <p>Stateless and thread-safe.
 */
public final class RawText {
  /** The longest text kept, in chars: 4 KiB. */
  public static final int LIMIT = 4096;

  /** Appended to text that was cut. */
  public static final String ELLIPSIS = "…";

  private RawText() {}

  /**
   * The first chars of a record's text.
   *
   * @param chars holds the record's first chars from {@code from}
   * @param available how many of them {@code chars} holds
   * @param total the length of the whole text as far as it is known
   * @param more whether the text goes on beyond {@code total}
   */
  public static String of(char[] chars, int from, int available, long total, boolean more) {
    int n = (int) Math.min(Math.min(available, total), LIMIT);
    boolean cut = more || total > n;
    if (cut && n > 0 && Character.isHighSurrogate(chars[from + n - 1])) {
      // Keeps a supplementary character whole rather than leave half of it.
      n--;
    }
    String text = new String(chars, from, n);
    return cut ? text + ELLIPSIS : text;
  }

  /** {@code text}, cut to {@link #LIMIT} chars. */
  public static String of(CharSequence text) {
    if (text.length() <= LIMIT) {
      return text.toString();
    }
    int n = LIMIT;
    if (Character.isHighSurrogate(text.charAt(n - 1))) {
      n--;
    }
    return text.subSequence(0, n) + ELLIPSIS;
  }
}
