package dev.sluice.cli;

import dev.sluice.api.Emitter;
import dev.sluice.api.Row;
import dev.sluice.api.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A custom step for a child JVM that is stopped by a signal: passes rows through until order 5,
 * then waits until the writer has a temp file under the directory named by the system property
 * {@value #OUTPUT_PROPERTY}, prints {@value #BLOCKING} to stderr, and blocks until the run is
 * aborted (the abort interrupts it). Public for {@code --step}.
 */
public final class BlockingStep implements Step {
  private static final long serialVersionUID = 1L;
  static final String OUTPUT_PROPERTY = "sluice.test.output";
  static final String BLOCKING = "blocking-step: blocking";

  @Override
  public void apply(Row row, Emitter out) throws InterruptedException {
    if (!row.get("order_id").equals("5")) {
      out.emit(row);
      return;
    }
    boolean temp = awaitTempFile(Path.of(System.getProperty(OUTPUT_PROPERTY)));
    System.err.println(BLOCKING + " temp=" + temp);
    System.err.flush();
    new CountDownLatch(1).await();
  }

  /**
   * Polls (in the child, which has nothing to wait on) for the writer's temp file, so that the
   * signal reaches a run with a file in progress; gives up after 20 s.
   */
  private static boolean awaitTempFile(Path dir) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (hasTemp(dir)) {
        return true;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
    return false;
  }

  static boolean hasTemp(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().endsWith(".sluice-tmp"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
