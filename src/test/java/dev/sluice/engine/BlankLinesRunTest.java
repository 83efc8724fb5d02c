package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.Format;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.internal.io.Formats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: blank lines skipped in a run are one counted warning per file, with the file's total,
 * however many splits and readers read it; the setting is part of the job's fingerprint.
 */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlankLinesRunTest {
  @TempDir Path tmp;

  @Test
  void blankLinesOfAFileReadInManySplitsAreOneWarningWithTheFilesTotal() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("in"));
    StringBuilder sb = new StringBuilder("id,note\n");
    StringBuilder expected = new StringBuilder("id,note\n");
    for (int i = 1; i <= 2_000; i++) {
      sb.append(i).append(",n").append(i).append('\n').append(i % 10 == 0 ? "\n\r\n" : "");
      expected.append(i).append(",n").append(i).append('\n');
    }
    Files.writeString(in.resolve("big.csv"), sb);
    Files.writeString(in.resolve("small.csv"), "id,note\n1,a\n\n");
    Files.writeString(in.resolve("clean.csv"), "id,note\n1,a\n");
    Format format = Format.csv().toBuilder().splitSize(1024).build();
    PipelineSpec spec =
        PipelineSpec.builder()
            .input(in)
            .output(tmp.resolve("out"))
            .inputFormat(format)
            .threads(4, 2, 2)
            .build();

    RunResult r;
    try (DefaultPipeline p =
        new DefaultPipeline(
            spec, Formats.input(format), Formats.output(Format.csv()), EngineHooks.NONE)) {
      r = p.run();
    }

    assertThat(
            Formats.input(format)
                .plan(
                    new dev.sluice.api.spi.InputFile(
                        0, in.resolve("big.csv"), "big.csv", Files.size(in.resolve("big.csv")))))
        .hasSizeGreaterThan(10);
    assertThat(r.warnings()).isEqualTo(2);
    assertThat(r.firstWarnings())
        .containsExactlyInAnyOrder(
            "big.csv: 400 blank lines skipped", "small.csv: 1 blank line skipped");
    assertThat(r.recordsRead()).isEqualTo(2_002);
    assertThat(r.recordsRejected()).isZero();
    assertThat(Files.readString(tmp.resolve("out/big.csv"))).isEqualTo(expected.toString());
  }

  @Test
  void theBlankLinesSettingIsPartOfTheJobFingerprint() {
    PipelineSpec.Builder b =
        PipelineSpec.builder().input(tmp.resolve("in")).output(tmp.resolve("out"));
    String skip = StateStore.fingerprint(b.inputFormat(Format.csv()).build());
    String fail =
        StateStore.fingerprint(
            b.inputFormat(Format.csv().toBuilder().blankLines(Format.BlankLines.FAIL).build())
                .build());
    String keep =
        StateStore.fingerprint(
            b.inputFormat(Format.csv().toBuilder().blankLines(Format.BlankLines.KEEP).build())
                .build());

    assertThat(fail).isNotEqualTo(skip).isNotEqualTo(keep);
    assertThat(keep).isNotEqualTo(skip);
  }
}
