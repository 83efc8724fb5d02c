package dev.sluice.engine;

import dev.sluice.api.Reject;
import dev.sluice.api.spi.Split;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Formatted output bytes of one batch, travelling from a transformer to the writer that owns the
 * file. Carries the batch's key and its budget permits, which the writer releases after appending
 * the bytes (or when it drops them).
 *
 * <p>Immutable; safely published by the blocking queue hand-off.
 */
final class Chunk {
  /** End-of-stream marker: one is sent to each writer after every transformer has finished. */
  static final Chunk END =
      new Chunk(null, 0, true, new byte[0], Counts.NONE, 0, null, List.of(), null);

  final @Nullable Split split;
  final int seq;
  final boolean last;
  final byte[] bytes;
  final Counts counts;
  final long permits;
  final @Nullable PermitPool pool;

  /** Rejected records of this batch, reader's and steps', in line order. */
  final List<Reject> rejects;

  /** Set when the file failed (in the reader or the transformer): the writer drops the file. */
  final @Nullable Reject failure;

  /** On a split's last chunk: the line breaks the split held, or -1 when unknown. */
  long splitLines = -1;

  /** The split of a data chunk; only {@link #END}, which no writer appends, has none. */
  Split split() {
    return java.util.Objects.requireNonNull(split, "the end marker has no split");
  }

  /** Record counts of one batch; summed per file by the writer, which settles them at the end. */
  record Counts(long read, long passed, long filtered, long rejected, long written) {
    static final Counts NONE = new Counts(0, 0, 0, 0, 0);
  }

  Chunk(
      @Nullable Split split,
      int seq,
      boolean last,
      byte[] bytes,
      Counts counts,
      long permits,
      @Nullable PermitPool pool,
      List<Reject> rejects,
      @Nullable Reject failure) {
    this.split = split;
    this.seq = seq;
    this.last = last;
    this.bytes = bytes;
    this.counts = counts;
    this.permits = permits;
    this.pool = pool;
    this.rejects = rejects;
    this.failure = failure;
  }

  /** The ordering key inside the file: split index in the high half, sequence in the low half. */
  long key() {
    return key(split == null ? 0 : split.index(), seq);
  }

  static long key(int splitIndex, int seq) {
    return ((long) splitIndex << 32) | (seq & 0xffffffffL);
  }

  void release() {
    if (pool != null) {
      pool.release(permits);
    }
  }
}
