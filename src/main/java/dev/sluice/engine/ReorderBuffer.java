package dev.sluice.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Puts one file's chunks back in key order: {@code (split 0, seq 0), (0, 1), ... (0, last), (1, 0),
 * ...} up to the last chunk of the last split. A chunk that arrives early waits here (holding its
 * budget permits, which is what the budget accounts for); a chunk that arrives twice, or after the
 * end, is a bug and fails loudly.
 *
 * <p>Not thread-safe: owned by the one writer of the file.
 */
final class ReorderBuffer {
  private final Map<Long, Chunk> early = new HashMap<>();
  private final String name;
  private long expected;
  private boolean complete;

  /** Whether the buffer holds one split alone (a range run), complete at that split's end. */
  private final boolean oneSplit;

  ReorderBuffer(String name) {
    this(name, 0, false);
  }

  /**
   * A buffer that starts at split {@code firstSplit}; with {@code oneSplit}, it is complete at the
   * end of that split (a run of one range of a file, {@link RangeRun}).
   */
  ReorderBuffer(String name, int firstSplit, boolean oneSplit) {
    this.name = name;
    this.expected = Chunk.key(firstSplit, 0);
    this.oneSplit = oneSplit;
  }

  /** Hands {@code c} and every chunk it unblocks, in key order, to {@code next}. */
  void offer(Chunk c, Consumer<Chunk> next) {
    if (complete) {
      throw new IllegalStateException("chunk " + describe(c) + " after the end of " + name);
    }
    if (c.key() != expected) {
      if (c.key() < expected || early.putIfAbsent(c.key(), c) != null) {
        throw new IllegalStateException("chunk " + describe(c) + " of " + name + " arrived twice");
      }
      return;
    }
    Chunk current = c;
    while (current != null) {
      advance(current);
      next.accept(current);
      current = complete ? null : early.remove(expected);
    }
  }

  private void advance(Chunk c) {
    if (!c.last) {
      expected = Chunk.key(c.split().index(), c.seq + 1);
    } else if (oneSplit || c.split().isLast()) {
      complete = true;
    } else {
      expected = Chunk.key(c.split().index() + 1, 0);
    }
  }

  boolean isComplete() {
    return complete;
  }

  /** Chunks waiting for an earlier one. */
  int waiting() {
    return early.size();
  }

  /** Empties the buffer, handing every waiting chunk to {@code dropped} (to release permits). */
  void drain(Consumer<Chunk> dropped) {
    early.values().forEach(dropped);
    early.clear();
  }

  private static String describe(Chunk c) {
    return "(split " + c.split().index() + ", seq " + c.seq + (c.last ? ", last" : "") + ")";
  }
}
