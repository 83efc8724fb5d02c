package dev.sluice.engine;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which writer owns which file: chosen round-robin when a file's first chunk is routed, sticky
 * until the file is committed, so every chunk of a file reaches the same writer (and pools could be
 * resized without moving a half-written file).
 *
 * <p>Thread-safe: every transformer routes through it; {@link ConcurrentHashMap#computeIfAbsent}
 * makes the first choice for a file atomic.
 */
final class WriterAssignment {
  private final ConcurrentHashMap<Integer, Integer> owner = new ConcurrentHashMap<>();
  private final AtomicInteger next = new AtomicInteger();
  private final int writers;

  WriterAssignment(int writers) {
    if (writers < 1) {
      throw new IllegalArgumentException("writers < 1: " + writers);
    }
    this.writers = writers;
  }

  /** The writer that owns {@code fileId}. */
  int writerFor(int fileId) {
    return owner.computeIfAbsent(fileId, k -> Math.floorMod(next.getAndIncrement(), writers));
  }

  /** Forgets a committed file; no chunk of it can be routed after its last one was written. */
  void done(int fileId) {
    owner.remove(fileId);
  }

  /** Files assigned and not yet done. */
  int open() {
    return owner.size();
  }
}
