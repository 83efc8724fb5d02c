package dev.sluice.engine;

import dev.sluice.api.spi.Split;
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
  static final Chunk END = new Chunk(null, 0, true, new byte[0], 0, 0, null);

  final @Nullable Split split;
  final int seq;
  final boolean last;
  final byte[] bytes;
  final long records;
  final long permits;
  final @Nullable PermitPool pool;

  Chunk(
      @Nullable Split split,
      int seq,
      boolean last,
      byte[] bytes,
      long records,
      long permits,
      @Nullable PermitPool pool) {
    this.split = split;
    this.seq = seq;
    this.last = last;
    this.bytes = bytes;
    this.records = records;
    this.permits = permits;
    this.pool = pool;
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
