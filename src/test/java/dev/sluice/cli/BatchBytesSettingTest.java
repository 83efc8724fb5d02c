package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.PipelineSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --batch-bytes} and the job file's {@code engine.batchBytes}: the setting added through its
 * section ({@code SizingSettings}) and its section class ({@code internal.config.SizingSection}),
 * which is both the option and the job file key.
 */
class BatchBytesSettingTest {
  @TempDir Path tmp;
  private Path job;

  @BeforeEach
  void writeJob() throws IOException {
    Files.writeString(tmp.resolve("a.csv"), "id\n1\n");
    job = tmp.resolve("nightly.job");
    Files.writeString(
        job,
        "{\"version\": 1, \"input\": {\"paths\": [\"a.csv\"]}, \"output\": {\"dir\": \"out\"},"
            + " \"engine\": {\"batchBytes\": \"64k\"}}");
  }

  private static PipelineSpec spec(String... args) {
    return Parsed.run(args).toSpec();
  }

  @Test
  void shouldDefaultTo256KiB() {
    assertThat(
            spec(
                    "--input",
                    tmp.resolve("a.csv").toString(),
                    "--output",
                    tmp.resolve("out").toString())
                .batchBytes())
        .isEqualTo(PipelineSpec.DEFAULT_BATCH_BYTES);
  }

  @Test
  void shouldTakeASizeFromTheCommandLine() {
    PipelineSpec spec =
        spec(
            "--input",
            tmp.resolve("a.csv").toString(),
            "--output",
            tmp.resolve("out").toString(),
            "--batch-bytes",
            "1m");

    assertThat(spec.batchBytes()).isEqualTo(1 << 20);
    assertThat(spec.sizingSettings().batchBytes()).isEqualTo(1 << 20);
  }

  @Test
  void shouldTakeTheJobFilesValueUnlessTheFlagIsGiven() {
    assertThat(spec("--job", job.toString()).batchBytes()).isEqualTo(64 << 10);
    assertThat(spec("--job", job.toString(), "--batch-bytes", "4096").batchBytes()).isEqualTo(4096);
  }

  @Test
  void shouldRefuseAZeroOrHugeSizeNamingTheFlagOrKey() throws IOException {
    String[] base = {
      "--input", tmp.resolve("a.csv").toString(), "--output", tmp.resolve("out").toString()
    };
    assertThatThrownBy(() -> spec(concat(base, "--batch-bytes", "0")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--batch-bytes");
    assertThatThrownBy(() -> spec(concat(base, "--batch-bytes", "4g")))
        .isInstanceOf(UsageException.class)
        .hasMessage("--batch-bytes must be below 2g (got 4g)");
    Files.writeString(
        job,
        "{\"version\": 1, \"input\": {\"paths\": [\"a.csv\"]}, \"output\": {\"dir\": \"out\"},"
            + " \"engine\": {\"batchBytes\": \"4g\"}}");
    assertThatThrownBy(() -> spec("--job", job.toString()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("engine.batchBytes: must be below 2g (got 4g)");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
