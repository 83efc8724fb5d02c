package dev.sluice.internal.io.csv;

import dev.sluice.api.Columns;
import dev.sluice.api.Format;
import dev.sluice.api.Row;
import dev.sluice.api.internal.ApiAccess;
import dev.sluice.api.internal.LazyFields;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.internal.io.RawText;
import dev.sluice.internal.io.TextInput;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.jspecify.annotations.Nullable;

/**
 * Reads CSV and TSV records from the bytes of a UTF-8, US-ASCII or ISO-8859-1 file ({@link
 * Format.Parser#BYTES}, the default), without decoding the text to chars first: it finds the
 * delimiters, quotes and line breaks in the bytes (eight at a time where a run holds none of them;
 * in these charsets those bytes never occur inside a multi-byte char), and keeps each record's
 * field bounds in its read buffer. The row it gives ({@link #row}) makes a value's String from its
 * bytes only when a step or the writer first asks for it; a filter reads a field as a view of its
 * bytes. That skips the decoding pass and the two char passes (the {@link RecordScanner} and the
 * parser) of the other readers, and every String of a field no one reads.
 *
 * <p>Its buffers are never reused or moved in, as rows still read from them: a new buffer (64 KiB,
 * the first sized to the file) takes over when one is full, and the old one goes with its last row.
 * This is the one reader that does not borrow its thread's {@code ReadBuffers}.
 *
 * <p>It reads only what is plainly well-formed: fields that are unquoted, or quoted with the
 * closing quote right before a delimiter, a line break or the end; valid bytes in the charset, no
 * NUL; the record within the size limit, with the expected number of fields, and (for a split that
 * is not the file's last, or a file that grew while read) ended by a line break. At the first
 * record that is anything else, it hands the file over to {@link CsvRecordReader}, the reference,
 * as {@link FastCsvRecordReader} does: Commons CSV opens the file (or split) again, reads past the
 * records already returned, and reads the rest, so every rejected record, failure, message, line
 * and column is the reference's own. A header with an empty or repeated name goes to Commons CSV
 * the same way, from the start.
 *
 * <p>Line numbers, {@link #linesRead()}, {@link #charLength()} and {@link #blankLinesSkipped()}
 * count as the char readers do: a CR, an LF or a CRLF is one line break, inside quotes too.
 *
 * <p>Not thread-safe: one instance per split.
 */
final class ByteCsvRecordReader implements RecordReader {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  /** For the carry trick that flags the bytes below 14: NUL, tab, LF, CR and other controls. */
  private static final long LOW_BYTES = ONES * 14;

  /** What {@link #scan} found. */
  private static final int RECORD = 0;

  /** No record: the bytes have ended. */
  private static final int END = 1;

  /** A record this reader does not read: the rest is for Commons CSV. */
  private static final int IRREGULAR = 2;

  /** The buffer holds only part of the record: read more and scan it again. */
  private static final int MORE = 3;

  /** The bytes could not be read: {@link #readError}. */
  private static final int FAILED = 4;

  /**
   * Bytes read at open: at least those of the chars the char readers decode there (8 Ki chars of at
   * most 4 bytes each).
   */
  private static final int PREFILL = 32 * 1024;

  private static final String[] NO_VALUES = new String[0];

  /**
   * The size of a buffer: records are read into it and their rows read their values from it, so a
   * buffer is never reused or moved in; a new one takes over when it is full.
   */
  private static final int CHUNK_BYTES = 64 * 1024;

  private static final int CHUNK_INTS = 4 * 1024;

  private final InputFile file;
  private final @Nullable Split split;
  private final CSVFormat csvFormat;
  private final Format format;
  private final @Nullable Columns configured;
  private final @Nullable Columns fileColumns;
  private final TextInput input;
  private final InputStream in;
  private final byte delimiter;
  private final byte quote;
  private final long delimiterBytes;
  private final Charset charset;
  private final boolean utf8;
  private final boolean ascii;
  private final boolean latin1;
  private final int maxRecordSize;
  private final boolean header;
  private final boolean allowShortRecords;
  private final Format.BlankLines blankLines;

  /**
   * Whether a record that the end of the bytes ends (no line break) must be left to Commons CSV.
   */
  private final boolean needsLineBreakAtEnd;

  private byte[] buf;
  private int pos;
  private int limit;
  private boolean eof;

