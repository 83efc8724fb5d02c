package dev.sluice.engine;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One reader's share of the in-flight byte budget. The reader acquires permits for a batch before
 * handing it on; a transformer {@linkplain #charge charges} the output bytes beyond them, without
 * waiting; the writer (or whoever drops the chunk) releases exactly what the chunk holds.
 *
 * <p>A charge may take the pool below zero (an overdraw): the reader then waits until enough of it
 * is written. A request larger than the pool is clamped to the whole pool, so one huge batch waits
 * until the reader's earlier batches are written and then goes through alone instead of hanging.
 *
 * <p>Thread-safe. Only the owning reader acquires, so a request never waits behind another; any
 * thread charges and releases. Counts are longs: overdraws may exceed what an int holds.
 */
final class PermitPool {
  private final long capacity;
  private final ReentrantLock lock = new ReentrantLock();

  /** Signalled on every release; the owning reader is the only one that waits. */
  private final Condition released = lock.newCondition();

  @GuardedBy("lock")
  private long available;

  PermitPool(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity < 1: " + capacity);
    }
    this.capacity = capacity;
    this.available = capacity;
  }

  /** Blocks until {@code bytes} (clamped to the capacity) are free; returns the amount taken. */
  long acquire(long bytes) throws InterruptedException {
    return acquire(bytes, () -> false);
  }

  /**
   * Like {@link #acquire(long)}, but gives up with an {@link InterruptedException} once {@code
   * stopping} says so, looking at it at least every {@link DefaultPipeline#STOP_CHECK_MILLIS}: a
   * stop must not depend on an interrupt that a user step may have swallowed.
   */
  long acquire(long bytes, BooleanSupplier stopping) throws InterruptedException {
    long n = Math.max(1, Math.min(bytes, capacity));
    lock.lockInterruptibly();
    try {
      while (available < n) {
        if (stopping.getAsBoolean()) {
          throw new InterruptedException("the run is stopping");
        }
        released.await(DefaultPipeline.STOP_CHECK_MILLIS, TimeUnit.MILLISECONDS);
      }
      available -= n;
      return n;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes {@code bytes} more without waiting, below zero if need be: output a batch grew to beyond
   * the permits its reader took. Never blocks, so a transformer cannot wait for the budget.
   */
  void charge(long bytes) {
    if (bytes <= 0) {
      return;
    }
    lock.lock();
    try {
      available -= bytes;
    } finally {
      lock.unlock();
    }
  }

  void release(long taken) {
    lock.lock();
    try {
      available += taken;
      released.signalAll(); // wakes the owning reader waiting in acquire
    } finally {
      lock.unlock();
    }
  }

  long capacity() {
    return capacity;
  }

  /** Permits free now; negative while the pool is overdrawn. */
  long available() {
    lock.lock();
    try {
      return available;
    } finally {
      lock.unlock();
    }
  }
}
