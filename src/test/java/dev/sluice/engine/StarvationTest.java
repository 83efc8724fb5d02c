package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.PipelineSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No file starves another: while one big or slow file is held back just before its end, every other
 * file must be read, transformed, written and committed. The hold is released only when all the
 * others have committed, so a starving engine fails here by timing out the bounded wait instead of
 * by luck of timing.
 */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class StarvationTest {
  private static final int SMALL = 20;

  @TempDir Path tmp;

  private EngineFixture tree(int bigRecords) {
    EngineFixture fx = new EngineFixture(tmp);
    List<String> big = new ArrayList<>();
    for (int i = 0; i < bigRecords; i++) {
      big.add("big-" + i);
    }
    fx.file("a-big.txt", big); // sorts first: file id 0, the first split handed out
    for (int f = 0; f < SMALL; f++) {
      List<String> small = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        small.add("s" + f + "-" + i);
      }
      fx.file(String.format(Locale.ROOT, "b-small-%02d.txt", f), small);
    }
    return fx;
  }

  @ParameterizedTest(name = "budget {0} bytes")
  @ValueSource(longs = {1, 64 * 1024, 64L * 1024 * 1024})
  void smallFilesShouldCompleteWhileAHugeFileIsStillBeingRead(long budget) throws Exception {
    int bigRecords = 20_000;
    EngineFixture fx = tree(bigRecords);
    CountDownLatch othersCommitted = new CountDownLatch(SMALL);
    FakeFormat format = new FakeFormat(1);
    format.onRecord =
        (split, r) -> {
          if (split.file().id() == 0 && r == bigRecords - 1) {
            assertThat(othersCommitted.await(30, TimeUnit.SECONDS))
                .as(
                    "small files committed while the big one waits (%s left)",
                    othersCommitted.getCount())
                .isTrue();
          }
        };
    EngineHooks commits =
        (point, fileId, seq) -> {
          if (point == EngineHooks.Point.WRITER_COMMIT && fileId != 0) {
            othersCommitted.countDown();
          }
        };
    PipelineSpec spec =
        fx.spec().threads(2, 2, 2).queueCapacity(2).batchSize(10).maxInFlight(budget).build();

    try (DefaultPipeline p = new DefaultPipeline(spec, format, format, commits)) {
      p.run();
    }
    fx.assertOutputsMatchInputs();
  }

  @Test
  void otherFilesShouldProgressWhileOneFileIsWrittenSlowly() throws Exception {
    int slowRecords = 3_000;
    EngineFixture fx = tree(slowRecords);
    CountDownLatch othersCommitted = new CountDownLatch(SMALL);
    Set<Integer> committed = ConcurrentHashMap.newKeySet();
    FakeFormat format = new FakeFormat(1);
    format.onRecord =
        (split, r) -> {
          if (split.file().id() == 0 && r == slowRecords - 1) {
            assertThat(othersCommitted.await(30, TimeUnit.SECONDS))
                .as(
                    "other files committed while the slow one is written (%s left)",
                    othersCommitted.getCount())
                .isTrue();
          }
        };
    EngineHooks slowWrites =
        (point, fileId, seq) -> {
          if (point == EngineHooks.Point.WRITER_TAKE && fileId == 0) {
            LockSupport.parkNanos(200_000); // stands for a slow disk under this one file
          } else if (point == EngineHooks.Point.WRITER_COMMIT) {
            committed.add(fileId);
            if (fileId != 0) {
              othersCommitted.countDown();
            }
          }
        };
    PipelineSpec spec =
        fx.spec().threads(2, 2, 2).queueCapacity(2).batchSize(10).maxInFlight(32 * 1024).build();

    try (DefaultPipeline p = new DefaultPipeline(spec, format, format, slowWrites)) {
      p.run();
    }
    assertThat(committed).hasSize(SMALL + 1);
    fx.assertOutputsMatchInputs();
  }
}
