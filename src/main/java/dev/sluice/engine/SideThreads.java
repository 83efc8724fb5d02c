package dev.sluice.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The stop of a run's side threads (the monitor, the sizer): they park between ticks, so a stop
 * unparks the thread and joins it for a bounded time; one that does not end is counted as a
 * warning rather than holding up the end of the run (it is a daemon).
 *
 * <p>Stateless, thread-safe.
 */
final class SideThreads {
  private static final long JOIN_SECONDS = 10;

  private SideThreads() {}

  /** Unparks {@code t} (whose loop has been told to stop) and joins it, at most 10 s. */
  static void unparkAndJoin(@Nullable Thread t, String what, Counters counters)
      throws InterruptedException {
    if (t == null) {
      return;
    }
    LockSupport.unpark(t);
    t.join(TimeUnit.SECONDS.toMillis(JOIN_SECONDS));
    if (t.isAlive()) {
      counters.warn("the " + what + " thread did not stop within " + JOIN_SECONDS + " s");
    }
  }
}
