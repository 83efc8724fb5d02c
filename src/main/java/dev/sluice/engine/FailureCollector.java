package dev.sluice.engine;

import dev.sluice.api.PipelineException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Collects the failures of a run: the first one wins (compare-and-set) and becomes the exception
 * {@code run()} throws; later ones are attached to it as suppressed, up to a cap, and counted.
 *
 * <p>Thread-safe. The winner's {@link #onFirstFailure} callback runs once, on the failing thread,
 * and starts the cancellation. Suppressed exceptions are added under the winner's monitor because
 * {@link Throwable#addSuppressed} is not itself thread-safe.
 */
final class FailureCollector {
  static final int MAX_SUPPRESSED = 10;

  private final AtomicReference<@Nullable PipelineException> first = new AtomicReference<>();
  private final AtomicInteger later = new AtomicInteger();
  private final Runnable onFirstFailure;

  FailureCollector(Runnable onFirstFailure) {
    this.onFirstFailure = onFirstFailure;
  }

  /** Records {@code failure}; returns true if it is the first. */
  boolean fail(PipelineException failure) {
    if (first.compareAndSet(null, failure)) {
      onFirstFailure.run();
      return true;
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

  boolean failed() {
    return first.get() != null;
  }

  /** Failures after the first, including those over the cap. */
  int laterCount() {
    return later.get();
  }
}
