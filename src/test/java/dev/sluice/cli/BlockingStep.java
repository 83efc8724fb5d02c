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
import org.jspecify.annotations.Nullable;

/**
 * A custom step for a child JVM that is stopped by a signal: passes rows through until order 7,
 * then waits until the writer has a temp file under the directory named by the system property
 * {@value #OUTPUT_PROPERTY} (and, if {@value #DONE_PROPERTY} names an input file, until the
 * manifest records it), prints {@value #BLOCKING} to stderr, and blocks until the run is aborted
 * (the abort interrupts it). Without the property, as in a rerun inside the test JVM, it only
 * passes rows through. Public for {@code --step}.
 */
public final class BlockingStep implements Step {
  private static final long serialVersionUID = 1L;
  static final String OUTPUT_PROPERTY = "sluice.test.output";
  static final String DONE_PROPERTY = "sluice.test.done";
  static final String BLOCKING = "blocking-step: blocking";

  @Override
  public void apply(Row row, Emitter out) throws InterruptedException {
    String output = System.getProperty(OUTPUT_PROPERTY);
    if (output == null || !row.get("order_id").equals("7")) {
      out.emit(row);
      return;
    }
    boolean ready = awaitReady(Path.of(output), System.getProperty(DONE_PROPERTY));
    System.err.println(BLOCKING + " temp=" + ready);
    System.err.flush();
    new CountDownLatch(1).await();
  }

  /**
   * Polls (in the child, which has nothing to wait on) for the writer's temp file and the manifest
   * entry, so that the signal reaches a run with a file in progress and one done; gives up after 20
   * s.
   */
  private static boolean awaitReady(Path dir, @Nullable String done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (tempSeen(dir) && (done == null || recorded(dir, done))) {
        return true;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
    return false;
  }

  private static boolean recorded(Path dir, String file) {
    Path manifest = dir.resolve(".sluice/manifest.jsonl");
    try {
      return Files.exists(manifest) && Files.readString(manifest).contains("\"" + file + "\"");
    } catch (IOException e) {
      return false; // being appended to; look again
    }
  }

  /**
   * {@link #hasTemp} while the writer works: a file renamed away during the walk means look again.
   */
  private static boolean tempSeen(Path dir) {
    try {
      return hasTemp(dir);
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  /** Whether a temp file is under {@code dir}; for a directory nothing writes to any more. */
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
