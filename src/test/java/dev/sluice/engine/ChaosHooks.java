package dev.sluice.engine;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Test-only {@link EngineHooks} that shakes the interleavings: at every hook point it does nothing,
 * yields, or parks for 10-200 µs, with seeded probabilities, and then calls the hooks it wraps (a
 * failure injector, say), so both run. Production uses {@link EngineHooks#NONE}.
 *
 * <p>Each thread draws from its own stream, derived from the seed and the thread's name: the engine
 * names its threads {@code sluice-<stage>-<n>}, so a replay with the same seed makes the same
 * decisions on each thread, whatever the scheduler does with them.
 *
 * <p>Thread-safe: the per-thread streams live in a concurrent map and are only touched by their own
 * thread. Use one instance per run (streams are keyed by thread, and runs start new threads).
 */
final class ChaosHooks implements EngineHooks {
  static final long MIN_PAUSE_NANOS = 10_000;
  static final long MAX_PAUSE_NANOS = 200_000;

  /** What a hook call does before delegating. */
  enum Action {
    NOTHING,
    YIELD,
    PAUSE
  }

  private final long seed;
  private final double yieldShare;
  private final double pauseShare;
  private final EngineHooks delegate;
  private final Map<Thread, StressCombo.Rng> streams = new ConcurrentHashMap<>();
  final LongAdder yields = new LongAdder();
  final LongAdder pauses = new LongAdder();

  ChaosHooks(long seed, double yieldShare, double pauseShare, EngineHooks delegate) {
    if (yieldShare < 0 || pauseShare < 0 || yieldShare + pauseShare > 1) {
      throw new IllegalArgumentException(
          "shares must be >= 0 and sum to <= 1: " + yieldShare + ", " + pauseShare);
    }
    this.seed = seed;
    this.yieldShare = yieldShare;
    this.pauseShare = pauseShare;
    this.delegate = delegate;
  }

  /**
   * Chaos around {@code delegate} (called after the perturbation): a quarter of the calls yield, a
   * tenth pause.
   */
  ChaosHooks(long seed, EngineHooks delegate) {
    this(seed, 0.25, 0.10, delegate);
  }

  /** Chaos only. */
  ChaosHooks(long seed) {
    this(seed, EngineHooks.NONE);
  }

  @Override
  public void at(Point point, int fileId, int seq) throws Exception {
    perturb();
    delegate.at(point, fileId, seq);
  }

  /** Yields or pauses the calling thread as its stream decides; also usable from format hooks. */
  void perturb() {
    StressCombo.Rng r = stream();
    Action a = next(r);
    if (a == Action.YIELD) {
      yields.increment();
      Thread.yield();
    } else if (a == Action.PAUSE) {
      pauses.increment();
      // Not a wait for a state: a pause that lets other threads overtake. An interrupted thread
      // returns at once, which is what a cancelling run wants.
      LockSupport.parkNanos(
          MIN_PAUSE_NANOS + r.nextInt((int) (MAX_PAUSE_NANOS - MIN_PAUSE_NANOS + 1)));
    }
  }

  /** The calling thread's next decision, without acting on it (for tests of the streams). */
  Action nextAction() {
    return next(stream());
  }

  private Action next(StressCombo.Rng r) {
    double x = r.nextDouble();
    if (x < pauseShare) {
      return Action.PAUSE;
    }
    return x < pauseShare + yieldShare ? Action.YIELD : Action.NOTHING;
  }

  private StressCombo.Rng stream() {
    Thread t = Thread.currentThread();
    return streams.computeIfAbsent(t, k -> new StressCombo.Rng(streamSeed(seed, k.getName())));
  }

  /** The seed of a thread's stream; String.hashCode is specified, so this is stable everywhere. */
  static long streamSeed(long seed, String threadName) {
    return StressCombo.mix(seed ^ StressCombo.mix(threadName.hashCode() * 0x9E3779B97F4A7C15L));
  }
}
