package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Reject;
import dev.sluice.api.RunResult;
import dev.sluice.api.Stage;
import dev.sluice.api.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures found by the transformer in a split after the first (issue 14) name the line in the
 * file, not the line within the split: a step that fails under the fail policy, its reject under
 * skip, a threshold crossed there, and a step's warning. The reader of a later split counts lines
 * from the split's start (as {@link FakeFormat#relativeLines} does); the file has 90 one-line
 * records in 3 splits, so record 75 is line 16 of split 2 and line 76 of the file.
 */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransformerLinesTest {
  private static final String VICTIM = "f0-r75";
  private static final long FILE_LINE = 76;

  @TempDir Path tmp;

  private EngineFixture fx;

  private FakeFormat format() {
    fx = new EngineFixture(tmp).files(1, 90);
    FakeFormat f = new FakeFormat(3);
    f.relativeLines = true;
    return f;
  }

  private PipelineSpec.Builder spec(Step step) {
    // Small batches and a reader per split: split 2 is read apart from the others.
    return fx.spec().step(step).threads(3, 2, 1).batchSize(7);
  }

  private static final Step FAILS_ON_VICTIM =
      (row, out) -> {
        if (row.get(0).equals(VICTIM)) {
          throw new IllegalArgumentException("no " + VICTIM);
        }
        out.emit(row);
      };

  @Test
  void aStepFailingInALaterSplitShouldNameTheFileLineUnderFail() {
    FakeFormat f = format();

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class, () -> EngineFixture.run(spec(FAILS_ON_VICTIM).build(), f));

    assertThat(e).as("thrown").isNotNull();
    assertThat(e.stage()).isEqualTo(Stage.TRANSFORMER);
    assertThat(e.line()).as("line").isEqualTo(FILE_LINE);
    assertThat(e.getMessage()).contains("at line 76");
  }

  @Test
  void aStepFailingInALaterSplitShouldRejectTheFileLineUnderSkip() throws Exception {
    FakeFormat f = format();
    ConcurrentLinkedQueue<Reject> heard = new ConcurrentLinkedQueue<>();

    RunResult r =
        EngineFixture.run(
            spec(FAILS_ON_VICTIM).onError(ErrorPolicy.SKIP).rejectListener(heard::add).build(), f);

    assertThat(r.recordsRejected()).isEqualTo(1);
    assertThat(heard).extracting(Reject::line).containsExactly(FILE_LINE);
    assertThat(Files.readAllLines(fx.out.resolve("_rejects/d0/file-000.txt.rejects.csv")).get(1))
        .startsWith("d0/file-000.txt,76,");
  }

  @Test
  void aThresholdCrossedInALaterSplitShouldNameTheFileLine() {
    FakeFormat f = format();

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () ->
                EngineFixture.run(
                    spec(FAILS_ON_VICTIM)
                        .onError(ErrorPolicy.SKIP)
                        .maxErrors(ErrorThreshold.count(0))
                        .build(),
                    f));

    assertThat(e).as("thrown").isNotNull();
    assertThat(e.getMessage()).contains("--max-errors 0").contains("at line 76");
  }

  @Test
  void aStepsWarningInALaterSplitShouldNameTheFileLine() {
    FakeFormat f = format();
    Step warns =
        (row, out) -> {
          if (row.get(0).equals(VICTIM)) {
            out.warn("odd value");
          }
          out.emit(row);
        };

    RunResult r = EngineFixture.run(spec(warns).build(), f);

    assertThat(r.firstWarnings()).containsExactly("d0/file-000.txt line 76: odd value");
  }
}
