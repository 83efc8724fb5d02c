package dev.sluice.internal.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * The bytes {@code [start, end)} of a file whose size was taken when it was listed: reads stop at
 * {@code end} whatever was appended since, and fail with a {@link FileChangedException} if the file
 * ends before it (it shrank, or was replaced by a shorter one). When {@code end} is the listed end
 * of the file, reaching it also looks one byte further, to tell whether the file grew ({@link
 * #grew()}).
 *
 * <p>Not thread-safe: one instance per open file.
 */
final class ListedBytes extends FilterInputStream {
  private final long end;
  private final long listedSize;
  private final boolean lookForGrowth;
  private long position;
  private boolean grew;
  private boolean looked;

  /**
   * @param in the file's bytes from {@code start}
   * @param end the first byte not to read
   * @param listedSize the file's size when listed, for messages
   * @param lookForGrowth whether {@code end} is the listed end of the file
   */
  ListedBytes(InputStream in, long start, long end, long listedSize, boolean lookForGrowth) {
    super(in);
    this.end = end;
    this.listedSize = listedSize;
    this.lookForGrowth = lookForGrowth;
    this.position = start;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    long left = end - position;
    if (left <= 0) {
      if (lookForGrowth && !looked) {
        looked = true;
        grew = in.read() >= 0;
      }
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, left));
    if (n < 0) {
      throw shrank();
    }
    position += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(Math.min(n, Math.max(0, end - position)));
    position += skipped;
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return (int) Math.min(in.available(), Math.max(0, end - position));
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** The file's size when it was listed. */
  long listedSize() {
    return listedSize;
  }

  /** Whether the file had more bytes than listed when the listed end was reached. */
  boolean grew() {
    return grew;
  }

  private FileChangedException shrank() {
    return new FileChangedException(
        String.format(
            Locale.ROOT,
            "the file shrank while it was read: it had %,d bytes when listed, but ended after %,d"
                + " (truncated or replaced); read it again once it is complete",
            listedSize,
            position));
  }

  /**
   * A file changed under its reader in a way that makes what was read wrong (it shrank). Kept apart
   * from other read errors so the message is given as it is.
   *
   * <p>Immutable.
   */
  static final class FileChangedException extends IOException {
    private static final long serialVersionUID = 1L;

    FileChangedException(String message) {
      super(message);
    }
  }
}
