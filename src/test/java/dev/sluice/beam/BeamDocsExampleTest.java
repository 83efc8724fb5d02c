package dev.sluice.beam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Steps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the library examples of docs/BEAM.md on the Direct runner, and checks that the page shows
 * exactly the code between the markers, so the documentation cannot go stale.
 */
@Timeout(120)
class BeamDocsExampleTest {
  @TempDir Path tmp;

  @Test
  void shouldRunTheOneCallExample() {
    Path in = Path.of("sample-data/**/*.{csv,csv.gz}");
    Path out = tmp.resolve("out");
    // BEAM-DOC-BEGIN one-call
    PipelineSpec spec =
        PipelineSpec.builder()
            .input(in) // a directory, file or glob that every worker sees under the same path
            .output(out)
            .step(Steps.filter("status == SHIPPED"))
            .step(Steps.hash("email"))
            .onError(ErrorPolicy.SKIP)
            .build();

    RunResult result =
        BeamEngine.run(spec, "--runner=DirectRunner"); // or FlinkRunner, SparkRunner, ...
    System.out.println(result.summary());
    // BEAM-DOC-END one-call

    assertThat(result.files()).isEqualTo(3);
    assertThat(result.recordsRead()).isEqualTo(result.recordsPassed() + result.recordsFiltered());
  }

  @Test
  void shouldRunThePlanThenRunExample() {
    Path in = Path.of("sample-data/**/*.{csv,csv.gz}");
    Path out = tmp.resolve("out");
    String[] args = {"--runner=DirectRunner"};
    PipelineSpec spec =
        PipelineSpec.builder().input(in).output(out).step(Steps.hash("email")).build();
    // BEAM-DOC-BEGIN plan
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args).withValidation().create();
    BeamEngine plan =
        BeamEngine.plan(spec, options); // checks, lists the inputs, builds the pipeline
    System.out.println("files: " + plan.files());
    RunResult result = plan.run();
    // BEAM-DOC-END plan

    assertThat(plan.files())
        .containsExactly(
            "2026/10/orders-eu.csv", "2026/11/orders-apac.csv.gz", "2026/11/orders-us.csv");
    assertThat(result.files()).isEqualTo(3);
  }

  @Test
  void docsShouldShowTheExamplesVerbatim() throws IOException {
    String doc = normalize(Files.readString(Path.of("docs/BEAM.md")));
    String source =
        Files.readString(Path.of("src/test/java/dev/sluice/beam/BeamDocsExampleTest.java"));
    for (String name : List.of("one-call", "plan")) {
      String begin = "// BEAM-DOC-BEGIN " + name + "\n";
      int from = source.indexOf(begin) + begin.length();
      int to = source.indexOf("    // BEAM-DOC-END " + name, from);
      assertThat(doc)
          .as("docs/BEAM.md shows the %s example", name)
          .contains(normalize(source.substring(from, to)));
    }
  }

  /** Drops indentation and blank lines so the page can show the code unindented. */
  private static String normalize(String s) {
    return s.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
  }
}
