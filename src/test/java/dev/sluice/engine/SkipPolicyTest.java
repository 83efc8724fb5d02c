package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.api.Columns;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.ErrorType;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Reject;
import dev.sluice.api.Row;
import dev.sluice.api.RunResult;
import dev.sluice.api.Step;
import dev.sluice.api.spi.RecordException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SkipPolicyTest {
  @TempDir Path tmp;

  private static final String VICTIM = "d1/file-001.txt";

  private static void assertAddsUp(RunResult r) {
    assertThat(r.recordsRead())
        .as("read = passed + filtered + rejected + abandoned")
        .isEqualTo(
            r.recordsPassed() + r.recordsFiltered() + r.recordsRejected() + r.recordsAbandoned());
  }

  private static RecordException recoverable(long index) {
    return new RecordException(
        ErrorType.WRONG_FIELD_COUNT,
        "record has 3 fields, header has 1",
        index + 1,
        -1,
        -1,
        -1,
        true,
        null);
  }

  private List<String> lines(Path p) throws IOException {
    return Files.readAllLines(p);
  }

  private static RunResult run(PipelineSpec spec, FakeFormat f) {
    try (DefaultPipeline p = new DefaultPipeline(spec, f, f, EngineHooks.NONE)) {
      RunResult r = p.run();
      assertThat(p.context().pools)
          .allSatisfy(pool -> assertThat(pool.available()).isEqualTo(pool.capacity()));
      return r;
    }
  }

  @ParameterizedTest(name = "splits {0}")
  @ValueSource(ints = {1, 3})
  void recoverableRecordErrorsShouldBeSkippedAndWrittenToTheFilesRejectFile(int splits)
      throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(3, 60);
    FakeFormat f = new FakeFormat(splits);
    f.relativeLines = true; // as a reader of a byte range reports them; the writer resolves them
    f.onRecord =
        (split, r) -> {
          if (split.file().id() == 1 && (r == 5 || r == 47)) {
            throw recoverable(r - split.start());
          }
        };
    ConcurrentLinkedQueue<Reject> heard = new ConcurrentLinkedQueue<>();
    PipelineSpec spec =
        fx.spec()
            .onError(ErrorPolicy.SKIP)
            .rejectListener(heard::add)
            .batchSize(4)
            .threads(3, 2, 2)
            .build();

    RunResult r = run(spec, f);

    List<String> want = new ArrayList<>(fx.expected.get(VICTIM));
    want.remove("f1-r47");
    want.remove("f1-r5");
    want.add(0, "v");
    assertThat(lines(fx.out.resolve(VICTIM))).isEqualTo(want);
    Path rejects = fx.out.resolve("_rejects/" + VICTIM + ".rejects.csv");
    assertThat(lines(rejects))
        .containsExactly(
            "file,line,byte_offset,column,type,message,raw",
            VICTIM + ",6,,,WRONG_FIELD_COUNT,\"record has 3 fields, header has 1\",",
            VICTIM + ",48,,,WRONG_FIELD_COUNT,\"record has 3 fields, header has 1\",");
    assertThat(r.recordsRejected()).isEqualTo(2);
    assertThat(r.recordsRead()).isEqualTo(180);
    assertThat(r.rejectsByType()).containsEntry(ErrorType.WRONG_FIELD_COUNT, 2L);
    assertThat(r.rejectFiles()).containsExactly(rejects.toAbsolutePath().normalize());
    assertThat(heard).extracting(Reject::line).containsExactlyInAnyOrder(6L, 48L);
    assertAddsUp(r);
    fx.assertNoTempFiles();
  }

  @ParameterizedTest(name = "splits {0}")
  @ValueSource(ints = {1, 3})
  void aFileThatCannotBeReadToItsEndShouldBeDroppedWholeWithOneFileFailedRow(int splits)
      throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(3, 60);
    FakeFormat f = new FakeFormat(splits);
    f.onRecord =
        (split, r) -> {
          if (split.file().id() == 1 && r == 33) {
            throw new RecordException(
                ErrorType.MALFORMED_CSV, "unterminated quote", 34, -1, -1, -1, false, null);
          }
        };
    PipelineSpec spec = fx.spec().onError(ErrorPolicy.SKIP).batchSize(4).threads(3, 2, 2).build();

    RunResult r = run(spec, f);

    assertThat(fx.out.resolve(VICTIM)).doesNotExist();
    assertThat(lines(fx.out.resolve("_rejects/" + VICTIM + ".rejects.csv")))
        .hasSize(2)
        .element(1)
        .asString()
        .startsWith(VICTIM + ",34,,,FILE_FAILED,")
        .contains("unterminated quote");
    assertThat(lines(fx.out.resolve("d0/file-000.txt"))).hasSize(61);
    assertThat(r.files()).isEqualTo(2);
    assertThat(r.filesFailed()).isEqualTo(1);
    assertThat(r.recordsRejected()).as("every record read from the failed file").isBetween(1L, 60L);
    assertAddsUp(r);
    fx.assertNoTempFiles();
  }

  @Test
  void aFileThatVanishesBeforeItIsOpenedShouldFailAloneUnderSkip() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(2, 10);
    FakeFormat f = new FakeFormat(1);
    f.onOpen =
        (split, r) -> {
          if (split.file().id() == 0) {
            throw new java.nio.file.NoSuchFileException(split.file().path().toString());
          }
        };

    RunResult r = run(fx.spec().onError(ErrorPolicy.SKIP).build(), f);

    assertThat(r.filesFailed()).isEqualTo(1);
    assertThat(lines(fx.out.resolve("_rejects/d0/file-000.txt.rejects.csv")).get(1))
        .contains("FILE_FAILED")
        .contains("no such file");
    assertAddsUp(r);
  }

  @Test
  void aStepThatThrowsShouldRejectOnlyThatRecordWithItsRawText() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(2, 30);
    Step picky =
        (row, out) -> {
          out.emit(row); // emitted before failing: must not reach the output
          if (row.get(0).endsWith("-r7")) {
            throw new IllegalArgumentException("no sevens");
          }
        };

    RunResult r =
        run(
            fx.spec().onError(ErrorPolicy.SKIP).step(picky).batchSize(5).build(),
            new FakeFormat(1));

    assertThat(lines(fx.out.resolve("d0/file-000.txt"))).hasSize(30).doesNotContain("f0-r7");
    assertThat(lines(fx.out.resolve("_rejects/d0/file-000.txt.rejects.csv")))
        .containsExactly(
            "file,line,byte_offset,column,type,message,raw",
            "d0/file-000.txt,8,,,STEP_FAILED,step custom step failed: no sevens,f0-r7");
    assertThat(r.recordsRejected()).isEqualTo(2);
    assertThat(r.recordsPassed()).isEqualTo(58);
    assertAddsUp(r);
  }

  @Test
  void anErrorThrownByAStepShouldFailTheRunEvenUnderSkip() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(1, 10);
    Step broken =
        (row, out) -> {
          throw new StackOverflowError("deep");
        };

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () -> run(fx.spec().onError(ErrorPolicy.SKIP).step(broken).build(), new FakeFormat(1)));

    assertThat(e.getCause()).isInstanceOf(StackOverflowError.class);
    assertThat(e.result()).isNotNull();
    assertAddsUp(e.result());
    fx.assertNoTempFiles();
  }

  @Test
  void aMissingColumnShouldDropOnlyThatFileUnderSkip() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(2, 10);
    Step needsAmount =
        new Step() {
          @Override
          public void apply(Row row, dev.sluice.api.Emitter out) {
            out.emit(row);
          }

          @Override
          public Columns outputColumns(Columns input) {
            if (input.size() == 1) {
              input.require("amount");
            }
            return input;
          }
        };

    RunResult r =
        run(
            fx.spec().onError(ErrorPolicy.SKIP).step(needsAmount).batchSize(3).build(),
            new FakeFormat(1));

    assertThat(r.filesFailed()).isEqualTo(2);
    assertThat(r.rejectsByType()).containsEntry(ErrorType.MISSING_COLUMN, 2L);
    assertThat(lines(fx.out.resolve("_rejects/d0/file-000.txt.rejects.csv")).get(1))
        .startsWith("d0/file-000.txt,,,,MISSING_COLUMN,")
        .contains("amount");
    assertAddsUp(r);
  }

  @Test
  void aCountThresholdShouldFailTheRunNamingTheThresholdAndWhereItWasCrossed() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(2, 100);
    FakeFormat f = new FakeFormat(1);
    f.onRecord =
        (split, r) -> {
          if (split.file().id() == 1 && r % 10 == 3) {
            throw recoverable(r);
          }
        };
    PipelineSpec spec =
        fx.spec()
            .onError(ErrorPolicy.SKIP)
            .maxErrors(ErrorThreshold.count(4))
            .threads(1, 1, 1)
            .build();

    PipelineException e = catchThrowableOfType(PipelineException.class, () -> run(spec, f));

    assertThat(e.getMessage())
        .contains("too many rejected records")
        .contains("5 of")
        .contains("--max-errors 4")
        .contains(VICTIM)
        .contains("line 44");
    assertAddsUp(e.result());
    fx.assertNoTempFiles();
  }

  @Test
  void aPercentThresholdShouldWaitForOneThousandRecordsThenHoldAtTheEnd() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(1, 3000);
    FakeFormat f = new FakeFormat(1);
    // 3 rejects among the first 10 records (30% early), 0.1% overall: the run must not fail early.
    f.onRecord =
        (split, r) -> {
          if (r == 2 || r == 4 || r == 6) {
            throw recoverable(r);
          }
        };

    RunResult ok =
        run(fx.spec().onError(ErrorPolicy.SKIP).maxErrors(ErrorThreshold.percent(0.5)).build(), f);
    assertThat(ok.recordsRejected()).isEqualTo(3);

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () ->
                run(
                    fx.spec()
                        .overwrite(true)
                        .onError(ErrorPolicy.SKIP)
                        .maxErrors(ErrorThreshold.percent(0.05))
                        .build(),
                    f));
    assertThat(e.getMessage()).contains("--max-errors 0.05%");
  }

  @Test
  void aPerFileThresholdShouldFailTheRun() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(3, 20);
    FakeFormat f = new FakeFormat(1);
    f.onRecord =
        (split, r) -> {
          if (split.file().id() == 2 && r < 3) {
            throw recoverable(r);
          }
        };

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () ->
                run(
                    fx.spec()
                        .onError(ErrorPolicy.SKIP)
                        .maxErrorsPerFile(ErrorThreshold.count(2))
                        .build(),
                    f));

    assertThat(e.getMessage()).contains("--max-errors-per-file 2").contains("file-002");
  }

  @Test
  void aFailFastRunShouldReportWhatItDidWithAbandonedRecords() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(4, 200);
    FakeFormat f = new FakeFormat(1);
    f.onRecord =
        (split, r) -> {
          if (split.file().id() == 3 && r == 150) {
            throw new IOException("disk error");
          }
        };

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class, () -> run(fx.spec().batchSize(10).build(), f));

    RunResult partial = e.result();
    assertThat(partial).isNotNull();
    assertAddsUp(partial);
    assertThat(partial.recordsRead()).isGreaterThan(0);
  }

  @Test
  void aRerunWithoutRejectsShouldRemoveTheStaleRejectFile() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(1, 10);
    FakeFormat bad = new FakeFormat(1);
    bad.onRecord =
        (split, r) -> {
          if (r == 1) {
            throw recoverable(r);
          }
        };
    run(fx.spec().onError(ErrorPolicy.SKIP).build(), bad);
    Path rejects = fx.out.resolve("_rejects/d0/file-000.txt.rejects.csv");
    assertThat(rejects).exists();

    run(fx.spec().onError(ErrorPolicy.SKIP).overwrite(true).build(), new FakeFormat(1));

    assertThat(rejects).doesNotExist();
    fx.assertOutputsMatchInputs();
  }

  @Test
  void committedFilesShouldGetTheUmaskPermissionsNotTheOwnerOnlyTempOnes() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(1, 3);
    run(fx.spec().build(), new FakeFormat(1));
    Path probe = Files.createFile(tmp.resolve("probe"));

    Set<java.nio.file.attribute.PosixFilePermission> got =
        Files.getPosixFilePermissions(fx.out.resolve("d0/file-000.txt"));

    assertThat(got).isEqualTo(Files.getPosixFilePermissions(probe));
    assertThat(got.stream().map(Object::toString).collect(Collectors.toSet()))
        .contains("OWNER_READ", "OWNER_WRITE");
  }

  @Test
  void rejectsOfLaterSplitsShouldCarryFileLineNumbers() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(1, 90);
    FakeFormat f = new FakeFormat(3);
    f.relativeLines = true;
    f.onRecord =
        (split, r) -> {
          if (r == 75) {
            // The reader of split 2 (records 60..89) counts lines from its own start: line 16.
            throw new RecordException(
                ErrorType.WRONG_FIELD_COUNT, "bad", r - split.start() + 1, -1, -1, -1, true, null);
          }
        };

    run(fx.spec().onError(ErrorPolicy.SKIP).threads(3, 2, 1).batchSize(7).build(), f);

    assertThat(lines(fx.out.resolve("_rejects/d0/file-000.txt.rejects.csv")).get(1))
        .startsWith("d0/file-000.txt,76,");
  }
}
