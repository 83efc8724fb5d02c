package dev.sluice.api;

/**
 * Called once per rejected record when the run skips bad input ({@link ErrorPolicy#SKIP}).
 *
 * <p>Implementations must be thread-safe: reader and transformer threads call it concurrently, in
 * no particular order. Keep it quick; an exception it throws fails the run.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface RejectListener {
  /** Receives one reject. */
  void onReject(Reject reject);
}
