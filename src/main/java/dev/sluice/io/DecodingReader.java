package dev.sluice.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Decodes bytes into chars and fails on the first undecodable byte, remembering where it was.
 *
 * <p>{@code InputStreamReader} reports a bad byte without its position, and only after mixing it
 * into a read; this reader first hands out every char decoded before the bad bytes, then throws on
 * the next read, so the caller's own counters point at the record that holds them. What failed is
 * kept in fields ({@link #codingFailureReason()}, {@link #streamFailure()}), because parsers may
 * wrap the exception on its way up.
 *
 * <p>Not thread-safe: one instance per input file.
 */
final class DecodingReader extends Reader {
  private static final int BYTE_BUFFER_SIZE = 16 * 1024;
  private static final int CHAR_BUFFER_SIZE = 8 * 1024;

  private final InputStream in;
  private final CharsetDecoder decoder;
  private final long firstByteOffset;
  private final InputStream raw;
  private final ByteBuffer bytes = ByteBuffer.allocate(BYTE_BUFFER_SIZE);
  private final CharBuffer chars = CharBuffer.allocate(CHAR_BUFFER_SIZE);

  private long bytesIn;
  private boolean inputEnded;
  private boolean decoded;
  private boolean flushed;
  private boolean endReturned;
  private @Nullable String codingFailureReason;
  private long codingFailureOffset = -1;
  private @Nullable IOException streamFailure;

  /**
   * @param firstByteOffset the file offset of the first byte of {@code in}, or -1 when file offsets
   *     cannot be told (decompressed input)
   * @param raw the stream under {@code in}, read to its end once {@code in} ends so that its byte
   *     count reaches the file size (gzip may leave trailing bytes unread); may be {@code in}
   */
  DecodingReader(InputStream in, CharsetDecoder decoder, long firstByteOffset, InputStream raw) {
    this.in = in;
    this.decoder =
        decoder
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    this.firstByteOffset = firstByteOffset;
    this.raw = raw;
    bytes.flip();
    chars.flip();
  }

  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, cbuf.length);
    if (len == 0) {
      return 0;
    }
    if (!chars.hasRemaining() && !fill()) {
      endReturned = true;
      return -1;
    }
    int n = Math.min(len, chars.remaining());
    chars.get(cbuf, off, n);
    return n;
  }

  @Override
  public int read() throws IOException {
    if (!chars.hasRemaining() && !fill()) {
      endReturned = true;
      return -1;
    }
    return chars.get();
  }

  /** Decodes the next chars into {@link #chars}; false at the end of the input. */
  private boolean fill() throws IOException {
    throwIfFailed();
    chars.clear();
    try {
      while (!flushed) {
        if (decoded) {
          if (decoder.flush(chars).isUnderflow()) {
            flushed = true;
          }
          break;
        }
        CoderResult result = decoder.decode(bytes, chars, inputEnded);
        if (result.isError()) {
          recordCodingFailure(result);
          break;
        }
        if (result.isOverflow()) {
          break;
        }
        if (inputEnded) {
          decoded = true;
        } else if (chars.position() > 0) {
          // Hand out what is decoded rather than block on the stream for more.
          break;
        } else {
          readBytes();
        }
      }
    } finally {
      chars.flip();
    }
    if (!chars.hasRemaining()) {
      throwIfFailed();
    }
    return chars.hasRemaining();
  }

  private void readBytes() throws IOException {
    bytes.compact();
    try {
      int n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
      if (n < 0) {
        inputEnded = true;
        drain(raw);
      } else {
        bytes.position(bytes.position() + n);
        bytesIn += n;
      }
    } catch (IOException e) {
      streamFailure = e;
      throw e;
    } finally {
      bytes.flip();
    }
  }

  private static void drain(InputStream in) throws IOException {
    byte[] scratch = new byte[4096];
    while (in.read(scratch) >= 0) {
      // Discarded: only the count kept below matters.
    }
  }

  private void recordCodingFailure(CoderResult result) {
    // The decoder stops with the buffer positioned at the first bad byte.
    StringBuilder reason = new StringBuilder(result.length() == 1 ? "byte" : "bytes");
    int n = Math.min(result.length(), bytes.remaining());
    for (int i = 0; i < n; i++) {
      reason.append(String.format(Locale.ROOT, " 0x%02X", bytes.get(bytes.position() + i)));
    }
    reason
        .append(n == 1 ? " is not valid " : " are not valid ")
        .append(decoder.charset().name());
    if (inputEnded && n == bytes.remaining()) {
      reason.append(" (incomplete sequence at the end of the input)");
    }
    codingFailureReason = reason.toString();
    if (firstByteOffset >= 0) {
      codingFailureOffset = firstByteOffset + bytesIn - bytes.remaining();
    }
  }

  private void throwIfFailed() throws IOException {
    if (codingFailureReason != null) {
      throw new UndecodableInputException(codingFailureReason);
    }
    if (streamFailure != null) {
      throw streamFailure;
    }
  }

  /** Why decoding failed, or null if it has not. */
  @Nullable String codingFailureReason() {
    return codingFailureReason;
  }

  /** The file offset of the first undecodable byte, or -1 if unknown or none. */
  long codingFailureOffset() {
    return codingFailureOffset;
  }

  /** The exception the byte stream threw, or null. */
  @Nullable IOException streamFailure() {
    return streamFailure;
  }

  /** Whether a read has returned the end of the input. */
  boolean endReturned() {
    return endReturned;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Thrown by reads once an undecodable byte is reached. */
  static final class UndecodableInputException extends CharacterCodingException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    UndecodableInputException(String reason) {
      this.reason = reason;
    }

    @Override
    public String getMessage() {
      return reason;
    }
  }
}
