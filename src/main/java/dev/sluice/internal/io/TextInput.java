package dev.sluice.internal.io;

import com.google.common.io.ByteStreams;
import com.google.common.io.CountingInputStream;
import dev.sluice.api.ErrorType;
import dev.sluice.api.Format.MalformedInput;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.Split;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.jspecify.annotations.Nullable;

/**
 * An input file opened as text: counts the raw bytes read, decompresses gzip (detected by its magic
 * bytes {@code 1f 8b}, not by the file name: a {@code .gz} file that does not start with them is
 * read as plain text), skips a byte order mark and decodes, replacing bytes that are not valid in
 * the charset with U+FFFD. With {@link MalformedInput#REPORT} each replacement is logged, so that a
 * reader can reject the record holding it ({@link #firstMalformed}). A NUL char fails the text:
 * text files do not hold one, binary files nearly always do. Used by the readers of every input
 * format; not meant for callers outside {@code dev.sluice.internal.io}.
 *
 * <p>BOM handling: for UTF-8 a leading {@code EF BB BF} is skipped. For UTF-16 and UTF-32 charsets
 * (with or without an explicit byte order) a leading BOM is skipped and its byte order is used,
 * even if the charset names the other one. Other charsets see the bytes as they are.
 *
 * <p>Its large buffers (and the one {@link #scanBuffer} lends the record reader over it) are
 * borrowed from the opening thread's {@link ReadBuffers} and given back by {@link #close()}, or by
 * {@code open} when it fails: a reader thread going through small files allocates them once.
 *
 * <p>Not thread-safe: one instance per reader. {@link #close()} is idempotent.
 *
 * <pre>{@code
 * try (TextInput in = TextInput.open(path, UTF_8)) {
 *   Reader r = in.reader();
 *   ...
 * }
 * }</pre>
 */
public final class TextInput implements Closeable {
  private static final int BUFFER_SIZE = 64 * 1024;
  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;

  private final CountingInputStream counting;
  private final InputStream text;
  private final DecodingReader reader;
  private final ReadBuffers.Lease lease;
  private final boolean gzip;
  private final Charset charset;

  /** The listed bytes the text is read from, if the file's listed size bounds it. */
  private final @Nullable ListedBytes listed;

  private boolean closed;

  private TextInput(
      CountingInputStream counting,
      InputStream text,
      boolean gzip,
      Charset charset,
      long skipped,
      MalformedInput malformed,
      ReadBuffers.Lease lease,
      @Nullable ListedBytes listed) {
    this.counting = counting;
    this.text = text;
    this.lease = lease;
    this.gzip = gzip;
    this.charset = charset;
    this.listed = listed;
    this.reader =
        new DecodingReader(
            text, charset, skipped, gzip, counting, malformed == MalformedInput.REPORT, lease);
  }

  /**
   * Opens the bytes {@code [start, end)} of a plain (not gzip) file as text, for one split of it:
   * no gzip detection and, unless {@code start} is 0, no byte order mark, the file offsets of bad
   * bytes and NULs counted from the start of the file, {@link #bytesRead()} counting the range
   * only. A NUL is reported when its record is read, not at open.
   *
   * @param end the first byte after the range, or -1 for the end of the file
   * @throws IOException if the file cannot be opened or positioned (a file system without random
   *     access throws {@link UnsupportedOperationException})
   */
  public static TextInput openRange(
      Path path, Charset charset, MalformedInput malformed, long start, long end)
      throws IOException {
    return openRange(path, charset, malformed, start, end, -1, false);
  }

  /**
   * Opens one split of a plain file cut into several, like {@link #openRange}: its bytes up to the
   * split's end, or for the last split up to the file's listed size ({@link InputFile#size()}), so
   * that bytes appended since the listing are not read ({@link #grewWhileRead()} tells whether
   * there were any). A file that ends before that fails the text with a {@code FILE_FAILED} saying
   * it shrank.
   */
  public static TextInput openSplit(Split split, Charset charset, MalformedInput malformed)
      throws IOException {
    long listedSize = split.file().size();
    long end = split.isLast() ? listedSize : split.end();
    return openRange(
        split.file().path(), charset, malformed, split.start(), end, listedSize, split.isLast());
  }

