package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output bytes count against the in-flight budget (issue 14). A step that emits many rows per row
 * turns a batch's permits, taken for its input, into much more output; behind a slow split 0 that
 * output waits in the writer's reorder buffer. Before, the budget never saw it: split 1's reader
 * went on until its input filled its share, and the buffer held about (rows emitted per row) times
 * the budget. Now the transformer charges the output beyond the batch's permits to the reader's
 * pool (without waiting), the reader waits while its pool is overdrawn, and the run remembers how
 * much its steps expand, so the reader asks for that much from then on.
 *
 * <p>Measured when nothing can move (split 0 is gated; split 1's reader waits for its pool and the
 * transformer for input): the output held, counted by the step itself, and the permits in use.
 */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutputBudgetTest {
  private static final int COPIES = 1000;
  private static final int BATCH = 10;
  private static final int RECORDS = 2000;

  @TempDir Path tmp;

  @Test
  void anExpandingStepBehindASlowSplitZeroShouldHoldNoMoreOutputThanItsPermitsAllow()
      throws Exception {
    EngineFixture fx = new EngineFixture(tmp).files(1, RECORDS);
    FakeFormat format = new FakeFormat(2);
    CountDownLatch releaseSplit0 = new CountDownLatch(1);
    AtomicReference<Thread> split1Reader = new AtomicReference<>();
    format.onOpen =
        (split, r) -> {
          if (split.index() == 0) {
            releaseSplit0.await(30, TimeUnit.SECONDS);
          } else {
            split1Reader.set(Thread.currentThread());
          }
        };
    // Output bytes of split 1 (records 1000..1999) formatted so far: all held, split 0 not written.
    AtomicLong heldOutput = new AtomicLong();
    Step explode =
        (row, out) -> {
          String v = row.get(0);
          if (Integer.parseInt(v.substring(v.indexOf('r') + 1)) >= RECORDS / 2) {
            heldOutput.addAndGet((long) COPIES * (v.length() + 1));
          }
          for (int i = 0; i < COPIES; i++) {
            out.emit(row);
          }
        };
    AtomicInteger handedOn = new AtomicInteger();
    AtomicInteger transformed = new AtomicInteger();
    EngineHooks count =
        (point, fileId, seq) -> {
          if (Thread.currentThread() == split1Reader.get()
              && point == EngineHooks.Point.READER_HANDOFF) {
            handedOn.incrementAndGet();
          }
        };
    // A share of about 20 batches of input; each batch's output is about 90 times its estimate.
    long share = 20 * 1000;
    int queueCapacity = 1;
    int transformers = 1;
    int readers = 2;
    PipelineSpec spec =
        fx.spec()
            .step(explode)
            .threads(readers, transformers, 1)
            .queueCapacity(queueCapacity)
            .batchSize(BATCH)
            .maxInFlight(readers * share)
            .build();

    AtomicReference<RunResult> result = new AtomicReference<>();
    AtomicLong permitsInUse = new AtomicLong(-1);
    AtomicLong held = new AtomicLong(-1);
    try (DefaultPipeline p =
        new DefaultPipeline(
            spec,
            format,
            format,
            (point, fileId, seq) -> {
              count.at(point, fileId, seq);
              if (point == EngineHooks.Point.TRANSFORMER_HANDOFF) {
                transformed.incrementAndGet();
              }
            })) {
      Thread runner = new Thread(() -> result.set(p.run()), "test-runner");
      runner.start();
      // Bounded wait until nothing moves: split 1's reader parked on its pool, and every batch it
      // handed on transformed (split 0, gated, has none).
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline
          && !(waitsForPermits(split1Reader.get()) && transformed.get() == handedOn.get())) {
        Thread.onSpinWait();
      }
      assertThat(waitsForPermits(split1Reader.get()))
          .as("split 1's reader waits for its pool")
          .isTrue();
      RunContext c = p.context();
      long inUse = 0;
      for (PermitPool pool : c.pools) {
        inUse += pool.capacity() - pool.available();
      }
      permitsInUse.set(inUse);
      held.set(heldOutput.get());
      releaseSplit0.countDown();
      runner.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(c.pools)
          .allSatisfy(pool -> assertThat(pool.available()).isEqualTo(pool.capacity()));
    }

    long maxChunk = (long) BATCH * COPIES * ("f0-r1999".length() + 1);
    assertThat(held.get()).as("output held behind split 0").isGreaterThan(0);
    assertThat(held.get())
        .as("output held (%d) is charged: permits in use %d", held.get(), permitsInUse.get())
        .isLessThanOrEqualTo(permitsInUse.get());
    // The bound of ARCHITECTURE.md: the share, plus the output of the batches already on their way
    // (in the queue, in a transformer, or in a reader's hand-off) when the expansion was first
    // seen.
    assertThat(permitsInUse.get())
        .as("permits in use")
        .isLessThanOrEqualTo(share + (long) (queueCapacity + transformers + readers) * maxChunk);
    assertThat(result.get().recordsWritten()).isEqualTo((long) RECORDS * COPIES);
    assertThat(Files.size(fx.out.resolve("d0/file-000.txt"))).isGreaterThan(maxChunk);
  }

  /**
   * Whether {@code t} is parked in {@link PermitPool#acquire} (the reader waits for its budget).
   */
  private static boolean waitsForPermits(Thread t) {
    if (t == null) {
      return false;
    }
    Thread.State s = t.getState();
    if (s != Thread.State.WAITING && s != Thread.State.TIMED_WAITING) {
      return false;
    }
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().equals(PermitPool.class.getName())
          && e.getMethodName().equals("acquire")) {
        return true;
      }
    }
    return false;
  }

  @Test
  void theBudgetShouldBeAtMostHalfTheHeap() {
    assertThat(DefaultPipeline.budget(64L << 20, 64L << 20)).isEqualTo(32L << 20);
    assertThat(DefaultPipeline.budget(64L << 20, 1L << 30)).isEqualTo(64L << 20);
    assertThat(DefaultPipeline.budget(64L << 20, Long.MAX_VALUE)).isEqualTo(64L << 20);
  }
}
