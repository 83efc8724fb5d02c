package dev.sluice.engine;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Runs one stress run on its own thread ({@code stress-run-<index>}) and gives up on it after a
 * bound. A run that does not end in time yields a report with everything needed to replay and
 * diagnose it: the seed, the run index, the combination, the replay flags, the JVM's deadlock
 * detection and a dump of every thread with its locks. Then the watchdog calls the abort action
 * (say {@code pipeline.abort()}) and waits a second bound for the run to end, so later runs can go
 * on.
 *
 * <p>Immutable and thread-safe; {@link #run} blocks its caller until the run ends or both bounds
 * pass.
 */
final class Watchdog {
  static final String DEADLOCK_HEADER =
      "== deadlock detection (ThreadMXBean.findDeadlockedThreads) ==";
  static final String THREADS_HEADER =
      "== all threads (ThreadMXBean.dumpAllThreads, with locks) ==";

  private final long seed;
  private final Duration bound;
  private final Duration afterAbort;

  /** What became of a run. Immutable. */
  static final class Outcome<T> {
    final @Nullable T value;
    final @Nullable Throwable failure;

    /** Null when the run ended within the bound. */
    final @Nullable String timeoutReport;

    private Outcome(
        @Nullable T value, @Nullable Throwable failure, @Nullable String timeoutReport) {
      this.value = value;
      this.failure = failure;
      this.timeoutReport = timeoutReport;
    }

    boolean timedOut() {
      return timeoutReport != null;
    }
  }

  Watchdog(long seed, Duration bound, Duration afterAbort) {
    if (bound.isNegative() || bound.isZero()) {
      throw new IllegalArgumentException("bound <= 0: " + bound);
    }
    this.seed = seed;
    this.bound = bound;
    this.afterAbort = afterAbort;
  }

  Duration bound() {
    return bound;
  }

  /**
   * Runs {@code task} on a new daemon thread and waits at most the bound for it. On a timeout,
   * builds the report first (so it shows the stuck state, not the aborting one), then calls {@code
   * abort} and waits at most {@code afterAbort} more.
   */
  <T> Outcome<T> run(int index, String combination, Callable<T> task, Runnable abort)
      throws InterruptedException {
    AtomicReference<@Nullable T> value = new AtomicReference<>();
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    Thread runner =
        new Thread(
            () -> {
              try {
                value.set(task.call());
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "stress-run-" + index);
    // A run that never ends must not keep the JVM (the surefire fork) alive.
    runner.setDaemon(true);
    long t0 = System.nanoTime();
    runner.start();
    runner.join(Math.max(1, bound.toMillis()));
    if (!runner.isAlive()) {
      // join() gives happens-before with everything the runner did.
      return new Outcome<>(value.get(), failure.get(), null);
    }
    StringBuilder report = new StringBuilder(report(index, combination, System.nanoTime() - t0));
    try {
      abort.run();
    } catch (RuntimeException e) {
      report.append("\nabort action threw: ").append(e);
    }
    runner.join(Math.max(1, afterAbort.toMillis()));
    if (runner.isAlive()) {
      report
          .append("\nthe run had not ended ")
          .append(afterAbort)
          .append(" after the abort; its threads may linger");
    } else {
      Throwable f = failure.get();
      report
          .append("\nafter the abort the run ended with: ")
          .append(f != null ? f.toString() : value.get());
    }
    return new Outcome<>(null, null, report.toString());
  }

  /** The report of a run that has not ended {@code nanos} after it started. */
  String report(int index, String combination, long nanos) {
    StringBuilder sb = new StringBuilder(16 * 1024);
    sb.append(
        String.format(
            Locale.ROOT,
            "WATCHDOG: run %d did not end within %s (%.1f s elapsed)%n",
            index,
            bound,
            nanos / 1e9));
    sb.append("seed: ").append(seed).append('\n');
    sb.append("run index: ").append(index).append('\n');
    sb.append("combination: ").append(combination).append('\n');
    sb.append("replay: -Dsluice.stress.seed=")
        .append(seed)
        .append(" -Dsluice.stress.only=")
        .append(index)
        .append('\n');
    sb.append(deadlocks());
    sb.append(threadDump());
    return sb.toString();
  }

  /**
   * The JVM's deadlock detection over monitors and ownable synchronizers, with the cycle's threads.
   */
  static String deadlocks() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    StringBuilder sb = new StringBuilder(DEADLOCK_HEADER).append('\n');
    long[] ids =
        mx.isSynchronizerUsageSupported()
            ? mx.findDeadlockedThreads()
            : mx.findMonitorDeadlockedThreads();
    if (ids == null || ids.length == 0) {
      sb.append("no deadlocked threads found\n");
      return sb.toString();
    }
    sb.append(ids.length).append(" deadlocked thread(s):\n");
    for (ThreadInfo ti :
        mx.getThreadInfo(
            ids, mx.isObjectMonitorUsageSupported(), mx.isSynchronizerUsageSupported())) {
      if (ti != null) {
        format(ti, sb);
      }
    }
    return sb.toString();
  }

  /**
   * Every live thread's full stack (ThreadInfo.toString cuts at 8 frames), its lock and what it
   * holds.
   */
  static String threadDump() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    ThreadInfo[] all =
        mx.dumpAllThreads(mx.isObjectMonitorUsageSupported(), mx.isSynchronizerUsageSupported());
    Arrays.sort(all, Comparator.comparing(ThreadInfo::getThreadName));
    StringBuilder sb = new StringBuilder(THREADS_HEADER).append('\n');
    sb.append(all.length).append(" threads\n");
    for (ThreadInfo ti : all) {
      format(ti, sb);
    }
    return sb.toString();
  }

  private static void format(ThreadInfo ti, StringBuilder sb) {
    sb.append('"')
        .append(ti.getThreadName())
        .append("\" id=")
        .append(ti.getThreadId())
        .append(' ')
        .append(ti.getThreadState());
    if (ti.getLockName() != null) {
      sb.append(" on ").append(ti.getLockName());
    }
    if (ti.getLockOwnerName() != null) {
      sb.append(" owned by \"")
          .append(ti.getLockOwnerName())
          .append("\" id=")
          .append(ti.getLockOwnerId());
    }
    if (ti.isInNative()) {
      sb.append(" (in native)");
    }
    sb.append('\n');
    StackTraceElement[] stack = ti.getStackTrace();
    MonitorInfo[] monitors = ti.getLockedMonitors();
    for (int i = 0; i < stack.length; i++) {
      sb.append("\tat ").append(stack[i]).append('\n');
      if (i == 0 && ti.getLockInfo() != null) {
        switch (ti.getThreadState()) {
          case BLOCKED:
            sb.append("\t-  blocked on ").append(ti.getLockInfo()).append('\n');
            break;
          case WAITING:
          case TIMED_WAITING:
            sb.append("\t-  waiting on ").append(ti.getLockInfo()).append('\n');
            break;
          default:
            break;
        }
      }
      for (MonitorInfo m : monitors) {
        if (m.getLockedStackDepth() == i) {
          sb.append("\t-  locked ").append(m).append('\n');
        }
      }
    }
    LockInfo[] syncs = ti.getLockedSynchronizers();
    if (syncs.length > 0) {
      sb.append("\tlocked ownable synchronizers:\n");
      for (LockInfo l : syncs) {
        sb.append("\t-  ").append(l).append('\n');
      }
    }
    sb.append('\n');
  }

  /** The part of {@code report} from {@code header} to the next section (for tests). */
  static String section(String report, String header) {
    int from = report.indexOf(header);
    if (from < 0) {
      return "";
    }
    int to = report.indexOf("\n== ", from + header.length());
    return report.substring(from, to < 0 ? report.length() : to);
  }
}
