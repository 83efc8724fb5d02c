package dev.sluice.engine;

import dev.sluice.api.PipelineException;
import dev.sluice.api.Stage;
import dev.sluice.api.internal.ApiAccess;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Collects the failures of a run: the first one wins (compare-and-set) and becomes the exception
 * {@code run()} throws; later ones are attached to it as suppressed, up to a cap, and counted.
 *
 * <p>A failure that cannot even be described (no memory left for its exception: the heap is full)
 * is still a failure: {@link #failUndescribed} keeps its cause and stage without allocating and
 * starts the cancellation all the same; {@link #describePending} builds its exception later, on the
 * coordinator, once the workers have let go of their data.
 *
 * <p>Thread-safe. The {@link #onFirstFailure} callback runs once, on the thread of the first
 * failure (described or not), and starts the cancellation. Suppressed exceptions are added under
 * the winner's monitor because {@link Throwable#addSuppressed} is not itself thread-safe.
 */
final class FailureCollector {
  static final int MAX_SUPPRESSED = 10;

  private final AtomicReference<@Nullable PipelineException> first = new AtomicReference<>();
  private final AtomicInteger later = new AtomicInteger();

  /** Set by whichever failure comes first, described or not: it alone runs the callback. */
  private final AtomicBoolean triggered = new AtomicBoolean();

  private final Runnable onFirstFailure;

  // A failure that came without the memory to describe it; its stage and thread name are written
  // before the cause is published (compare-and-set), and read after it.
  private final AtomicReference<@Nullable Throwable> undescribed = new AtomicReference<>();
  private volatile Stage undescribedStage = Stage.COORDINATOR;
  private volatile @Nullable String undescribedThread;

  /** Whether the undescribed failure came before any other, so it wins when described. */
  private volatile boolean undescribedFirst;

  FailureCollector(Runnable onFirstFailure) {
    this.onFirstFailure = onFirstFailure;
  }

  /** Records {@code failure}; returns true if it is the first. */
  boolean fail(PipelineException failure) {
    if (first.compareAndSet(null, failure)) {
      if (triggered.compareAndSet(false, true)) {
        onFirstFailure.run();
        return true;
      }
      return false; // an undescribed failure came first and has started the stop
    }
    PipelineException winner = first.get();
    if (winner != null && winner != failure) {
      int n = later.incrementAndGet();
      if (n <= MAX_SUPPRESSED) {
        synchronized (winner) {
          winner.addSuppressed(failure);
        }
      }
    }
    return false;
  }

  /**
   * Records a failure whose exception could not be made (out of memory) and starts the cancellation
   * if it is the first; allocates nothing. Returns true if it is the first.
   */
  boolean failUndescribed(Stage stage, Throwable cause) {
    String thread = Thread.currentThread().getName();
    if (undescribed.get() == null) {
      undescribedStage = stage;
      undescribedThread = thread;
      if (!undescribed.compareAndSet(null, cause)) {
        return false;
      }
      if (triggered.compareAndSet(false, true)) {
        undescribedFirst = true;
        onFirstFailure.run();
        return true;
      }
    }
    return false;
  }

  /**
   * Turns an undescribed failure into its exception (the first failure if it came first, else a
   * suppressed one); called by the coordinator once the workers have ended.
   */
  void describePending() {
    Throwable cause = undescribed.getAndSet(null);
    if (cause == null) {
      return;
    }
    Stage stage = undescribedStage;
    PipelineException e =
        ApiAccess.pipelineException(
            stage,
            null,
            -1,
            -1,
            undescribedThread,
            stage.label() + " failed (" + cause.getClass().getSimpleName() + ")",
            cause);
    PipelineException winner = first.get();
    if (winner == null || undescribedFirst) {
      first.set(e);
      if (winner != null) {
        synchronized (e) {
          e.addSuppressed(winner);
        }
      }
    } else {
      suppress(e);
    }
  }

  /** Attaches a secondary problem (say, a cleanup that failed) to the first failure, if any. */
  void suppress(Throwable t) {
    PipelineException winner = first.get();
    if (winner != null && later.incrementAndGet() <= MAX_SUPPRESSED) {
      synchronized (winner) {
        winner.addSuppressed(t);
      }
    }
  }

  @Nullable PipelineException first() {
    return first.get();
  }

  /** Whether any failure, described or not, has been recorded. */
  boolean failed() {
    return triggered.get();
  }

  /** Failures after the first, including those over the cap. */
  int laterCount() {
    return later.get();
  }
}
