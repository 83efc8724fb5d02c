package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.Sluice;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunPlan;
import dev.sluice.api.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan and the run decide through one {@link RunPlanner}: a dry run shows what a run does. */
class RunPlannerTest {
  @TempDir Path tmp;

  @Test
  void shouldPlanTheFilesTheNextRunProcessesAndSkipsTheDoneOnes() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path out = tmp.resolve("out");
    Files.writeString(in.resolve("a.csv"), "id\n1\n");
    Files.writeString(in.resolve("b.csv"), "id\n2\n");
    PipelineSpec spec =
        PipelineSpec.builder().input(in).output(out).stateDir(out.resolve(".sluice")).build();
    Sluice.run(spec);
    Files.writeString(in.resolve("b.csv"), "id\n2\n3\n"); // changed: its identity no longer matches
    Files.writeString(in.resolve("c.csv"), "id\n4\n");

    RunPlan plan = Sluice.plan(spec);
    RunResult run = Sluice.run(spec);

    assertThat(
            plan.files().stream()
                .filter(RunPlan.Entry::process)
                .map(RunPlan.Entry::relativeName)
                .collect(Collectors.toList()))
        .containsExactly("b.csv", "c.csv");
    assertThat(
            plan.files().stream()
                .filter(e -> !e.process())
                .map(RunPlan.Entry::reason)
                .collect(Collectors.toList()))
        .containsExactly("done by an earlier run");
    assertThat(plan.files())
        .extracting(RunPlan.Entry::output)
        .containsExactly(
            out.resolve("a.csv").toAbsolutePath(),
            out.resolve("b.csv").toAbsolutePath(),
            out.resolve("c.csv").toAbsolutePath());
    assertThat(run.files()).isEqualTo(plan.toProcess());
    assertThat(run.filesSkipped()).isEqualTo(plan.toSkip());
    assertThat(Files.readString(out.resolve("b.csv"))).isEqualTo("id\n2\n3\n");
  }

  @Test
  void shouldRefuseAForeignOutputInThePlanAsInTheRun() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(in.resolve("a.csv"), "id\n1\n");
    Files.writeString(out.resolve("a.csv"), "not ours\n");
    PipelineSpec spec = PipelineSpec.builder().input(in).output(out).build();

    assertThatThrownBy(() -> Sluice.plan(spec))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("output file exists: ");
    assertThatThrownBy(() -> Sluice.run(spec))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("output file exists: ");
    assertThat(Files.readString(out.resolve("a.csv"))).isEqualTo("not ours\n");
    assertThat(List.of(out.toFile().list())).containsExactly("a.csv");
  }
}
