package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Stage;
import dev.sluice.api.StageStats;
import dev.sluice.api.Step;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three bottleneck cases through the real engine with a fake clock: one stage is "slow" because
 * the test holds it on a gate and advances the clock while it is held, after every other pipeline
 * thread has parked (waiting for input, a full queue or the budget). Time therefore passes only
 * inside the slow stage, so the accounting and the verdict are exact, with no wall-clock timing.
 */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StageAccountingTest {
  private static final int RECORDS = 12;
  private static final long TICK = 10_000_000L; // 10 ms of fake time per held record or chunk

  @TempDir Path tmp;

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Ticker fake = now::get;
  private final Gate gate = new Gate();

  /** Where the slow stage waits for the driver; it counts as busy time of that stage. */
  static final class Gate {
    private final Semaphore permits = new Semaphore(0);
    private final AtomicLong arrivals = new AtomicLong();
    private volatile Thread waiter;

    void acquire() throws InterruptedException {
      waiter = Thread.currentThread();
      arrivals.incrementAndGet();
      permits.acquire();
    }

    /** Waits (bounded) until the {@code n}-th arrival is parked at the gate. */
    void awaitArrival(long n) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (System.nanoTime() < deadline) {
        Thread w = waiter;
        if (arrivals.get() >= n && w != null && w.getState() == Thread.State.WAITING) {
          return;
        }
        Thread.onSpinWait();
      }
      throw new AssertionError("arrival " + n + " did not come");
    }

    void release() {
      permits.release();
    }

    void releaseAll() {
      permits.release(1_000);
    }
  }

  /** Waits (bounded) until every pipeline thread but {@code slow} is parked or done. */
  private static void othersParked(String slowPrefix) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      boolean parked = true;
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        String n = t.getName();
        if (n.startsWith("sluice-")
            && !n.startsWith(slowPrefix)
            && !n.startsWith("sluice-monitor")
            && !waitingOnThePipeline(t)) {
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

  /**
   * Whether {@code t} is done or parked in one of the pipeline's waits (a queue or the budget). A
   * thread that is merely not RUNNABLE may be blocked on a class-initialisation or other lock in
   * the middle of its work, and a tick advanced then would be charged to its busy time, not its
   * wait.
   */
  private static boolean waitingOnThePipeline(Thread t) {
    Thread.State state = t.getState();
    if (state == Thread.State.TERMINATED || state == Thread.State.NEW) {
      return true;
    }
    if (state == Thread.State.RUNNABLE) {
      return false;
    }
    for (StackTraceElement e : t.getStackTrace()) {
      String c = e.getClassName();
      if (c.endsWith("BlockingQueue") || c.equals(PermitPool.class.getName())) {
        return true;
      }
    }
    return false;
  }

  /** Lets the held stage through {@code n} times, advancing the fake clock while it is held. */
  private Thread driver(String slowPrefix, int n, AtomicReference<Throwable> failure) {
    Thread t =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < n; i++) {
                  gate.awaitArrival(i + 1);
                  othersParked(slowPrefix);
                  now.addAndGet(TICK);
                  gate.release();
                }
              } catch (Throwable e) {
                failure.set(e);
                gate.releaseAll();
              }
            },
            "test-driver");
    t.start();
    return t;
  }

  private RunResult run(PipelineSpec spec, FakeFormat f, EngineHooks hooks, String slow, int n)
      throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread d = driver(slow, n, failure);
    try (DefaultPipeline p = new DefaultPipeline(spec, f, f, hooks, fake)) {
      RunResult r = p.run();
      d.join(30_000);
      assertThat(failure.get()).isNull();
      return r;
    }
  }

  private static Map<Stage, StageStats> byStage(RunResult r) {
    return r.stages().stream().collect(Collectors.toMap(StageStats::stage, Function.identity()));
  }

  private PipelineSpec.Builder spec() {
    return new EngineFixture(tmp)
        .files(1, RECORDS)
        .spec()
        .threads(1, 1, 1)
        .queueCapacity(1)
        .batchSize(1)
        .maxInFlight(1);
  }

  @Test
  void aSlowStepShouldMakeTheTransformersTheBottleneck() throws Exception {
    Step slow =
        (row, out) -> {
          gate.acquire();
          out.emit(row);
        };
    RunResult r =
        run(
            spec().step(slow).build(),
            new FakeFormat(1),
            EngineHooks.NONE,
            "sluice-transformer",
            RECORDS);

    Map<Stage, StageStats> s = byStage(r);
    assertThat(s.get(Stage.TRANSFORMER).busyNanos()).isEqualTo(RECORDS * TICK);
    assertThat(s.get(Stage.READER).waitOutputNanos()).isGreaterThanOrEqualTo((RECORDS - 2) * TICK);
    assertThat(s.get(Stage.WRITER).waitInputNanos()).isGreaterThanOrEqualTo((RECORDS - 1) * TICK);
    assertThat(r.verdict().bottleneck()).isEqualTo(Stage.TRANSFORMER);
    assertThat(r.verdict().evidence())
        .startsWith("transformers 100% busy; readers waited to hand on");
  }

  @Test
  void aSlowSourceShouldMakeTheReadersTheBottleneck() throws Exception {
    FakeFormat f = new FakeFormat(1);
    f.onRecord = (split, rec) -> gate.acquire();
    RunResult r = run(spec().build(), f, EngineHooks.NONE, "sluice-reader", RECORDS);

    Map<Stage, StageStats> s = byStage(r);
    assertThat(s.get(Stage.READER).busyNanos()).isEqualTo(RECORDS * TICK);
    assertThat(s.get(Stage.TRANSFORMER).waitInputNanos())
        .isGreaterThanOrEqualTo((RECORDS - 1) * TICK);
    assertThat(r.verdict().bottleneck()).isEqualTo(Stage.READER);
  }

  @Test
  void aSlowDiskShouldMakeTheWritersTheBottleneck() throws Exception {
    EngineHooks slowDisk =
        (point, fileId, seq) -> {
          if (point == EngineHooks.Point.WRITER_TAKE) {
            gate.acquire();
          }
        };
    // Batches: one per record plus the empty last one.
    // A budget larger than the queues: the transformer, not the reader's budget, feels the writer.
    RunResult r =
        run(
            spec().maxInFlight(64L << 20).build(),
            new FakeFormat(1),
            slowDisk,
            "sluice-writer",
            RECORDS + 1);

    Map<Stage, StageStats> s = byStage(r);
    assertThat(s.get(Stage.WRITER).busyNanos()).isEqualTo((RECORDS + 1) * TICK);
    assertThat(s.get(Stage.TRANSFORMER).waitOutputNanos()).isGreaterThan(RECORDS / 2 * TICK);
    assertThat(r.verdict().bottleneck()).isEqualTo(Stage.WRITER);
    assertThat(r.verdict().evidence())
        .startsWith("writers 100% busy; readers waited to hand on")
        .contains("transformers waited to hand on");
  }

  @Test
  void samplesShouldFollowTheRun() throws Exception {
    Step slow =
        (row, out) -> {
          gate.acquire();
          out.emit(row);
        };
    RunResult r =
        run(
            spec().step(slow).build(),
            new FakeFormat(1),
            EngineHooks.NONE,
            "sluice-transformer",
            RECORDS);

    assertThat(r.samples()).isNotEmpty();
    var last = r.samples().get(r.samples().size() - 1);
    assertThat(last.recordsRead()).isEqualTo(RECORDS);
    assertThat(last.filesDone()).isEqualTo(1);
    assertThat(last.filesTotal()).isEqualTo(1);
  }
}
