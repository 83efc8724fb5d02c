package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorType;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Stage;
import dev.sluice.api.Step;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stop path (issue 14): an interrupt or a stop that reaches a user step is a stop, not a bad
 * record, and no hand-off waits on a queue after the run has stopped, even when a step swallowed
 * the interrupt that was meant to wake it. Before, the step's InterruptedException became a
 * STEP_FAILED reject under skip, and a transformer whose interrupt a step had swallowed blocked in
 * {@code put()} on the full queue of a writer that had died, until the stop bound gave up on it and
 * {@code run()} returned with the thread still alive.
 */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StopPathTest {
  @TempDir Path tmp;

  @Test
  void anInterruptInsideAStepUnderSkipShouldStopTheRunAndRejectNothing() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(2, 100);
    CountDownLatch stepEntered = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    Step waits =
        (row, out) -> {
          if (row.get(0).equals("f0-r3")) {
            stepEntered.countDown();
            never.await(); // interruptible: the stop's interrupt ends it with InterruptedException
          }
          out.emit(row);
        };
    FakeFormat format = new FakeFormat(1);
    IOException injected = new IOException("disk on fire");
    // A failure of the run (not of one file, which the skip policy would drop): from a reader,
    // once the step waits.
    EngineHooks readerFails =
        (point, fileId, seq) -> {
          if (point == EngineHooks.Point.READER_HANDOFF && fileId == 1 && seq == 2) {
            stepEntered.await(20, TimeUnit.SECONDS);
            throw injected;
          }
        };
    PipelineSpec spec =
        fx.spec()
            .onError(ErrorPolicy.SKIP)
            .step(waits)
            .threads(2, 1, 1)
            .queueCapacity(1024)
            .batchSize(2)
            .build();

    PipelineException e;
    try (DefaultPipeline p = new DefaultPipeline(spec, format, format, readerFails)) {
      e = catchThrowableOfType(PipelineException.class, p::run);
    }

    assertThat(e).as("thrown").isNotNull();
    assertThat(e.getCause()).isSameAs(injected);
    assertThat(e.result().rejectsByType())
        .as("rejects by type")
        .doesNotContainKey(ErrorType.STEP_FAILED);
    fx.assertNoTempFiles();
  }

  @Test
  void aTransformerWhoseStepSwallowedTheInterruptShouldNotWaitOnTheFullQueueOfADeadWriter()
      throws Exception {
    EngineFixture fx = new EngineFixture(tmp).files(1, 50);
    CountDownLatch inStep = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    Step swallows =
        (row, out) -> {
          if (row.get(0).equals("f0-r2")) {
            inStep.countDown();
            try {
              never.await();
            } catch (InterruptedException swallowed) {
              // deliberately swallowed, as careless user code does: the row goes on
            }
          }
          out.emit(row);
        };
    IOException injected = new IOException("writer died");
    // Batches of one record: chunk 0 is with the writer, chunk 1 fills its queue (capacity 1), and
    // the transformer is in the step for batch 2 when the writer dies.
    EngineHooks writerDies =
        (point, fileId, seq) -> {
          if (point == EngineHooks.Point.WRITER_TAKE && seq == 0) {
            inStep.await(20, TimeUnit.SECONDS);
            throw injected;
          }
        };
    PipelineSpec spec =
        fx.spec()
            .step(swallows)
            .threads(1, 1, 1)
            .queueCapacity(1)
            .batchSize(1)
            .stopTimeout(
                Duration.ofSeconds(2)) // the old hang would end here, with the thread alive
            .build();
    FakeFormat format = new FakeFormat(1);
    DefaultPipeline p = new DefaultPipeline(spec, format, format, writerDies);

    PipelineException e;
    try (p) {
      e = catchThrowableOfType(PipelineException.class, p::run);
    }

    assertThat(e).as("thrown").isNotNull();
    assertThat(p.threads()).as("engine threads alive after run()").noneMatch(Thread::isAlive);
    assertThat(e.stage()).isEqualTo(Stage.WRITER);
    assertThat(e.getCause()).isSameAs(injected);
    assertThat(Arrays.stream(e.getSuppressed()).map(Throwable::getMessage))
        .as("suppressed")
        .noneMatch(m -> m.contains("did not stop"));
    assertThat(p.context().pools)
        .allSatisfy(pool -> assertThat(pool.available()).isEqualTo(pool.capacity()));
    fx.assertNoTempFiles();
  }
}
