package dev.sluice.api.spi;

import dev.sluice.api.Columns;
import dev.sluice.api.Row;
import java.io.Closeable;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Reads the records of one split, one at a time.
 *
 * <p>Not thread-safe: one instance per split, used by one reader thread from open to close.
 *
 * @since 0.1
 */
public interface RecordReader extends Closeable {
  /**
   * The columns of the file: from the header, from the format's configured names, or positional.
   * Known after {@code open} for formats with a header, after the first successful {@link #next()}
   * otherwise; null for an empty file (no header and no record).
   */
  @Nullable Columns columns();

  /**
   * Advances to the next record.
   *
   * @return false at the end of the split
   * @throws IOException if the input cannot be read or parsed; {@link #line()} then tells where
   */
  boolean next() throws IOException;

  /**
   * The fields of the current record, a fresh array per record that the caller may keep, with
   * exactly {@code columns().size()} entries. After a {@link RecordException}: the fields as read
   * for a wrong field count or bad bytes, an empty array when the record could not be split into
   * fields (too large, malformed); {@link #rawText()} is the better source for reject files.
   */
  String[] values();

  /**
   * The current record as a row of {@code columns} (the reader's {@link #columns()}): by default
   * {@code Row.wrap(columns, values())}. A reader that keeps the record's bytes may return a row
   * that makes each value on first use, so that fields no step reads are never decoded.
   *
   * @since 0.2
   */
  default Row row(Columns columns) {
    return Row.wrap(columns, values());
  }

  /**
   * The 1-based line where the current record starts (after a failed {@link #next()}: where the
   * failing record starts, not the line of the bad byte). For splits after the first, relative to
   * the split's start. This and {@link #recordNumber()} stay readable after {@link #close()}, so a
   * failure can be located after the reader was closed.
   */
  long line();

  /** The 1-based number of the current record within the split, header excluded. */
  long recordNumber();

  /** The byte offset of the current record in the file, or -1 when unknown (e.g. gzip). */
  long byteOffset();

  /** The size of the current record in chars, roughly; used to cut batches by size. */
  int charLength();

  /**
   * The text of the current record (or, after a failed {@link #next()}, of the failing record) as
   * far as the reader knows it, for reject files: the original text where the format keeps it, the
   * fields re-joined otherwise; at most a few KiB (longer text is cut). Null when unknown.
   */
  default @Nullable String rawText() {
    return null;
  }

  /**
   * The line breaks this reader consumed so far, so that the engine can turn the split-relative
   * line numbers of later splits into file line numbers; -1 when the format does not count them
   * (the engine then reports the split's byte offset instead).
   */
  default long linesRead() {
    return -1;
  }

  /**
   * The line breaks in the file before this split's start, for the file line of a failure in a
   * split after the first when the earlier splits' counts are not known yet (a failure that ends
   * the run or the file). May read the file up to the split, so the engine asks only on such a
   * failure; -1 when the format cannot tell (the byte offset then locates the failure).
   *
   * @since 0.1
   */
  default long linesBefore() throws IOException {
    return -1;
  }

  /** Bytes read from the file so far (compressed bytes for gzip). */
  long bytesRead();

  /**
   * Whether the file had grown past its listed size ({@link InputFile#size()}) when this reader
   * reached that size: readers read a file only up to the size it had when it was listed (its
   * identity in a manifest), so what was appended later is left for a later run. Known once the
   * split, if it is the file's last, has been read to its end; false for a split that is not the
   * last, a URL, or a format that does not tell.
   *
   * @since 0.2
   */
  default boolean grewWhileRead() {
    return false;
  }

  /**
   * The blank lines this reader skipped so far (lines with no character at all between two line
   * breaks, outside quotes), which are not records; 0 for a format that keeps them as records. The
   * engine counts them as a warning per file.
   *
   * @since 0.2
   */
  default long blankLinesSkipped() {
    return 0;
  }
}
