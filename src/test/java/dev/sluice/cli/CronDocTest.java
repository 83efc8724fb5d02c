package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.PipelineSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** docs/CRON.md stays true: its crontab line parses, its metrics are the ones written. */
class CronDocTest {
  private static final Path DOC = Path.of("docs/CRON.md");

  @Test
  void theCrontabLineIsAValidSluiceCommandLine() throws IOException {
    String line =
        Files.readAllLines(DOC).stream()
            .filter(l -> l.contains("sluice-cli.jar run "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no crontab line in " + DOC));
    String command =
        line.substring(line.indexOf("sluice-cli.jar run ") + "sluice-cli.jar run ".length());
    RunCommand cmd = new RunCommand();
    new CommandLine(cmd).parseArgs(command.trim().split("\\s+"));

    assertThat(cmd.job).isEqualTo("/etc/sluice/nightly.job");
    assertThat(cmd.common.quiet).isTrue();
    PipelineSpec.Builder b = PipelineSpec.builder();
    cmd.state.applyTo(b, Path.of("out"));
    PipelineSpec spec = b.input(Path.of("in")).output(Path.of("out")).build();
    assertThat(spec.waitLock()).isEqualTo(java.time.Duration.ofMinutes(30));
    assertThat(spec.timeout()).isEqualTo(java.time.Duration.ofHours(3));
    assertThat(cmd.metricsFile).endsWith(".prom");
    assertThat(cmd.common.logFile).isEqualTo("/var/log/sluice/nightly.log");
  }

  @Test
  void theMetricsTableListsExactlyTheMetricsWritten() throws IOException {
    Set<String> documented = new TreeSet<>();
    Matcher m = Pattern.compile("(?m)^\\| `(sluice_\\w+)`").matcher(Files.readString(DOC));
    while (m.find()) {
      documented.add(m.group(1));
    }
    MetricsFile.Run run =
        new MetricsFile.Run(
            "nightly",
            Instant.now(),
            Duration.ofSeconds(1),
            0,
            FakePipelines.result(1, 0, 0, 10, 0));
    Set<String> written = new TreeSet<>();
    for (String l :
        new String(MetricsFile.render(run, OptionalDouble.empty()), StandardCharsets.UTF_8)
            .split("\n")) {
      MetricsFile.Sample s = MetricsFile.parse(l);
      if (s != null) {
        written.add(s.name());
      }
    }
    assertThat(documented).isEqualTo(written).hasSize(8);
  }
}
