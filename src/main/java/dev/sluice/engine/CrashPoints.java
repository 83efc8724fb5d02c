package dev.sluice.engine;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only crash points for the crash-and-resume tests, which run the CLI as a child process: with
 * {@code -Dsluice.test.crashAt=rename:3} the JVM halts (as if killed) right after the third output
 * rename; {@code rejects:K} after the K-th reject file commit, {@code manifest:K} after the K-th
 * manifest entry (before the inputs of its group are moved or deleted), {@code copied:K} after the
 * K-th input copied to another file system is durable there, before the input is deleted. Without
 * the property every call is a no-op.
 *
 * <p>Thread-safe: atomic counters; one instance per run.
 */
final class CrashPoints {
  static final String RENAME = "rename";
  static final String REJECTS = "rejects";
  static final String MANIFEST = "manifest";
  static final String COPIED = "copied";

  /** The exit status of a deliberate crash, so tests can tell it from a real failure. */
  static final int HALT_STATUS = 97;

  private final String point;
  private final int at;
  private final AtomicInteger seen = new AtomicInteger();

  private CrashPoints(String point, int at) {
    this.point = point;
    this.at = at;
  }

  static CrashPoints fromSystemProperty() {
    String v = System.getProperty("sluice.test.crashAt");
    if (v == null || v.isBlank()) {
      return new CrashPoints("", 0);
    }
    int colon = v.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "sluice.test.crashAt must be point:k, e.g. rename:3 (got " + v + ")");
    }
    return new CrashPoints(v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)));
  }

  void at(String p) {
    if (at > 0 && p.equals(point) && seen.incrementAndGet() == at) {
      // halt, not exit: no shutdown hooks, no flushing, like SIGKILL at this instant.
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }
}
