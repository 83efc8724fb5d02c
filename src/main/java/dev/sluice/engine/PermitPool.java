package dev.sluice.engine;

import java.util.concurrent.Semaphore;

/**
 * One reader's share of the in-flight byte budget. The reader acquires permits for a batch before
 * handing it on; the writer (or whoever drops the batch) releases exactly those permits.
 *
 * <p>Thread-safe. Only the owning reader acquires, so a request never waits behind another; a
 * request larger than the pool is clamped to the whole pool, so one huge batch waits until the
 * reader's earlier batches are written and then goes through alone instead of hanging.
 */
final class PermitPool {
  private final Semaphore permits;
  private final long capacity;

  PermitPool(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity < 1: " + capacity);
    }
    // Semaphore counts ints; budgets above 2 GiB per reader gain nothing, so clamp.
    this.capacity = Math.min(capacity, Integer.MAX_VALUE);
    this.permits = new Semaphore((int) this.capacity);
  }

  /** Blocks until {@code bytes} (clamped to the capacity) are free; returns the amount taken. */
  long acquire(long bytes) throws InterruptedException {
    int n = (int) Math.max(1, Math.min(bytes, capacity));
    permits.acquire(n);
    return n;
  }

  void release(long taken) {
    permits.release((int) taken);
  }

  long capacity() {
    return capacity;
  }

  long available() {
    return permits.availablePermits();
  }
}
