package dev.sluice.internal.config;

import static dev.sluice.internal.config.JobFileTest.layer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.Format;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Laying one job over another, as the command line does over a job file ({@link JobConfig#over}).
 */
class JobLayeringTest {
  private static final Path FILE = Path.of("jobs/nightly.job");

  private static JobConfig file() {
    return JobReader.parse(
        "{\"version\": 1, \"name\": \"nightly\","
            + " \"input\": {\"paths\": [\"in\", \"more\"], \"format\": \"tsv\", \"charset\": \"ISO-8859-1\"},"
            + " \"output\": {\"dir\": \"out\", \"format\": \"csv\", \"overwrite\": true},"
            + " \"steps\": [{\"filter\": \"a == 1\"}, {\"upper\": [\"b\"]}],"
            + " \"engine\": {\"readers\": 8, \"transformers\": 8, \"writers\": 3, \"batchSize\": 10},"
            + " \"errors\": {\"onError\": \"skip\", \"maxErrors\": 5},"
            + " \"state\": {\"dir\": \"state\", \"waitLock\": \"1m\", \"timeout\": \"1h\"}}",
        Path.of("jobs"),
        FILE);
  }

  private static List<String> described(PipelineSpec spec) {
    return spec.steps().stream().map(Step::describe).collect(Collectors.toList());
  }

  @Test
  void anEmptyOverrideChangesNothing() {
    PipelineSpec plain = file().toSpec();
    PipelineSpec same = file().over(layer("\"description\": \"overlay\"")).toSpec();

    assertThat(same.inputs()).isEqualTo(plain.inputs());
    assertThat(same.output()).isEqualTo(plain.output());
    assertThat(described(same)).isEqualTo(described(plain));
    assertThat(same.inputFormat()).isEqualTo(plain.inputFormat());
    assertThat(same.outputFormat()).isEqualTo(plain.outputFormat());
    assertThat(same.stateDir()).isEqualTo(Path.of("jobs/state"));
    assertThat(same.waitLock()).isEqualTo(Duration.ofMinutes(1));
    assertThat(List.of(same.readers(), same.transformers(), same.writers()))
        .containsExactly(8, 8, 3);
  }

  @Test
  void scalarSettingsReplaceTheFilesAndTheRestStays() {
    JobConfig merged =
        file()
            .over(
                layer(
                    "\"name\": \"renamed\", \"output\": {\"dir\": \"/elsewhere\", \"format\":"
                        + " \"jsonl\"}, \"engine\": {\"readers\": 2}, \"state\": {\"waitLock\":"
                        + " \"5s\", \"identity\": \"hash\"}"));
    PipelineSpec spec = merged.toSpec();

    assertThat(merged.name()).isEqualTo("renamed");
    assertThat(merged.source()).isEqualTo(FILE);
    assertThat(spec.output()).isEqualTo(Path.of("/elsewhere"));
    assertThat(List.of(spec.readers(), spec.transformers(), spec.writers()))
        .containsExactly(2, 8, 3);
    assertThat(spec.outputFormat().kind()).isEqualTo(Format.Kind.JSONL);
    assertThat(spec.waitLock()).isEqualTo(Duration.ofSeconds(5));
    assertThat(spec.identity()).isEqualTo(PipelineSpec.Identity.HASH);
    // Kept from the file:
    assertThat(spec.inputFormat().kind()).isEqualTo(Format.Kind.TSV);
    assertThat(spec.outputFormat().charset().name()).isEqualTo("ISO-8859-1");
    assertThat(spec.batchSize()).isEqualTo(10);
    assertThat(spec.overwrite()).isTrue();
    assertThat(spec.timeout()).isEqualTo(Duration.ofHours(1));
    assertThat(spec.stateDir()).isEqualTo(Path.of("jobs/state"));
    assertThat(spec.maxErrors()).isEqualTo(ErrorThreshold.count(5));
    assertThat(described(spec)).hasSize(2);
  }

  @Test
  void anyOverridingStepReplacesAllOfTheFilesSteps() {
    PipelineSpec spec = file().over(layer("\"steps\": [{\"hash\": [\"c\"]}]")).toSpec();
    assertThat(described(spec)).containsExactly(Steps.hash("c").describe());
  }

  @Test
  void anyOverridingInputReplacesAllOfTheFilesInputs() {
    PipelineSpec spec = file().over(layer("\"input\": {\"paths\": [\"only\"]}")).toSpec();
    assertThat(spec.inputs()).containsExactly(Path.of("only"));
  }

  @Test
  void threadsInTheOverrideAlsoReplacesTheFilesPerStageCounts() {
    PipelineSpec all = file().over(layer("\"engine\": {\"threads\": 2}")).toSpec();
    assertThat(List.of(all.readers(), all.transformers(), all.writers())).containsExactly(2, 2, 2);

    PipelineSpec mixed =
        file().over(layer("\"engine\": {\"threads\": 2, \"writers\": 1}")).toSpec();
    assertThat(List.of(mixed.readers(), mixed.transformers(), mixed.writers()))
        .containsExactly(2, 2, 1);
  }

  @Test
  void disablingStateDropsTheFilesStateDirectoryAndNamingOneEnablesIt() {
    PipelineSpec none = file().over(layer("\"state\": {\"enabled\": false}")).toSpec();
    assertThat(none.stateDir()).isNull();

    JobConfig off =
        layer(
            "\"input\": {\"paths\": [\"in\"]}, \"output\": {\"dir\": \"out\"}, \"state\":"
                + " {\"enabled\": false}");
    PipelineSpec on = off.over(layer("\"state\": {\"dir\": \"s\"}")).toSpec();
    assertThat(on.stateDir()).isEqualTo(Path.of("s"));
  }

  @Test
  void theStateDirectoryDefaultsToDotSluiceUnderTheOutput() {
    PipelineSpec spec =
        layer("\"input\": {\"paths\": [\"in\"]}, \"output\": {\"dir\": \"out\"}").toSpec();
    assertThat(spec.stateDir()).isEqualTo(Path.of("out", StateSection.DEFAULT_STATE_DIR));
  }

  @Test
  void switchesAreTriStateSoAnUnsetOverrideKeepsTheFilesValue() {
    PipelineSpec kept = file().over(layer("\"state\": {\"waitLock\": \"2m\"}")).toSpec();
    assertThat(kept.overwrite()).isTrue();
    PipelineSpec off =
        file()
            .over(layer("\"output\": {\"overwrite\": false}, \"state\": {\"full\": true}"))
            .toSpec();
    assertThat(off.overwrite()).isFalse();
    assertThat(off.full()).isTrue();
  }

  @Test
  void escapeFormulasRunsAfterEveryStepIncludingOverridingOnes() {
    JobConfig escaping =
        layer(
            "\"input\": {\"paths\": [\"in\"]}, \"output\": {\"dir\": \"out\", \"escapeFormulas\":"
                + " true}");
    PipelineSpec spec = escaping.over(layer("\"steps\": [{\"upper\": [\"a\"]}]")).toSpec();
    assertThat(described(spec))
        .containsExactly(Steps.upper("a").describe(), Steps.escapeFormulas().describe());
  }

  @Test
  void toSpecBuilderAcceptsWhatAJobFileCannotHold() {
    PipelineSpec spec =
        file()
            .toSpecBuilder(PipelineSpec.builder())
            .threadFactory(Thread::new)
            .rejectListener(r -> {})
            .build();
    assertThat(spec.threadFactory()).isNotNull();
    assertThat(spec.rejectListener()).isNotNull();
    assertThat(spec.maxErrors()).isEqualTo(ErrorThreshold.count(5));
  }
}
