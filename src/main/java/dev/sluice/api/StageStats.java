package dev.sluice.api;

/**
 * Where one stage's threads spent a run: working, waiting for input (the stage before was slower)
 * or waiting to hand on (a full queue or the in-flight budget: the stage after was slower). For
 * readers, "working" includes waiting on the disk or the network inside a read.
 *
 * <p>Immutable and thread-safe.
 *
 * @param stage the stage
 * @param threads threads the stage ran
 * @param busyNanos total time its threads worked
 * @param waitInputNanos total time its threads waited for input
 * @param waitOutputNanos total time its threads waited to hand on
 * @param batches batches the stage handled
 * @since 0.1
 */
public record StageStats(
    Stage stage,
    int threads,
    long busyNanos,
    long waitInputNanos,
    long waitOutputNanos,
    long batches) {

  /** Busy, waiting for input and waiting for output together. */
  public long totalNanos() {
    return busyNanos + waitInputNanos + waitOutputNanos;
  }

  /** The share of time its threads were busy, 0 to 1. */
  public double busyShare() {
    return share(busyNanos);
  }

  /** The share of time its threads waited for input, 0 to 1. */
  public double waitInputShare() {
    return share(waitInputNanos);
  }

  /** The share of time its threads waited to hand on, 0 to 1. */
  public double waitOutputShare() {
    return share(waitOutputNanos);
  }

  private double share(long n) {
    long t = totalNanos();
    return t <= 0 ? 0 : (double) n / t;
  }
}