  private static TextInput openRange(
      Path path,
      Charset charset,
      MalformedInput malformed,
      long start,
      long end,
      long listedSize,
      boolean lastSplit)
      throws IOException {
    SeekableByteChannel channel = Files.newByteChannel(path);
    ReadBuffers.Lease lease = ReadBuffers.acquire();
    try {
      channel.position(start);
      InputStream in = Channels.newInputStream(channel);
      ListedBytes listed = null;
      if (end >= 0) {
        listed = new ListedBytes(in, start, end, listedSize >= 0 ? listedSize : end, lastSplit);
        in = listed;
      }
      CountingInputStream counting = new CountingInputStream(in);
      BufferedInputStream text = new LentBufferedInputStream(counting, lease.buffers().input);
      long skipped = start;
      if (start == 0 && charset.name().toUpperCase(Locale.ROOT).equals("UTF-8")) {
        // The first split starts at the file's start, where a UTF-8 byte order mark may be.
        int bom = startsWith(peek(text, 3), 0xEF, 0xBB, 0xBF) ? 3 : 0;
        if (text.skip(bom) != bom) {
          throw new IOException("could not skip the byte order mark");
        }
        skipped = bom;
      }
      return new TextInput(counting, text, false, charset, skipped, malformed, lease, listed);
    } catch (IOException | RuntimeException | Error e) {
      lease.release();
      try {
        channel.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof ListedBytes.FileChangedException) {
        throw shrank((IOException) e);
      }
      throw e;
    }
  }

  /** The {@code FILE_FAILED} for a file that shrank below its listed size. */
  private static RecordException shrank(IOException e) {
    return new RecordException(
        ErrorType.FILE_FAILED,
        java.util.Objects.requireNonNullElse(e.getMessage(), e.getClass().getName()),
        -1,
        -1,
        -1,
        -1,
        false,
        e);
  }

  /** Opens {@code path} like {@link #open(Path, Charset, MalformedInput)}, logging bad bytes. */
  public static TextInput open(Path path, Charset charset) throws IOException {
    return open(path, charset, MalformedInput.REPORT);
  }

  /**
   * Opens {@code path} through its file system provider ({@link Files#newInputStream}, so any NIO
   * file system works), reads as far as needed to detect gzip and a byte order mark, and decodes
   * the first chars (up to 8 Ki), so that a binary file fails here.
   *
   * @param malformed whether replacements of bad bytes are logged ({@code REPORT}) or not
   * @throws IOException if the file cannot be opened; a non-recoverable {@link RecordException} of
   *     type {@link ErrorType#FILE_FAILED} if the start of its gzip stream is truncated or corrupt,
   *     or its first chars hold a NUL
   */
  public static TextInput open(Path path, Charset charset, MalformedInput malformed)
      throws IOException {
    return open(Files.newInputStream(path), charset, malformed);
  }

  /**
   * Opens {@code file} through {@code opener} (so a URL input is fetched) like {@link #open(Path,
   * Charset, MalformedInput)}.
   */
  public static TextInput open(
      InputFile file, InputOpener opener, Charset charset, MalformedInput malformed)
      throws IOException {
    return open(file, opener, charset, malformed, true);
  }

  /**
   * Opens a listed local file like {@link #open(InputFile, Charset, MalformedInput)}, but for a
   * reader of its bytes ({@link #bytes()}): nothing is decoded, so a NUL or a broken gzip stream at
   * the start does not fail the open; the byte reader meets them in the bytes.
   */
  public static TextInput openBytes(InputFile file, Charset charset, MalformedInput malformed)
      throws IOException {
    return open(file, InputOpener.FILES, charset, malformed, false);
  }

  private static TextInput open(
      InputFile file, InputOpener opener, Charset charset, MalformedInput malformed, boolean decode)
      throws IOException {
    InputStream raw = opener.open(file);
    if (file.isRemote() || file.size() < 0) {
      return open(raw, null, charset, malformed, decode);
    }
    // A file is read up to the size it had when listed, its identity in the manifest: bytes
    // appended while it is read are left for a later run, never read half.
    ListedBytes listed = new ListedBytes(raw, 0, file.size(), file.size(), true);
    return open(listed, listed, charset, malformed, decode);
  }

