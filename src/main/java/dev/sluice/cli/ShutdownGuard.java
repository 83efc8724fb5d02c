package dev.sluice.cli;

import dev.sluice.api.Pipeline;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A JVM shutdown hook that aborts a running pipeline on Ctrl-C or SIGTERM and waits (bounded) for
 * the run to remove its temporary files before the JVM halts. Only the CLI's real {@code main}
 * installs it; tests never do.
 *
 * <p>Thread-safe: the hook thread and the running thread share only a latch and a volatile flag.
 */
final class ShutdownGuard {
  private static final long CLEANUP_SECONDS = 30;

  private final Thread hook;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean triggered;

  private ShutdownGuard(Pipeline pipeline) {
    this.hook =
        new Thread(
            () -> {
              triggered = true;
              pipeline.abort();
              try {
                // The JVM halts when the hooks return: wait until run() has cleaned up.
                finished.await(CLEANUP_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "sluice-shutdown");
  }

  static ShutdownGuard install(Pipeline pipeline) {
    ShutdownGuard g = new ShutdownGuard(pipeline);
    Runtime.getRuntime().addShutdownHook(g.hook);
    return g;
  }

  /** Whether the hook ran, i.e. the run failed because the process is stopping. */
  boolean triggered() {
    return triggered;
  }

  /** Called by the running thread once {@code run()} has returned or thrown. */
  void finished() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Shutdown is in progress: the hook is running and has just been released by the latch.
    }
  }
}