  // The record scan found: its bytes, its fields, whether it had non-ASCII bytes, its line breaks.
  private int recordStart;
  private int recordEnd;

  /** Where the record scanned ends, line break included. */
  private int recordEnd2;

  private int fieldCount;

  /** The bytes of the record scanned's fields, quotes around them and line break left out. */
  private int fieldBytes;

  private boolean nonAscii;
  private int recordBreaks;

  /**
   * Bytes of the record scanned that are not chars of its values: one of each doubled quote, and
   * the UTF-8 bytes beyond each char's UTF-16 units.
   */
  private int recordExtra;

  private long lineBreaks;
  private @Nullable Columns columns;

  /** The current record's fields, as bytes; null when there is none. */
  private @Nullable RecordFields current;

  /** The current record's values, once {@link #values()} made them. */
  private String @Nullable [] valuesMade;

  /**
   * Where the fields' bounds of the records are kept for their rows, many records to an array: the
   * record being scanned writes its own after the {@link #boundsUsed} ints of those before it (see
   * {@link RecordFields} for the layout), so keeping it copies nothing.
   */
  private int[] bounds = new int[0];

  private int boundsUsed;
  private long line;
  private long recordNumber;
  private int charLength;
  private long blankSkipped;
  private boolean ended;
  private boolean closed;
  private @Nullable RecordException fatal;

  /** Set once the file is handed over to Commons CSV; every call goes there from then on. */
  private @Nullable CsvRecordReader commons;

  private long bytesBeforeHandOver;

  /** Why the bytes could not be read, once they could not. */
  private @Nullable IOException readError;

  private ByteCsvRecordReader(
      InputFile file,
      TextInput input,
      CSVFormat csvFormat,
      Format format,
      @Nullable Columns configured,
      @Nullable Split split,
      @Nullable Columns fileColumns) {
    this.file = file;
    this.input = input;
    this.in = input.bytes();
    this.csvFormat = csvFormat;
    this.format = format;
    this.configured = configured;
    this.split = split;
    this.fileColumns = fileColumns;
    this.delimiter = (byte) format.delimiter();
    this.quote = (byte) format.quote();
    this.delimiterBytes = ONES * (format.delimiter() & 0xff);
    this.charset = format.charset();
    String name = charset.name().toUpperCase(Locale.ROOT);
    this.utf8 = name.equals("UTF-8");
    this.ascii = name.equals("US-ASCII");
    this.latin1 = name.equals("ISO-8859-1");
    this.maxRecordSize = format.maxRecordSize();
    this.header = format.header();
    this.allowShortRecords = format.allowShortRecords();
    this.blankLines = format.blankLines();
    this.needsLineBreakAtEnd = split != null && !split.isLast();
    this.buf = new byte[firstBuffer(input, file, split)];
  }

  /**
   * Whether this reader can read {@code format}: a charset in which the ASCII bytes mean only ASCII
   * chars and a delimiter and quote that are ASCII.
   */
  static boolean reads(Format format) {
    String name = format.charset().name().toUpperCase(Locale.ROOT);
    boolean charset = name.equals("UTF-8") || name.equals("US-ASCII") || name.equals("ISO-8859-1");
    return charset
        && format.delimiter() < 0x80
        && format.quote() < 0x80
        && format.delimiter() != '\r'
        && format.delimiter() != '\n'
        && format.delimiter() != 0
        && format.delimiter() != format.quote();
  }

  /** Reads the records of a listed local file, up to its listed size. */
  static RecordReader open(
      InputFile file, CSVFormat csvFormat, Format format, @Nullable Columns configured)
      throws IOException {
    return TextInput.openBytes(file, format.charset(), format.malformedInput())
        .ownedBy(
            in ->
                start(
                    new ByteCsvRecordReader(file, in, csvFormat, format, configured, null, null)));
  }

  /**
   * Opens one split of a file cut into several, as {@link CsvRecordReader#openSplit} does: the
   * split's bytes only; the first split reads the header, a later one takes {@code fileColumns}.
   */
  static RecordReader openSplit(
      Split split,
      CSVFormat csvFormat,
      Format format,
      @Nullable Columns configured,
      @Nullable Columns fileColumns)
      throws IOException {
    @Nullable Columns later = split.index() > 0 ? fileColumns : null;
    return TextInput.openSplit(split, format.charset(), format.malformedInput())
        .ownedBy(
            in ->
                start(
                    new ByteCsvRecordReader(
                        split.file(), in, csvFormat, format, configured, split, later)));
  }

