package dev.sluice.internal.io.csv;

import dev.sluice.api.Format;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.Split;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cuts a large plain CSV file into byte ranges that start at records. A line break is a record
 * boundary only if it is outside quotes, which cannot be told from the bytes around it alone; so
 * from each nominal offset the planner takes the next line break and tries both readings of it over
 * the following {@link #WINDOW} bytes: <i>outside</i> (the next byte starts a record) and
 * <i>inside</i> (the next bytes continue a quoted field). A reading dies where it meets what a
 * well-formed file of this width cannot hold: a record whose field count is not the file's width
 * (is above it, with {@code allowShortRecords}), characters after a closing quote, the end of the
 * file inside quotes, or (for <i>inside</i>) a quoted field that does not close within the window.
 * The reading that dies first loses, and the other gives the boundary: the line break itself, or
 * the end of the record the quoted field belongs to. If neither dies within the window, the
 * boundary is dropped and its neighbours' splits merge, so the worst case is one split for the
 * file. Only the first death counts: a bad record further on does not undo a boundary that the
 * evidence before it proved.
 *
 * <p>For a well-formed file the true reading always survives, so a boundary found this way is
 * right. For a file with bad records near a nominal offset a wrong boundary is possible; the
 * readers check it (every split but the last must end right after a record), so it fails the file
 * rather than yield wrong records.
 *
 * <p>Bytes are read as bytes: only ASCII delimiters, quotes and line breaks matter, which is why
 * only ASCII-compatible single-byte charsets and UTF-8 (whose multibyte sequences never hold an
 * ASCII byte) are split.
 *
 * <p>Immutable and thread-safe: {@link #plan} keeps its state on the stack.
 */
final class CsvSplitter {
  /** Bytes after a candidate line break over which both readings are tried. */
  static final int WINDOW = 256 * 1024;

  /** A reading that did not die in the window. */
  private static final int ALIVE = Integer.MAX_VALUE;

  private static final int FIELD_START = 0;
  private static final int UNQUOTED = 1;
  private static final int QUOTED = 2;
  private static final int QUOTE_IN_QUOTED = 3;
  private static final int AFTER_CLOSE = 4;

  private final byte delimiter;
  private final byte quote;
  private final boolean allowShort;
  private final int width;
  private final Format.BlankLines blankLines;

  CsvSplitter(
      int width, char delimiter, char quote, boolean allowShort, Format.BlankLines blankLines) {
    this.width = width;
    this.delimiter = (byte) delimiter;
    this.quote = (byte) quote;
    this.allowShort = allowShort;
    this.blankLines = blankLines;
  }

  /**
   * Whether files in {@code charset} with this delimiter and quote may be cut: the charset is
   * ASCII-compatible and stateless (UTF-8, US-ASCII, ISO-8859-*, windows-125x) and both chars are
   * ASCII, so that their bytes, and those of CR and LF, mean only them.
   */
  static boolean splittable(Charset charset, char delimiter, char quote) {
    if (delimiter >= 0x80 || quote >= 0x80) {
      return false;
    }
    String name = charset.name().toUpperCase(Locale.ROOT);
    return name.equals("UTF-8")
        || name.equals("US-ASCII")
        || name.startsWith("ISO-8859-")
        || name.matches("WINDOWS-125[0-8]");
  }

  /**
   * The splits of {@code file}: nominal offsets every {@code splitSize} bytes (at least 1.5 of
   * them, else one split), each moved to a proven record start or dropped. The caller has checked
   * the charset and that the file is not gzip.
   *
   * @param width the file's number of columns (header or first record)
   * @throws UnsupportedOperationException if the file system cannot position a channel
   */
  static List<Split> plan(
      InputFile file,
      long splitSize,
      int width,
      char delimiter,
      char quote,
      boolean allowShort,
      Format.BlankLines blankLines)
      throws IOException {
    try (SeekableByteChannel ch = Files.newByteChannel(file.path())) {
      // The size when listed: what is appended later is not read, so not planned either.
      long size = file.size() >= 0 ? Math.min(file.size(), ch.size()) : ch.size();
      long count = Math.max(1, Math.round((double) size / splitSize));
      if (count < 2) {
        return List.of(Split.whole(file));
      }
      CsvSplitter splitter = new CsvSplitter(width, delimiter, quote, allowShort, blankLines);
      ByteBuffer window = ByteBuffer.allocate((int) Math.min(WINDOW, size));
      List<Long> bounds = new ArrayList<>();
      // The first split holds the first record (the header, or the record that sizes a headerless
      // file), whatever blank lines come before it: no boundary before its end.
      ch.position(0);
      while (window.hasRemaining() && ch.read(window) >= 0) {
        // Fills the window from the file's start.
      }
      window.flip();
      long last = splitter.firstRecordEnd(window.array(), window.limit());
      if (last < 0) {
        return List.of(Split.whole(file));
      }
      for (long k = 1; k < count; k++) {
        long nominal = (long) (k * ((double) size / count));
        long from = Math.max(nominal, last);
        if (from >= size) {
          break;
        }
        window.clear();
        if (window.capacity() > size - from) {
          window.limit((int) (size - from));
        }
        ch.position(from);
        while (window.hasRemaining() && ch.read(window) >= 0) {
          // Fills the window: a positioned channel may return fewer bytes than asked for.
        }
        window.flip();
        long b =
            splitter.boundary(window.array(), window.limit(), from, from + window.limit() >= size);
        if (b > last && b < size) {
          bounds.add(b);
          last = b;
        }
      }
      if (bounds.isEmpty()) {
        return List.of(Split.whole(file));
      }
      List<Split> splits = new ArrayList<>(bounds.size() + 1);
      int n = bounds.size() + 1;
      long start = 0;
      for (int i = 0; i < n; i++) {
        long end = i < bounds.size() ? bounds.get(i) : -1;
        splits.add(new Split(file, i, n, start, end));
        start = end;
      }
      return splits;
    }
  }

  /**
   * The record start proven from the window {@code w[0, len)}, which begins at file offset {@code
   * from}, or -1. {@code eof}: the window ends at the end of the file.
   */
  long boundary(byte[] w, int len, long from, boolean eof) {
    int c = -1;
    for (int j = 0; j < len; j++) {
      if (w[j] == '\n') {
        c = j + 1;
        break;
      }
      if (w[j] == '\r') {
        if (j + 1 >= len) {
          return -1; // whether an LF follows is not known
        }
        c = w[j + 1] == '\n' ? j + 2 : j + 1;
        break;
      }
    }
    if (c < 0 || c >= len) {
      return -1;
    }
    int[] outside = read(w, c, len, eof, false);
    int[] inside = read(w, c, len, eof, true);
    if (outside[0] > inside[0]) {
      return from + c;
    }
    if (inside[0] > outside[0] && inside[1] >= 0) {
      return from + inside[1];
    }
    return -1;
  }

  /**
   * The offset after the line break that ends the first record of {@code w[0, len)}, the start of a
   * file, blank lines before it skipped; -1 if it does not end within {@code w}.
   */
  long firstRecordEnd(byte[] w, int len) {
    int i = 0;
    if (len >= 3 && (w[0] & 0xff) == 0xEF && (w[1] & 0xff) == 0xBB && (w[2] & 0xff) == 0xBF) {
      i = 3; // a UTF-8 byte order mark (in another charset, text: skipping it only moves the bound)
    }
    while (i < len && (w[i] == '\n' || w[i] == '\r')) {
      i++;
    }
    int s = FIELD_START;
    for (; i < len; i++) {
      byte b = w[i];
      boolean lineBreak = b == '\n' || b == '\r';
      if (s == QUOTED) {
        if (b == quote) {
          s = QUOTE_IN_QUOTED;
        }
        continue;
      }
      if (s == QUOTE_IN_QUOTED && b == quote) {
        s = QUOTED;
        continue;
      }
      if (lineBreak) {
        if (b == '\n') {
          return i + 1;
        }
        // Whether an LF follows a CR at the window's end is not known.
        return i + 1 >= len ? -1 : w[i + 1] == '\n' ? i + 2 : i + 1;
      }
      if (b == delimiter) {
        s = FIELD_START;
      } else if (s == FIELD_START && b == quote) {
        s = QUOTED;
      } else {
        s = UNQUOTED; // text, a stray quote, or what follows a closing quote
      }
    }
    return -1;
  }

  /**
   * Follows the syntax over {@code w[c, len)} from a record start ({@code inQuotes} false) or from
   * inside a quoted field. Returns where the reading dies ({@link #ALIVE} if it does not) and the
   * index of the first record start after {@code c} (-1 if none is seen).
   */
  private int[] read(byte[] w, int c, int len, boolean eof, boolean inQuotes) {
    int s = inQuotes ? QUOTED : FIELD_START;
    // The first record of the inside reading started before the window: its fields are unknown.
    boolean counted = !inQuotes;
    boolean firstFieldOpen = inQuotes;
    int fields = 1;
    int firstStart = -1;
    int recordStart = c;
    final byte d = delimiter;
    final byte q = quote;
    int i = c;
    while (i < len) {
      byte b = w[i];
      boolean lineBreak = b == '\n' || b == '\r';
      switch (s) {
        case FIELD_START:
          if (b == q) {
            s = QUOTED;
          } else if (b == d) {
            fields++;
          } else if (!lineBreak) {
            s = UNQUOTED;
          }
          break;
        case UNQUOTED:
          if (b == d) {
            fields++;
            s = FIELD_START;
          }
          break;
        case QUOTED:
          if (b == q) {
            s = QUOTE_IN_QUOTED;
          }
          lineBreak = false;
          break;
        case QUOTE_IN_QUOTED:
          if (b == q) {
            s = QUOTED;
          } else if (b == d) {
            fields++;
            s = FIELD_START;
          } else if (!lineBreak) {
            if (!whitespace(b)) {
              return new int[] {i, firstStart};
            }
            s = AFTER_CLOSE;
          }
          if (s != QUOTED) {
            firstFieldOpen = false;
          }
          break;
        case AFTER_CLOSE:
          if (b == d) {
            fields++;
            s = FIELD_START;
          } else if (!lineBreak && !whitespace(b)) {
            return new int[] {i, firstStart};
          }
          break;
        default:
          throw new AssertionError(s);
      }
      if (lineBreak && s != QUOTED) {
        // A blank line is no record unless the format keeps it: then it is one empty field.
        boolean blank = i == recordStart;
        if (blank && blankLines == Format.BlankLines.FAIL) {
          return new int[] {i, firstStart};
        }
        if (counted && !(blank && blankLines == Format.BlankLines.SKIP) && !fits(fields)) {
          return new int[] {i, firstStart};
        }
        i++;
        if (b == '\r') {
          if (i == len && !eof) {
            break; // whether an LF follows is not known: no more evidence
          }
          if (i < len && w[i] == '\n') {
            i++;
          }
        }
        if (firstStart < 0) {
          firstStart = i;
        }
        recordStart = i;
        counted = true;
        fields = 1;
        s = FIELD_START;
        continue;
      }
      i++;
    }
    if (eof) {
      if (s == QUOTED) {
        return new int[] {len, firstStart}; // a quote not closed before the end of the file
      }
      // A last record without a line break.
      if (recordStart < len && counted && !fits(fields)) {
        return new int[] {len, firstStart};
      }
    } else if (firstFieldOpen) {
      // A quoted field longer than the window: not what a file this planner splits holds.
      return new int[] {len, firstStart};
    }
    return new int[] {ALIVE, firstStart};
  }

  /**
   * Whether a quoted field open at file offset {@code from} stays open to {@code end} (-1: the end
   * of the file), quotes being followed as the parser follows them: two quotes are one, a quote
   * followed by anything else (or by the end) closes. Returns -1 if a quote closes it, else the
   * chars of {@code [from, end)} (UTF-8 continuation bytes are not counted: the charsets cut into
   * splits are UTF-8 or one byte a char). Reads those bytes: for the failure path of a split that
   * ends inside a quoted field only.
   */
  static long charsIfUnclosed(
      java.nio.file.Path path, long from, long end, char quote, boolean utf8) throws IOException {
    byte q = (byte) quote;
    boolean afterQuote = false;
    long chars = 0;
    try (SeekableByteChannel ch = Files.newByteChannel(path)) {
      long limit = end >= 0 ? Math.min(end, ch.size()) : ch.size();
      ch.position(from);
      ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
      long left = limit - from;
      while (left > 0) {
        buf.clear();
        if (buf.capacity() > left) {
          buf.limit((int) left);
        }
        int n = ch.read(buf);
        if (n < 0) {
          break;
        }
        left -= n;
        byte[] a = buf.array();
        for (int i = 0; i < n; i++) {
          byte b = a[i];
          if (afterQuote) {
            if (b != q) {
              return -1;
            }
            afterQuote = false;
          } else if (b == q) {
            afterQuote = true;
          }
          if (!utf8 || (b & 0xC0) != 0x80) {
            chars++;
          }
        }
      }
    }
    return afterQuote ? -1 : chars;
  }

  private boolean fits(int fields) {
    return fields == width || (allowShort && fields < width);
  }

  /**
   * Whitespace after a closing quote, which the parser drops: ASCII whitespace, and any byte of a
   * multibyte char (some are whitespace; taking all of them keeps this reading alive, never kills a
   * true one).
   */
  private static boolean whitespace(byte b) {
    return b < 0 || (b != '\n' && b != '\r' && Character.isWhitespace((char) b));
  }
}
