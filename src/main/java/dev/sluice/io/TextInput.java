package dev.sluice.io;

import dev.sluice.api.ErrorType;
import com.google.common.io.CountingInputStream;
import dev.sluice.api.spi.RecordException;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;

/**
 * An input file opened as text: counts the raw bytes read, decompresses gzip (detected by its
 * magic bytes {@code 1f 8b}, not by the file name), skips a byte order mark and decodes strictly,
 * failing on the first byte that is not valid in the charset. Used by the readers of every input
 * format; not meant for callers outside {@code dev.sluice.io}.
 *
 * <p>BOM handling: for UTF-8 a leading {@code EF BB BF} is skipped. For UTF-16 and UTF-32 charsets
 * (with or without an explicit byte order) a leading BOM is skipped and its byte order is used,
 * even if the charset names the other one. Other charsets see the bytes as they are.
 *
 * <p>Not thread-safe: one instance per reader. {@link #close()} is idempotent.
 *
 * <pre>{@code
 * try (TextInput in = TextInput.open(path, UTF_8)) {
 *   Reader r = in.reader();
 *   ...
 * }
 * }</pre>
 *
 * @since 0.1
 */
public final class TextInput implements Closeable {
  private static final int BUFFER_SIZE = 64 * 1024;
  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;

  private final CountingInputStream counting;
  private final DecodingReader reader;
  private final boolean gzip;
  private final Charset charset;
  private boolean closed;

  private TextInput(
      CountingInputStream counting, InputStream text, boolean gzip, Charset charset, int bomLength) {
    this.counting = counting;
    this.gzip = gzip;
    this.charset = charset;
    // Decompressed offsets do not locate anything in the file, so they are not reported.
    long firstByteOffset = gzip ? -1 : bomLength;
    this.reader =
        new DecodingReader(text, charset.newDecoder(), firstByteOffset, counting);
  }

  /**
   * Opens {@code path} through its file system provider ({@link Files#newInputStream}, so any NIO
   * file system works) and reads as far as needed to detect gzip and a byte order mark.
   *
   * @throws IOException if the file cannot be opened or its gzip header is broken
   */
  public static TextInput open(Path path, Charset charset) throws IOException {
    InputStream raw = Files.newInputStream(path);
    try {
      CountingInputStream counting = new CountingInputStream(raw);
      BufferedInputStream buffered = new BufferedInputStream(counting, BUFFER_SIZE);
      byte[] magic = peek(buffered, 2);
      boolean gzip =
          magic.length == 2
              && (magic[0] & 0xff) == GZIP_MAGIC_1
              && (magic[1] & 0xff) == GZIP_MAGIC_2;
      BufferedInputStream text =
          gzip
              ? new BufferedInputStream(new GZIPInputStream(buffered, BUFFER_SIZE), BUFFER_SIZE)
              : buffered;
      byte[] start = peek(text, 4);
      Charset effective = charset;
      int bomLength = 0;
      String name = charset.name().toUpperCase(Locale.ROOT);
      if (name.equals("UTF-8")) {
        bomLength = startsWith(start, 0xEF, 0xBB, 0xBF) ? 3 : 0;
      } else if (name.startsWith("UTF-32")) {
        if (startsWith(start, 0x00, 0x00, 0xFE, 0xFF)) {
          effective = Charset.forName("UTF-32BE");
          bomLength = 4;
        } else if (startsWith(start, 0xFF, 0xFE, 0x00, 0x00)) {
          effective = Charset.forName("UTF-32LE");
          bomLength = 4;
        }
      } else if (name.startsWith("UTF-16")) {
        if (startsWith(start, 0xFE, 0xFF)) {
          effective = StandardCharsets.UTF_16BE;
          bomLength = 2;
        } else if (startsWith(start, 0xFF, 0xFE)) {
          effective = StandardCharsets.UTF_16LE;
          bomLength = 2;
        }
      }
      if (text.skip(bomLength) != bomLength) {
        throw new IOException("could not skip the byte order mark");
      }
      return new TextInput(counting, text, gzip, effective, bomLength);
    } catch (IOException | RuntimeException | Error e) {
      try {
        raw.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /** Up to {@code n} bytes from the start of {@code in}, which is left where it was. */
  private static byte[] peek(BufferedInputStream in, int n) throws IOException {
    in.mark(n);
    byte[] b = in.readNBytes(n);
    in.reset();
    return b;
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The decoded text. Its reads fail with an {@link IOException} on an undecodable byte or a read
   * error; {@link #failure} then describes it.
   */
  public Reader reader() {
    return reader;
  }

  /** Whether the file is gzip-compressed. */
  public boolean gzip() {
    return gzip;
  }

  /** The charset the text is decoded with, after a byte order mark picked the byte order. */
  public Charset charset() {
    return charset;
  }

  /** Raw bytes read from the file so far (compressed bytes for gzip). */
  public long bytesRead() {
    return counting.getCount();
  }

  /** Whether {@link #reader()} has returned the end of the text. */
  public boolean endReached() {
    return reader.endReturned();
  }

  /**
   * The failure of {@link #reader()}, if it failed, as a non-recoverable record exception at the
   * given position: {@link ErrorType#INVALID_ENCODING} for an undecodable byte (with its
   * byte offset unless the file is gzip), {@link ErrorType#FILE_FAILED} for a read error
   * such as truncated gzip data.
   *
   * @param line the line where the record being read starts
   * @param recordNumber the number of the record being read, or -1
   * @return the exception, or null if the reader has not failed
   */
  public @Nullable RecordException failure(long line, long recordNumber) {
    String coding = reader.codingFailureReason();
    if (coding != null) {
      return new RecordException(
          ErrorType.INVALID_ENCODING,
          coding,
          line,
          recordNumber,
          reader.codingFailureOffset(),
          -1,
          false,
          null);
    }
    IOException stream = reader.streamFailure();
    if (stream != null) {
      return new RecordException(
          ErrorType.FILE_FAILED,
          (gzip ? "cannot read the gzip data: " : "cannot read the file: ") + stream.getMessage(),
          line,
          recordNumber,
          -1,
          -1,
          false,
          stream);
    }
    return null;
  }

  /** Closes the file. Idempotent. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      reader.close();
    }
  }
}
