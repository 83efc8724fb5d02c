package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorType;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Progress;
import dev.sluice.api.RunListener;
import dev.sluice.api.RunResult;
import dev.sluice.api.Stage;
import dev.sluice.api.Step;
import dev.sluice.api.spi.RecordException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An {@link Error} thrown on any thread of a run (issue 14) cancels the run through the one
 * cancellation path: {@code run()} throws a {@link PipelineException} whose cause is that very
 * Error, from the stage where it happened, with every thread stopped, every permit back and no
 * temporary file left. Before, an Error in the monitor or the sizer ended that thread alone and the
 * run went on, and one in a listener's last call escaped {@code run()} raw, skipping the cleanup.
 */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ErrorPathTest {
  @TempDir Path tmp;

  /** An Error of our own, so the cause can be checked by identity. */
  static final class InjectedError extends Error {
    private static final long serialVersionUID = 1L;

    InjectedError(String where) {
      super("injected in " + where);
    }
  }

  enum Where {
    READER(Stage.READER),
    STEP(Stage.TRANSFORMER),
    WRITER(Stage.WRITER),
    REJECT_LISTENER(Stage.WRITER),
    PROGRESS_LISTENER(Stage.COORDINATOR),
    FINISH_LISTENER(Stage.COORDINATOR),
    SIZER(Stage.COORDINATOR);

    final Stage stage;

    Where(Stage stage) {
      this.stage = stage;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Where.class)
  void anErrorAnywhereShouldFailTheRunWithThatErrorAsCause(Where where) throws Exception {
    EngineFixture fx = new EngineFixture(tmp).files(3, 200);
    FakeFormat format = new FakeFormat(1);
    InjectedError error = new InjectedError(where.name());
    AtomicBoolean thrown = new AtomicBoolean();
    // The step holds the run open until the Error was thrown where it runs on its own clock
    // (monitor, sizer), so the run cannot end before it.
    CountDownLatch errorThrown = new CountDownLatch(1);
    boolean waitForIt = where == Where.PROGRESS_LISTENER || where == Where.SIZER;
    Step step =
        (row, out) -> {
          if (where == Where.STEP
              && row.get(0).equals("f1-r50")
              && thrown.compareAndSet(false, true)) {
            throw error;
          }
          if (waitForIt) {
            errorThrown.await(20, TimeUnit.SECONDS);
          }
          out.emit(row);
        };
    PipelineSpec.Builder b =
        fx.spec()
            .onError(ErrorPolicy.SKIP)
            .step(step)
            .threads(2, 2, 2)
            .batchSize(10)
            .progressInterval(Duration.ofMillis(1));
    EngineHooks hooks = EngineHooks.NONE;
    switch (where) {
      case READER:
        format.onRecord =
            (split, r) -> {
              if (split.file().id() == 1 && r == 50 && thrown.compareAndSet(false, true)) {
                throw error;
              }
            };
        break;
      case WRITER:
        hooks =
            (point, fileId, seq) -> {
              if (point == EngineHooks.Point.WRITER_TAKE
                  && fileId == 1
                  && seq == 2
                  && thrown.compareAndSet(false, true)) {
                throw error;
              }
            };
        break;
      case REJECT_LISTENER:
        format.onRecord =
            (split, r) -> {
              if (split.file().id() == 1 && r == 50) {
                throw new RecordException(
                    ErrorType.WRONG_FIELD_COUNT, "bad", r + 1, -1, -1, -1, true, null);
              }
            };
        b.rejectListener(
            r -> {
              thrown.set(true);
              throw error;
            });
        break;
      case PROGRESS_LISTENER:
        b.listener(
            new RunListener() {
              @Override
              public void onProgress(Progress p) {
                thrown.set(true);
                errorThrown.countDown();
                throw error;
              }
            });
        break;
      case FINISH_LISTENER:
        b.listener(
            new RunListener() {
              @Override
              public void onFinish(RunResult r) {
                thrown.set(true);
                throw error;
              }
            });
        break;
      case SIZER:
        b.autoThreads().threadBudget(6);
        break;
      default:
        break;
    }
    DefaultPipeline p = new DefaultPipeline(b.build(), format, format, hooks);
    if (where == Where.SIZER) {
      p.sizerInterval(Duration.ofMillis(1))
          .sizerPolicy(
              (r, t, readers, transformers) -> {
                thrown.set(true);
                errorThrown.countDown();
                throw error;
              });
    }

    Throwable t;
    try (p) {
      t = catchThrowable(p::run);
    }

    assertThat(thrown).as("the Error was thrown").isTrue();
    assertThat(t).as("what run() threw").isInstanceOf(PipelineException.class);
    PipelineException e = (PipelineException) t;
    assertThat(e.getCause()).as("cause").isSameAs(error);
    assertThat(e.stage()).as("stage").isEqualTo(where.stage);
    assertThat(e.result()).as("what the run did").isNotNull();
    assertThat(p.context().pools)
        .allSatisfy(pool -> assertThat(pool.available()).isEqualTo(pool.capacity()));
    fx.assertNoTempFiles();
  }
}