  /**
   * Readies {@code r} to return its first record, as the char readers do: the first split (or a
   * whole file) reads the header, a later split takes the file's columns. A file whose start is
   * binary or broken gzip goes to Commons CSV from the start, so that its open fails as theirs.
   */
  private static RecordReader start(ByteCsvRecordReader r) throws IOException {
    Split s = r.split;
    if (s != null && s.index() > 0) {
      r.columns = r.fileColumns;
      return r;
    }
    int start = r.prefill();
    if (start == FAILED) {
      // As the char readers' open, which decodes the start.
      throw r.failure(-1, -1);
    } else if (start == IRREGULAR) {
      r.handOver(0);
    } else if (r.header) {
      r.readHeader();
    }
    CsvRecordReader c = r.commons;
    return c != null ? c : r;
  }

  /**
   * Reads the first {@link #PREFILL} bytes (or all, if fewer): false if they hold a NUL or cannot
   * be read (a broken gzip stream), which the char readers find when they decode the start at open,
   * so that such a file goes to Commons CSV from the start and fails as there.
   */
  private int prefill() {
    while (limit < PREFILL && !eof) {
      if (!fill()) {
        return readError != null ? FAILED : IRREGULAR;
      }
    }
    byte[] b = buf;
    int i = 0;
    for (; i + 8 <= limit; i += 8) {
      if (zeroes((long) LONGS.get(b, i)) != 0) {
        return IRREGULAR;
      }
    }
    for (; i < limit; i++) {
      if (b[i] == 0) {
        return IRREGULAR;
      }
    }
    return RECORD;
  }

  /**
   * The failure of the bytes, as the char readers report it, at the record being read; it ends the
   * reading.
   */
  private RecordException failure(long atLine, long number) {
    IOException e = readError;
    RecordException f =
        input.readFailure(e != null ? e : new IOException("unknown read error"), atLine, number);
    fatal = f;
    return f;
  }

  private void readHeader() throws IOException {
    line = 1;
    while (true) {
      int found = scan();
      if (found == END) {
        ended = true;
        return;
      }
      if (found == FAILED) {
        line = lineBreaks + 1;
        throw failure(line, -1);
      }
      if (found == IRREGULAR) {
        handOver(0);
        return;
      }
      if (blank()) {
        if (blankLines != Format.BlankLines.SKIP) {
          handOver(0);
          return;
        }
        blankSkipped++;
        // As for the char readers, line() follows the blank line read.
        line = lineBreaks + 1;
        consume();
        continue;
      }
      String[] names = fields();
      Set<String> seen = new HashSet<>();
      for (String n : names) {
        if (n.isEmpty() || !seen.add(n)) {
          handOver(0);
          return;
        }
      }
      line = lineBreaks + 1;
      consume();
      columns = Columns.of(names);
      return;
    }
  }

  @Override
  public @Nullable Columns columns() {
    CsvRecordReader c = commons;
    return c != null ? c.columns() : columns;
  }

  @Override
  public boolean next() throws IOException {
    if (closed) {
      throw new IllegalStateException("reader is closed");
    }
    CsvRecordReader c = commons;
    if (c != null) {
      return c.next();
    }
    if (fatal != null) {
      throw fatal;
    }
    current = null;
    valuesMade = null;
    if (ended) {
      return false;
    }
    while (true) {
      int found = scan();
      if (found == END) {
        ended = true;
        return false;
      }
      if (found == IRREGULAR) {
        return handOverAndNext();
      }
      if (found == FAILED) {
        line = lineBreaks + 1;
        recordNumber++;
        valuesMade = NO_VALUES;
        throw failure(line, recordNumber);
      }
      if (blank() && blankLines != Format.BlankLines.KEEP) {
        if (blankLines == Format.BlankLines.FAIL) {
          return handOverAndNext();
        }
        blankSkipped++;
        // As for the char readers, line() follows the blank line read.
        line = lineBreaks + 1;
        consume();
        continue;
      }
      Columns cols = columns;
      if (cols == null) {
        cols = configured != null ? configured : Columns.positional(fieldCount);
      }
      int size = cols.size();
      if (fieldCount != size && (fieldCount > size || !allowShortRecords)) {
        return handOverAndNext();
      }
      long startLine = lineBreaks + 1;
      current = pack(size);
      consume();
      columns = cols;
      line = startLine;
      recordNumber++;
      return true;
    }
  }

