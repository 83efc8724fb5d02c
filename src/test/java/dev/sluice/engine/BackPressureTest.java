package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.PipelineSpec;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A writer that does not write stops the readers once the budget and the queues are full. */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackPressureTest {
  @TempDir Path tmp;

  @Test
  void shouldBlockTheReaderWhileTheWriterIsStalledAndResumeWhenItIsReleased() throws Exception {
    int batch = 10;
    EngineFixture fx = new EngineFixture(tmp).files(1, 5000);
    FakeFormat format = new FakeFormat(1);
    AtomicLong read = new AtomicLong();
    AtomicReference<Thread> reader = new AtomicReference<>();
    format.onRecord =
        (split, r) -> {
          reader.compareAndSet(null, Thread.currentThread());
          read.incrementAndGet();
        };
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong readWhileStalled = new AtomicLong(-1);
    EngineHooks stallFirstWrite =
        (point, fileId, seq) -> {
          if (point == EngineHooks.Point.WRITER_TAKE && seq == 0) {
            // Wait (bounded) until the reader parks on its budget or a full queue, then look.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Thread t;
            while (((t = reader.get()) == null || !EngineFixture.parked(t))
                && System.nanoTime() < deadline) {
              Thread.onSpinWait();
            }
            readWhileStalled.set(read.get());
            release.await(20, TimeUnit.SECONDS);
          }
        };
    // One reader with a budget of one batch, capacity-1 queues: the reader may get at most one
    // batch past the stalled writer and one batch under construction.
    PipelineSpec spec =
        fx.spec().threads(1, 1, 1).queueCapacity(1).batchSize(batch).maxInFlight(1).build();

    Thread runner =
        new Thread(
            () -> {
              try (DefaultPipeline p = new DefaultPipeline(spec, format, format, stallFirstWrite)) {
                p.run();
              }
            },
            "test-runner");
    runner.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (readWhileStalled.get() < 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    long stalled = readWhileStalled.get();
    release.countDown();
    runner.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(stalled).as("records read while the writer stalled").isBetween(1L, 2L * batch);
    assertThat(read.get()).isEqualTo(5000);
    fx.assertOutputsMatchInputs();
  }
}
