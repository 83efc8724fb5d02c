package dev.sluice.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: a hash key keys every hash step, whichever of two definitions gave the steps or the
 * key.
 */
class JobHashKeyTest {
  private static final byte[] KEY =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path tmp;
  Path key;

  @BeforeEach
  void key() throws IOException {
    key = Files.write(tmp.resolve("k"), KEY);
  }

  private static List<String> described(List<Step> steps) {
    return steps.stream().map(Step::describe).collect(Collectors.toList());
  }

  private Path job(String extra) throws IOException {
    return Files.writeString(
        tmp.resolve("j.job"),
        "{\"version\": 1, \"input\": {\"paths\": [\"in\"]}, \"output\": {\"dir\": \"out\"}, \"steps\": [{\"hash\": [\"email\"]}]"
            + extra
            + "}");
  }

  @Test
  void aKeyLaidOverAFilesHashStepsShouldKeyThem() throws IOException {
    JobConfig file = JobReader.read(job(""));

    JobConfig keyed = file.over(JobFileTest.layer("\"hashKeyFile\": \"" + key + "\""));

    assertThat(described(file.steps())).containsExactly(Steps.hash("email").describe());
    assertThat(described(keyed.steps())).containsExactly(Steps.hmac(KEY, "email").describe());
    assertThat(described(keyed.toSpec().steps()))
        .containsExactly(Steps.hmac(KEY, "email").describe());
    assertThat(keyed.hashKeyFile()).isEqualTo(key);
  }

  @Test
  void aFilesKeyShouldKeyTheHashStepsThatReplaceItsOwn() throws IOException {
    JobConfig file = JobReader.read(job(", \"hashKeyFile\": \"k\""));

    JobConfig replaced = file.over(JobFileTest.layer("\"steps\": [{\"hash\": [\"phone\"]}]"));

    assertThat(described(file.steps())).containsExactly(Steps.hmac(KEY, "email").describe());
    assertThat(described(replaced.steps())).containsExactly(Steps.hmac(KEY, "phone").describe());
    assertThat(replaced.toString()).doesNotContain(new String(KEY, StandardCharsets.US_ASCII));
  }

  @Test
  void aShortKeyShouldBeRefusedNamingItsAbsolutePath() throws IOException {
    Files.write(key, new byte[] {1, 2, 3});

    assertThatThrownBy(() -> JobReader.read(job(", \"hashKeyFile\": \"k\"")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("hashKeyFile")
        .hasMessageContaining(key.toAbsolutePath().toString())
        .hasMessageContaining("holds 3 bytes");
  }
}