  /**
   * Keeps the record scanned, whose bounds {@link #addField} wrote in the current chunk, for its
   * row's values to be made from, and works out its length in chars (as the char readers count it:
   * each value's chars, plus one per value).
   */
  private RecordFields pack(int size) {
    int n = fieldCount;
    int at = boundsUsed;
    charLength = size - recordExtra + fieldBytes;
    boundsUsed += 2 * n;
    // A record's bytes are its values' UTF-8 where they are ASCII, or UTF-8 that beyondAscii()
    // found well-formed (so decoding and encoding again gives them back); ISO-8859-1 ones are not.
    return new RecordFields(
        buf,
        bounds,
        at,
        n,
        nonAscii ? charset : StandardCharsets.ISO_8859_1,
        quote,
        !nonAscii || utf8);
  }

  /**
   * The size of the first buffer: the file's (or split's) bytes and one, so that a small file costs
   * no more than its size, up to {@link #CHUNK_BYTES}; that for gzip, whose size is unknown.
   */
  private static int firstBuffer(TextInput input, InputFile file, @Nullable Split split) {
    if (input.gzip()) {
      return CHUNK_BYTES;
    }
    // The last split runs to the listed size, not to its nominal end.
    long end = split == null || split.isLast() ? file.size() : split.end();
    long size = end - (split == null ? 0 : split.start());
    if (end < 0) {
      return CHUNK_BYTES;
    }
    return (int) Math.max(64, Math.min(CHUNK_BYTES, size + 1));
  }

  private boolean handOverAndNext() throws IOException {
    handOver(recordNumber);
    return next();
  }

  /**
   * Opens the file (or split) again with Commons CSV, read past the {@code done} records this
   * reader returned; from then on every call goes to it.
   */
  private void handOver(long done) throws IOException {
    bytesBeforeHandOver = input.bytesRead();
    input.close();
    try {
      commons =
          CsvRecordReader.reopenAfter(
              file, split, csvFormat, format, configured, fileColumns, done, line);
    } catch (RecordException e) {
      fatal = e;
      throw e;
    }
  }

  /** Whether the record scanned is a blank line: no byte at all before its line break. */
  private boolean blank() {
    return fieldCount == 1 && recordEnd == recordStart;
  }

  /** Moves past the record scanned. */
  private void consume() {
    lineBreaks += recordBreaks;
    pos = recordEnd2;
  }

  /**
   * Finds the next record from {@link #pos}, reading more bytes as needed: {@link #RECORD} (its
   * place in {@link #recordStart} and the field arrays; {@link #consume()} moves past it), {@link
   * #END}, or {@link #IRREGULAR}. Reads past nothing by itself.
   */
  private int scan() throws IOException {
    while (true) {
      int found = scanBuffered();
      if (found == RECORD) {
        return check();
      }
      if (found != MORE) {
        return found;
      }
      if (!fill()) {
        return readError != null ? FAILED : IRREGULAR;
      }
    }
  }

  /** Checks what the bytes of a found record must be: see the class documentation. */
  private int check() {
    if (recordEnd - recordStart > maxRecordSize) {
      return IRREGULAR;
    }
    if (recordEnd2 == recordEnd) {
      // Ended by the end of the bytes, with no line break: for a split that must end after a
      // record, or a file that grew past its listed size, Commons CSV tells what is wrong.
      if (needsLineBreakAtEnd || (input.grewWhileRead() && !input.gzip())) {
        return IRREGULAR;
      }
    }
    return RECORD;
  }

