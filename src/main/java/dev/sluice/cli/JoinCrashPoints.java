package dev.sluice.cli;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only crash points in the joins' commits, for the child-JVM kill tests, read from the same
 * property as the engine's: {@code -Dsluice.test.crashAt=partition:2} halts the JVM (as SIGKILL
 * would) right after the second partition file is renamed into place, {@code merge:1} right before
 * the merged file is. Without the property (or with an engine point) every call is a no-op.
 *
 * <p>Thread-safe: one counter, used by the command's thread.
 */
final class JoinCrashPoints {
  static final String PARTITION = "partition";
  static final String MERGE = "merge";

  /** The engine's exit status of a deliberate crash, so tests can tell it from a real failure. */
  static final int HALT_STATUS = 97;

  private static final AtomicInteger seen = new AtomicInteger();

  private JoinCrashPoints() {}

  static void at(String point) {
    String v = System.getProperty("sluice.test.crashAt");
    if (v == null || !v.startsWith(point + ":")) {
      return;
    }
    if (seen.incrementAndGet() == Integer.parseInt(v.substring(point.length() + 1).strip())) {
      Runtime.getRuntime().halt(HALT_STATUS); // no hooks, no flushing: like SIGKILL at this instant
    }
  }
}
