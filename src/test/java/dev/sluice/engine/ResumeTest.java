package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorType;
import dev.sluice.api.LockHeldException;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Steps;
import dev.sluice.api.spi.RecordException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A rerun of the same job finishes it without redoing or duplicating finished work. */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResumeTest {
  @TempDir Path tmp;
  EngineFixture fx;
  Path state;

  @BeforeEach
  void tree() {
    fx = new EngineFixture(tmp).files(4, 30);
    state = tmp.resolve("state");
  }

  private PipelineSpec.Builder spec() {
    return fx.spec().stateDir(state);
  }

  private static RunResult run(PipelineSpec spec, FakeFormat f) {
    return EngineFixture.run(spec, f);
  }

  /**
   * Hooks that hold the run's writer at file 0's first chunk: inside, until released (30 s at
   * most).
   */
  private static EngineHooks holdAtFirstWrite(CountDownLatch inside, CountDownLatch release) {
    return (point, fileId, seq) -> {
      if (point == EngineHooks.Point.WRITER_TAKE && fileId == 0 && seq == 0) {
        inside.countDown();
        release.await(30, TimeUnit.SECONDS);
      }
    };
  }

  @Test
  void aRerunShouldSkipWhatTheLastRunFinished() throws IOException {
    RunResult first = run(spec().build(), new FakeFormat(1));
    long before = Files.getLastModifiedTime(fx.out.resolve("d0/file-000.txt")).toMillis();

    RunResult second = run(spec().build(), new FakeFormat(1));

    assertThat(first.files()).isEqualTo(4);
    assertThat(second.files()).isZero();
    assertThat(second.filesSkipped()).isEqualTo(4);
    assertThat(second.recordsRead()).isZero();
    assertThat(Files.getLastModifiedTime(fx.out.resolve("d0/file-000.txt")).toMillis())
        .isEqualTo(before);
    fx.assertOutputsMatchInputs();
  }

  @Test
  void changedAndNewFilesShouldBeProcessedAndTheirOwnOutputsReplaced() throws IOException {
    run(spec().build(), new FakeFormat(1));
    fx.file("d1/file-001.txt", List.of("changed-1", "changed-2"));
    fx.file("d2/new.txt", List.of("new"));

    RunResult r = run(spec().build(), new FakeFormat(1));

    assertThat(r.files()).isEqualTo(2);
    assertThat(r.filesSkipped()).isEqualTo(3);
    fx.assertOutputsMatchInputs();
  }

  @Test
  void identityHashShouldSkipATouchedButUnchangedFile() throws IOException {
    run(spec().identity(PipelineSpec.Identity.HASH).build(), new FakeFormat(1));
    Path f = fx.in.resolve("d0/file-000.txt");
    Files.setLastModifiedTime(
        f, FileTime.fromMillis(Files.getLastModifiedTime(f).toMillis() - 3_600_000));

    RunResult byHash = run(spec().identity(PipelineSpec.Identity.HASH).build(), new FakeFormat(1));

    assertThat(byHash.filesSkipped()).isEqualTo(4);
  }

  @Test
  void aFileWhoseOutputWasDeletedShouldBeProcessedAgain() throws IOException {
    run(spec().build(), new FakeFormat(1));
    Files.delete(fx.out.resolve("d2/file-002.txt"));

    RunResult r = run(spec().build(), new FakeFormat(1));

    assertThat(r.files()).isEqualTo(1);
    fx.assertOutputsMatchInputs();
  }

  @Test
  void aFailedFileShouldBeRetriedByTheNextRun() throws IOException {
    FakeFormat broken = new FakeFormat(1);
    broken.onRecord =
        (split, r) -> {
          if (split.file().id() == 1 && r == 3) {
            throw new RecordException(
                ErrorType.MALFORMED_CSV, "broken", 4, -1, -1, -1, false, null);
          }
        };
    RunResult first = run(spec().onError(ErrorPolicy.SKIP).build(), broken);
    assertThat(first.filesFailed()).isEqualTo(1);

    RunResult second = run(spec().onError(ErrorPolicy.SKIP).build(), new FakeFormat(1));

    assertThat(second.files()).isEqualTo(1);
    assertThat(second.filesSkipped()).isEqualTo(3);
    fx.assertOutputsMatchInputs();
  }

  @Test
  void aChangedJobShouldBeRefusedUnlessFull() throws IOException {
    run(spec().build(), new FakeFormat(1));

    assertThatThrownBy(() -> run(spec().step(Steps.filter("v ~ r1")).build(), new FakeFormat(1)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("job definition changed")
        .hasMessageContaining("--full");

    RunResult full = run(spec().step(Steps.filter("v ~ r1")).full(true).build(), new FakeFormat(1));
    assertThat(full.files()).as("its own outputs are replaced without --overwrite").isEqualTo(4);
    assertThat(Files.readAllLines(fx.out.resolve("d0/file-000.txt")))
        .allMatch(l -> l.equals("v") || l.contains("r1"));
    RunResult again = run(spec().step(Steps.filter("v ~ r1")).build(), new FakeFormat(1));
    assertThat(again.filesSkipped()).isEqualTo(4);
  }

  @Test
  void aForeignFileAtAnOutputPathShouldNeverBeReplacedSilently() throws IOException {
    Path foreign = fx.out.resolve("d1/file-001.txt");
    Files.createDirectories(foreign.getParent());
    Files.writeString(foreign, "not ours");

    assertThatThrownBy(() -> run(spec().build(), new FakeFormat(1)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("output file exists");
    assertThat(Files.readString(foreign)).isEqualTo("not ours");
  }

  @Test
  void orphanedTempFilesShouldBeRemovedAtTheNextStart() throws IOException {
    Path orphan = fx.out.resolve("d0/.file-000.txt.deadbeef" + Listing.TEMP_SUFFIX);
    Files.createDirectories(orphan.getParent());
    Files.writeString(orphan, "half");

    run(spec().build(), new FakeFormat(1));

    assertThat(orphan).doesNotExist();
    fx.assertNoTempFiles();
  }

  @Test
  void aTornLastManifestLineShouldBeIgnored() throws IOException {
    run(spec().build(), new FakeFormat(1));
    Path manifest = state.resolve(StateStore.MANIFEST);
    Files.writeString(
        manifest,
        "{\"type\":\"file\",\"file\":\"d0/fi",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);

    RunResult r = run(spec().build(), new FakeFormat(1));

    assertThat(r.filesSkipped()).isEqualTo(4);
    assertThat(Files.readString(manifest)).endsWith("\n");
  }

  @Test
  void theManifestShouldBeCompactedWhenItGrows() throws IOException {
    for (int i = 0; i < 40; i++) {
      fx.file("d0/file-000.txt", List.of("version " + i));
      run(spec().build(), new FakeFormat(1));
    }
    long lines = Files.readAllLines(state.resolve(StateStore.MANIFEST)).size();
    assertThat(lines).isLessThan(2 * 4 + 100 + 5);
  }

  @Test
  void aSecondRunShouldFailAtOnceWhileTheFirstHoldsTheLockOrWaitWhenAsked() throws Exception {
    CountDownLatch firstInside = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    EngineHooks holdFirst = holdAtFirstWrite(firstInside, releaseFirst);
    FakeFormat f = new FakeFormat(1);
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    Thread first =
        new Thread(
            () -> {
              try (DefaultPipeline p = new DefaultPipeline(spec().build(), f, f, holdFirst)) {
                p.run();
              } catch (Throwable t) {
                firstFailure.set(t);
              }
            },
            "test-first");
    first.start();
    assertThat(firstInside.await(20, TimeUnit.SECONDS)).isTrue();

    LockHeldException held =
        catchThrowableOfType(LockHeldException.class, () -> run(spec().build(), new FakeFormat(1)));
    assertThat(held.getMessage()).contains("another run holds the lock").contains("--wait-lock");
    LockHeldException stillHeld =
        catchThrowableOfType(
            LockHeldException.class,
            () -> run(spec().waitLock(Duration.ofMillis(150)).build(), new FakeFormat(1)));
    assertThat(stillHeld).isNotNull();

    AtomicReference<RunResult> waited = new AtomicReference<>();
    Thread second =
        new Thread(
            () ->
                waited.set(run(spec().waitLock(Duration.ofSeconds(30)).build(), new FakeFormat(1))),
            "test-second");
    second.start();
    releaseFirst.countDown();
    first.join(30_000);
    second.join(30_000);

    assertThat(firstFailure.get()).isNull();
    assertThat(waited.get().filesSkipped()).as("the waiting run found the work done").isEqualTo(4);
  }

  @Test
  void aRunWithoutStateShouldRemoveTheTempFilesAKilledRunLeftInItsOutputAndRejectDirectories()
      throws IOException {
    // What a SIGKILL leaves: temp files named for a run that no longer exists.
    Path out = fx.out;
    Path rejects = out.resolve("_rejects");
    Files.createDirectories(out.resolve("d0"));
    Files.createDirectories(rejects.resolve("d0"));
    Path tempOut =
        Files.writeString(out.resolve("d0/.file-000.txt.0badc0de" + Listing.TEMP_SUFFIX), "half");
    Path tempRejects =
        Files.writeString(
            rejects.resolve("d0/.file-000.txt.rejects.csv.0badc0de" + Listing.TEMP_SUFFIX), "half");

    RunResult r = run(fx.spec().build(), new FakeFormat(1));

    assertThat(r.files()).isEqualTo(4);
    assertThat(tempOut).doesNotExist();
    assertThat(tempRejects).doesNotExist();
    fx.assertOutputsMatchInputs();
  }

  @Test
  void aRunWithoutStateShouldLeaveTheTempFilesOfALiveRunAlone() throws Exception {
    CountDownLatch firstInside = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    EngineHooks holdFirst =
        (point, fileId, seq) -> {
          if (point == EngineHooks.Point.WRITER_COMMIT && fileId == 0) {
            firstInside.countDown(); // file 0's temp file is complete, forced and still open
            releaseFirst.await(30, TimeUnit.SECONDS);
          }
        };
    FakeFormat f = new FakeFormat(1);
    AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    Thread first =
        new Thread(
            () -> {
              try (DefaultPipeline p =
                  new DefaultPipeline(fx.spec().writers(1).build(), f, f, holdFirst)) {
                p.run();
              } catch (Throwable t) {
                firstFailure.set(t);
              }
            },
            "test-first");
    first.start();
    try {
      assertThat(firstInside.await(20, TimeUnit.SECONDS)).isTrue();
      List<Path> live;
      try (var s = Files.walk(fx.out)) {
        live = s.filter(Listing::isTemp).collect(java.util.stream.Collectors.toList());
      }
      assertThat(live).as("the held run's temp files").isNotEmpty();
      // Another run without state into the same output directory, of other inputs.
      EngineFixture other =
          new EngineFixture(tmp.resolve("other")).file("x/other.txt", List.of("a", "b"));

      RunResult r = run(other.spec().output(fx.out).overwrite(true).build(), new FakeFormat(1));

      assertThat(r.files()).isEqualTo(1);
      assertThat(live).as("a live run's temp files are not abandoned").allMatch(Files::exists);
    } finally {
      releaseFirst.countDown();
      first.join(30_000);
    }
    assertThat(firstFailure.get()).isNull();
  }

  @Test
  void anAbortShouldEndAWaitForTheLockPromptly() throws Exception {
    CountDownLatch firstInside = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    EngineHooks holdFirst = holdAtFirstWrite(firstInside, releaseFirst);
    FakeFormat f = new FakeFormat(1);
    Thread first =
        new Thread(
            () -> {
              try (DefaultPipeline p = new DefaultPipeline(spec().build(), f, f, holdFirst)) {
                p.run();
              }
            },
            "test-first");
    first.start();
    AtomicReference<Throwable> secondFailure = new AtomicReference<>();
    DefaultPipeline waiting =
        new DefaultPipeline(
            spec().waitLock(Duration.ofMinutes(10)).build(), f, f, EngineHooks.NONE);
    Thread second =
        new Thread(
            () -> {
              try {
                waiting.run();
              } catch (Throwable t) {
                secondFailure.set(t);
              }
            },
            "test-second");
    try {
      assertThat(firstInside.await(20, TimeUnit.SECONDS)).isTrue();
      second.start();
      // The second run sleeps between looks at the lock (TIMED_WAITING) once it waits for it.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (second.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(second.getState())
          .as("the second run waits for the lock")
          .isEqualTo(Thread.State.TIMED_WAITING);

      waiting.abort();
      second.join(10_000);

      assertThat(second.isAlive()).as("the wait for the lock ended after abort()").isFalse();
      assertThat(secondFailure.get())
          .isInstanceOf(LockHeldException.class)
          .hasMessageContaining("stopped while waiting");
    } finally {
      releaseFirst.countDown();
      first.join(30_000);
      second.join(30_000);
    }
  }

  @Test
  void aRunLongerThanItsTimeoutShouldFailWithATimeout() throws IOException {
    CountDownLatch never = new CountDownLatch(1);
    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () ->
                run(
                    fx.spec()
                        .timeout(Duration.ofMillis(300))
                        .step(
                            (row, out) -> {
                              never.await();
                              out.emit(row);
                            })
                        .build(),
                    new FakeFormat(1)));

    assertThat(e.getMessage()).contains("timed out after 0.3s");
    fx.assertNoTempFiles();
  }
}
