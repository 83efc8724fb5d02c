package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.ErrorType;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.spi.RecordException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input whose every record is rejected (issue 14): rejects are cut into batches by count and by
 * bytes like rows, hold budget permits, and a percentage {@code --max-errors} trips once 1,000
 * records have been read, in the middle of a split.
 */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AllRejectedInputTest {
  @TempDir Path tmp;

  private static RecordException wrongFieldCount(long line) {
    return new RecordException(
        ErrorType.WRONG_FIELD_COUNT,
        "record has 2 fields, header has 1",
        line,
        -1,
        -1,
        -1,
        true,
        null);
  }

  private static FakeFormat everyRecordRejected(int splits) {
    FakeFormat f = new FakeFormat(splits);
    f.rawText = true;
    f.onRecord =
        (split, r) -> {
          throw wrongFieldCount(r + 1);
        };
    return f;
  }

  @Test
  void rejectsShouldBeCutIntoBatchesThatWaitForTheBudgetLikeRows() throws Exception {
    int batch = 10;
    int records = 5000;
    EngineFixture fx = new EngineFixture(tmp).files(1, records);
    FakeFormat format = everyRecordRejected(1);
    AtomicLong read = new AtomicLong();
    AtomicReference<Thread> reader = new AtomicReference<>();
    FakeFormat.Hook reject = format.onRecord;
    format.onRecord =
        (split, r) -> {
          reader.compareAndSet(null, Thread.currentThread());
          read.incrementAndGet();
          reject.at(split, r);
        };
    CountDownLatch release = new CountDownLatch(1);
    AtomicLong readWhileStalled = new AtomicLong(-1);
    EngineHooks stallFirstWrite =
        (point, fileId, seq) -> {
          if (point == EngineHooks.Point.WRITER_TAKE && seq == 0) {
            // Bounded: until the reader parks (on its budget or a full queue) or has read it all.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Thread t;
            while (((t = reader.get()) == null || !EngineFixture.parked(t))
                && read.get() < records
                && System.nanoTime() < deadline) {
              Thread.onSpinWait();
            }
            readWhileStalled.set(read.get());
            release.await(20, TimeUnit.SECONDS);
          }
        };
    PipelineSpec spec =
        fx.spec()
            .onError(ErrorPolicy.SKIP)
            .threads(1, 1, 1)
            .queueCapacity(1)
            .batchSize(batch)
            .maxInFlight(1)
            .build();

    AtomicReference<RunResult> result = new AtomicReference<>();
    Thread runner =
        new Thread(
            () -> {
              try (DefaultPipeline p = new DefaultPipeline(spec, format, format, stallFirstWrite)) {
                result.set(p.run());
              }
            },
            "test-runner");
    runner.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (readWhileStalled.get() < 0 && runner.isAlive() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    long stalled = readWhileStalled.get();
    release.countDown();
    runner.join(TimeUnit.SECONDS.toMillis(30));

    // One batch past the stalled writer and one under construction, as for rows (BackPressureTest).
    assertThat(stalled).as("records read while the writer stalled").isBetween(1L, 2L * batch);
    RunResult r = result.get();
    assertThat(r).as("result").isNotNull();
    assertThat(r.recordsRead()).isEqualTo(records);
    assertThat(r.recordsRejected()).isEqualTo(records);
    assertThat(Files.readAllLines(fx.out.resolve("_rejects/d0/file-000.txt.rejects.csv")))
        .hasSize(records + 1);
  }

  @Test
  void rejectsWithLongRawTextShouldBeCutByBytes() throws Exception {
    int records = 200;
    String wide = "x".repeat(10_000);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      lines.add(i + wide);
    }
    EngineFixture fx = new EngineFixture(tmp).file("wide.txt", lines);
    FakeFormat format = everyRecordRejected(1);
    AtomicInteger handoffs = new AtomicInteger();
    EngineHooks count =
        (point, fileId, seq) -> {
          if (point == EngineHooks.Point.READER_HANDOFF) {
            handoffs.incrementAndGet();
          }
        };
    int batchBytes = 64 * 1024;
    PipelineSpec spec =
        fx.spec()
            .onError(ErrorPolicy.SKIP)
            .threads(1, 1, 1)
            .batchSize(1000)
            .batchBytes(batchBytes)
            .build();

    RunResult r;
    try (DefaultPipeline p = new DefaultPipeline(spec, format, format, count)) {
      r = p.run();
      assertThat(p.context().pools)
          .allSatisfy(pool -> assertThat(pool.available()).isEqualTo(pool.capacity()));
    }

    assertThat(r.recordsRejected()).isEqualTo(records);
    // The raw text alone is 2 MB: a batch is cut at batchBytes, so it holds at most one reject
    // more.
    int perBatch = batchBytes / wide.length() + 1;
    assertThat(handoffs.get()).as("batches").isGreaterThanOrEqualTo(records / perBatch);
    assertThat(Files.readAllLines(fx.out.resolve("_rejects/wide.txt.rejects.csv")).get(1))
        .endsWith("," + "0" + wide);
  }

  @Test
  void aPercentThresholdShouldTripInTheMiddleOfASplitOnceOneThousandRecordsAreRead()
      throws Exception {
    int records = 5000;
    EngineFixture fx = new EngineFixture(tmp).files(1, records);
    FakeFormat format = everyRecordRejected(1);
    AtomicLong read = new AtomicLong();
    FakeFormat.Hook reject = format.onRecord;
    format.onRecord =
        (split, r) -> {
          read.incrementAndGet();
          reject.at(split, r);
        };
    PipelineSpec spec =
        fx.spec()
            .onError(ErrorPolicy.SKIP)
            .maxErrors(ErrorThreshold.percent(50))
            .threads(1, 1, 1)
            .build();

    PipelineException e =
        catchThrowableOfType(PipelineException.class, () -> EngineFixture.run(spec, format));

    assertThat(e).as("thrown").isNotNull();
    assertThat(e.getMessage()).contains("--max-errors 50%").contains("1,000 of 1,000 read");
    assertThat(read.get())
        .as("records read before the run stopped")
        .isEqualTo(ErrorThreshold.PERCENT_WARMUP);
    fx.assertNoTempFiles();
  }
}