  /**
   * Moves the unread bytes to the buffer's start and reads more after them; grows the buffer for a
   * record longer than it, up to the size limit. Returns false when the record cannot fit or the
   * bytes cannot be read (Commons CSV then meets the same and says what).
   */
  private boolean fill() {
    if (limit == buf.length) {
      // Bytes are never moved inside a buffer: rows made from its records still read them. The
      // record being read goes to a new buffer, twice as large if it fills this one: a record's
      // UTF-8 bytes are at least its chars, so one over the limit in bytes plus its line break
      // needs no more room than the limit and three bytes to be told apart.
      int kept = limit - pos;
      int size = CHUNK_BYTES;
      if (kept > CHUNK_BYTES / 2) {
        long most = (long) maxRecordSize + 3;
        if (kept >= most) {
          return false;
        }
        size = (int) Math.min(most, 2L * kept);
      }
      byte[] next = new byte[size];
      System.arraycopy(buf, pos, next, 0, kept);
      buf = next;
      limit = kept;
      pos = 0;
    }
    try {
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) {
        eof = true;
        input.bytesEnded();
      } else {
        limit += n;
      }
      return true;
    } catch (IOException e) {
      // A truncated or corrupt gzip stream, or a file that shrank, is in the bytes: Commons CSV
      // meets it too, and reports it at the record where its reads do, which only it can tell.
      // Any other read error fails the file here, as it would there.
      if (!TextInput.inTheBytes(e)) {
        readError = e;
      }
      return false;
    }
  }

  private int scanBuffered() {
    byte[] b = buf;
    int lim = limit;
    int p = pos;
    recordStart = p;
    fieldCount = 0;
    fieldBytes = 0;
    nonAscii = false;
    recordExtra = 0;
    int breaks = 0;
    if (p >= lim) {
      return eof ? END : MORE;
    }
    while (true) {
      int fieldStart = p;
      if (p >= lim) {
        if (!eof) {
          return MORE;
        }
        // After a delimiter at the end: one more, empty field.
        addField(p, p, false);
        return endOfBytes(p, breaks);
      }
      if (b[p] == quote) {
        p++;
        boolean doubled = false;
        boolean high = false;
        while (true) {
          while (p < lim) {
            byte c = b[p];
            if (c == quote) {
              break;
            }
            if (c < 0) {
              high = true;
            } else if (c == '\r') {
              breaks++;
            } else if (c == '\n') {
              if (b[p - 1] != '\r') {
                breaks++;
              }
            } else if (c == 0) {
              return IRREGULAR;
            }
            p++;
          }
          if (p >= lim) {
            // The quote is not closed in the buffer: at the end, it never is.
            return eof ? IRREGULAR : MORE;
          }
          if (p + 1 >= lim && !eof) {
            return MORE;
          }
          if (p + 1 < lim && b[p + 1] == quote) {
            doubled = true;
            recordExtra++;
            p += 2;
            continue;
          }
          p++;
          break;
        }
        if (high && !beyondAscii(b, fieldStart + 1, p - 1)) {
          return IRREGULAR;
        }
        addField(fieldStart + 1, p - 1, doubled);
        if (p >= lim) {
          if (!eof) {
            return MORE;
          }
          return endOfBytes(p, breaks);
        }
        byte c = b[p];
        if (c == delimiter) {
          p++;
          continue;
        }
        if (c != '\n' && c != '\r') {
          // Whitespace or other characters after the closing quote.
          return IRREGULAR;
        }
      } else {
        // Eight bytes at a time: the lowest byte the carry trick flags is exact (only bytes above
        // a match can be flagged wrongly). One test flags every byte below 14 (CR, LF and NUL
        // among them, and a tab delimiter), one the delimiter; a flagged control char that ends
        // nothing (a tab in a CSV field, say) is passed over.
        long high = 0;
        while (true) {
          if (p + 8 <= lim) {
            long v = (long) LONGS.get(b, p);
            long d = v ^ delimiterBytes;
            long m = (((v - LOW_BYTES) & ~v) | ((d - ONES) & ~d)) & HIGHS;
            if (m == 0) {
              high |= v;
              p += 8;
              continue;
            }
            int k = Long.numberOfTrailingZeros(m) >>> 3;
            byte c = b[p + k];
            if (c != delimiter && c != '\n' && c != '\r' && c != 0) {
              high |= v & ((1L << (k << 3) << 8) - 1); // k + 1 bytes, k at most 7
              p += k + 1;
              continue;
            }
            high |= v & ((1L << (k << 3)) - 1);
            p += k;
            break;
          }
          for (; p < lim; p++) {
            byte c = b[p];
            if (c == delimiter || c == '\n' || c == '\r' || c == 0) {
              break;
            }
            high |= c;
          }
          break;
        }
        if (p < lim && b[p] == 0) {
          return IRREGULAR;
        }
        if (p >= lim && !eof) {
          return MORE;
        }
        // Checked only once the field is whole: a buffer may end inside a char.
        if (((high & HIGHS) != 0 || high < 0) && !beyondAscii(b, fieldStart, p)) {
          return IRREGULAR;
        }
        addField(fieldStart, p, false);
        if (p >= lim) {
          return endOfBytes(p, breaks);
        }
        if (b[p] == delimiter) {
          p++;
          continue;
        }
      }
      // A line break ends the record.
      recordEnd = p;
      if (b[p] == '\r') {
        if (p + 1 >= lim && !eof) {
          return MORE;
        }
        p += p + 1 < lim && b[p + 1] == '\n' ? 2 : 1;
      } else {
        p++;
      }
      recordEnd2 = p;
      recordBreaks = breaks + 1;
      return RECORD;
    }
  }

  /**
   * For a whole field {@code b[from, to)} with a byte beyond ASCII: whether its bytes are valid in
   * the charset, adding what its UTF-8 has beyond its UTF-16 length to {@link #recordExtra}. Only
   * such fields are checked: a UTF-8 sequence cut by a delimiter, quote or line break is invalid
   * whether the record or its fields are checked, so the verdict is the whole record's.
   */
  private boolean beyondAscii(byte[] b, int from, int to) {
    nonAscii = true;
    if (latin1) {
      return true;
    }
    int extra = ascii ? -1 : Utf8.extra(b, from, to);
    if (extra < 0) {
      return false;
    }
    recordExtra += extra;
    return true;
  }

  private int endOfBytes(int p, int breaks) {
    recordEnd = p;
    recordEnd2 = p;
    recordBreaks = breaks;
    return RECORD;
  }

  /**
   * The high bit of each zero byte of {@code x}, for the lowest one exactly: a byte of {@code v}
   * xor a byte repeated is zero where {@code v} holds that byte.
   */
  private static long zeroes(long x) {
    return (x - ONES) & ~x & HIGHS;
  }

  private void addField(int start, int end, boolean doubled) {
    int at = boundsUsed + 2 * fieldCount;
    if (at + 2 > bounds.length) {
      at = newChunk();
    }
    bounds[at] = start;
    bounds[at + 1] = doubled ? ~end : end;
    fieldBytes += end - start;
    fieldCount++;
  }

  /**
   * Starts a new chunk of bounds with the fields of the record being scanned, as the current one is
   * full; the records before it keep the old one. Returns where the next field's bounds go.
   */
  private int newChunk() {
    int kept = 2 * fieldCount;
    int[] next = new int[Math.max(CHUNK_INTS, 2 * kept + 2)];
    System.arraycopy(bounds, boundsUsed, next, 0, kept);
    bounds = next;
    boundsUsed = 0;
    return kept;
  }

  /** The fields of the record scanned, as Strings. */
  private String[] fields() {
    String[] v = new String[fieldCount];
    Charset cs = nonAscii ? charset : StandardCharsets.ISO_8859_1;
    for (int i = 0; i < fieldCount; i++) {
      int s = bounds[boundsUsed + 2 * i];
      int e = bounds[boundsUsed + 2 * i + 1];
      if (e < 0) {
        v[i] = undoubled(buf, s, ~e, quote, cs);
      } else if (s == e) {
        v[i] = "";
      } else {
        v[i] = new String(buf, s, e - s, cs);
      }
    }
    return v;
  }

  /** The text of {@code b[start, end)} with each doubled quote made one. */
  static String undoubled(byte[] b, int start, int end, byte quote, Charset cs) {
    byte[] out = new byte[end - start];
    int n = 0;
    for (int i = start; i < end; i++) {
      byte c = b[i];
      out[n++] = c;
      if (c == quote) {
        i++;
      }
    }
    return new String(out, 0, n, cs);
  }

  @Override
  public String[] values() {
    CsvRecordReader c = commons;
    if (c != null) {
      return c.values();
    }
    String[] v = valuesMade;
    if (v != null) {
      return v;
    }
    RecordFields f = current;
    Columns cols = columns;
    if (f == null || cols == null) {
      throw new IllegalStateException("no current record");
    }
    v = new String[cols.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = f.value(i);
    }
    valuesMade = v;
    return v;
  }

  /** A row whose values are made from the record's bytes when first asked for. */
  @Override
  public Row row(Columns columns) {
    CsvRecordReader c = commons;
    if (c != null) {
      return c.row(columns);
    }
    RecordFields f = current;
    if (f == null) {
      throw new IllegalStateException("no current record");
    }
    return ApiAccess.lazyRow(columns, f);
  }

  @Override
  public long line() {
    CsvRecordReader c = commons;
    return c != null ? c.line() : line;
  }

  @Override
  public long recordNumber() {
    CsvRecordReader c = commons;
    return c != null ? c.recordNumber() : recordNumber;
  }

  /** Always -1, as for the char readers. */
  @Override
  public long byteOffset() {
    return -1;
  }

  @Override
  public int charLength() {
    CsvRecordReader c = commons;
    return c != null ? c.charLength() : charLength;
  }

  /**
   * The original text of the current record, cut at {@link RawText#LIMIT} chars; of a failing one,
   * once handed over, Commons CSV's. Null once closed, as for the char readers.
   */
  @Override
  public @Nullable String rawText() {
    CsvRecordReader c = commons;
    if (c != null) {
      return c.rawText();
    }
    if (closed || current == null) {
      return null;
    }
    // The record's bytes stay where they are until the next record is scanned.
    int n = Math.min(recordEnd - recordStart, 4 * RawText.LIMIT + 4);
    return RawText.of(
        new String(buf, recordStart, n, nonAscii ? charset : StandardCharsets.ISO_8859_1));
  }

  @Override
  public long linesRead() {
    CsvRecordReader c = commons;
    return c != null ? c.linesRead() : lineBreaks;
  }

  @Override
  public long linesBefore() throws IOException {
    CsvRecordReader c = commons;
    if (c != null) {
      return c.linesBefore();
    }
    Split s = split;
    return s == null || s.start() == 0 ? 0 : TextInput.countLineBreaks(s.file().path(), s.start());
  }

  @Override
  public long bytesRead() {
    CsvRecordReader c = commons;
    return c != null ? Math.max(bytesBeforeHandOver, c.bytesRead()) : input.bytesRead();
  }

  @Override
  public boolean grewWhileRead() {
    CsvRecordReader c = commons;
    return c != null ? c.grewWhileRead() : input.grewWhileRead();
  }

  @Override
  public long blankLinesSkipped() {
    CsvRecordReader c = commons;
    return c != null ? c.blankLinesSkipped() : blankSkipped;
  }

  /** The current record's fields, as its row reads them: for tests. */
  @Nullable LazyFields fieldsForTest() {
    return current;
  }

  /** Whether the file (or split) was handed over to Commons CSV: for tests. */
  boolean handedOverForTest() {
    return commons != null;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      input.close();
    } finally {
      CsvRecordReader c = commons;
      if (c != null) {
        c.close();
      }
    }
  }

  /** Whether {@code b[from, to)} holds only ASCII bytes. */
  static boolean asciiOnly(byte[] b, int from, int to) {
    int i = from;
    while (i + 8 <= to) {
      if (((long) LONGS.get(b, i) & HIGHS) != 0) {
        return false;
      }
      i += 8;
    }
    for (; i < to; i++) {
      if (b[i] < 0) {
        return false;
      }
    }
    return true;
  }

  /** A check of UTF-8 well-formedness, as the JDK's decoder judges it (Unicode table 3-7). */
  static final class Utf8 {
    private Utf8() {}

    static boolean valid(byte[] b, int from, int to) {
      return extra(b, from, to) >= 0;
    }

    /**
     * The bytes of {@code b[from, to)} beyond its UTF-16 length (1 for a 2-byte sequence, 2 for a
     * 3- or 4-byte one), or -1 if they are not well-formed UTF-8.
     */
    static int extra(byte[] b, int from, int to) {
      int extra = 0;
      int i = from;
      while (i < to) {
        // Runs of ASCII, the most of nearly any text, eight bytes at a time.
        while (i + 8 <= to && ((long) LONGS.get(b, i) & HIGHS) == 0) {
          i += 8;
        }
        if (i >= to) {
          break;
        }
        int c = b[i] & 0xff;
        if (c < 0x80) {
          i++;
          continue;
        }
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
          n = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
          n = 2;
          if (c == 0xE0) {
            lo = 0xA0;
          } else if (c == 0xED) {
            hi = 0x9F;
          }
        } else if (c >= 0xF0 && c <= 0xF4) {
          n = 3;
          if (c == 0xF0) {
            lo = 0x90;
          } else if (c == 0xF4) {
            hi = 0x8F;
          }
        } else {
          return -1;
        }
        if (i + n >= to) {
          return -1;
        }
        int second = b[i + 1] & 0xff;
        if (second < lo || second > hi) {
          return -1;
        }
        for (int k = 2; k <= n; k++) {
          int t = b[i + k] & 0xff;
          if (t < 0x80 || t > 0xBF) {
            return -1;
          }
        }
        // A 4-byte sequence is two UTF-16 units.
        extra += n == 3 ? 2 : n;
        i += n + 1;
      }
      return extra;
    }
  }

  /**
   * One record's fields in a chunk of bytes: the bounds of field {@code i} are {@code bounds[base +
   * 2i]} and {@code bounds[base + 2i + 1]}, the latter complemented when the field is quoted with
   * doubled quotes inside; fields past {@code count} (a short record, padded) are empty.
   *
   * <p>Immutable and thread-safe: nothing is written to the chunk's part of this record after it is
   * made.
   */
  private static final class RecordFields extends LazyFields {
    private final byte[] bytes;
    private final int[] bounds;
    private final int base;
    private final int count;
    private final Charset charset;
    private final byte quote;

    /** Whether every field's bytes are its value's UTF-8 bytes (else only its ASCII ones are). */
    private final boolean utf8;

    RecordFields(
        byte[] bytes,
        int[] bounds,
        int base,
        int count,
        Charset charset,
        byte quote,
        boolean utf8) {
      this.bytes = bytes;
      this.bounds = bounds;
      this.base = base;
      this.count = count;
      this.charset = charset;
      this.quote = quote;
      this.utf8 = utf8;
    }

    @Override
    public String value(int i) {
      if (i >= count) {
        return "";
      }
      int s = bounds[base + 2 * i];
      int e = bounds[base + 2 * i + 1];
      if (e < 0) {
        return undoubled(bytes, s, ~e, quote, charset);
      }
      return s == e ? "" : new String(bytes, s, e - s, charset);
    }

    /**
     * Where the bytes are the chars (ISO-8859-1, or an ASCII field of a record in any of the
     * charsets: a filter's status or amount column next to a name with an accent): a view of them.
     */
    @Override
    public CharSequence text(int i) {
      if (i >= count) {
        return value(i);
      }
      int s = bounds[base + 2 * i];
      int e = bounds[base + 2 * i + 1];
      if (e < 0 || (charset != StandardCharsets.ISO_8859_1 && !asciiOnly(bytes, s, e))) {
        return value(i);
      }
      return new Latin1Chars(bytes, s, e - s);
    }

    @Override
    public byte[] bytes() {
      return bytes;
    }

    /**
     * The field's bounds, but not for a field with doubled quotes (its bytes hold each quote
     * twice), nor for an ISO-8859-1 field with a byte beyond ASCII.
     */
    @Override
    public long utf8Range(int i) {
      if (i >= count) {
        return range(0, 0); // a padded field: "", whose UTF-8 is no bytes
      }
      int s = bounds[base + 2 * i];
      int e = bounds[base + 2 * i + 1];
      if (e < 0 || (!utf8 && !asciiOnly(bytes, s, e))) {
        return -1;
      }
      return range(s, e);
    }
  }

  /**
   * Bytes read as ISO-8859-1 chars, one char per byte, without copying them: what a filter reads
   * once.
   *
   * <p>Immutable and thread-safe, as the bytes under it are never written.
   */
  private static final class Latin1Chars implements CharSequence {
    private final byte[] bytes;
    private final int from;
    private final int length;

    Latin1Chars(byte[] bytes, int from, int length) {
      this.bytes = bytes;
      this.from = from;
      this.length = length;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public char charAt(int index) {
      if (index < 0 || index >= length) {
        throw new IndexOutOfBoundsException(index);
      }
      return (char) (bytes[from + index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return toString().substring(start, end);
    }

    @Override
    public String toString() {
      return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
    }
  }
}
