package dev.sluice.engine;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.RunResult;
import dev.sluice.api.Step;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stress matrix's watchdog: reports on a run that does not end, and lets it go on otherwise.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WatchdogTest {
  private static final long SEED = 4242L;

  @Test
  void shouldReturnTheValueOrTheFailureOfARunThatEndsInTime() throws Exception {
    Watchdog w = new Watchdog(SEED, Duration.ofSeconds(20), Duration.ofSeconds(5));
    IllegalStateException boom = new IllegalStateException("boom");

    Watchdog.Outcome<String> ok = w.run(1, "quick", () -> "done", () -> {});
    Watchdog.Outcome<String> failed =
        w.run(
            2,
            "throws",
            () -> {
              throw boom;
            },
            () -> {});

    assertThat(ok.timedOut()).isFalse();
    assertThat(ok.value).isEqualTo("done");
    assertThat(failed.timedOut()).isFalse();
    assertThat(failed.failure).isSameAs(boom);
  }

  @Test
  void shouldReportSeedCombinationAndTheBlockedThreadWhenARunOutlivesItsBound() throws Exception {
    Watchdog w = new Watchdog(SEED, Duration.ofMillis(200), Duration.ofSeconds(20));
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch aborted = new CountDownLatch(1);

    Watchdog.Outcome<Boolean> o =
        w.run(
            7,
            "readers=3 the-combination-text",
            () -> release.await(20, SECONDS),
            () -> {
              aborted.countDown();
              release.countDown(); // the abort action is what lets the blocked run end
            });

    assertThat(o.timedOut()).isTrue();
    assertThat(aborted.getCount()).as("abort action called").isZero();
    String report = o.timeoutReport;
    assertThat(report)
        .contains("seed: " + SEED)
        .contains("run index: 7")
        .contains("readers=3 the-combination-text")
        .contains("-Dsluice.stress.seed=" + SEED + " -Dsluice.stress.only=7")
        .contains(Watchdog.DEADLOCK_HEADER)
        .contains("after the abort the run ended with: true");
    String threads = Watchdog.section(report, Watchdog.THREADS_HEADER);
    assertThat(threads).contains("\"stress-run-7\"").contains("CountDownLatch.await");
  }

  @Test
  void shouldDumpAStuckPipelinesThreadsThenAbortItSoThatNoThreadOutlivesIt(@TempDir Path tmp)
      throws Exception {
    EngineFixture fx = new EngineFixture(tmp).files(2, 50);
    CountDownLatch never = new CountDownLatch(1);
    Step stuck =
        (row, out) -> {
          never.await(30, SECONDS); // interruptible, so the abort ends it
          out.emit(row);
        };
    FakeFormat format = new FakeFormat(1);
    DefaultPipeline p =
        new DefaultPipeline(
            fx.spec().step(stuck).threads(1, 1, 1).build(), format, format, EngineHooks.NONE);
    Watchdog w = new Watchdog(SEED, Duration.ofMillis(300), Duration.ofSeconds(20));

    Watchdog.Outcome<RunResult> o = w.run(5, "stuck step", p::run, p::abort);

    assertThat(o.timedOut()).isTrue();
    assertThat(Watchdog.section(o.timeoutReport, Watchdog.THREADS_HEADER))
        .contains("\"sluice-transformer-1\"")
        .contains("WatchdogTest")
        .contains("\"stress-run-5\"");
    assertThat(o.timeoutReport)
        .contains("after the abort the run ended with: dev.sluice.api.PipelineException");
    assertThat(NoLeakedThreads.alive()).isEmpty();
    assertThat(p.context().pools)
        .allSatisfy(pool -> assertThat(pool.available()).isEqualTo(pool.capacity()));
    fx.assertNoTempFiles();
  }

  @Test
  void shouldShowATwoLockDeadlockInTheDeadlockSection() throws Exception {
    ReentrantLock a = new ReentrantLock();
    ReentrantLock b = new ReentrantLock();
    CountDownLatch bothHoldOne = new CountDownLatch(2);
    Thread t1 = new Thread(() -> cross(a, b, bothHoldOne), "deadlock-test-1");
    Thread t2 = new Thread(() -> cross(b, a, bothHoldOne), "deadlock-test-2");
    t1.setDaemon(true);
    t2.setDaemon(true);
    t1.start();
    t2.start();
    try {
      // The cycle is complete once each thread is parked on the lock the other holds.
      long deadline = System.nanoTime() + SECONDS.toNanos(20);
      while (!(parkedOn(t1, b) && parkedOn(t2, a)) && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(parkedOn(t1, b) && parkedOn(t2, a))
          .as("both threads parked on the other's lock")
          .isTrue();

      Watchdog w = new Watchdog(SEED, Duration.ofMillis(100), Duration.ofSeconds(20));
      CountDownLatch release = new CountDownLatch(1);
      Watchdog.Outcome<Boolean> o =
          w.run(3, "deadlock combo", () -> release.await(20, SECONDS), release::countDown);

      assertThat(o.timedOut()).isTrue();
      String deadlocks = Watchdog.section(o.timeoutReport, Watchdog.DEADLOCK_HEADER);
      assertThat(deadlocks)
          .contains("2 deadlocked thread(s)")
          .contains("\"deadlock-test-1\"")
          .contains("\"deadlock-test-2\"")
          .contains("owned by \"deadlock-test-2\"")
          .contains("ReentrantLock");
      assertThat(deadlocks).doesNotContain("stress-run-3");
    } finally {
      t1.interrupt(); // the timed tryLock throws, and each thread unlocks what it holds
      t2.interrupt();
      t1.join(SECONDS.toMillis(20));
      t2.join(SECONDS.toMillis(20));
    }
    assertThat(t1.isAlive() || t2.isAlive()).as("deadlocked test threads released").isFalse();
  }

  /**
   * Takes {@code first}, waits until the other thread holds its first, then tries {@code second}.
   */
  private static void cross(ReentrantLock first, ReentrantLock second, CountDownLatch bothHoldOne) {
    first.lock();
    try {
      bothHoldOne.countDown();
      if (bothHoldOne.await(20, SECONDS) && second.tryLock(20, SECONDS)) {
        second.unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the test's release: end the thread
    } finally {
      first.unlock();
    }
  }

  private static boolean parkedOn(Thread t, ReentrantLock lock) {
    Object blocker = LockSupport.getBlocker(t);
    return t.getState() == Thread.State.TIMED_WAITING && blocker != null && lock.hasQueuedThread(t);
  }
}
