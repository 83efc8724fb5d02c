package dev.sluice.engine;

import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Stage;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic sizing: moves threads between the reader and transformer pools during a run, from the
 * same accounting the verdict uses ({@link StageMeter}), within a thread budget for both pools.
 *
 * <p>The rule mirrors {@link Verdicts}: the stage that limits a run is busy, and the stage after it
 * waits for input. Every interval the sizer takes the window since its last look:
 *
 * <ul>
 *   <li>readers busy (in a read, waiting on the disk or network included) and not waiting to hand
 *       on, while transformers wait for input: one more reader;
 *   <li>transformers busy and not waiting to hand on, while readers wait to hand on: one more
 *       transformer;
 *   <li>anything else (writers limit the run, or both stages keep up): nothing.
 * </ul>
 *
 * When the budget is used up, the other stage gives up a thread first, but only if its remaining
 * threads would stay well below busy ({@link #CALM}); the freed place goes to the limiting stage at
 * the next look. A move needs {@link #STREAK} windows in a row that agree, and each window after a
 * move measures the new sizes, so the sizes settle instead of swinging. Slow remote reads thereby
 * get more readers than there are cores: a reader waiting on the network is busy to the sizer but
 * leaves the CPU free, and the transformers keep waiting for input until enough reads overlap.
 *
 * <p>Thread-safe: {@link #tick()} is synchronized; it runs on the sizer thread ({@code
 * sluice-sizer-1}, owned by the coordinator, which {@link #stop() stops} and joins it) or on a
 * test's thread. {@link #propose} is a pure function, and {@link #decide} holds the hysteresis.
 */
final class AutoSizer {
  private static final Logger log = LoggerFactory.getLogger(AutoSizer.class);

  static final long DEFAULT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  /** A stage busy at least this share of its threads' time limits the run. */
  static final double BUSY = 0.75;

  /** The next stage waiting for input at least this share is starved by the stage before. */
  static final double STARVED = 0.5;

  /** A stage waiting to hand on at least this share is held back by the stage after. */
  static final double BLOCKED = 0.5;

  /**
   * A limiting stage may itself wait to hand on at most this share (else the limit is further on).
   */
  static final double FREE_FLOWING = 0.25;

  /** A stage gives up a thread only if the rest would be busy less than this share. */
  static final double CALM = 0.6;

  /** Windows in a row that must agree before a move. */
  static final int STREAK = 2;

  /** Looks a freed place stays reserved for the stage it was freed for. */
  static final int PENDING_LOOKS = 8;

  /** Thread time a stage must have accumulated in a window before it is judged. */
  static final long MIN_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** Where one stage's threads spent a window, as shares of their time. */
  record Window(double busy, double waitIn, double waitOut) {
    static Window of(long busy, long waitIn, long waitOut) {
      long t = busy + waitIn + waitOut;
      return t <= 0
          ? new Window(0, 0, 0)
          : new Window((double) busy / t, (double) waitIn / t, (double) waitOut / t);
    }

    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "%.0f%% busy, %.0f%% waiting for input, %.0f%% waiting to hand on",
          100 * busy,
          100 * waitIn,
          100 * waitOut);
    }
  }

  /** What the sizer does after a look. */
  enum Move {
    HOLD,
    GROW_READERS,
    GROW_TRANSFORMERS,
    RETIRE_READER,
    RETIRE_TRANSFORMER
  }

  /**
   * The sizing of a run: budget, which stages are automatic, start and maximum counts. Immutable.
   */
  record Plan(
      int budget,
      boolean autoReaders,
      boolean autoTransformers,
      int readersAtStart,
      int transformersAtStart,
      int maxReaders,
      int maxTransformers) {

    boolean auto() {
      return autoReaders || autoTransformers;
    }

    /** The plan for {@code spec}: fixed counts stay, automatic ones start within the budget. */
    static Plan of(PipelineSpec spec) {
      boolean ar = spec.autoReaders();
      boolean at = spec.autoTransformers();
      if (!ar && !at) {
        return new Plan(
            spec.readers() + spec.transformers(),
            false,
            false,
            spec.readers(),
            spec.transformers(),
            spec.readers(),
            spec.transformers());
      }
      int b = spec.threadBudget(); // the spec checked it covers one thread per automatic stage
      int t0 =
          at
              ? Math.max(1, Math.min(spec.transformers(), b - (ar ? 1 : spec.readers())))
              : spec.transformers();
      int r0 = ar ? Math.max(1, Math.min(spec.readers(), b - t0)) : spec.readers();
      int maxR = ar ? b - (at ? 1 : spec.transformers()) : r0;
      int maxT = at ? b - (ar ? 1 : spec.readers()) : t0;
      return new Plan(b, ar, at, r0, t0, maxR, maxT);
    }
  }

  /** Chooses a move from a window; the default is {@link #decide}. Tests plug in others. */
  interface Policy {
    Move choose(Window r, Window t, int readers, int transformers);
  }

  /** What the sizer asks of the coordinator. */
  interface Actions {
    /**
     * Starts one more worker of {@code stage}; false if the run is ending or the budget is full.
     */
    boolean grow(Stage stage);
  }

  /**
   * The move the numbers of one window call for, before any hysteresis: {@code readers} and {@code
   * transformers} are the counts the stages are heading for (live minus those asked to retire).
   */
  static Move propose(Window r, Window t, int readers, int transformers, Plan plan) {
    boolean readersLimit = r.busy >= BUSY && r.waitOut <= FREE_FLOWING && t.waitIn >= STARVED;
    boolean transformersLimit = t.busy >= BUSY && t.waitOut <= FREE_FLOWING && r.waitOut >= BLOCKED;
    boolean room = readers + transformers < plan.budget;
    if (readersLimit && plan.autoReaders && readers < plan.maxReaders) {
      if (room) {
        return Move.GROW_READERS;
      }
      if (plan.autoTransformers
          && transformers > 1
          && t.busy * transformers / (transformers - 1) < CALM) {
        return Move.RETIRE_TRANSFORMER;
      }
    }
    if (transformersLimit && plan.autoTransformers && transformers < plan.maxTransformers) {
      if (room) {
        return Move.GROW_TRANSFORMERS;
      }
      if (plan.autoReaders && readers > 1 && r.busy * readers / (readers - 1) < CALM) {
        return Move.RETIRE_READER;
      }
    }
    return Move.HOLD;
  }

  private final Plan plan;
  private final RunContext ctx;
  private final List<StageMeter> meters;
  private final Ticker clock;
  private final Actions actions;
  private volatile Policy policy = this::decide;
  private volatile long minWindowNanos = MIN_WINDOW_NANOS;

  // Hysteresis and the window baseline; guarded by this object's monitor.
  private Move last = Move.HOLD;
  private int streak;
  private @Nullable Move pendingGrow;
  private int pendingLooks;
  private long[] base = new long[6];
  private int resizes;

  private volatile @Nullable Thread thread;
  private volatile boolean stopped;

  /** A thread retired for a pending grow: the sizer thread fills the place without waiting. */
  private volatile boolean nudged;

  AutoSizer(Plan plan, RunContext ctx, List<StageMeter> meters, Ticker clock, Actions actions) {
    this.plan = plan;
    this.ctx = ctx;
    this.meters = meters;
    this.clock = clock;
    this.actions = actions;
  }

  /**
   * The move after a window, with hysteresis: a proposal must repeat {@link #STREAK} times; a place
   * freed by retiring a thread goes to the stage it was freed for at the next looks.
   */
  synchronized Move decide(Window r, Window t, int readers, int transformers) {
    if (pendingGrow != null) {
      if (pendingLooks-- > 0) {
        return pendingGrow; // until granted(): the retiring thread may not have reached a safe
        // point yet
      }
      pendingGrow = null;
    }
    Move p = propose(r, t, readers, transformers, plan);
    if (p == Move.HOLD) {
      last = Move.HOLD;
      streak = 0;
      return Move.HOLD;
    }
    streak = p == last ? streak + 1 : 1;
    last = p;
    if (streak < STREAK) {
      return Move.HOLD;
    }
    // The next windows measure the new sizes.
    last = Move.HOLD;
    streak = 0;
    if (p == Move.RETIRE_TRANSFORMER) {
      pendingGrow = Move.GROW_READERS;
      pendingLooks = PENDING_LOOKS;
    } else if (p == Move.RETIRE_READER) {
      pendingGrow = Move.GROW_TRANSFORMERS;
      pendingLooks = PENDING_LOOKS;
    }
    return p;
  }

  /** Tells the hysteresis whether {@code m} (from {@link #decide}) was carried out. */
  synchronized void granted(Move m, boolean done) {
    if (done && (m == Move.GROW_READERS || m == Move.GROW_TRANSFORMERS)) {
      pendingGrow = null;
    }
  }

  /**
   * Called by a worker that has just retired (from {@link WorkerSlots#tryRetire}): wakes the sizer
   * thread to give the freed place to the stage it was freed for, instead of at the next look.
   */
  void nudge() {
    nudged = true;
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }

  /** Starts the pending grow if the retiring thread has left room for it; returns the move. */
  synchronized Move fill() {
    Move p = pendingGrow;
    if (p == null
        || ctx.stopping
        || ctx.readerSlots.closed()
        || ctx.transformerSlots.closed()
        || ctx.readerSlots.live() + ctx.transformerSlots.live() >= plan.budget) {
      return Move.HOLD;
    }
    boolean done = actions.grow(p == Move.GROW_READERS ? Stage.READER : Stage.TRANSFORMER);
    granted(p, done);
    if (done) {
      resizes++;
      log.debug("auto sizing: {} (into the place of a retired thread)", p);
    }
    return done ? p : Move.HOLD;
  }

  /**
   * Looks at the window since the last look and applies the move it calls for; returns the move.
   */
  synchronized Move tick() {
    if (ctx.stopping || ctx.readerSlots.closed() || ctx.transformerSlots.closed()) {
      return Move.HOLD; // input ran out (or the run is stopping): nothing left to size
    }
    long now = clock.nanos();
    long[] cur = new long[6];
    for (StageMeter m : meters) {
      int i = m.stage == Stage.READER ? 0 : m.stage == Stage.TRANSFORMER ? 3 : -1;
      if (i >= 0) {
        long[] s = m.snapshot(now);
        cur[i] += s[0];
        cur[i + 1] += s[1];
        cur[i + 2] += s[2];
      }
    }
    long rTotal = cur[0] + cur[1] + cur[2] - base[0] - base[1] - base[2];
    long tTotal = cur[3] + cur[4] + cur[5] - base[3] - base[4] - base[5];
    long min = minWindowNanos;
    if (rTotal < min || tTotal < min || (min == 0 && rTotal + tTotal == 0)) {
      return Move.HOLD; // too little time measured (or accounting off): keep the window growing
    }
    Window r = Window.of(cur[0] - base[0], cur[1] - base[1], cur[2] - base[2]);
    Window t = Window.of(cur[3] - base[3], cur[4] - base[4], cur[5] - base[5]);
    base = cur;
    int readers = ctx.readerSlots.target();
    int transformers = ctx.transformerSlots.target();
    Move m = policy.choose(r, t, readers, transformers);
    boolean done;
    switch (m) {
      case GROW_READERS:
        done = actions.grow(Stage.READER);
        break;
      case GROW_TRANSFORMERS:
        done = actions.grow(Stage.TRANSFORMER);
        break;
      case RETIRE_READER:
        done = ctx.readerSlots.requestRetire();
        break;
      case RETIRE_TRANSFORMER:
        done = ctx.transformerSlots.requestRetire();
        break;
      default:
        done = false;
        break;
    }
    granted(m, done);
    if (done) {
      resizes++;
      log.debug(
          "auto sizing: {} (readers {}: {}; transformers {}: {})", m, readers, r, transformers, t);
    }
    return done ? m : Move.HOLD;
  }

  /** Starts looking every {@code intervalNanos} on {@code sluice-sizer-1}. */
  void start(long intervalNanos) {
    Thread t =
        new Thread(
            () -> {
              long next = System.nanoTime() + intervalNanos;
              while (!stopped) {
                long wait = next - System.nanoTime();
                if (wait > 0 && !nudged) {
                  LockSupport.parkNanos(this, wait); // stop() and nudge() unpark it
                  continue;
                }
                try {
                  if (nudged) {
                    nudged = false;
                    fill();
                  } else {
                    next += intervalNanos;
                    tick();
                  }
                } catch (RuntimeException e) {
                  // A failure to resize must not fail the data: the run goes on at its current
                  // sizes.
                  ctx.counters.warn("automatic sizing failed: " + PipelineMessages.describe(e));
                  stopped = true;
                } catch (Throwable e) {
                  // An Error (out of memory, say) is the run's, not the sizer's alone: it fails it.
                  ctx.fail(Stage.COORDINATOR, null, -1, -1, "automatic sizing failed", e);
                  stopped = true;
                }
              }
            },
            "sluice-sizer-1");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /**
   * Stops the thread and joins it (bounded); throws InterruptedException after the join if the
   * caller was interrupted meanwhile.
   */
  void stop() throws InterruptedException {
    stopped = true;
    if (BoundedJoin.unparkAndJoin(thread, "sizer", ctx.counters)) {
      throw new InterruptedException("interrupted while stopping the sizer");
    }
  }

  /** Test access: replaces the hysteresis policy, and the thread time a window needs. */
  void policy(Policy p, long minWindowNanos) {
    this.policy = p;
    this.minWindowNanos = minWindowNanos;
  }

  synchronized int resizes() {
    return resizes;
  }

  /** What sizing did, for the result. */
  RunResult.AutoSizing result() {
    return new RunResult.AutoSizing(
        plan.budget(),
        plan.autoReaders(),
        plan.autoTransformers(),
        plan.readersAtStart(),
        plan.transformersAtStart(),
        ctx.readerSlots.settled(),
        ctx.transformerSlots.settled(),
        ctx.readerSlots.peak(),
        ctx.transformerSlots.peak(),
        resizes());
  }
}
