package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Stage;
import dev.sluice.api.Step;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Automatic sizing through the real engine, deterministically: the sizer thread is parked (an
 * interval of an hour) and the test calls {@link AutoSizer#tick()} itself; the stage the test holds
 * on a gate is "slow" because the fake clock advances only while every pipeline thread is parked
 * (the held ones at the gate, the others waiting for input or to hand on). Each look therefore sees
 * exactly the bottleneck the test built, and the sizes follow from the rules alone.
 */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AutoSizingTest {
  private static final long WINDOW = 100_000_000L; // 100 ms of fake time per look

  @TempDir Path tmp;

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Ticker fake = now::get;

  /** Held threads wait here; the test lets them through at the end. */
  private final Semaphore gate = new Semaphore(0);

  private final AtomicBoolean open = new AtomicBoolean();
  private final Semaphore arrivals = new Semaphore(0);

  private void hold() throws InterruptedException {
    if (!open.get()) {
      arrivals.release();
      gate.acquire();
    }
  }

  private void openGate() {
    open.set(true);
    gate.release(10_000);
  }

  private void awaitArrivals(int n) throws InterruptedException {
    assertThat(arrivals.tryAcquire(n, 20, TimeUnit.SECONDS))
        .as("%d arrivals at the gate", n)
        .isTrue();
  }

  /**
   * Waits (bounded) until every reader and transformer thread of {@code p} is parked. The
   * pipeline's own list, not the JVM's live threads: a thread not yet started must count as not
   * parked.
   */
  private static void allParked(DefaultPipeline p) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      boolean parked = true;
      for (Thread t : p.threads()) {
        String n = t.getName();
        if ((n.startsWith("sluice-reader") || n.startsWith("sluice-transformer"))
            && !EngineFixture.parked(t)
            && t.getState() != Thread.State.TERMINATED) {
          parked = false;
        }
      }
      if (parked) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("pipeline threads did not park");
  }

  /** One look: everything parked, then a window of fake time, then the sizer's tick. */
  private static AutoSizer.Move look(DefaultPipeline p, AtomicLong now) {
    allParked(p);
    now.addAndGet(WINDOW);
    AutoSizer s = p.sizer();
    assertThat(s).as("sizer").isNotNull();
    return s.tick();
  }

  private DefaultPipeline pipeline(PipelineSpec spec, FakeFormat f, EngineHooks hooks) {
    return new DefaultPipeline(spec, f, f, hooks, fake).sizerInterval(Duration.ofHours(1));
  }

  private static CompletableFuture<RunResult> runAsync(DefaultPipeline p) {
    CompletableFuture<RunResult> done = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                done.complete(p.run());
              } catch (Throwable e) {
                done.completeExceptionally(e);
              }
            },
            "test-run");
    t.start();
    return done;
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception) {
        throw (Exception) e.getCause();
      }
      throw e;
    }
  }

  /** Many small files: readers reach a split boundary (their safe point) often. */
  private EngineFixture fixture() {
    return new EngineFixture(tmp).files(12, 6);
  }

  @Test
  void slowReadsShouldEndWithMoreReadersAndTheSameOutput() throws Exception {
    EngineFixture fx = fixture();
    FakeFormat f = new FakeFormat(1);
    f.onRecord = (split, rec) -> hold();
    PipelineSpec spec =
        fx.spec().threads(1, 1, 1).autoThreads().threadBudget(4).batchSize(2).build();
    DefaultPipeline p = pipeline(spec, f, EngineHooks.NONE);
    CompletableFuture<RunResult> run = runAsync(p);

    awaitArrivals(1);
    assertThat(look(p, now)).isEqualTo(AutoSizer.Move.HOLD); // one window is not a trend
    assertThat(look(p, now)).isEqualTo(AutoSizer.Move.GROW_READERS);
    awaitArrivals(1); // the new reader is held on its first record too
    look(p, now);
    assertThat(look(p, now)).isEqualTo(AutoSizer.Move.GROW_READERS);
    awaitArrivals(1);
    // Three readers and one transformer fill the budget of 4; the transformer is the last one.
    look(p, now);
    assertThat(look(p, now)).isEqualTo(AutoSizer.Move.HOLD);
    openGate();
    RunResult r = await(run);

    RunResult.AutoSizing a = r.autoSizing();
    assertThat(a).isNotNull();
    assertThat(a.readersAtStart()).isEqualTo(1);
    assertThat(a.readersPeak()).isEqualTo(3);
    assertThat(a.readers()).isEqualTo(3);
    assertThat(a.transformers()).isEqualTo(1);
    assertThat(a.resizes()).isEqualTo(2);
    assertThat(r.readers()).isEqualTo(3);
    assertThat(r.summary()).contains("auto threads: readers 1 -> 3 (peak 3)");
    assertThat(r.recordsRead()).isEqualTo(12 * 6);
    fx.assertOutputsMatchInputs();
    fx.assertNoTempFiles();
    assertThat(p.context().pools)
        .hasSize(3)
        .allSatisfy(pool -> assertThat(pool.available()).isEqualTo(pool.capacity()));
    assertThat(p.threads())
        .extracting(Thread::getName)
        .contains("sluice-reader-2", "sluice-reader-3");
  }

  @Test
  void anExpensiveStepShouldTakeAThreadFromIdleReaders() throws Exception {
    EngineFixture fx = fixture();
    FakeFormat f = new FakeFormat(1);
    Step slow =
        (row, out) -> {
          hold();
          out.emit(row);
        };
    PipelineSpec spec =
        fx.spec()
            .threads(3, 1, 1)
            .autoThreads()
            .threadBudget(4)
            .batchSize(2)
            .queueCapacity(1)
            .step(slow)
            .build();
    DefaultPipeline p = pipeline(spec, f, EngineHooks.NONE);
    CompletableFuture<RunResult> run = runAsync(p);

    awaitArrivals(1); // the transformer holds its first record; the readers fill the queue and wait
    look(p, now);
    assertThat(look(p, now)).isEqualTo(AutoSizer.Move.RETIRE_READER);
    // A reader retires at its next split boundary: let the transformer work until one has.
    RunContext c = p.context();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (c.readerSlots.live() == 3) {
      assertThat(System.nanoTime()).as("a reader retired").isLessThan(deadline);
      gate.release();
      awaitArrivals(1);
    }
    // The retiring reader nudges the sizer thread, which gives its place to a transformer at once
    // (without waiting for the next look).
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (c.transformerSlots.live() < 2) {
      assertThat(System.nanoTime()).as("a transformer joined").isLessThan(deadline);
      Thread.onSpinWait();
    }
    openGate();
    RunResult r = await(run);

    RunResult.AutoSizing a = r.autoSizing();
    assertThat(a).isNotNull();
    assertThat(c.readerSlots.retired()).isEqualTo(1);
    assertThat(a.readers()).isEqualTo(2);
    assertThat(a.transformers()).isEqualTo(2);
    assertThat(a.transformersPeak()).isEqualTo(2);
    assertThat(a.resizes()).isEqualTo(2);
    fx.assertOutputsMatchInputs();
    fx.assertNoTempFiles();
    assertThat(c.pools).allSatisfy(pool -> assertThat(pool.available()).isEqualTo(pool.capacity()));
  }

  @Test
  void aFailureWhileAThreadIsBeingAddedShouldFailTheRunWithItsCause() throws Exception {
    EngineFixture fx = fixture();
    FakeFormat f = new FakeFormat(1);
    f.onRecord = (split, rec) -> hold();
    IOException boom = new IOException("injected at SIZER_GROW");
    EngineHooks failGrow =
        (point, file, seq) -> {
          if (point == EngineHooks.Point.SIZER_GROW) {
            throw boom;
          }
        };
    PipelineSpec spec =
        fx.spec().threads(1, 1, 1).autoThreads().threadBudget(4).batchSize(2).build();
    DefaultPipeline p = pipeline(spec, f, failGrow);
    CompletableFuture<RunResult> run = runAsync(p);

    awaitArrivals(1);
    look(p, now);
    assertThat(look(p, now)).isEqualTo(AutoSizer.Move.HOLD); // the grow failed
    openGate();

    assertThatThrownBy(() -> await(run))
        .isInstanceOf(PipelineException.class)
        .satisfies(e -> assertThat(((PipelineException) e).stage()).isEqualTo(Stage.COORDINATOR))
        .hasCauseReference(boom);
    fx.assertNoTempFiles();
    assertThat(p.context().pools)
        .allSatisfy(pool -> assertThat(pool.available()).isEqualTo(pool.capacity()));
  }

  @Test
  void aFailureInAReaderTheSizerAddedShouldFailTheRunWithItsCause() throws Exception {
    EngineFixture fx = fixture();
    FakeFormat f = new FakeFormat(1);
    IOException boom = new IOException("injected in the second reader");
    f.onRecord =
        (split, rec) -> {
          if (Thread.currentThread().getName().equals("sluice-reader-2")) {
            throw boom;
          }
          hold();
        };
    PipelineSpec spec =
        fx.spec().threads(1, 1, 1).autoThreads().threadBudget(4).batchSize(2).build();
    DefaultPipeline p = pipeline(spec, f, EngineHooks.NONE);
    CompletableFuture<RunResult> run = runAsync(p);

    awaitArrivals(1);
    look(p, now);
    assertThat(look(p, now)).isEqualTo(AutoSizer.Move.GROW_READERS);
    // The gate stays shut: the first reader holds file 0, so the new one takes file 1 and fails on
    // its first record; the stop interrupts the held reader.

    assertThatThrownBy(() -> await(run))
        .isInstanceOf(PipelineException.class)
        .satisfies(e -> assertThat(((PipelineException) e).stage()).isEqualTo(Stage.READER))
        .satisfies(e -> assertThat(((PipelineException) e).thread()).isEqualTo("sluice-reader-2"))
        .hasCauseReference(boom);
    fx.assertNoTempFiles();
  }

  @Test
  void anAbortWhileAThreadIsBeingAddedShouldStopEveryThreadItStarted() throws Exception {
    EngineFixture fx = fixture();
    FakeFormat f = new FakeFormat(1);
    f.onRecord = (split, rec) -> hold();
    AtomicReference<DefaultPipeline> self = new AtomicReference<>();
    EngineHooks abortOnGrow =
        (point, file, seq) -> {
          if (point == EngineHooks.Point.SIZER_GROW) {
            self.get().abort(); // the new thread is registered but not yet started
          }
        };
    PipelineSpec spec =
        fx.spec().threads(1, 1, 1).autoThreads().threadBudget(4).batchSize(2).build();
    DefaultPipeline p = pipeline(spec, f, abortOnGrow);
    self.set(p);
    CompletableFuture<RunResult> run = runAsync(p);

    awaitArrivals(1);
    look(p, now);
    look(p, now);
    // The held reader is interrupted by the abort; nothing else needs the gate.

    assertThatThrownBy(() -> await(run))
        .isInstanceOf(PipelineException.class)
        .hasCauseInstanceOf(CancellationException.class);
    assertThat(p.threads()).noneMatch(Thread::isAlive);
    fx.assertNoTempFiles();
    assertThat(p.context().pools)
        .allSatisfy(pool -> assertThat(pool.available()).isEqualTo(pool.capacity()));
  }

  @Test
  void withoutAutoSizingTheResultShouldReportNone() throws Exception {
    EngineFixture fx = fixture();
    RunResult r = EngineFixture.run(fx.spec().threads(2, 2, 1).build(), new FakeFormat(1));
    assertThat(r.autoSizing()).isNull();
    assertThat(r.summary()).doesNotContain("auto threads");
    fx.assertOutputsMatchInputs();
  }
}
