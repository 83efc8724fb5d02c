package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PipelineSpecSectionsTest {
  private static final Path IN = Path.of("/data/in").toAbsolutePath();
  private static final Path OUT = Path.of("/data/out").toAbsolutePath();

  private static PipelineSpec everySetting() {
    return PipelineSpec.builder()
        .input(IN)
        .inputUrl(URI.create("https://example.com/a.csv"))
        .http(HttpOptions.builder().header("Authorization", "Bearer s3cret").retries(4).build())
        .followSymlinks(true)
        .limit(7)
        .output(OUT)
        .inputFormat(Format.tsv())
        .outputFormat(Format.csv())
        .overwrite(true)
        .discardOutput(true)
        .threads(3, 5, 2)
        .autoReaders(true)
        .threadBudget(11)
        .queueCapacity(9)
        .batchSize(123)
        .batchBytes(4567)
        .maxInFlight(89_000)
        .virtualReaders(true)
        .stopTimeout(Duration.ofSeconds(4))
        .timeout(Duration.ofMinutes(3))
        .progressInterval(Duration.ofMillis(77))
        .onError(ErrorPolicy.SKIP)
        .maxErrors(ErrorThreshold.percent(0.5))
        .maxErrorsPerFile(ErrorThreshold.count(3))
        .rejectDir(Path.of("/data/rejects").toAbsolutePath())
        .stateDir(Path.of("/data/state").toAbsolutePath())
        .full(true)
        .identity(PipelineSpec.Identity.HASH)
        .waitLock(Duration.ofSeconds(6))
        .step(Steps.hash("email"))
        .listener(new RunListener() {})
        .rejectListener(r -> {})
        .threadFactory(Thread::new)
        .build();
  }

  @Test
  void shouldPutEveryFlatSettingInItsSection() {
    PipelineSpec spec = everySetting();

    assertThat(spec.inputSettings().inputs()).containsExactly(IN);
    assertThat(spec.inputSettings().http().retries()).isEqualTo(4);
    assertThat(spec.inputSettings().limit()).isEqualTo(7);
    assertThat(spec.outputSettings().output()).isEqualTo(OUT);
    assertThat(spec.outputSettings().overwrite()).isTrue();
    assertThat(spec.sizingSettings().readers()).isEqualTo(3);
    assertThat(spec.sizingSettings().threadBudget()).isEqualTo(11);
    assertThat(spec.sizingSettings().timeout()).isEqualTo(Duration.ofMinutes(3));
    assertThat(spec.errorSettings().maxErrorsPerFile()).isEqualTo(ErrorThreshold.count(3));
    assertThat(spec.stateSettings().identity()).isEqualTo(PipelineSpec.Identity.HASH);
    assertThat(spec.hooks().listeners()).hasSize(1);
    assertThat(spec.hooks().threadFactory()).isNotNull();
  }

  @Test
  void shouldKeepEverySettingAndDropTheHooksThroughSerialization() throws Exception {
    PipelineSpec spec = everySetting();

    PipelineSpec back = roundTrip(spec);

    assertThat(back.inputs()).isEqualTo(spec.inputs());
    assertThat(back.inputUrls()).isEqualTo(spec.inputUrls());
    assertThat(back.http().headers()).isEqualTo(spec.http().headers());
    assertThat(back.http().retries()).isEqualTo(4);
    assertThat(back.followSymlinks()).isTrue();
    assertThat(back.limit()).isEqualTo(7);
    assertThat(back.output()).isEqualTo(OUT);
    assertThat(back.inputFormat()).isEqualTo(spec.inputFormat());
    assertThat(back.outputFormat()).isEqualTo(spec.outputFormat());
    assertThat(back.overwrite()).isTrue();
    assertThat(back.discardOutput()).isTrue();
    assertThat(back.readers()).isEqualTo(3);
    assertThat(back.transformers()).isEqualTo(5);
    assertThat(back.writers()).isEqualTo(2);
    assertThat(back.autoReaders()).isTrue();
    assertThat(back.autoTransformers()).isFalse();
    assertThat(back.threadBudget()).isEqualTo(11);
    assertThat(back.queueCapacity()).isEqualTo(9);
    assertThat(back.batchSize()).isEqualTo(123);
    assertThat(back.batchBytes()).isEqualTo(4567);
    assertThat(back.maxInFlight()).isEqualTo(89_000);
    assertThat(back.virtualReaders()).isTrue();
    assertThat(back.stopTimeout()).isEqualTo(Duration.ofSeconds(4));
    assertThat(back.timeout()).isEqualTo(Duration.ofMinutes(3));
    assertThat(back.progressInterval()).isEqualTo(Duration.ofMillis(77));
    assertThat(back.onError()).isEqualTo(ErrorPolicy.SKIP);
    assertThat(back.maxErrors()).isEqualTo(ErrorThreshold.percent(0.5));
    assertThat(back.maxErrorsPerFile()).isEqualTo(ErrorThreshold.count(3));
    assertThat(back.rejectDir()).isEqualTo(spec.rejectDir());
    assertThat(back.stateDir()).isEqualTo(spec.stateDir());
    assertThat(back.full()).isTrue();
    assertThat(back.identity()).isEqualTo(PipelineSpec.Identity.HASH);
    assertThat(back.waitLock()).isEqualTo(Duration.ofSeconds(6));
    assertThat(back.steps()).hasSize(1);
    assertThat(back.hooks().listeners()).as("listeners belong to the launcher's JVM").isEmpty();
    assertThat(back.rejectListener()).isNull();
    assertThat(back.threadFactory()).isNull();
  }

  @Test
  void shouldShipPathsAsAbsoluteLocations() throws Exception {
    PipelineSpec spec =
        PipelineSpec.builder()
            .input(Path.of("rel-in"))
            .output(Path.of("rel-out"))
            .onSuccess(InputAction.moveTo(Path.of("rel-done")))
            .build();

    PipelineSpec back = roundTrip(spec);

    assertThat(back.inputs()).containsExactly(Path.of("rel-in").toAbsolutePath());
    assertThat(back.output()).isEqualTo(Path.of("rel-out").toAbsolutePath());
    assertThat(back.rejectDir()).isEqualTo(Path.of("rel-out", "_rejects").toAbsolutePath());
    assertThat(back.onSuccess())
        .isEqualTo(InputAction.moveTo(Path.of("rel-done").toAbsolutePath()));
    assertThat(back.onFailure()).isEqualTo(InputAction.keep());
  }

  @Test
  void shouldChangeOneSectionThroughItsBuilderAndKeepTheRest() {
    PipelineSpec spec = everySetting();

    PipelineSpec changed =
        spec.toBuilder()
            .sizingSettings(spec.sizingSettings().toBuilder().batchSize(5).build())
            .build();

    assertThat(changed.batchSize()).isEqualTo(5);
    assertThat(changed.queueCapacity()).isEqualTo(9);
    assertThat(changed.inputs()).isEqualTo(spec.inputs());
    assertThat(changed.hooks().listeners()).isEqualTo(spec.hooks().listeners());
    assertThat(spec.batchSize()).as("the original is unchanged").isEqualTo(123);
  }

  @Test
  void shouldValidateEachSectionWhenItIsBuilt() {
    assertThatThrownBy(() -> SizingSettings.builder().batchSize(0).build())
        .hasMessage("batchSize < 1: 0");
    assertThatThrownBy(() -> InputSettings.builder().build()).hasMessageStartingWith("no input:");
    assertThatThrownBy(() -> OutputSettings.builder().build())
        .hasMessage("no output directory: set output(Path)");
    assertThatThrownBy(() -> StateSettings.builder().waitLock(Duration.ofSeconds(-1)).build())
        .hasMessage("waitLock < 0: PT-1S");
  }

  @Test
  void shouldStillCheckAcrossSections() {
    assertThatThrownBy(
            () ->
                PipelineSpec.builder()
                    .input(IN)
                    .output(OUT)
                    .onSuccess(InputAction.moveTo(OUT.resolve("done")))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("inputs cannot be moved into the output directory");
  }

  private static PipelineSpec roundTrip(PipelineSpec spec)
      throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
      o.writeObject(spec);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (PipelineSpec) in.readObject();
    }
  }
}
