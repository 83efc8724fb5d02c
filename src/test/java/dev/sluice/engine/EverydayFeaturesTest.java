package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorType;
import dev.sluice.api.InputAction;
import dev.sluice.api.RunPlan;
import dev.sluice.api.RunResult;
import dev.sluice.api.spi.RecordException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EverydayFeaturesTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "splits {0}")
  @ValueSource(ints = {1, 3})
  void limitShouldKeepOnlyTheFirstRecordsOfEachFile(int splits) throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(3, 50);

    RunResult r =
        EngineFixture.run(fx.spec().limit(7).batchSize(3).build(), new FakeFormat(splits));

    assertThat(Files.readAllLines(fx.out.resolve("d1/file-001.txt")))
        .containsExactly("v", "f1-r0", "f1-r1", "f1-r2", "f1-r3", "f1-r4", "f1-r5", "f1-r6");
    assertThat(r.recordsRead()).isEqualTo(21);
  }

  @Test
  void discardOutputShouldCheckEverythingAndWriteNothing() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(2, 20);
    FakeFormat f = new FakeFormat(1);
    f.onRecord =
        (split, r) -> {
          if (r == 4) {
            throw new RecordException(
                ErrorType.WRONG_FIELD_COUNT, "bad", r + 1, -1, -1, -1, true, null);
          }
        };

    RunResult r =
        EngineFixture.run(
            fx.spec()
                .discardOutput(true)
                .onError(ErrorPolicy.SKIP)
                .stateDir(tmp.resolve("state"))
                .build(),
            f);

    assertThat(r.recordsRejected()).isEqualTo(2);
    assertThat(r.recordsPassed()).isEqualTo(38);
    assertThat(r.rejectsByType()).containsEntry(ErrorType.WRONG_FIELD_COUNT, 2L);
    assertThat(fx.out).doesNotExist();
    assertThat(tmp.resolve("state")).doesNotExist();
  }

  @Test
  void inputsShouldBeMovedOnlyAfterTheirOutputIsCommitted() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(2, 10);
    FakeFormat f = new FakeFormat(1);
    f.onRecord =
        (split, r) -> {
          if (split.file().id() == 1 && r == 5) {
            throw new RecordException(
                ErrorType.MALFORMED_CSV, "broken", r + 1, -1, -1, -1, false, null);
          }
        };
    Path done = tmp.resolve("done");
    Path failed = tmp.resolve("failed");

    EngineFixture.run(
        fx.spec()
            .onError(ErrorPolicy.SKIP)
            .onSuccess(InputAction.moveTo(done))
            .onFailure(InputAction.moveTo(failed))
            .build(),
        f);

    assertThat(done.resolve("d0/file-000.txt")).exists();
    assertThat(failed.resolve("d1/file-001.txt")).exists();
    assertThat(fx.in.resolve("d0/file-000.txt")).doesNotExist();
    assertThat(fx.in.resolve("d1/file-001.txt")).doesNotExist();
    assertThat(fx.out.resolve("d0/file-000.txt")).exists();
  }

  @Test
  void inputsShouldStayWhenTheRunFailsAndDeleteShouldRemoveThemOtherwise() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(2, 10);
    FakeFormat broken = new FakeFormat(1);
    broken.onRecord =
        (split, r) -> {
          if (split.file().id() == 1 && r == 5) {
            throw new IOException("disk error");
          }
        };

    assertThatThrownBy(
            () ->
                EngineFixture.run(
                    fx.spec().threads(1, 1, 1).onSuccess(InputAction.delete()).build(), broken))
        .hasMessageContaining("disk error");
    assertThat(fx.in.resolve("d1/file-001.txt")).exists();

    EngineFixture.run(
        fx.spec().overwrite(true).onSuccess(InputAction.delete()).build(), new FakeFormat(1));
    try (var s = Files.walk(fx.in)) {
      assertThat(s.filter(Files::isRegularFile)).isEmpty();
    }
  }

  @Test
  void movingInputsIntoTheOutputShouldBeRefused() {
    EngineFixture fx = new EngineFixture(tmp).files(1, 1);
    assertThatThrownBy(
            () -> fx.spec().onSuccess(InputAction.moveTo(fx.out.resolve("archive"))).build())
        .isInstanceOf(ConfigurationException.class);
    assertThat(InputAction.parse("move:/x").directory()).isEqualTo(Path.of("/x"));
    assertThatThrownBy(() -> InputAction.parse("archive"))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void aPlanShouldSayWhatARunWouldProcessSkipAndWriteWithoutWriting() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(3, 5);
    Path state = tmp.resolve("state");
    FakeFormat f = new FakeFormat(1);
    EngineFixture.run(fx.spec().stateDir(state).build(), f);
    fx.file("d0/new.txt", List.of("x"));
    long manifestSize = Files.size(state.resolve(StateStore.MANIFEST));

    RunPlan plan =
        new DefaultPipeline(fx.spec().stateDir(state).build(), f, f, EngineHooks.NONE).plan();

    assertThat(plan.toProcess()).isEqualTo(1);
    assertThat(plan.toSkip()).isEqualTo(3);
    RunPlan.Entry fresh =
        plan.files().stream().filter(RunPlan.Entry::process).findFirst().orElseThrow();
    assertThat(fresh.relativeName()).isEqualTo("d0/new.txt");
    assertThat(fresh.output()).isEqualTo(fx.out.resolve("d0/new.txt").toAbsolutePath().normalize());
    assertThat(fx.out.resolve("d0/new.txt")).doesNotExist();
    assertThat(Files.size(state.resolve(StateStore.MANIFEST))).isEqualTo(manifestSize);
  }
}
