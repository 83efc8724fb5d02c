package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Progress;
import dev.sluice.api.RunListener;
import dev.sluice.api.RunResult;
import dev.sluice.api.Stage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's start and end (issue 14): a thread that cannot be made or started part-way
 * fails the run through the one cancellation path, with every started thread stopped and joined;
 * the end of a run stops the sizer, the monitor and the sync threads and deletes what is left, each
 * step whatever the others threw, and hands the caller back its interrupt flag.
 */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoordinatorTest {
  @TempDir Path tmp;

  /**
   * Threads whose {@code n}-th {@code start()} fails, as when the OS has no thread left to give.
   */
  private static ThreadFactory failingStart(int n, Throwable error) {
    AtomicInteger starts = new AtomicInteger();
    return r ->
        new Thread(r) {
          @Override
          public synchronized void start() {
            if (starts.incrementAndGet() == n) {
              sneakyThrow(error);
            }
            super.start();
          }
        };
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
    throw (T) t;
  }

  @Test
  void aThreadThatCannotBeStartedPartWayShouldFailTheRunAndStopTheThreadsAlreadyStarted()
      throws Exception {
    EngineFixture fx = new EngineFixture(tmp).files(6, 500);
    OutOfMemoryError noThread = new OutOfMemoryError("unable to create native thread: injected");
    // Readers 1-2 and transformer 1 start; transformer 2 does not; the writers are never started.
    PipelineSpec spec =
        fx.spec()
            .threads(2, 2, 2)
            .queueCapacity(1)
            .batchSize(5)
            .threadFactory(failingStart(4, noThread))
            .build();
    FakeFormat f = new FakeFormat(1);
    DefaultPipeline p = new DefaultPipeline(spec, f, f, EngineHooks.NONE);

    Throwable t;
    try (p) {
      t = catchThrowable(p::run);
    }

    assertThat(t).as("thrown").isInstanceOf(PipelineException.class);
    PipelineException e = (PipelineException) t;
    assertThat(e.getCause()).isSameAs(noThread);
    assertThat(e.stage()).isEqualTo(Stage.COORDINATOR);
    assertThat(e.getMessage()).contains("cannot start thread sluice-transformer-2");
    assertThat(p.threads()).as("threads alive after run()").noneMatch(Thread::isAlive);
    assertThat(p.context().pools)
        .allSatisfy(pool -> assertThat(pool.available()).isEqualTo(pool.capacity()));
    fx.assertNoTempFiles();
  }

  @Test
  void aThreadFactoryFailingPartWayShouldFailTheRunBeforeAnyThreadStarts() throws Exception {
    EngineFixture fx = new EngineFixture(tmp).files(2, 50);
    IllegalStateException refused = new IllegalStateException("no more threads: injected");
    AtomicInteger made = new AtomicInteger();
    ThreadFactory thirdFails =
        r -> {
          if (made.incrementAndGet() == 3) {
            throw refused;
          }
          return new Thread(r);
        };
    PipelineSpec spec = fx.spec().threads(2, 2, 1).threadFactory(thirdFails).build();
    FakeFormat f = new FakeFormat(1);
    DefaultPipeline p = new DefaultPipeline(spec, f, f, EngineHooks.NONE);

    Throwable t;
    try (p) {
      t = catchThrowable(p::run);
    }

    assertThat(t).as("thrown").isInstanceOf(PipelineException.class);
    assertThat(t.getCause()).isSameAs(refused);
    assertThat(t.getMessage()).contains("cannot make a transformer thread");
    fx.assertNoTempFiles();
  }

  @Test
  void anInterruptWhileTheSizerIsJoinedShouldStillStopEverythingAndKeepTheFlag() throws Exception {
    EngineFixture fx = new EngineFixture(tmp).files(3, 50);
    CountDownLatch inPolicy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean blocked = new AtomicBoolean();
    // The reader waits for the sizer to be in its policy (the sizer looks only while the readers
    // are open), so the run ends while it is there.
    PipelineSpec spec = fx.spec().threads(1, 1, 1).autoThreads().threadBudget(4).build();
    FakeFormat f = new FakeFormat(1);
    f.onRecord = (split, r) -> inPolicy.await(20, TimeUnit.SECONDS);
    DefaultPipeline p =
        new DefaultPipeline(spec, f, f, EngineHooks.NONE).sizerInterval(Duration.ofMillis(1));
    p.sizerPolicy(
        (r, t, readers, transformers) -> {
          if (blocked.compareAndSet(false, true)) {
            // The sizer is busy (and deaf to interrupts) when the run ends: the coordinator joins
            // it.
            inPolicy.countDown();
            while (true) {
              try {
                if (release.await(30, TimeUnit.SECONDS)) {
                  break;
                }
              } catch (InterruptedException swallowed) {
                // keeps waiting for the test
              }
            }
          }
          return AutoSizer.Move.HOLD;
        });
    AtomicReference<Object> outcome = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                outcome.set(p.run());
              } catch (Throwable e) {
                outcome.set(e);
              }
              flag.set(Thread.currentThread().isInterrupted());
            },
            "test-caller");
    caller.start();
    assertThat(inPolicy.await(20, TimeUnit.SECONDS)).as("sizer in its policy").isTrue();
    // Bounded: until the caller is joining the sizer at the end of the run.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!joiningTheSizer(caller) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(joiningTheSizer(caller)).as("the caller joins the sizer").isTrue();
    caller.interrupt();
    release.countDown();
    caller.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(caller.isAlive()).isFalse();
    assertThat(outcome.get()).as("the run did its work").isInstanceOf(RunResult.class);
    assertThat(flag.get()).as("interrupt flag handed back").isTrue();
    fx.assertOutputsMatchInputs();
    fx.assertNoTempFiles();
    // NoLeakedThreads: the monitor and the sync threads were stopped after the interrupt too.
  }

  private static boolean joiningTheSizer(Thread t) {
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().equals(AutoSizer.class.getName()) && e.getMethodName().equals("stop")) {
        return EngineFixture.parked(t);
      }
    }
    return false;
  }

  /** An Error of our own, so the cause can be checked by identity. */
  static final class ListenerError extends Error {
    private static final long serialVersionUID = 1L;

    ListenerError() {
      super("injected in the last progress call");
    }
  }

  @Test
  void anErrorFromAListenersLastCallShouldFailTheRunAndStillStopAndCleanUpEverything()
      throws Exception {
    EngineFixture fx = new EngineFixture(tmp).files(3, 50);
    ListenerError error = new ListenerError();
    AtomicReference<Thread> caller = new AtomicReference<>();
    RunListener lastCallFails =
        new RunListener() {
          @Override
          public void onProgress(Progress progress) {
            if (Thread.currentThread() == caller.get()) {
              throw error; // the final sample, taken by the coordinator as the run ends
            }
          }
        };
    PipelineSpec spec = fx.spec().threads(1, 1, 1).listener(lastCallFails).build();
    FakeFormat f = new FakeFormat(1);
    DefaultPipeline p = new DefaultPipeline(spec, f, f, EngineHooks.NONE);

    caller.set(Thread.currentThread());
    Throwable t;
    try (p) {
      t = catchThrowable(p::run);
    }

    assertThat(t).as("thrown").isInstanceOf(PipelineException.class);
    assertThat(t.getCause()).isSameAs(error);
    assertThat(((PipelineException) t).result()).isNotNull();
    fx.assertNoTempFiles();
    // NoLeakedThreads: the sync threads were stopped although the monitor's stop threw.
  }
}
