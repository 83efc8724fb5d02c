package dev.sluice.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The stop of a run's side threads (the monitor, the sizer): they park between ticks, so a stop
 * unparks the thread and joins it for a bounded time; one that does not end is counted as a warning
 * rather than holding up the end of the run (it is a daemon). An interrupt of the coordinator while
 * it joins one is remembered, not obeyed: the join goes on, within its bound.
 *
 * <p>Stateless, thread-safe.
 */
final class BoundedJoin {
  private static final long JOIN_SECONDS = 10;

  private BoundedJoin() {}

  /**
   * Unparks {@code t} (whose loop has been told to stop) and joins it, at most 10 s; an interrupt
   * of the caller does not cut the join short (no thread may outlive the run), it is returned: true
   * if the caller was interrupted meanwhile (its flag is then clear, for the caller to restore).
   */
  static boolean unparkAndJoin(@Nullable Thread t, String what, Counters counters) {
    if (t == null) {
      return false;
    }
    boolean interrupted = false;
    LockSupport.unpark(t);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JOIN_SECONDS);
    while (t.isAlive()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        counters.warn("the " + what + " thread did not stop within " + JOIN_SECONDS + " s");
        break;
      }
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    return interrupted;
  }
}
