package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice check} meets a job file that sets what check does not take on its command line
 * (output, state, rejects, input actions): the file's reading settings apply, and still nothing is
 * written, moved or locked.
 */
class CheckWithJobFileTest {
  @TempDir Path tmp;

  @Test
  void aJobFilesWriteSettingsShouldNotMakeCheckWriteAnything() throws IOException {
    Files.createDirectories(tmp.resolve("in"));
    Files.writeString(tmp.resolve("in/a.csv"), "id;amount\n1;5\n2;500\n3;x;y\n");
    Path job =
        Files.writeString(
            tmp.resolve("nightly.job"),
            "{\"version\": 1,"
                + " \"input\": {\"paths\": [\"in\"], \"delimiter\": \";\", \"onSuccess\":"
                + " \"move:done\"},"
                + " \"output\": {\"dir\": \"out\", \"overwrite\": true},"
                + " \"steps\": [{\"filter\": \"amount > 100\"}],"
                + " \"errors\": {\"onError\": \"skip\", \"rejectDir\": \"rejects\"},"
                + " \"state\": {\"dir\": \"state\"}}");

    CliRunner.Result r = CliRunner.run("check", "--job", job.toString());

    // The delimiter came from the file: only the row with a field too many is rejected.
    assertThat(r.code()).isEqualTo(ExitCodes.REJECTS);
    assertThat(r.out()).contains("3 record(s) read, 1 would be rejected; nothing was written");
    try (var left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("in", "nightly.job");
    }
    assertThat(tmp.resolve("in/a.csv")).exists();
  }
}
