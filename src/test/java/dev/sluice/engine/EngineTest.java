package dev.sluice.engine;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.api.Columns;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Row;
import dev.sluice.api.RunResult;
import dev.sluice.api.Stage;
import dev.sluice.api.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineTest {
  @TempDir Path tmp;

  static Stream<Arguments> threadCounts() {
    List<Arguments> out = new ArrayList<>();
    int[] counts = {1, 2, 3, 16};
    for (int r : counts) {
      for (int t : counts) {
        for (int w : counts) {
          if (r == t || t == w || r == 1 || w == 16) {
            out.add(Arguments.of(r, t, w));
          }
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "readers={0} transformers={1} writers={2}")
  @MethodSource("threadCounts")
  void shouldKeepInputOrderInEveryOutputForEveryThreadCountWithQueueCapacityOne(
      int readers, int transformers, int writers) throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(7, 300);
    PipelineSpec spec =
        fx.spec().threads(readers, transformers, writers).queueCapacity(1).batchSize(7).build();

    RunResult r = EngineFixture.run(spec, new FakeFormat(1));

    fx.assertOutputsMatchInputs();
    assertThat(r.files()).isEqualTo(7);
    assertThat(r.recordsRead()).isEqualTo(7 * 300);
    assertThat(r.recordsPassed() + r.recordsFiltered()).isEqualTo(r.recordsRead());
    assertThat(r.recordsWritten()).isEqualTo(7 * 300);
    fx.assertNoTempFiles();
  }

  @Test
  void shouldReassembleSplitsFinishingOutOfOrderWithABudgetOfOneBatch() throws Exception {
    int splits = 4;
    EngineFixture fx = new EngineFixture(tmp).files(3, 400);
    FakeFormat format = new FakeFormat(splits);
    // Split 0 of each file may open only after every later split of that file has read a record:
    // the later splits are then ahead, hold the only batch their budget allows, and must wait for
    // split 0 in the writer's reorder buffer.
    ConcurrentHashMap<Integer, CountDownLatch> laterStarted = new ConcurrentHashMap<>();
    format.onOpen =
        (split, r) -> {
          if (split.index() == 0) {
            CountDownLatch l =
                laterStarted.computeIfAbsent(
                    split.file().id(), k -> new CountDownLatch(splits - 1));
            assertThat(l.await(20, SECONDS))
                .as("later splits of file %s started", split.file().id())
                .isTrue();
          }
        };
    ConcurrentHashMap<String, Boolean> firstRecordSeen = new ConcurrentHashMap<>();
    format.onRecord =
        (split, r) -> {
          if (split.index() > 0
              && firstRecordSeen.putIfAbsent(split.file().id() + "/" + split.index(), true)
                  == null) {
            laterStarted
                .computeIfAbsent(split.file().id(), k -> new CountDownLatch(splits - 1))
                .countDown();
          }
        };
    PipelineSpec spec =
        fx.spec().threads(splits, 3, 2).queueCapacity(1).batchSize(5).maxInFlight(1).build();

    try (DefaultPipeline p = new DefaultPipeline(spec, format, format, EngineHooks.NONE)) {
      RunResult r = p.run();
      assertThat(r.recordsRead()).isEqualTo(3 * 400);
      assertThat(p.context().pools)
          .allSatisfy(pool -> assertThat(pool.available()).isEqualTo(pool.capacity()));
    }
    fx.assertOutputsMatchInputs();
    fx.assertNoTempFiles();
  }

  @Test
  void shouldHandleMoreSplitsThanReadersWithTheSmallestBudget() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(4, 1000);
    PipelineSpec spec =
        fx.spec().threads(2, 2, 1).queueCapacity(1).batchSize(3).maxInFlight(1).build();

    EngineFixture.run(spec, new FakeFormat(5));

    fx.assertOutputsMatchInputs();
  }

  @Test
  void shouldWriteEmptyOutputForEmptyFileAndHeaderOnlyForFilteredFile() throws IOException {
    EngineFixture fx = new EngineFixture(tmp);
    fx.file("empty.txt", List.of());
    fx.file("some.txt", List.of("a", "b"));
    Step dropAll = (row, out) -> {};
    PipelineSpec spec = fx.spec().step(dropAll).threads(2, 2, 2).build();

    RunResult r = EngineFixture.run(spec, new FakeFormat(1));

    assertThat(Files.size(fx.out.resolve("empty.txt"))).isZero();
    assertThat(Files.readAllLines(fx.out.resolve("some.txt"))).containsExactly("v");
    assertThat(r.files()).isEqualTo(2);
    assertThat(r.recordsRead()).isEqualTo(2);
    assertThat(r.recordsFiltered()).isEqualTo(2);
    assertThat(r.recordsWritten()).isZero();
  }

  @Test
  void shouldSucceedWithZeroFiles() throws IOException {
    EngineFixture fx = new EngineFixture(tmp);
    Files.createDirectories(fx.in);

    RunResult r = EngineFixture.run(fx.spec().build(), new FakeFormat(1));

    assertThat(r.files()).isZero();
    assertThat(r.recordsRead()).isZero();
  }

  @Test
  void shouldEmitSeveralRecordsPerInputAndCountThemAsWritten() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(2, 50);
    Step twice =
        (row, out) -> {
          out.emit(row);
          out.emit(row);
        };

    RunResult r = EngineFixture.run(fx.spec().step(twice).batchSize(4).build(), new FakeFormat(2));

    assertThat(r.recordsRead()).isEqualTo(100);
    assertThat(r.recordsPassed()).isEqualTo(100);
    assertThat(r.recordsWritten()).isEqualTo(200);
    List<String> lines = Files.readAllLines(fx.out.resolve("d0/file-000.txt"));
    assertThat(lines).hasSize(101);
    assertThat(lines.subList(1, 5)).containsExactly("f0-r0", "f0-r0", "f0-r1", "f0-r1");
  }

  @Test
  void shouldApplyStepsThatChangeColumns() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(1, 3);
    Columns two = Columns.of("v", "len");
    Step addLength =
        new Step() {
          @Override
          public void apply(Row row, dev.sluice.api.Emitter out) {
            out.emit(Row.of(two, row.get(0), String.valueOf(row.get(0).length())));
          }

          @Override
          public Columns outputColumns(Columns input) {
            return two;
          }
        };

    EngineFixture.run(fx.spec().step(addLength).build(), new FakeFormat(1));

    assertThat(Files.readAllLines(fx.out.resolve("d0/file-000.txt")))
        .containsExactly("v,len", "f0-r0,5", "f0-r1,5", "f0-r2,5");
  }

  @Test
  void shouldRefuseToReplaceAnExistingOutputWithoutOverwrite() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(1, 3);
    Path existing = fx.out.resolve("d0/file-000.txt");
    Files.createDirectories(existing.getParent());
    Files.writeString(existing, "keep me");

    assertThatThrownBy(() -> EngineFixture.run(fx.spec().build(), new FakeFormat(1)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("output file exists")
        .hasMessageContaining("--overwrite");
    assertThat(Files.readString(existing)).isEqualTo("keep me");

    EngineFixture.run(fx.spec().overwrite(true).build(), new FakeFormat(1));
    fx.assertOutputsMatchInputs();
  }

  @Test
  void shouldFailTheFileNamingItAndTheColumnWhenAStepNeedsAMissingColumn() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(2, 3);
    Step needsAmount =
        new Step() {
          @Override
          public void apply(Row row, dev.sluice.api.Emitter out) {
            out.emit(row);
          }

          @Override
          public Columns outputColumns(Columns input) {
            input.require("amount");
            return input;
          }
        };

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () -> EngineFixture.run(fx.spec().step(needsAmount).build(), new FakeFormat(1)));

    assertThat(e.stage()).isEqualTo(Stage.TRANSFORMER);
    assertThat(e.file()).startsWith("d");
    assertThat(e.getMessage()).contains("missing column 'amount'").contains(e.file());
    fx.assertNoTempFiles();
  }

  @Test
  void shouldThrowIllegalStateWhenRunTwice() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(1, 2);
    FakeFormat f = new FakeFormat(1);
    try (DefaultPipeline p = new DefaultPipeline(fx.spec().build(), f, f, EngineHooks.NONE)) {
      p.run();
      assertThatThrownBy(p::run)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("runs once");
    }
  }

  @Test
  void shouldStopPromptlyWhenAStepSwallowsInterruptsAndAnotherStageFails() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(3, 400);
    FakeFormat format = new FakeFormat(1);
    format.onRecord =
        (split, r) -> {
          if (split.file().id() == 2 && r == 300) {
            throw new IOException("disk on fire");
          }
        };
    Step stubborn =
        (row, out) -> {
          try {
            Thread.sleep(0, 1000); // stands for work that checks and clears the interrupt flag
          } catch (InterruptedException swallowed) {
            // deliberately swallowed: the engine must still stop through its flag
          }
          out.emit(row);
        };

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () ->
                EngineFixture.run(
                    fx.spec().step(stubborn).threads(2, 2, 1).batchSize(10).build(), format));

    assertThat(e.stage()).isEqualTo(Stage.READER);
    assertThat(e.getCause()).hasMessage("disk on fire");
    fx.assertNoTempFiles();
  }

  @Test
  void shouldTurnTheCallersInterruptIntoAPipelineExceptionAndKeepTheFlag() throws Exception {
    EngineFixture fx = new EngineFixture(tmp).files(2, 100);
    CountDownLatch stepEntered = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    Step blocks =
        (row, out) -> {
          stepEntered.countDown();
          never.await(); // interruptible: ends when the engine cancels
          out.emit(row);
        };
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                EngineFixture.run(fx.spec().step(blocks).build(), new FakeFormat(1));
              } catch (Throwable t) {
                thrown.set(t);
              }
              flag.set(Thread.currentThread().isInterrupted());
            },
            "test-caller");
    caller.start();
    assertThat(stepEntered.await(20, SECONDS)).as("step entered").isTrue();
    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(caller.isAlive()).isFalse();
    assertThat(thrown.get())
        .isInstanceOf(PipelineException.class)
        .hasCauseInstanceOf(InterruptedException.class);
    assertThat(((PipelineException) thrown.get()).stage()).isEqualTo(Stage.COORDINATOR);
    assertThat(flag.get()).as("interrupt flag restored").isTrue();
    fx.assertNoTempFiles();
  }

  @Test
  void shouldAbortFromAnotherThread() throws Exception {
    EngineFixture fx = new EngineFixture(tmp).files(2, 100);
    CountDownLatch stepEntered = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    Step blocks =
        (row, out) -> {
          stepEntered.countDown();
          never.await();
        };
    FakeFormat f = new FakeFormat(1);
    DefaultPipeline p = new DefaultPipeline(fx.spec().step(blocks).build(), f, f, EngineHooks.NONE);
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
    assertThat(stepEntered.await(20, SECONDS)).isTrue();
    p.abort();
    caller.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(thrown.get()).isInstanceOf(PipelineException.class).hasMessageContaining("aborted");
    assertThat(p.context().pools)
        .allSatisfy(pool -> assertThat(pool.available()).isEqualTo(pool.capacity()));
    p.close();
    p.abort(); // idempotent after the end
    fx.assertNoTempFiles();
  }
}
