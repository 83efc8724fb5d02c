package dev.sluice.engine;

import com.google.errorprone.annotations.concurrent.GuardedBy;

/**
 * The live workers of one resizable stage (readers or transformers): how many there are, which
 * budget slot each holds, how many the sizer asked to retire, and whether the stage is closed to
 * changes. It is what keeps resizing and the end-of-stream protocol apart:
 *
 * <ul>
 *   <li>the last worker out ({@link #leave} returns true) sends the end-of-stream markers, so a
 *       worker may retire only while others remain ({@link #tryRetire} never takes the last one);
 *   <li>once the stage is {@linkplain #close closed} (readers: the splits ran out; transformers:
 *       the last reader is counting the markers it sends, one per live transformer) no worker joins
 *       and none retires, so the count of markers stays exact.
 * </ul>
 *
 * <p>Thread-safe: every method is synchronized on this object ({@link #tryRetire} tells its
 * listener after leaving the lock). Workers call {@link #tryRetire} and {@link #leave}; the
 * coordinator and the sizer call {@link #join} and {@link #requestRetire}.
 */
final class WorkerSlots {
  private final int maxSlots;

  @GuardedBy("this")
  private final boolean[] slotTaken;

  @GuardedBy("this")
  private int live;

  @GuardedBy("this")
  private int retireRequests;

  @GuardedBy("this")
  private boolean closed;

  @GuardedBy("this")
  private int peak;

  @GuardedBy("this")
  private int retired;

  /** Live count minus pending retirements when the stage closed; -1 while open. */
  @GuardedBy("this")
  private int settled = -1;

  /** Told after a worker retired (outside this object's lock); set before the workers start. */
  private volatile Runnable onRetire = () -> {};

  WorkerSlots(int maxSlots) {
    if (maxSlots < 1) {
      throw new IllegalArgumentException("maxSlots < 1: " + maxSlots);
    }
    this.maxSlots = maxSlots;
    this.slotTaken = new boolean[maxSlots];
  }

  void onRetire(Runnable r) {
    this.onRetire = r;
  }

  int maxSlots() {
    return maxSlots;
  }

  /** Adds a worker and returns its slot, or -1 when the stage is closed or every slot is taken. */
  synchronized int join() {
    if (closed || live >= maxSlots) {
      return -1;
    }
    for (int i = 0; i < maxSlots; i++) {
      if (!slotTaken[i]) {
        slotTaken[i] = true;
        live++;
        peak = Math.max(peak, live);
        return i;
      }
    }
    throw new IllegalStateException("live " + live + " < " + maxSlots + " slots, but none free");
  }

  /**
   * Asks one worker to retire at its next safe point; false (nothing asked) when that would leave
   * the stage without a worker or the stage is closed.
   */
  synchronized boolean requestRetire() {
    if (closed || live - retireRequests <= 1) {
      return false;
    }
    retireRequests++;
    return true;
  }

  /**
   * Called by a worker between units of work (never while it holds a batch or an open split): true
   * if it should stop now, in which case it has left the stage and its slot is free.
   */
  boolean tryRetire(int slot) {
    synchronized (this) {
      if (retireRequests == 0 || closed || live <= 1) {
        return false;
      }
      retireRequests--;
      retired++;
      free(slot);
    }
    onRetire.run();
    return true;
  }

  /** Closes the stage to joining and retiring; returns the live workers at that moment. */
  synchronized int close() {
    if (!closed) {
      closed = true;
      settled = live - retireRequests;
      retireRequests = 0;
    }
    return live;
  }

  /** A worker is done (not retired); true if it was the last, which then owes the end markers. */
  synchronized boolean leave(int slot) {
    int before = live - retireRequests;
    free(slot);
    if (live == 0) {
      if (!closed) {
        // Stopped early (a failure): the stage never closed, so what it had is what it settled on.
        closed = true;
        settled = Math.max(1, before);
        retireRequests = 0;
      }
      return true;
    }
    return false;
  }

  @GuardedBy("this")
  private void free(int slot) {
    if (!slotTaken[slot]) {
      throw new IllegalStateException("slot " + slot + " is not taken");
    }
    slotTaken[slot] = false;
    live--;
  }

  synchronized int live() {
    return live;
  }

  /** Live workers minus those asked to retire: the count the stage is heading for. */
  synchronized int target() {
    return live - retireRequests;
  }

  /** Workers that retired at the sizer's request. */
  synchronized int retired() {
    return retired;
  }

  synchronized int peak() {
    return peak;
  }

  /** What the stage settled on: its target when it closed, or its target now if still open. */
  synchronized int settled() {
    return settled >= 0 ? settled : live - retireRequests;
  }

  synchronized boolean closed() {
    return closed;
  }
}
