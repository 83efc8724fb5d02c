package dev.sluice.engine;

import dev.sluice.api.Columns;
import dev.sluice.api.Reject;
import dev.sluice.api.Row;
import dev.sluice.api.spi.Split;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Parsed records of one split travelling from a reader to a transformer. {@code (split.index(),
 * seq)} is the ordering key inside the file; {@code last} marks the split's final batch. A batch
 * may be empty (an empty file, or an empty final batch), and it is still forwarded: a gap in the
 * keys would leave the writer waiting.
 *
 * <p>Immutable after construction except for the arrays, which only the owning stage touches;
 * safely published by the blocking queue hand-off.
 */
final class Batch {
  /** End-of-stream marker: one is sent to each transformer after every reader has finished. */
  static final Batch END =
      new Batch(
          null,
          0,
          true,
          null,
          new Row[0],
          new long[0],
          new long[0],
          0,
          null,
          List.of(),
          null,
          0,
          false,
          0);

  final @Nullable Split split;
  final int seq;
  final boolean last;
  final @Nullable Columns columns;
  final Row[] rows;

  /** Start line of each row (split-relative for splits after the first). */
  final long[] lines;

  /** Record number (within the split) of each row. */
  final long[] records;

  /** Budget bytes this batch holds, released by whoever drops or writes it. */
  final long permits;

  final @Nullable PermitPool pool;

  /** Records the reader rejected in this batch's stretch of the split (skip policy). */
  final List<Reject> rejects;

  /** Set on a split's final batch when the file failed in the reader (skip policy). */
  final @Nullable Reject failure;

  /** Records the reader delimited for this batch: its rows plus its rejects. */
  final long read;

  /**
   * Whether the output header goes before this batch's rows: set on split 0's first batch that
   * carries the columns (a batch of rejects only may come first, before the columns are known).
   */
  final boolean header;

  /** The reader's estimate of the records' heap bytes, before {@link RunContext#ask}. */
  final long estimate;

  /** On a split's last batch: the line breaks the split held, or -1 when unknown. */
  long splitLines = -1;

  Batch(
      @Nullable Split split,
      int seq,
      boolean last,
      @Nullable Columns columns,
      Row[] rows,
      long[] lines,
      long[] records,
      long permits,
      @Nullable PermitPool pool,
      List<Reject> rejects,
      @Nullable Reject failure,
      long read,
      boolean header,
      long estimate) {
    this.split = split;
    this.seq = seq;
    this.last = last;
    this.columns = columns;
    this.rows = rows;
    this.lines = lines;
    this.records = records;
    this.permits = permits;
    this.pool = pool;
    this.rejects = rejects;
    this.failure = failure;
    this.read = read;
    this.header = header;
    this.estimate = estimate;
  }

  void release() {
    if (pool != null) {
      pool.release(permits);
    }
  }

  /** The split of a data batch; only {@link #END}, which no transformer processes, has none. */
  Split split() {
    return java.util.Objects.requireNonNull(split, "the end marker has no split");
  }
}
