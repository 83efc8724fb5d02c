package dev.sluice.internal.io.csv;

import dev.sluice.internal.io.RawText;
import dev.sluice.internal.io.TextInput;
import java.io.IOException;
import java.io.Reader;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The reader Commons CSV parses from: passes the decoded text through while following the RFC 4180
 * syntax the way Commons CSV's lexer does, so that it knows, for each record, where it starts and
 * ends (char offsets and line), whether it has characters after a closing quote, and how long it
 * is. Records are numbered alike on both sides: the parser returns them in the order {@link
 * #take()} hands out their descriptions. The scanner uses what it knows in three ways:
 *
 * <ul>
 *   <li><b>Record size limit.</b> It hands out at most {@code maxRecordSize} chars of one record
 *       (line break excluded); at the limit it returns end-of-text, so Commons CSV never holds
 *       more, and {@link #stop()} says {@link #CAP}. {@link #skipRecord()} then reads past the rest
 *       of the record, following quotes, without keeping it.
 *   <li><b>Resuming without loss.</b> A read hands out at most {@link #MAX_READ} chars and Commons
 *       CSV reads again only once it has used them all, so when a parser is dropped in the middle
 *       of a record, what it had not used is among the last {@code MAX_READ} chars handed out. The
 *       scanner keeps at least {@link #HISTORY} chars behind its position, so {@link #resumeAfter}
 *       can hand out again everything after a bad record.
 *   <li><b>Record text.</b> From the same history, and from the first {@link RawText#LIMIT} chars
 *       of a long record set aside before they scroll out, {@link #rawText} gives the original text
 *       of the record being reported.
 * </ul>
 *
 * <p>The syntax it follows: a quote opens a quoted field only as a field's first char; inside, two
 * quotes are one; a quote not followed by a quote closes the field, which may then be followed by
 * whitespace ({@link Character#isWhitespace}) before the delimiter or line break (Commons CSV drops
 * it); anything else there is junk, which Commons CSV rejects. A record ends at an LF, a CR or a
 * CRLF outside quotes, or at the end of the text if it has any chars.
 *
 * <p>Not thread-safe: one instance per file. {@link #close()} does nothing: the caller closes the
 * text under it, so that dropping a parser (which closes its reader) does not.
 */
final class RecordScanner extends Reader {
  /** {@link #stop()}: not stopped. */
  static final int NONE = 0;

  /** {@link #stop()}: the text has ended. */
  static final int END = 1;

  /** {@link #stop()}: the current record reached the size limit. */
  static final int CAP = 2;

  /** {@link #stop()}: the text under this reader failed ({@link #failure()}). */
  static final int FAILURE = 3;

  /** The most chars one read hands out. */
  static final int MAX_READ = 8 * 1024;

  private static final int FIELD_START = 0;
  private static final int UNQUOTED = 1;
  private static final int QUOTED = 2;

  /** A quote inside a quoted field: the next char tells whether it was doubled or closing. */
  private static final int QUOTE_IN_QUOTED = 3;

  /** After a closing quote, and any whitespace after it. */
  private static final int AFTER_CLOSE = 4;

  /** After junk that followed a closing quote: the record is bad, its end is still wanted. */
  private static final int JUNK = 5;

  /** {@link #specials} for the usual quote, shared: it is never written after it is made. */
  private static final boolean[] DOUBLE_QUOTE_SPECIALS = specials('"');

  /** Chars kept behind the read position when the buffer is compacted: twice {@link #MAX_READ}. */
  private static final int HISTORY = 2 * MAX_READ;

  private final Reader in;
  private final Folder folder;
  private final char delimiter;
  private final char quote;
  private final int maxRecordSize;

  /**
   * Lent with the text under this scanner when there is one ({@link TextInput#scanBuffer}): it may
   * hold another file's chars beyond {@code limit}, which nothing reads.
   */
  private final char[] buf;

  /** The text offset of {@code buf[0]}. */
  private long base;

  /** The next char to hand out. */
  private int pos;

  private int limit;

  /** Marks the quote, CR and LF: what a field's chars are searched for. Read only. */
  private final boolean[] special;

  private int state = FIELD_START;

  /** Quotes seen in the current field, counted only from its opening quote. */
  private int fieldQuotes;

  /**
   * Whether the last line break in the quoted field, since its opening quote or its last doubled
   * quote, is a CR: for {@link ScannedRecord#lfAfterQuotedCr}.
   */
  private boolean quotedCr;

  private long lineBreaks;

  /** A CR ended the last record at the end of a read: an LF that follows belongs to it. */
  private boolean afterCr;

  private int stop = NONE;
  private @Nullable IOException failure;
  private long peak;

  /** Whether {@link #skipRecord()} is running: what it passes is not handed out. */
  private boolean skipping;

  /**
   * Records scanned to their end and not yet taken, oldest at {@code head}, then the current one.
   * The slots are reused in place; the slot before {@code head} is kept for the taken one. Slots
   * are made when first needed ({@link #slot}): Commons CSV reads 8K chars ahead, so about 70
   * records of a typical file are in the ring at once, and a file of 100 records made 240 slots
   * through four doublings from 16 (a visible cost over thousands of small files; issue #6).
   */
  private ScannedRecord[] ring = new ScannedRecord[128];

  private int head;
  private int done;
  private ScannedRecord current;
  private @Nullable ScannedRecord taken;

  /**
   * Told which text belongs to one record so far, when the scanner is about to read more: for
   * {@link dev.sluice.internal.io.TextInput#foldMalformed}.
   */
  @FunctionalInterface
  interface Folder {
    void fold(long from, long to);
  }

  /**
   * @param in the decoded text
   * @param folder told, before each read from {@code in}, the text offsets of the current record's
   *     chars so far
   * @param maxRecordSize the most chars one record may have, line break excluded
   */
  RecordScanner(Reader in, Folder folder, char delimiter, char quote, int maxRecordSize) {
    this.in = in;
    this.buf = TextInput.scanBuffer(in);
    this.folder = folder;
    this.delimiter = delimiter;
    this.quote = quote;
    this.maxRecordSize = maxRecordSize;
    this.special = quote == '"' ? DOUBLE_QUOTE_SPECIALS : specials(quote);
    current = slot(0);
    current.reset(0, 1);
  }

  /** The ring's slot {@code i}, made on first use. */
  private ScannedRecord slot(int i) {
    ScannedRecord r = ring[i];
    if (r == null) {
      r = new ScannedRecord();
      ring[i] = r;
    }
    return r;
  }

  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, cbuf.length);
    if (len == 0) {
      return 0;
    }
    if (stop == CAP || (pos == limit && !fill())) {
      return -1;
    }
    int from = pos;
    int i = pos;
    if (afterCr) {
      afterCr = false;
      if (buf[i] == '\n') {
        i++;
        current.start++;
      }
    }
    int end = Math.min(limit, from + Math.min(len, MAX_READ));
    while (i < end) {
      // The index of the first char beyond the limit; the content so far is within it.
      long room = current.start + maxRecordSize - base;
      int to = room < end ? (int) room : end;
      if (to <= i) {
        char c = buf[i];
        if ((c == '\n' || c == '\r') && state != QUOTED) {
          to = i + 1;
        } else {
          stop = CAP;
          current.capOffset = base + i;
          break;
        }
      }
      i = scan(i, to, end);
    }
    int n = i - from;
    if (n == 0) {
      return -1;
    }
    System.arraycopy(buf, from, cbuf, off, n);
    pos = i;
    peak = Math.max(peak, base + i - current.start);
    return n;
  }

  /**
   * Follows the syntax over {@code buf[i, to)}, stopping after the first record end; {@code end}
   * bounds the look at the LF after a CR. Returns the index after the last char scanned.
   *
   * <p>Inside a field only a quote and the line breaks matter (and, after a closing quote, the
   * delimiter): a quote opens a quoted field only as its first char, that is right after the
   * delimiter, which a look back tells; so the search through a field's chars ({@link
   * #findSpecial}) looks for those three only.
   */
  private int scan(int i, int to, int end) {
    final char[] b = buf;
    final char d = delimiter;
    final char q = quote;
    int s = state;
    while (i < to) {
      char c = b[i];
      switch (s) {
        case UNQUOTED:
          // The common case: a search for the next char that needs a look.
          i = findSpecial(b, i, to);
          if (i == to) {
            state = s;
            return i;
          }
          c = b[i];
          if (c == '\n' || c == '\r') {
            return endRecord(i, end, s);
          }
          // A quote, opening a field if right after the delimiter (an unquoted field has a char
          // before it, in the buffer); a stray quote otherwise, which is text.
          if (b[i - 1] == d) {
            s = QUOTED;
            fieldQuotes = 1;
            quotedCr = false;
            current.quoteOffset = base + i;
          }
          break;
        case FIELD_START:
          if (c == q) {
            s = QUOTED;
            fieldQuotes = 1;
            quotedCr = false;
            current.quoteOffset = base + i;
          } else if (c == '\n' || c == '\r') {
            return endRecord(i, end, s);
          } else {
            s = UNQUOTED;
          }
          break;
        case QUOTED:
          i = findSpecial(b, i, to);
          if (i == to) {
            state = s;
            return i;
          }
          c = b[i];
          if (c == q) {
            s = QUOTE_IN_QUOTED;
            fieldQuotes++;
          } else {
            quotedCr = c == '\r';
            if (c == '\r' || i == 0 || b[i - 1] != '\r') {
              // A line break inside the field (the LF of a CRLF is counted with its CR).
              lineBreaks++;
            }
          }
          break;
        case QUOTE_IN_QUOTED:
          if (c == q) {
            s = QUOTED;
            fieldQuotes++;
            quotedCr = false;
          } else if (c == d) {
            s = FIELD_START;
          } else if (c == '\n' || c == '\r') {
            if (c == '\n' && quotedCr) {
              current.lfAfterQuotedCr = true;
            }
            return endRecord(i, end, s);
          } else if (Character.isWhitespace(c)) {
            s = AFTER_CLOSE;
          } else {
            s = junk(i);
          }
          break;
        case AFTER_CLOSE:
          if (c == d) {
            s = FIELD_START;
          } else if (c == '\n' || c == '\r') {
            return endRecord(i, end, s);
          } else if (!Character.isWhitespace(c)) {
            s = junk(i);
            if (c == q) {
              fieldQuotes++;
            }
          }
          break;
        case JUNK:
          if (c == q) {
            fieldQuotes++;
          } else if (c == '\n' || c == '\r') {
            return endRecord(i, end, s);
          }
          break;
        default:
          throw new AssertionError(s);
      }
      i++;
    }
    state = s;
    return i;
  }

  /**
   * The index of the first quote, CR or LF in {@code b[from, to)}, or {@code to}: one load and one
   * table look-up per char.
   */
  private int findSpecial(char[] b, int from, int to) {
    final boolean[] t = special;
    int j = from;
    while (j < to && !t[b[j]]) {
      j++;
    }
    return j;
  }

  /** A table over every char marking {@code quote}, CR and LF. */
  private static boolean[] specials(char quote) {
    boolean[] t = new boolean[Character.MAX_VALUE + 1];
    t['\n'] = true;
    t['\r'] = true;
    t[quote] = true;
    return t;
  }

  private int junk(int i) {
    current.junkOffset = base + i;
    return JUNK;
  }

  /** Ends the current record at the line break {@code buf[i]}; returns the index after it. */
  private int endRecord(int i, int end, int s) {
    ScannedRecord r = current;
    if (s == JUNK) {
      r.junkEven = (fieldQuotes & 1) == 0;
    }
    lineBreaks++;
    int next = i + 1;
    if (buf[i] == '\r') {
      if (next < end) {
        if (buf[next] == '\n') {
          next++;
        }
      } else {
        // Whether an LF follows is for the next read to tell.
        afterCr = true;
        r.crAtEnd = true;
      }
    }
    complete(base + i, base + next);
    return next;
  }

  private void complete(long contentEnd, long nextStart) {
    ScannedRecord r = current;
    r.contentEnd = contentEnd;
    r.nextStart = nextStart;
    r.nextLine = lineBreaks + 1;
    if (!skipping) {
      peak = Math.max(peak, contentEnd - r.start);
    }
    done++;
    if (done + 2 > ring.length) {
      grow();
    }
    current = slot((head + done) & (ring.length - 1));
    current.reset(nextStart, lineBreaks + 1);
    state = FIELD_START;
    fieldQuotes = 0;
  }

  /**
   * Doubles the ring, keeping the taken slot (before {@code head}) and the records scanned to their
   * end, in order; the slot after them, for the new current record, is a fresh one.
   */
  private void grow() {
    int n = ring.length;
    ScannedRecord[] bigger = new ScannedRecord[n * 2];
    for (int k = -1; k < done; k++) {
      bigger[k + 1] = ring[(head + k) & (n - 1)];
    }
    ring = bigger;
    head = 1;
  }

  /** Reads more text into the buffer; false at the end of the text or on a failure. */
  private boolean fill() throws IOException {
    if (stop == END) {
      endOfText();
      return false;
    }
    if (stop == FAILURE) {
      return false;
    }
    folder.fold(current.start, base + pos);
    compact();
    int n;
    try {
      n = in.read(buf, limit, buf.length - limit);
    } catch (IOException e) {
      failure = e;
      stop = FAILURE;
      return false;
    }
    if (n < 0) {
      stop = END;
      endOfText();
      return false;
    }
    limit += n;
    return true;
  }

  /** Completes a last record that has chars but no line break. */
  private void endOfText() {
    ScannedRecord r = current;
    if (base + limit > r.start) {
      r.atEnd = true;
      if (state == QUOTED) {
        r.unterminated = true;
      } else if (state == JUNK) {
        // Nothing follows it that could be misread.
        r.junkEven = true;
      }
      complete(base + limit, base + limit);
    }
  }

  /**
   * Drops the chars no record may still need, keeping at least {@link #HISTORY} chars (fewer if the
   * oldest record that may still be asked for its text starts later) and one char for the CRLF
   * check; records that start before the cut keep their first chars aside.
   */
  private void compact() {
    int keep = Math.max(0, pos - HISTORY);
    ScannedRecord oldest = taken != null ? taken : ring[head];
    if (oldest.start >= base + keep) {
      keep = (int) Math.min(pos, oldest.start - base);
    }
    keep = Math.min(keep, pos - 1);
    if (keep <= 0) {
      return;
    }
    long cut = base + keep;
    if (taken != null) {
      preserve(taken, cut);
    }
    for (int k = 0; k <= done; k++) {
      ScannedRecord r = ring[(head + k) & (ring.length - 1)];
      if (r.start >= cut) {
        break;
      }
      preserve(r, cut);
    }
    System.arraycopy(buf, keep, buf, 0, limit - keep);
    base = cut;
    pos -= keep;
    limit -= keep;
  }

  private void preserve(ScannedRecord r, long cut) {
    if (r.prefixLength >= 0 || r.start >= cut || r.start < base) {
      return;
    }
    long known = r.contentEnd >= 0 ? r.contentEnd : base + limit;
    int n = (int) Math.min(RawText.LIMIT + 1, known - r.start);
    char[] p = r.prefix;
    if (p == null) {
      p = new char[RawText.LIMIT + 1];
      r.prefix = p;
    }
    System.arraycopy(buf, (int) (r.start - base), p, 0, n);
    r.prefixLength = n;
  }

  /**
   * The record the parser has just finished or failed on: the oldest record scanned to its end and
   * not taken yet, else the current one (then not complete: the text ended, failed or stopped at
   * the limit, or the parser failed in its middle). Valid until the next call.
   */
  ScannedRecord take() {
    ScannedRecord r;
    if (done > 0) {
      r = ring[head];
      head = (head + 1) & (ring.length - 1);
      done--;
    } else {
      r = current;
    }
    taken = r;
    return r;
  }

  /**
   * Reads past the rest of the taken record, following quotes, without handing it out, and clears a
   * {@link #CAP} stop. Afterwards the record is complete unless the text failed first ({@link
   * #stop()} is then {@link #FAILURE}). Does nothing if the record is complete.
   */
  void skipRecord() throws IOException {
    ScannedRecord r = taken;
    if (r == null || r != current) {
      return;
    }
    if (stop == CAP) {
      stop = NONE;
    }
    skipping = true;
    try {
      while (current == r) {
        if (pos == limit && !fill()) {
          break;
        }
        pos = scan(pos, limit, limit);
      }
    } finally {
      skipping = false;
    }
    if (current != r) {
      // It was the current record, so it heads the ring now.
      head = (head + 1) & (ring.length - 1);
      done--;
    }
  }

  /**
   * Makes the next read start again right after the taken record, which must be complete,
   * forgetting what was scanned after it: for a new parser after one that failed inside that record
   * and lost what it had buffered.
   *
   * @throws IllegalStateException if the chars after the record are no longer kept
   */
  void resumeAfter(ScannedRecord r) {
    if (r != taken || !r.complete()) {
      throw new IllegalStateException("not the taken, complete record");
    }
    if (r.nextStart < base) {
      throw new IllegalStateException("the chars after the record are no longer kept");
    }
    pos = (int) (r.nextStart - base);
    afterCr = r.crAtEnd;
    lineBreaks = r.nextLine - 1;
    done = 0;
    current = slot(head);
    current.reset(r.nextStart, r.nextLine);
    state = FIELD_START;
    fieldQuotes = 0;
    if (stop == CAP) {
      stop = NONE;
    }
  }

  /** Why reads return the end of the text, if they do: {@link #NONE} otherwise. */
  int stop() {
    return stop;
  }

  /** The failure of the text under this reader, if {@link #stop()} is {@link #FAILURE}. */
  @Nullable IOException failure() {
    return failure;
  }

  /** The line breaks scanned so far, inside quoted fields too (a CRLF is one). */
  long lineBreaks() {
    return lineBreaks;
  }

  /** The most chars of one record handed out (line break excluded): what the parser may hold. */
  long peak() {
    return peak;
  }

  /**
   * The original text of the taken record {@code r}: at most {@link RawText#LIMIT} chars, with
   * {@code …} if cut or if the record was not read to its end.
   */
  @Nullable String rawText(ScannedRecord r) {
    boolean complete = r.contentEnd >= 0;
    long end = complete ? r.contentEnd : base + pos;
    long total = end - r.start;
    if (r.start >= base) {
      int from = (int) (r.start - base);
      return RawText.of(buf, from, limit - from, total, !complete);
    }
    char[] p = r.prefix;
    if (p != null && r.prefixLength >= 0) {
      return RawText.of(p, 0, r.prefixLength, total, !complete);
    }
    return null;
  }

  /**
   * The chars of the complete record {@code r}, line break excluded, or null if they are no longer
   * all kept: for reading one record again with another parser.
   */
  @Nullable String text(ScannedRecord r) {
    if (!r.complete() || r.start < base || r.contentEnd > base + limit) {
      return null;
    }
    return new String(buf, (int) (r.start - base), (int) (r.contentEnd - r.start));
  }

  /**
   * The 1-based field of the taken record {@code r} that holds the char at text offset {@code
   * offset} (or that {@code offset} ends), or -1 if the record's chars up to there are no longer
   * kept (in the buffer, or in the first chars of a long record set aside).
   */
  int fieldAt(ScannedRecord r, long offset) {
    if (offset < r.start) {
      return -1;
    }
    if (r.start >= base && offset <= base + limit) {
      return fieldAt(buf, (int) (r.start - base), (int) (offset - base));
    }
    char[] p = r.prefix;
    if (p != null && offset - r.start <= r.prefixLength) {
      return fieldAt(p, 0, (int) (offset - r.start));
    }
    return -1;
  }

  private int fieldAt(char[] a, int from, int to) {
    int s = FIELD_START;
    int f = 1;
    for (int i = from; i < to; i++) {
      char c = a[i];
      switch (s) {
        case FIELD_START:
          s = c == quote ? QUOTED : c == delimiter ? FIELD_START : UNQUOTED;
          break;
        case UNQUOTED:
          s = c == delimiter ? FIELD_START : UNQUOTED;
          break;
        case QUOTED:
          s = c == quote ? QUOTE_IN_QUOTED : QUOTED;
          break;
        default:
          // After a quote in a quoted field: a doubled quote, or the end of the field.
          s = c == quote ? QUOTED : c == delimiter ? FIELD_START : AFTER_CLOSE;
          break;
      }
      if (s == FIELD_START) {
        f++;
      }
    }
    return f;
  }

  @Override
  public void close() {
    // The caller closes the text: a dropped parser must not.
  }

  /**
   * What the scanner learnt about one record. Mutable: a slot reused once the reader has moved on.
   *
   * <p>Not thread-safe.
   */
  static final class ScannedRecord {
    /** The text offset of its first char. */
    long start;

    /** The text offset of its line break (or of the end of the text); -1 until then. */
    long contentEnd = -1;

    /** The text offset of the next record (after the line break). */
    long nextStart;

    /** The 1-based line it starts on. */
    long line;

    /** The line the next record starts on. */
    long nextLine;

    /** Whether it ended in a CR at the end of a read, so that an LF may still follow. */
    boolean crAtEnd;

    /** The text offset of the junk after a closing quote, or -1. */
    long junkOffset = -1;

    /** Whether the junk field's quotes are even at the record's end (so that end is trusted). */
    boolean junkEven;

    /** Whether the text ended inside a quoted field of this record. */
    boolean unterminated;

    /** Whether the end of the text, not a line break, ended it. */
    boolean atEnd;

    /** The text offset of the first char beyond the size limit, or -1. */
    long capOffset = -1;

    /**
     * The text offset of the quote that opened its last quoted field, or -1: for an unterminated
     * field, where its column is told from (its chars up to there are kept far more often than its
     * chars up to the end of the text).
     */
    long quoteOffset = -1;

    /**
     * Whether it ends in an LF right after a quoted field whose last line break is a bare CR:
     * FastCSV takes that LF for the end of a CRLF and joins the record with the next.
     */
    boolean lfAfterQuotedCr;

    char @Nullable [] prefix;

    /** How many chars {@link #prefix} holds, or -1 if it is not used. */
    int prefixLength = -1;

    void reset(long start, long line) {
      this.start = start;
      this.line = line;
      contentEnd = -1;
      nextStart = -1;
      nextLine = -1;
      crAtEnd = false;
      junkOffset = -1;
      junkEven = false;
      unterminated = false;
      atEnd = false;
      capOffset = -1;
      quoteOffset = -1;
      lfAfterQuotedCr = false;
      prefixLength = -1;
    }

    boolean complete() {
      return contentEnd >= 0;
    }
  }
}
