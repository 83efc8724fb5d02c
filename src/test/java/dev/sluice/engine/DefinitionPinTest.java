package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorType;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Steps;
import dev.sluice.api.spi.RecordException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only recorded work pins a state directory to its job definition: a run that recorded nothing (a
 * failed first run) leaves the definition free to change without {@code --full}; a file recorded as
 * done still pins it.
 */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DefinitionPinTest {
  @TempDir Path tmp;
  EngineFixture fx;

  @BeforeEach
  void tree() {
    fx = new EngineFixture(tmp).files(3, 10);
  }

  private PipelineSpec.Builder spec() {
    return fx.spec().stateDir(tmp.resolve("state"));
  }

  /** A first job whose step fails the run on its first record. */
  private PipelineSpec broken() {
    return spec().step(Steps.filter("missing == x")).build();
  }

  private PipelineSpec corrected() {
    return spec().step(Steps.filter("v ~ r")).build();
  }

  @Test
  void aFailedFirstRunThatRecordedNothingShouldNotPinTheJobDefinition() throws IOException {
    assertThatThrownBy(() -> EngineFixture.run(broken(), new FakeFormat(1)))
        .isInstanceOf(PipelineException.class);
    assertThat(tmp.resolve("state").resolve(StateStore.MANIFEST)).exists();

    RunResult r = EngineFixture.run(corrected(), new FakeFormat(1));

    assertThat(r.files()).isEqualTo(3);
    fx.assertOutputsMatchInputs();
    RunResult again = EngineFixture.run(corrected(), new FakeFormat(1));
    assertThat(again.filesSkipped()).as("the corrected job is recorded").isEqualTo(3);
  }

  @Test
  void aDryRunAfterAFailedFirstRunShouldAcceptTheCorrectedJobToo() {
    assertThatThrownBy(() -> EngineFixture.run(broken(), new FakeFormat(1)))
        .isInstanceOf(PipelineException.class);

    FakeFormat f = new FakeFormat(1);
    try (DefaultPipeline p = new DefaultPipeline(corrected(), f, f, EngineHooks.NONE)) {
      assertThat(p.plan().toProcess()).isEqualTo(3);
    }
  }

  @Test
  void filesThatOnlyFailedUnderSkipShouldNotPinTheJobDefinition() {
    FakeFormat broken = new FakeFormat(1);
    broken.onRecord =
        (split, r) -> {
          throw new RecordException(
              ErrorType.MALFORMED_CSV, "broken", r + 1, -1, -1, -1, false, null);
        };
    RunResult first = EngineFixture.run(spec().onError(ErrorPolicy.SKIP).build(), broken);
    assertThat(first.filesFailed()).isEqualTo(3);

    RunResult r =
        EngineFixture.run(
            spec().onError(ErrorPolicy.SKIP).step(Steps.filter("v ~ r")).build(),
            new FakeFormat(1));

    assertThat(r.files()).as("retried under the new definition").isEqualTo(3);
  }

  @Test
  void aFileRecordedAsDoneShouldStillPinTheJobDefinition() {
    EngineFixture.run(spec().build(), new FakeFormat(1));

    assertThatThrownBy(() -> EngineFixture.run(corrected(), new FakeFormat(1)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("job definition changed")
        .hasMessageContaining("as done")
        .hasMessageContaining("--full");
  }

  @Test
  void recordedFilesWhoseInputsAreGoneShouldNotPinTheJobDefinition() throws IOException {
    EngineFixture.run(spec().build(), new FakeFormat(1));
    try (var s = Files.walk(fx.in)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        Files.delete(p);
      }
    }
    fx.expected.clear();
    fx.file("d0/new.txt", java.util.List.of("r1", "x"));

    RunResult r = EngineFixture.run(corrected(), new FakeFormat(1));

    assertThat(r.files()).isEqualTo(1);
    assertThat(Files.readAllLines(fx.out.resolve("d0/new.txt"))).containsExactly("v", "r1");
  }
}
