package dev.sluice.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorPolicy;
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

/** Laying one definition over another, as the command line does over a job file. */
class JobDefinitionTest {
  private static final Path FILE = Path.of("jobs/nightly.job");

  private static JobDefinition file() {
    return JobFile.parse(
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
    PipelineSpec same = file().overriddenBy(JobDefinition.builder().build()).toSpec();

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
    JobDefinition merged =
        file()
            .overriddenBy(
                JobDefinition.builder()
                    .output(Path.of("elsewhere"))
                    .readers(2)
                    .outputFormat(Format.Kind.JSONL)
                    .waitLock(Duration.ofSeconds(5))
                    .onError(ErrorPolicy.SKIP)
                    .identity(PipelineSpec.Identity.HASH)
                    .name("renamed")
                    .build());
    PipelineSpec spec = merged.toSpec();

    assertThat(merged.name()).isEqualTo("renamed");
    assertThat(merged.source()).isEqualTo(FILE);
    assertThat(spec.output()).isEqualTo(Path.of("elsewhere"));
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
    assertThat(described(spec)).hasSize(2);
  }

  @Test
  void anyOverridingStepReplacesAllOfTheFilesSteps() {
    PipelineSpec spec =
        file().overriddenBy(JobDefinition.builder().step(Steps.hash("c")).build()).toSpec();
    assertThat(described(spec)).containsExactly(Steps.hash("c").describe());
  }

  @Test
  void anyOverridingInputReplacesAllOfTheFilesInputs() {
    PipelineSpec spec =
        file().overriddenBy(JobDefinition.builder().input(Path.of("only")).build()).toSpec();
    assertThat(spec.inputs()).containsExactly(Path.of("only"));
  }

  @Test
  void threadsInTheOverrideAlsoReplacesTheFilesPerStageCounts() {
    PipelineSpec all = file().overriddenBy(JobDefinition.builder().threads(2).build()).toSpec();
    assertThat(List.of(all.readers(), all.transformers(), all.writers())).containsExactly(2, 2, 2);

    PipelineSpec mixed =
        file().overriddenBy(JobDefinition.builder().threads(2).writers(1).build()).toSpec();
    assertThat(List.of(mixed.readers(), mixed.transformers(), mixed.writers()))
        .containsExactly(2, 2, 1);
  }

  @Test
  void disablingStateDropsTheFilesStateDirectoryAndNamingOneEnablesIt() {
    PipelineSpec none = file().overriddenBy(JobDefinition.builder().state(false).build()).toSpec();
    assertThat(none.stateDir()).isNull();

    JobDefinition off =
        JobDefinition.builder().input(Path.of("in")).output(Path.of("out")).state(false).build();
    PipelineSpec on =
        off.overriddenBy(JobDefinition.builder().stateDir(Path.of("s")).build()).toSpec();
    assertThat(on.stateDir()).isEqualTo(Path.of("s"));
  }

  @Test
  void theStateDirectoryDefaultsToDotSluiceUnderTheOutput() {
    PipelineSpec spec =
        JobDefinition.builder().input(Path.of("in")).output(Path.of("out")).build().toSpec();
    assertThat(spec.stateDir()).isEqualTo(Path.of("out", JobDefinition.DEFAULT_STATE_DIR));
  }

  @Test
  void switchesAreTriStateSoAnUnsetOverrideKeepsTheFilesValue() {
    PipelineSpec kept =
        file().overriddenBy(JobDefinition.builder().overwrite(null).full(null).build()).toSpec();
    assertThat(kept.overwrite()).isTrue();
    PipelineSpec off =
        file().overriddenBy(JobDefinition.builder().overwrite(false).full(true).build()).toSpec();
    assertThat(off.overwrite()).isFalse();
    assertThat(off.full()).isTrue();
  }

  @Test
  void escapeFormulasRunsAfterEveryStepIncludingOverridingOnes() {
    JobDefinition escaping =
        JobDefinition.builder()
            .input(Path.of("in"))
            .output(Path.of("out"))
            .escapeFormulas(true)
            .build();
    PipelineSpec spec =
        escaping.overriddenBy(JobDefinition.builder().step(Steps.upper("a")).build()).toSpec();
    assertThat(described(spec))
        .containsExactly(Steps.upper("a").describe(), Steps.escapeFormulas().describe());
  }

  @Test
  void stateDisabledWithADirectoryIsContradictory() {
    assertThatThrownBy(() -> JobDefinition.builder().state(false).stateDir(Path.of("s")).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("state is disabled");
  }

  @Test
  void toSpecBuilderAcceptsWhatAJobFileCannotHold() {
    PipelineSpec spec =
        file().toSpecBuilder().threadFactory(Thread::new).rejectListener(r -> {}).build();
    assertThat(spec.threadFactory()).isNotNull();
    assertThat(spec.rejectListener()).isNotNull();
    assertThat(spec.maxErrors()).isEqualTo(ErrorThreshold.count(5));
  }
}