  /**
   * Opens a listed file like {@link #open(Path, Charset, MalformedInput)}, up to its listed size
   * ({@link InputFile#size()}; a file of unknown size is read to its end): see {@link
   * #grewWhileRead()}. A file that ends before that size fails with a {@code FILE_FAILED} saying it
   * shrank.
   */
  public static TextInput open(InputFile file, Charset charset, MalformedInput malformed)
      throws IOException {
    return open(file, InputOpener.FILES, charset, malformed);
  }

  /**
   * Reads {@code raw} like {@link #open(Path, Charset, MalformedInput)}; closes it if this fails.
   */
  public static TextInput open(InputStream raw, Charset charset, MalformedInput malformed)
      throws IOException {
    return open(raw, null, charset, malformed, true);
  }

  private static TextInput open(
      InputStream raw,
      @Nullable ListedBytes listed,
      Charset charset,
      MalformedInput malformed,
      boolean decode)
      throws IOException {
    ReadBuffers.Lease lease = ReadBuffers.acquire();
    try {
      CountingInputStream counting = new CountingInputStream(raw);
      BufferedInputStream buffered = new LentBufferedInputStream(counting, lease.buffers().input);
      byte[] magic = peek(buffered, 2);
      boolean gzip =
          magic.length == 2
              && (magic[0] & 0xff) == GZIP_MAGIC_1
              && (magic[1] & 0xff) == GZIP_MAGIC_2;
      BufferedInputStream text;
      byte[] start;
      try {
        text =
            gzip
                ? new BufferedInputStream(new GZIPInputStream(buffered, BUFFER_SIZE), BUFFER_SIZE)
                : buffered;
        start = peek(text, 4);
      } catch (IOException e) {
        if (!gzip) {
          throw e;
        }
        throw new RecordException(ErrorType.FILE_FAILED, gzipReason(e), -1, -1, -1, -1, false, e);
      }
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
      TextInput input =
          new TextInput(counting, text, gzip, effective, bomLength, malformed, lease, listed);
      if (decode) {
        input.prefetch();
      }
      return input;
    } catch (IOException | RuntimeException | Error e) {
      lease.release();
      try {
        raw.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof ListedBytes.FileChangedException) {
        throw shrank((IOException) e);
      }
      throw e;
    }
  }

