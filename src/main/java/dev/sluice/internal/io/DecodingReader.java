package dev.sluice.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Decodes bytes into chars, replacing undecodable bytes with U+FFFD and, when asked to, logging
 * where each replacement is (char offset in the text, byte offset in the file), so that the reader
 * of a record can tell whether that record held bad bytes. Fails at the first NUL char, which text
 * files do not contain, and keeps what failed in fields ({@link #streamFailure()}, {@link
 * #nulCharOffset()}), because parsers may wrap the exception on its way up.
 *
 * <p>{@code InputStreamReader} replaces bad bytes without saying where they were; this reader runs
 * the decoder with {@link CodingErrorAction#REPORT} and does the replacement itself. Before failing
 * it hands out every char decoded before the failure, so the caller's counters point at the record
 * that holds it.
 *
 * <p>Not thread-safe: one instance per input file.
 */
final class DecodingReader extends Reader {
  private static final char REPLACEMENT = '\uFFFD';

  private final InputStream in;
  private final CharsetDecoder decoder;
  private final long skipped;
  private final boolean compressed;
  private final InputStream raw;
  private final @Nullable MalformedLog log;
  private final ReadBuffers.Lease lease;
  private final ByteBuffer bytes;
  private final CharBuffer chars;

  private long bytesIn;
  private long charBase;
  private boolean inputEnded;
  private boolean decoded;
  private boolean flushed;
  private boolean endReturned;
  private boolean closed;
  private long nulCharOffset = -1;
  private long nulByteOffset = -1;
  private @Nullable IOException streamFailure;

  /**
   * @param skipped the number of bytes of the (decompressed) stream before {@code in}: a skipped
   *     byte order mark, or the bytes of the file before a split
   * @param compressed whether {@code in} is decompressed data, whose offsets do not locate anything
   *     in the file
   * @param raw the stream under {@code in}, read to its end once {@code in} ends so that its byte
   *     count reaches the file size (gzip may leave trailing bytes unread); may be {@code in}
   * @param logMalformed whether to log replacements for {@link #firstMalformed}
   * @param lease the buffers to decode in, released by the caller after {@link #close()}
   */
  DecodingReader(
      InputStream in,
      Charset charset,
      long skipped,
      boolean compressed,
      InputStream raw,
      boolean logMalformed,
      ReadBuffers.Lease lease) {
    this.in = in;
    this.lease = lease;
    // The arrays may hold another file's text: only the ranges the buffers cover are read.
    this.bytes = ByteBuffer.wrap(lease.buffers().decodeBytes);
    this.chars = CharBuffer.wrap(lease.buffers().decodeChars);
    this.decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    this.skipped = skipped;
    this.compressed = compressed;
    this.raw = raw;
    this.log = logMalformed ? new MalformedLog() : null;
    bytes.flip();
    chars.flip();
  }

  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, cbuf.length);
    if (closed) {
      throw new IOException("reader is closed");
    }
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
    if (closed) {
      throw new IOException("reader is closed");
    }
    if (!chars.hasRemaining() && !fill()) {
      endReturned = true;
      return -1;
    }
    return chars.get();
  }

  /**
   * Decodes the first chars (up to 8 Ki) before any read asks for them, so that a NUL among them is
   * known at once.
   */
  void prefetch() throws IOException {
    if (!chars.hasRemaining()) {
      fill();
    }
  }

  /** Decodes the next chars into {@link #chars}; false at the end of the input. */
  private boolean fill() throws IOException {
    throwIfFailed();
    // Every char of the previous fill has been handed out.
    charBase += chars.limit();
    chars.clear();
    try {
      while (!flushed) {
        if (decoded) {
          if (decoder.flush(chars).isUnderflow()) {
            flushed = true;
          }
          break;
        }
        int from = chars.position();
        long streamOffset = bytesIn - bytes.remaining();
        CoderResult result = decoder.decode(bytes, chars, inputEnded);
        if (chars.position() > from && cutAtNul(from, streamOffset)) {
          break;
        }
        if (result.isError()) {
          if (!chars.hasRemaining()) {
            // No room for the replacement: the decoder stops at the same bytes next time.
            break;
          }
          replace(result.length());
          continue;
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

  /**
   * If the chars decoded from {@code from} hold a NUL, remembers where it is and drops it and
   * everything after it.
   */
  private boolean cutAtNul(int from, long streamOffset) {
    char[] a = chars.array();
    int to = chars.position();
    for (int i = from; i < to; i++) {
      if (a[i] == 0) {
        nulCharOffset = charBase + i;
        long length = encodedLength(a, from, i);
        nulByteOffset = length < 0 ? -1 : skipped + streamOffset + length;
        chars.position(i);
        return true;
      }
    }
    return false;
  }

  /**
   * The number of bytes {@code a[from, to)} were decoded from: they were decoded without a
   * replacement, so encoding them again gives the same bytes (for the usual charsets); -1 if they
   * cannot be encoded.
   */
  private long encodedLength(char[] a, int from, int to) {
    Charset cs = decoder.charset();
    String name = cs.name();
    // The generic UTF-16 and UTF-32 encoders write a byte order mark first.
    if (name.equals("UTF-16")) {
      cs = StandardCharsets.UTF_16BE;
    } else if (name.equals("UTF-32")) {
      cs = Charset.forName("UTF-32BE");
    }
    if (!cs.canEncode()) {
      return -1;
    }
    CharsetEncoder encoder = cs.newEncoder();
    try {
      return encoder.encode(CharBuffer.wrap(a, from, to - from)).remaining();
    } catch (CharacterCodingException e) {
      return -1;
    }
  }

  /** Puts U+FFFD in place of the {@code length} bad bytes at the buffer's position. */
  private void replace(int length) {
    int n = Math.min(length, bytes.remaining());
    if (log != null) {
      long packed = 0;
      int kept = Math.min(n, MalformedLog.MAX_BYTES);
      for (int i = 0; i < kept; i++) {
        packed = packed << 8 | (bytes.get(bytes.position() + i) & 0xffL);
      }
      boolean atEnd = inputEnded && n == bytes.remaining();
      long streamOffset = bytesIn - bytes.remaining();
      log.add(
          charBase + chars.position(), compressed ? -1 : skipped + streamOffset, packed, n, atEnd);
    }
    chars.put(REPLACEMENT);
    bytes.position(bytes.position() + n);
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

  private void throwIfFailed() throws IOException {
    if (nulCharOffset >= 0) {
      throw new BinaryInputException();
    }
    if (streamFailure != null) {
      throw streamFailure;
    }
  }

  /**
   * The first logged replacement at a char offset in {@code [from, to)}, or null; forgets every
   * replacement before {@code to}. Always null unless replacements are logged.
   */
  TextInput.@Nullable Malformed firstMalformed(long from, long to) {
    return log == null ? null : log.first(from, to, decoder.charset());
  }

  /**
   * Forgets every logged replacement in {@code [from, to)} but the first: that text belongs to one
   * record, which needs no more. Keeps the log small inside a long record.
   */
  void foldMalformed(long from, long to) {
    if (log != null) {
      log.fold(from, to);
    }
  }

  /** How many replacements the log holds: for tests of its size. */
  int loggedMalformed() {
    return log == null ? 0 : log.size;
  }

  /** The offset in the text of the first NUL char, or -1 if none was decoded. */
  long nulCharOffset() {
    return nulCharOffset;
  }

  /**
   * The offset of the first NUL char's bytes: in the file, or in the decompressed data for gzip; -1
   * if none was decoded or it cannot be told.
   */
  long nulByteOffset() {
    return nulByteOffset;
  }

  /** The exception the byte stream threw, or null. */
  @Nullable IOException streamFailure() {
    return streamFailure;
  }

  /** The scan buffer lent with this text, or a fresh one once it is closed or taken. */
  char[] scanBuffer() {
    return closed ? new char[ReadBuffers.SCAN_CHARS] : lease.takeScanChars();
  }

  /** Whether a read has returned the end of the input. */
  boolean endReturned() {
    return endReturned;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    in.close();
  }

  /** Thrown by reads once a NUL char is reached. */
  static final class BinaryInputException extends IOException {
    private static final long serialVersionUID = 1L;

    BinaryInputException() {
      super("NUL character in the text");
    }
  }

  /** A queue of replacements in text order, in a growing ring of parallel arrays. */
  private static final class MalformedLog {
    static final int MAX_BYTES = 4;

    private long[] charOffsets = new long[16];
    private long[] byteOffsets = new long[16];
    private long[] badBytes = new long[16];
    private int[] lengths = new int[16];
    private int head;
    private int size;

    void add(long charOffset, long byteOffset, long packed, int length, boolean atEnd) {
      if (size == charOffsets.length) {
        grow();
      }
      int i = (head + size) & (charOffsets.length - 1);
      charOffsets[i] = charOffset;
      byteOffsets[i] = byteOffset;
      badBytes[i] = packed;
      // The sign bit of the length marks an incomplete sequence at the end of the input.
      lengths[i] = atEnd ? ~length : length;
      size++;
    }

    private void grow() {
      int n = charOffsets.length;
      charOffsets = unroll(charOffsets, n);
      byteOffsets = unroll(byteOffsets, n);
      badBytes = unroll(badBytes, n);
      int[] l = new int[n * 2];
      for (int k = 0; k < n; k++) {
        l[k] = lengths[(head + k) & (n - 1)];
      }
      lengths = l;
      head = 0;
    }

    private long[] unroll(long[] a, int n) {
      long[] b = new long[n * 2];
      for (int k = 0; k < n; k++) {
        b[k] = a[(head + k) & (n - 1)];
      }
      return b;
    }

    void fold(long from, long to) {
      if (size < 2) {
        return;
      }
      int mask = charOffsets.length - 1;
      int k1 = 0;
      while (k1 < size && charOffsets[(head + k1) & mask] < from) {
        k1++;
      }
      int k2 = k1;
      while (k2 < size && charOffsets[(head + k2) & mask] < to) {
        k2++;
      }
      int drop = k2 - k1 - 1;
      if (drop <= 0) {
        return;
      }
      // Moves the entries after the range down over the dropped ones.
      for (int k = k2; k < size; k++) {
        int src = (head + k) & mask;
        int dst = (head + k - drop) & mask;
        charOffsets[dst] = charOffsets[src];
        byteOffsets[dst] = byteOffsets[src];
        badBytes[dst] = badBytes[src];
        lengths[dst] = lengths[src];
      }
      size -= drop;
    }

    TextInput.@Nullable Malformed first(long from, long to, Charset charset) {
      int mask = charOffsets.length - 1;
      while (size > 0 && charOffsets[head] < from) {
        head = (head + 1) & mask;
        size--;
      }
      if (size == 0 || charOffsets[head] >= to) {
        return null;
      }
      TextInput.Malformed m =
          new TextInput.Malformed(
              charOffsets[head],
              byteOffsets[head],
              describe(badBytes[head], lengths[head], charset));
      while (size > 0 && charOffsets[head] < to) {
        head = (head + 1) & mask;
        size--;
      }
      return m;
    }

    private static String describe(long packed, int storedLength, Charset charset) {
      boolean atEnd = storedLength < 0;
      int length = atEnd ? ~storedLength : storedLength;
      int kept = Math.min(length, MAX_BYTES);
      StringBuilder sb = new StringBuilder(length == 1 ? "byte" : "bytes");
      for (int k = kept - 1; k >= 0; k--) {
        sb.append(String.format(Locale.ROOT, " 0x%02X", (packed >>> (8 * k)) & 0xff));
      }
      if (length > kept) {
        sb.append(" ...");
      }
      sb.append(length == 1 ? " is not valid " : " are not valid ").append(charset.name());
      if (atEnd) {
        sb.append(" (at the end of the input)");
      }
      return sb.toString();
    }
  }
}
