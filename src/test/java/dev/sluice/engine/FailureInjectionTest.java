package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Stage;
import dev.sluice.api.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A failure injected in each stage at the first, a middle and the last batch of a file, with queue
 * capacity 1 and large: one {@link PipelineException} naming stage, file and (where it applies)
 * line, with the injected cause; no thread, no temporary file and no incomplete output left; every
 * budget permit returned.
 */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailureInjectionTest {
  private static final int RECORDS = 95; // batches of 10: seq 0..9, the last one partial
  private static final String VICTIM = "d1/file-001.txt";

  @TempDir Path tmp;

  enum Where {
    FIRST(0),
    MIDDLE(4),
    LAST(9);

    final int batch;

    Where(int batch) {
      this.batch = batch;
    }

    int record() {
      return this == LAST ? RECORDS - 1 : batch * 10 + 3;
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Stage s : List.of(Stage.READER, Stage.TRANSFORMER, Stage.WRITER)) {
      for (Where w : Where.values()) {
        for (int capacity : new int[] {1, 1024}) {
          out.add(Arguments.of(s, w, capacity));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} at {1} batch, capacity {2}")
  @MethodSource("cases")
  void shouldFailWithOneExceptionAndLeaveNothingBehind(Stage stage, Where where, int capacity)
      throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(3, RECORDS);
    FakeFormat format = new FakeFormat(1);
    EngineHooks hooks = EngineHooks.NONE;
    PipelineSpec.Builder b = fx.spec().threads(2, 2, 2).queueCapacity(capacity).batchSize(10);
    String victimValue = "f1-r" + where.record();
    switch (stage) {
      case READER:
        format.onRecord =
            (split, r) -> {
              if (split.file().id() == 1 && r == where.record()) {
                throw new IOException("injected");
              }
            };
        break;
      case TRANSFORMER:
        Step step =
            (row, out) -> {
              if (row.get(0).equals(victimValue)) {
                throw new IllegalStateException("injected");
              }
              out.emit(row);
            };
        b.step(step);
        break;
      case WRITER:
        hooks =
            (point, fileId, seq) -> {
              if (point == EngineHooks.Point.WRITER_TAKE && fileId == 1 && seq == where.batch) {
                throw new IOException("injected");
              }
            };
        break;
      default:
        throw new AssertionError(stage);
    }

    DefaultPipeline p = new DefaultPipeline(b.build(), format, format, hooks);
    PipelineException e = catchThrowableOfType(PipelineException.class, p::run);

    assertThat(e).as("run() must throw").isNotNull();
    assertThat(e.stage()).isEqualTo(stage);
    assertThat(e.file()).isEqualTo(VICTIM);
    assertThat(e.getCause()).hasMessage("injected");
    assertThat(e.thread()).startsWith("sluice-" + stage.label() + "-");
    assertThat(e.getMessage()).contains(VICTIM);
    if (stage != Stage.WRITER) {
      assertThat(e.line()).isEqualTo(where.record() + 1);
      assertThat(e.getMessage()).contains("line " + (where.record() + 1));
    }
    assertThat(p.context().pools)
        .allSatisfy(
            pool -> assertThat(pool.available()).as("permits back").isEqualTo(pool.capacity()));
    fx.assertNoTempFiles();
    assertThat(fx.out.resolve(VICTIM)).doesNotExist();
    // Files that did commit before the failure are complete.
    for (Map.Entry<String, List<String>> f : fx.expected.entrySet()) {
      Path o = fx.out.resolve(f.getKey());
      if (Files.exists(o)) {
        assertThat(Files.readAllLines(o)).hasSize(RECORDS + 1);
      }
    }
  }
}
