package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.PipelineSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BeamLaunch} on its own: which engine a run asks for, and the options passed to Beam. */
class BeamLaunchTest {
  private static final Set<String> KNOWN = Set.of("--threads", "--output");

  @Test
  void shouldSelectTheEngineByNameInAnyCase() {
    assertThat(new BeamLaunch(" Beam ", "FlinkRunner", List.of("--parallelism=4")).selected(KNOWN))
        .isTrue();
    assertThat(new BeamLaunch("LOCAL", null, List.of()).selected(KNOWN)).isFalse();
  }

  @Test
  void shouldRefuseAnUnknownEngine() {
    assertThatThrownBy(() -> new BeamLaunch("spark", null, List.of()).selected(KNOWN))
        .isInstanceOf(UsageException.class)
        .hasMessage("--engine must be local or beam (got 'spark')");
  }

  @Test
  void shouldTreatOptionsForBeamAsUnknownOnTheLocalEngine() {
    assertThatThrownBy(() -> new BeamLaunch("local", null, List.of("--thread")).selected(KNOWN))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "Unknown option: '--thread'; did you mean '--threads'? (options for Beam need --engine"
                + " beam)");
    assertThatThrownBy(() -> new BeamLaunch("local", "FlinkRunner", List.of()).selected(KNOWN))
        .isInstanceOf(UsageException.class)
        .hasMessage("--runner: options for Beam need --engine beam");
  }

  @Test
  void shouldRefuseAnOptionForBeamThatIsNotNameEqualsValue(@TempDir Path tmp) {
    PipelineSpec spec = PipelineSpec.builder().input(tmp).output(tmp.resolve("out")).build();

    assertThatThrownBy(() -> new BeamLaunch("beam", null, List.of("parallelism=4")).run(spec))
        .isInstanceOf(UsageException.class)
        .hasMessage("options for Beam take the form --name=value (got 'parallelism=4')");
  }
}
