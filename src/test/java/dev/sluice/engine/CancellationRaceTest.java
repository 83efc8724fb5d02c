package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Failures and stops that race the run's own transitions; each must end cleanly. */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CancellationRaceTest {
  @TempDir Path tmp;

  private void assertCleanEnd(EngineFixture fx, DefaultPipeline p) throws IOException {
    fx.assertNoTempFiles();
    RunContext c = p.context();
    if (c != null) {
      assertThat(c.pools)
          .allSatisfy(pool -> assertThat(pool.available()).isEqualTo(pool.capacity()));
    }
  }

  @ParameterizedTest
  @EnumSource(names = {"READER_END", "TRANSFORMER_END"})
  void aFailureAtTheEndOfStreamShouldEndInThatFailure(EngineHooks.Point at) throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(3, 40);
    IOException injected = new IOException("failed at " + at);
    EngineHooks hooks =
        (point, fileId, seq) -> {
          if (point == at) {
            throw injected;
          }
        };
    FakeFormat f = new FakeFormat(1);
    DefaultPipeline p =
        new DefaultPipeline(fx.spec().threads(2, 2, 2).batchSize(7).build(), f, f, hooks);

    PipelineException e = catchThrowableOfType(PipelineException.class, p::run);

    assertThat(e).isNotNull();
    assertThat(e.getCause()).isSameAs(injected);
    assertCleanEnd(fx, p);
  }

  @Test
  void aStepFailureRacingTheEndOfStreamShouldWin() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(2, 30);
    CyclicBarrier together = new CyclicBarrier(2);
    IllegalStateException injected = new IllegalStateException("step fails as the stream ends");
    EngineHooks atEnd =
        (point, fileId, seq) -> {
          if (point == EngineHooks.Point.READER_END) {
            together.await(10, TimeUnit.SECONDS);
          }
        };
    // The last record of the last file fails in a transformer at the moment the last reader sends
    // the end-of-stream markers.
    PipelineSpec spec =
        fx.spec()
            .threads(1, 2, 1)
            .batchSize(1)
            .step(
                (row, out) -> {
                  if (row.get(0).equals("f1-r29")) {
                    together.await(10, TimeUnit.SECONDS);
                    throw injected;
                  }
                  out.emit(row);
                })
            .build();
    FakeFormat f = new FakeFormat(1);
    DefaultPipeline p = new DefaultPipeline(spec, f, f, atEnd);

    PipelineException e = catchThrowableOfType(PipelineException.class, p::run);

    assertThat(e.getCause()).isSameAs(injected);
    assertThat(e.stage()).isEqualTo(Stage.TRANSFORMER);
    assertCleanEnd(fx, p);
  }

  @Test
  void aFailureWhileEveryQueueIsFullShouldEndCleanly() throws Exception {
    EngineFixture fx = new EngineFixture(tmp).files(4, 500);
    AtomicReference<DefaultPipeline> self = new AtomicReference<>();
    IOException injected = new IOException("writer fails with every queue full");
    EngineHooks hooks =
        (point, fileId, seq) -> {
          if (point == EngineHooks.Point.WRITER_TAKE && seq == 0 && fileId == 0) {
            RunContext c = self.get().context();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            boolean full = false;
            while (!full && System.nanoTime() < deadline) {
              full =
                  c.toTransformers.remainingCapacity() == 0
                      && c.toWriters[0].remainingCapacity() == 0;
              Thread.onSpinWait();
            }
            // Fail right at the moment both queues were seen full (the stalled writer keeps its own
            // queue full; a transformer may take one more batch from its queue after this check).
            assertThat(full).as("every queue was full").isTrue();
            throw injected;
          }
        };
    FakeFormat f = new FakeFormat(1);
    DefaultPipeline p =
        new DefaultPipeline(
            fx.spec().threads(2, 2, 1).queueCapacity(1).batchSize(5).build(), f, f, hooks);
    self.set(p);

    PipelineException e = catchThrowableOfType(PipelineException.class, p::run);

    assertThat(e.getCause()).isSameAs(injected);
    assertCleanEnd(fx, p);
  }

  @Test
  void aCallerInterruptDuringTheFinalRenameShouldLeaveNoTempAndNoPartialFile() throws Exception {
    EngineFixture fx = new EngineFixture(tmp).files(1, 50);
    CountDownLatch atCommit = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    EngineHooks hooks =
        (point, fileId, seq) -> {
          if (point == EngineHooks.Point.WRITER_COMMIT) {
            atCommit.countDown();
            never.await(); // interrupted by the cancellation
          }
        };
    FakeFormat f = new FakeFormat(1);
    DefaultPipeline p = new DefaultPipeline(fx.spec().threads(1, 1, 1).build(), f, f, hooks);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                p.run();
              } catch (Throwable t) {
                thrown.set(t);
              }
            },
            "test-caller");
    caller.start();
    assertThat(atCommit.await(20, TimeUnit.SECONDS)).isTrue();
    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(thrown.get())
        .isInstanceOf(PipelineException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(fx.out.resolve("d0/file-000.txt")).doesNotExist();
    assertCleanEnd(fx, p);
  }

  @Test
  void runCalledConcurrentlyShouldRunOnceAndRefuseTheOther() throws Exception {
    EngineFixture fx = new EngineFixture(tmp).files(2, 20);
    FakeFormat f = new FakeFormat(1);
    DefaultPipeline p = new DefaultPipeline(fx.spec().build(), f, f, EngineHooks.NONE);
    CyclicBarrier start = new CyclicBarrier(2);
    AtomicReference<Throwable> a = new AtomicReference<>();
    AtomicReference<Throwable> b = new AtomicReference<>();
    Thread t1 = new Thread(() -> runAfter(start, p, a), "test-a");
    Thread t2 = new Thread(() -> runAfter(start, p, b), "test-b");
    t1.start();
    t2.start();
    t1.join(30_000);
    t2.join(30_000);

    assertThat(a.get() == null ^ b.get() == null)
        .as("exactly one run succeeded: %s / %s", a.get(), b.get())
        .isTrue();
    Throwable refused = a.get() != null ? a.get() : b.get();
    assertThat(refused).isInstanceOf(IllegalStateException.class);
    fx.assertOutputsMatchInputs();
  }

  private static void runAfter(
      CyclicBarrier start, DefaultPipeline p, AtomicReference<Throwable> out) {
    try {
      start.await(10, TimeUnit.SECONDS);
      p.run();
    } catch (Throwable t) {
      out.set(t);
    }
  }

  @Test
  void anAbortBeforeRunShouldStartNothing() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(1, 5);
    FakeFormat f = new FakeFormat(1);
    DefaultPipeline p = new DefaultPipeline(fx.spec().build(), f, f, EngineHooks.NONE);
    p.abort();

    PipelineException e = catchThrowableOfType(PipelineException.class, p::run);

    assertThat(e.getMessage()).contains("aborted before start");
    assertThat(Files.exists(fx.out)).isFalse();
  }

  @Test
  void anAbortBeforeTheFirstBatchShouldEndCleanly() throws Exception {
    EngineFixture fx = new EngineFixture(tmp).files(3, 100);
    CountDownLatch atFirst = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    EngineHooks hooks =
        (point, fileId, seq) -> {
          if (point == EngineHooks.Point.READER_HANDOFF) {
            atFirst.countDown();
            never.await();
          }
        };
    FakeFormat f = new FakeFormat(1);
    DefaultPipeline p = new DefaultPipeline(fx.spec().threads(2, 2, 2).build(), f, f, hooks);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                p.run();
              } catch (Throwable t) {
                thrown.set(t);
              }
            },
            "test-caller");
    caller.start();
    assertThat(atFirst.await(20, TimeUnit.SECONDS)).isTrue();
    p.abort();
    caller.join(30_000);

    assertThat(thrown.get()).isInstanceOf(PipelineException.class).hasMessageContaining("aborted");
    assertCleanEnd(fx, p);
  }

  /**
   * Regression: an abort() that came after run()'s first check but before its context existed was
   * lost, and the run completed. The format's outputName is called in exactly that window.
   */
  @Test
  void anAbortWhileTheRunIsBeingPlannedShouldStillStopIt() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(2, 20);
    AtomicReference<DefaultPipeline> self = new AtomicReference<>();
    FakeFormat abortsWhilePlanning =
        new FakeFormat(1) {
          @Override
          public String outputName(String inputRelativeName) {
            self.get().abort();
            return inputRelativeName;
          }
        };
    DefaultPipeline p =
        new DefaultPipeline(
            fx.spec().build(), abortsWhilePlanning, abortsWhilePlanning, EngineHooks.NONE);
    self.set(p);

    PipelineException e = catchThrowableOfType(PipelineException.class, p::run);

    assertThat(e).as("the run must not complete").isNotNull();
    assertThat(e.getMessage()).contains("aborted");
    assertCleanEnd(fx, p);
  }
}
