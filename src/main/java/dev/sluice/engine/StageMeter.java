package dev.sluice.engine;

import dev.sluice.api.Stage;

/**
 * One worker's time accounting: the worker tells it when it starts waiting for input, starts
 * waiting to hand on, and goes back to work; the time between transitions goes to that state. A few
 * clock reads per batch, so it is always on.
 *
 * <p>Written by its one worker thread only; read by the monitor thread. The counters are volatile
 * with a single writer, so reads see recent values (a snapshot may be a transition behind, which
 * monitoring tolerates).
 */
final class StageMeter {
  /**
   * Accounting on (the default) or off: {@code -Dsluice.accounting=false}, read once, turns every
   * transition into a no-op, so the benchmarks can measure what the clock reads cost. With it off,
   * stages report no time, the verdict declines to judge and automatic sizing keeps its start
   * sizes.
   */
  static final boolean ENABLED =
      !"false".equalsIgnoreCase(System.getProperty("sluice.accounting", "true").trim());

  static final int BUSY = 0;
  static final int WAIT_IN = 1;
  static final int WAIT_OUT = 2;
  static final int DONE = 3;

  final Stage stage;
  private final Ticker clock;
  private volatile long busy;
  private volatile long waitIn;
  private volatile long waitOut;
  private volatile long batches;
  private volatile int state = DONE;
  private volatile long since;

  StageMeter(Stage stage, Ticker clock) {
    this.stage = stage;
    this.clock = clock;
  }

  void start() {
    if (!ENABLED) {
      return;
    }
    since = clock.nanos();
    state = BUSY;
  }

  /** Moves to {@code next}, charging the time since the last transition to the current state. */
  void enter(int next) {
    if (!ENABLED) {
      return;
    }
    long now = clock.nanos();
    long d = now - since;
    switch (state) {
      case BUSY:
        busy += d;
        break;
      case WAIT_IN:
        waitIn += d;
        break;
      case WAIT_OUT:
        waitOut += d;
        break;
      default:
        break;
    }
    since = now;
    state = next;
  }

  void batch() {
    batches++;
  }

  /** {busy, waitIn, waitOut, batches}, counting the current state up to {@code now}. */
  long[] snapshot(long now) {
    long b = busy;
    long i = waitIn;
    long o = waitOut;
    int s = state;
    long open = Math.max(0, now - since);
    if (s == BUSY) {
      b += open;
    } else if (s == WAIT_IN) {
      i += open;
    } else if (s == WAIT_OUT) {
      o += open;
    }
    return new long[] {b, i, o, batches};
  }
}
