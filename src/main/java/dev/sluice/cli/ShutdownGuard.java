package dev.sluice.cli;

import dev.sluice.api.Pipeline;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A JVM shutdown hook that aborts a running pipeline on Ctrl-C or SIGTERM and then waits, bounded,
 * until the command has finished: the run has removed its temporary files (the engine keeps the
 * manifest entries of the files it completed), and the command has written its metrics, logs and
 * error line. The JVM halts when the hooks return, with the exit status the signal set (130 for
 * SIGINT, 143 for SIGTERM). Only the CLI's real {@code main} installs it; tests never do.
 *
 * <p>Lifecycle: {@link #install} before {@code run()}; {@link #release} exactly once, by {@link
 * Main#run} when everything is printed. The wait is bounded because {@code System.exit} from the
 * main thread blocks while hooks run: if the command never released the hook, the JVM would hang.
 *
 * <p>Thread-safe: the hook thread and the running thread share only a latch and a volatile flag.
 */
final class ShutdownGuard {
  private static final Logger log = LoggerFactory.getLogger(ShutdownGuard.class);
  private static final long CLEANUP_SECONDS = 30;

  private final Thread hook;
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile boolean triggered;

  private ShutdownGuard(Pipeline pipeline, String runId) {
    this.hook =
        new Thread(
            () -> {
              triggered = true;
              // The abort first: it allocates next to nothing, and the log line may not find
              // the memory (a run failing for want of heap).
              try {
                pipeline.abort();
              } finally {
                try {
                  MDC.put("run", runId);
                  log.warn("stopping the run: the process received {}", Signals.describe());
                } catch (RuntimeException | Error e) {
                  // The run stops all the same; the command's error line says why it ended.
                }
              }
              try {
                // Wakes when Main.run releases the guard, after the run's cleanup and the command's
                // last output; bounded so a stuck command cannot keep the JVM from halting.
                if (!released.await(CLEANUP_SECONDS, TimeUnit.SECONDS)) {
                  log.error("the run did not stop within {} s; exiting anyway", CLEANUP_SECONDS);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "sluice-shutdown");
  }

  static ShutdownGuard install(Pipeline pipeline, String runId) {
    ShutdownGuard g = new ShutdownGuard(pipeline, runId);
    Runtime.getRuntime().addShutdownHook(g.hook);
    return g;
  }

  /** Whether the hook ran, i.e. the run failed because the process is stopping. */
  boolean triggered() {
    return triggered;
  }

  /** Lets the hook return (the JVM then halts) or, when no shutdown is under way, removes it. */
  void release() {
    released.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Shutdown is in progress: the hook is running and has just been released by the latch.
    }
  }
}
