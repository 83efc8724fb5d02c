package dev.sluice.beam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.FileTrees;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Step;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BeamEngine#run()} returns or throws only when no worker of the run is still running in
 * this JVM: the Direct runner throws as soon as one file fails while other files go on, and its
 * cancel leaves running user code alone. A worker left running went on writing into the output
 * directory after the run (and the test) had returned, which once made JUnit fail to delete its
 * temp directory.
 */
@Timeout(180)
class BeamEngineStopTest {
  @TempDir Path tmp;

  /**
   * The first thread to run the step holds its file until let go; static, so the step captures
   * nothing.
   */
  private static final AtomicReference<Thread> holder = new AtomicReference<>();

  private static volatile CountDownLatch holding = new CountDownLatch(1);
  private static volatile CountDownLatch letGo = new CountDownLatch(1);

  @BeforeEach
  void reset() {
    holder.set(null);
    holding = new CountDownLatch(1);
    letGo = new CountDownLatch(1);
  }

  @AfterEach
  void release() {
    letGo.countDown();
  }

  /**
   * Holds one file (its first row waits for the test) and fails the other once the first is held:
   * the run fails while a worker is still inside the held file.
   */
  private static final Step HOLD_ONE_FAIL_THE_OTHER =
      (row, out) -> {
        Thread me = Thread.currentThread();
        if (holder.compareAndSet(null, me)) {
          holding.countDown();
          // Interrupted when the run stops its workers; without that, the file goes on once let go.
          letGo.await(60, TimeUnit.SECONDS);
        } else if (holder.get() != me) {
          holding.await(60, TimeUnit.SECONDS);
          throw new IllegalStateException("the other file fails");
        }
        out.emit(row);
      };

  @Test
  void shouldNotReturnFromAFailedRunWhileAnotherFileIsStillBeingProcessed() {
    Path in = BeamEngineTest.generate(tmp.resolve("in"), 2, 200);
    Path out = tmp.resolve("out");
    PipelineSpec spec =
        PipelineSpec.builder().input(in).output(out).step(HOLD_ONE_FAIL_THE_OTHER).build();

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class, () -> BeamEngine.run(spec, BeamEngineTest.DIRECT));
    List<Thread> aliveAtReturn = runThreads();
    Map<String, byte[]> atReturn = FileTrees.under(out).orEmptyIfMissing().bytes();
    letGo.countDown(); // a worker still running now writes its file
    joinAll(aliveAtReturn);

    assertThat(e).isNotNull().hasMessageContaining("the other file fails");
    assertThat(names(aliveAtReturn))
        .as("threads of the run alive when it threw")
        .noneMatch(n -> n.startsWith("sluice-"));
    assertThat(FileTrees.under(out).orEmptyIfMissing().bytes().keySet())
        .as("output written after the run threw")
        .isEqualTo(atReturn.keySet());
  }

  @Test
  void shouldStopTheWorkersOfATimedOutRunBeforeThrowing() {
    Path in = BeamEngineTest.generate(tmp.resolve("in"), 1, 10);
    Path out = tmp.resolve("out");
    PipelineSpec spec =
        PipelineSpec.builder()
            .input(in)
            .output(out)
            .step(HOLD_ONE_FAIL_THE_OTHER)
            .timeout(Duration.ofSeconds(1))
            .build();

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () -> BeamEngine.run(spec, "--runner=DirectRunner", "--blockOnRun=false"));
    List<Thread> aliveAtReturn = runThreads();
    Map<String, byte[]> atReturn = FileTrees.under(out).orEmptyIfMissing().bytes();
    letGo.countDown();
    joinAll(aliveAtReturn);

    assertThat(e)
        .isNotNull()
        .hasMessage("run timed out after PT1S; the Beam pipeline was cancelled");
    assertThat(names(aliveAtReturn))
        .as("threads of the run alive when it threw")
        .noneMatch(n -> n.startsWith("sluice-"));
    assertThat(FileTrees.under(out).orEmptyIfMissing().bytes().keySet())
        .as("output written after the run threw")
        .isEqualTo(atReturn.keySet());
  }

  @Test
  void shouldRefuseAnElementOfARunThatHasEnded() throws InterruptedException {
    InProcessWorkers.Run run = InProcessWorkers.open("ended-run");
    assertThat(run.close(false, Duration.ZERO)).isEmpty();
    ProcessFileFn fn =
        new ProcessFileFn(
            PipelineSpec.builder().input(tmp).output(tmp.resolve("out")).build(), "ended-run");

    assertThatThrownBy(() -> fn.processElement(KV.of("a.csv", Locations.uri(tmp.resolve("a.csv")))))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("has already ended");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void shouldInterruptARunningWorkerAndWaitForItWhenClosingWithInterrupt()
      throws InterruptedException {
    InProcessWorkers.Run run = InProcessWorkers.open("closing-run");
    CountDownLatch inside = new CountDownLatch(1);
    AtomicReference<Throwable> seen = new AtomicReference<>();
    AtomicReference<Boolean> flagAfterExit = new AtomicReference<>();
    Thread worker =
        new Thread(
            () -> {
              InProcessWorkers.Run r = InProcessWorkers.enter("closing-run", "a.csv");
              try {
                inside.countDown();
                new CountDownLatch(1).await(60, TimeUnit.SECONDS);
              } catch (InterruptedException ex) {
                seen.set(ex);
              } finally {
                r.exit();
              }
              flagAfterExit.set(Thread.currentThread().isInterrupted());
            },
            "test-worker");
    worker.start();
    assertThat(inside.await(60, TimeUnit.SECONDS)).isTrue();

    List<String> left = run.close(true, Duration.ofSeconds(60));
    worker.join(TimeUnit.SECONDS.toMillis(60));

    assertThat(left).isEmpty();
    assertThat(seen.get()).isInstanceOf(InterruptedException.class);
    assertThat(flagAfterExit.get()).as("interrupt flag left on the runner's thread").isFalse();
    assertThatThrownBy(() -> InProcessWorkers.enter("closing-run", "b.csv"))
        .isInstanceOf(PipelineException.class);
  }

  // ---- helpers

  /** Threads a Beam run on the Direct runner starts: the runner's workers and Sluice's own. */
  private static List<Thread> runThreads() {
    return Stream.concat(
            BeamEngineTest.engineThreads(),
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("direct-runner-worker")))
        .collect(Collectors.toList());
  }

  private static List<String> names(List<Thread> threads) {
    return threads.stream().map(Thread::getName).sorted().collect(Collectors.toList());
  }

  /** Waits for leftover threads (the runner shuts its pool down after a failure or cancel). */
  private static void joinAll(List<Thread> threads) {
    for (Thread t : threads) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(60));
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while joining " + t.getName(), ex);
      }
    }
  }
}