  /**
   * The line breaks (LF, CR or CRLF, each one) in the first {@code end} bytes of a plain file in an
   * ASCII-compatible charset, in which those bytes mean only line breaks; a CR at {@code end - 1}
   * counts as one (splits never separate a CR from its LF).
   */
  public static long countLineBreaks(Path path, long end) throws IOException {
    long count = 0;
    byte[] buf = new byte[BUFFER_SIZE];
    boolean afterCr = false;
    try (InputStream in = ByteStreams.limit(Files.newInputStream(path), end)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (b == '\n') {
            if (!afterCr) {
              count++;
            }
            afterCr = false;
          } else if (b == '\r') {
            count++;
            afterCr = true;
          } else {
            afterCr = false;
          }
        }
      }
    }
    return count;
  }

  /**
   * Decodes the start of the text: a NUL char in it (binary files nearly always have one in their
   * first bytes) or a broken gzip stream fails the file before any record is read.
   */
  private void prefetch() throws IOException {
    try {
      reader.prefetch();
    } catch (IOException e) {
      RecordException failure = failure(-1, -1);
      throw failure != null ? failure : e;
    }
    if (reader.nulCharOffset() >= 0) {
      RecordException failure = failure(-1, -1);
      if (failure != null) {
        throw failure;
      }
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
   * The decoded text. Its reads fail with an {@link IOException} at a NUL char or on a read error;
   * {@link #failure} then describes it.
   */
  public Reader reader() {
    return reader;
  }

  /**
   * The text's bytes, decompressed, after any byte order mark: for a reader that scans bytes
   * instead of {@link #reader()} (never both). Read errors and a file that changed size surface as
   * {@link IOException}s from it ({@link ListedBytes.FileChangedException} for the latter).
   */
  public InputStream bytes() {
    return text;
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

  /**
   * Whether the file had grown past its listed size when the text reached it (the bytes after it
   * are not read); false for a text not bounded by a listed size, or not read to that size yet.
   */
  public boolean grewWhileRead() {
    return listed != null && listed.grew();
  }

  /**
   * The failure of a plain file's last record that has no line break at the file's listed size,
   * when the file grew past that size ({@link #grewWhileRead()}): the bytes appended continue that
   * record, so what was read of it is only its start. A non-recoverable {@code FILE_FAILED}.
   *
   * @param line the line where the record starts
   * @param recordNumber the record's number, or -1
   */
  public RecordException cutAtListedSize(long line, long recordNumber) {
    ListedBytes l = listed;
    return new RecordException(
        ErrorType.FILE_FAILED,
        String.format(
            Locale.ROOT,
            "the file grew while it was read, and the %,d bytes it had when listed end inside its"
                + " last record, which is cut there; read it again once it is complete",
            l == null ? -1 : l.listedSize()),
        line,
        recordNumber,
        -1,
        -1,
        false,
        null);
  }

  /** Whether {@link #reader()} has returned the end of the text. */
  public boolean endReached() {
    return reader.endReturned();
  }

  /**
   * The first bad bytes replaced at a char offset (counted from the start of the text) in {@code
   * [from, to)}, or null if there are none or the file was opened with {@link
   * MalformedInput#REPLACE}. Forgets every replacement before {@code to}: call with increasing
   * ranges, once per record.
   */
  public @Nullable Malformed firstMalformed(long from, long to) {
    return reader.firstMalformed(from, to);
  }

  /**
   * Forgets every replacement logged at a char offset in {@code [from, to)} but the first: the
   * reader has told that those chars belong to one record, for which {@link #firstMalformed} needs
   * no more. Readers call it as a long record goes on, so the log stays small.
   */
  public void foldMalformed(long from, long to) {
    reader.foldMalformed(from, to);
  }

  /**
   * The failure of {@link #reader()}, if it failed, as a non-recoverable {@link
   * ErrorType#FILE_FAILED} record exception at the given position: a NUL char ("looks like a binary
   * file"), a truncated or corrupt gzip stream, or another read error.
   *
   * @param line the line where the record being read starts
   * @param recordNumber the number of the record being read, or -1
   * @return the exception, or null if the reader has not failed
   */
  public @Nullable RecordException failure(long line, long recordNumber) {
    if (reader.nulCharOffset() >= 0) {
      long offset = reader.nulByteOffset();
      String where;
      if (offset < 0) {
        where =
            String.format(Locale.ROOT, "NUL character at character %,d", reader.nulCharOffset());
      } else {
        where =
            String.format(Locale.ROOT, "NUL byte at offset %,d", offset)
                + (gzip ? " of the decompressed data" : "");
      }
      String name = charset.name().toUpperCase(Locale.ROOT);
      String hint =
          name.startsWith("UTF-16") || name.startsWith("UTF-32")
              ? ""
              : "; if it is UTF-16 or UTF-32 text without a byte order mark, set the charset";
      return new RecordException(
          ErrorType.FILE_FAILED,
          "looks like a binary file (" + where + ")" + hint,
          line,
          recordNumber,
          gzip ? -1 : offset,
          -1,
          false,
          null);
    }
    IOException stream = reader.streamFailure();
    if (stream != null) {
      return readFailure(stream, line, recordNumber);
    }
    return null;
  }

  /**
   * A failure of the bytes under this text ({@link #bytes()} or the reader's), as a non-recoverable
   * {@link ErrorType#FILE_FAILED} record exception at the given position: the file changed, a
   * truncated or corrupt gzip stream, or another read error.
   */
  public RecordException readFailure(IOException stream, long line, long recordNumber) {
    String reason;
    if (stream instanceof ListedBytes.FileChangedException) {
      reason =
          java.util.Objects.requireNonNullElse(stream.getMessage(), stream.getClass().getName());
    } else {
      reason = gzip ? gzipReason(stream) : "cannot read the file: " + stream.getMessage();
    }
    return new RecordException(
        ErrorType.FILE_FAILED, reason, line, recordNumber, -1, -1, false, stream);
  }

  /**
   * For a reader of {@link #bytes()} that has reached their end: reads what gzip left unread of the
   * file, so that {@link #bytesRead()} reaches the file's size and {@link #grewWhileRead()} can
   * tell, as the text reader does at its end.
   */
  public void bytesEnded() throws IOException {
    byte[] scratch = new byte[4096];
    while (counting.read(scratch) >= 0) {
      // Discarded: only the count matters.
    }
  }

  /**
   * Whether {@code e} comes from what the file holds, not from reading it: a truncated or corrupt
   * gzip stream, or a file that changed size. A second read meets the same.
   */
  public static boolean inTheBytes(IOException e) {
    return e instanceof EOFException
        || e instanceof ZipException
        || e instanceof ListedBytes.FileChangedException;
  }

  /** A reason for a failure to read gzip data, without the JDK's wording where it is vague. */
  static String gzipReason(IOException e) {
    if (e instanceof ListedBytes.FileChangedException) {
      return java.util.Objects.requireNonNullElse(e.getMessage(), e.getClass().getName());
    }
    if (e instanceof EOFException) {
      // GZIPInputStream's message is "Unexpected end of ZLIB input stream".
      return "truncated gzip stream";
    }
    if (e instanceof ZipException) {
      return "corrupt gzip data (" + e.getMessage() + ")";
    }
    return "cannot read the gzip data: " + e.getMessage();
  }

  /**
   * A char buffer of {@link ReadBuffers#SCAN_CHARS} for a reader that reads from {@code text}: if
   * {@code text} is the {@link #reader()} of a text that is open, the one lent with it (once per
   * text), which goes back to the thread's {@link ReadBuffers} when that text is closed, so the
   * caller must not touch it after; a fresh one otherwise.
   */
  public static char[] scanBuffer(Reader text) {
    return text instanceof DecodingReader
        ? ((DecodingReader) text).scanBuffer()
        : new char[ReadBuffers.SCAN_CHARS];
  }

  /** The buffers this text uses: for tests. */
  ReadBuffers.Lease lease() {
    return lease;
  }

  /**
   * Returns what {@code owner} makes of this input (a record reader, which from then on closes it);
   * if {@code owner} throws, closes this input first, so that a reader that fails to open leaks no
   * file, and a failure to close is added to the exception as suppressed.
   */
  public <R> R ownedBy(Owner<R> owner) throws IOException {
    try {
      return owner.take(this);
    } catch (IOException | RuntimeException | Error e) {
      try {
        close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Makes an object that owns a {@link TextInput}: see {@link #ownedBy}.
   *
   * <p>Implementations need not be thread-safe: each is called once, by the opening thread.
   */
  @FunctionalInterface
  public interface Owner<R> {
    /** Makes the owner of {@code input}, reading from it as much as it needs to. */
    R take(TextInput input) throws IOException;
  }

  /** Closes the file and gives its buffers back. Idempotent. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      try {
        reader.close();
      } finally {
        lease.release();
      }
    }
  }

  /**
   * A buffered stream over a lent array: {@code BufferedInputStream} takes no array, but its {@code
   * buf} is there for subclasses to set. Only {@code mark} with a limit beyond the array would
   * replace it (by a bigger one, which then is not kept); the peeks here mark 4 bytes.
   */
  private static final class LentBufferedInputStream extends BufferedInputStream {
    LentBufferedInputStream(InputStream in, byte[] lent) {
      super(in, 1);
      this.buf = lent;
    }
  }

  /**
   * Bytes that are not valid in the charset: where they were replaced and what they were.
   *
   * <p>Immutable.
   */
  public static final class Malformed {
    private final long charOffset;
    private final long byteOffset;
    private final String reason;

    Malformed(long charOffset, long byteOffset, String reason) {
      this.charOffset = charOffset;
      this.byteOffset = byteOffset;
      this.reason = reason;
    }

    /** The offset in the text of the U+FFFD that replaced the bytes. */
    public long charOffset() {
      return charOffset;
    }

    /** The file offset of the first bad byte, or -1 for gzip input. */
    public long byteOffset() {
      return byteOffset;
    }

    /** What the bytes were, e.g. {@code byte 0xC3 is not valid UTF-8}. */
    public String reason() {
      return reason;
    }
  }
}
