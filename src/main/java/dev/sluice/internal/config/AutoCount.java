package dev.sluice.internal.config;

/**
 * A thread count that is either fixed or {@code auto} (resized during the run).
 *
 * @param auto whether the count is left to the run
 * @param count the fixed count, 0 when {@code auto}
 */
public record AutoCount(boolean auto, int count) {
  /** Resized during the run. */
  public static final AutoCount AUTO = new AutoCount(true, 0);

  /** A fixed count of at least 1. */
  public static AutoCount of(int n) {
    return new AutoCount(false, Values.positive(n));
  }
}
