package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: a hash step with a key given anywhere (the job file's {@code hashKeyFile} or {@code
 * --hash-key-file}, steps from either) is a keyed HMAC-SHA256, on the local engine and on Beam; the
 * manifest's fingerprint tells plain from keyed without holding the key.
 */
@Timeout(120)
class HashKeyJobTest {
  private static final byte[] KEY =
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path tmp;
  Path in;
  Path jobs;

  @BeforeEach
  void setUp() throws IOException {
    in = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(in.resolve("a.csv"), "id,email\n1,ann@example.org\n");
    jobs = Files.createDirectories(tmp.resolve("jobs"));
    Files.write(jobs.resolve("secret.key"), KEY);
  }

  private static String hmac(String value) throws GeneralSecurityException {
    Mac m = Mac.getInstance("HmacSHA256");
    m.init(new SecretKeySpec(KEY, "HmacSHA256"));
    return HexFormat.of().formatHex(m.doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }

  private static String sha256(String value) throws GeneralSecurityException {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
  }

  private Path job(String name, String extra) throws IOException {
    Path job = jobs.resolve(name);
    Files.writeString(
        job,
        "{\"version\": 1, \"input\": {\"paths\": [\"../in\"]}, \"output\": {\"dir\": \"../out\"},"
            + " \"steps\": [{\"hash\": [\"email\"]}]"
            + extra
            + "}");
    return job;
  }

  private List<String> output(Path dir) throws IOException {
    return Files.readAllLines(dir.resolve("a.csv"));
  }

  @Test
  void aJobFilesHashStepShouldUseTheKeyFileGivenOnTheCommandLine() throws Exception {
    Path job = job("plain.job", "");

    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--job",
            job.toString(),
            "--hash-key-file",
            jobs.resolve("secret.key").toString(),
            "--quiet");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(output(tmp.resolve("out")))
        .containsExactly("id,email", "1," + hmac("ann@example.org"));
  }

  @Test
  void aJobFileShouldNameItsKeyFileRelativeToItsOwnDirectory() throws Exception {
    Path job = job("keyed.job", ", \"hashKeyFile\": \"secret.key\"");

    CliRunner.Result r = CliRunner.run("run", "--job", job.toString(), "--quiet");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(output(tmp.resolve("out")))
        .containsExactly("id,email", "1," + hmac("ann@example.org"));
  }

  @Test
  void hashStepsFromTheCommandLineShouldUseTheJobFilesKey() throws Exception {
    Path job = job("keyed.job", ", \"hashKeyFile\": \"secret.key\"");
    Path out = tmp.resolve("cli-steps");

    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--job",
            job.toString(),
            "--output",
            out.toString(),
            "--lower",
            "email",
            "--hash",
            "email",
            "--quiet");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(output(out)).containsExactly("id,email", "1," + hmac("ann@example.org"));
  }

  @Test
  void switchingBetweenPlainAndKeyedShouldChangeTheJobFingerprintWithoutRecordingTheKey()
      throws Exception {
    Path job = job("plain.job", "");
    Path out = tmp.resolve("out");

    CliRunner.Result plain = CliRunner.run("run", "--job", job.toString(), "--quiet");
    List<String> plainOutput = output(out);
    CliRunner.Result keyed =
        CliRunner.run(
            "run",
            "--job",
            job.toString(),
            "--hash-key-file",
            jobs.resolve("secret.key").toString(),
            "--verbose");
    CliRunner.Result full =
        CliRunner.run(
            "run",
            "--job",
            job.toString(),
            "--hash-key-file",
            jobs.resolve("secret.key").toString(),
            "--full",
            "--verbose");

    assertThat(plain.code()).as(plain.toString()).isZero();
    assertThat(plainOutput).containsExactly("id,email", "1," + sha256("ann@example.org"));
    assertThat(keyed.code())
        .as("plain to keyed must not reuse the plain run's outputs: %s", keyed)
        .isEqualTo(2);
    assertThat(keyed.err()).contains("job definition changed");
    assertThat(full.code()).as(full.toString()).isZero();
    assertThat(output(out)).containsExactly("id,email", "1," + hmac("ann@example.org"));
    String manifest = Files.readString(out.resolve(".sluice/manifest.jsonl"));
    String keyText = new String(KEY, StandardCharsets.US_ASCII);
    String keyHex = HexFormat.of().formatHex(KEY);
    for (String text : List.of(manifest, full.err(), full.out())) {
      assertThat(text).doesNotContain(keyText).doesNotContain(keyHex);
    }
  }

  @Test
  void aMissingKeyFileShouldBeAUsageErrorNamingItsAbsolutePath() throws IOException {
    Path job = job("missing.job", ", \"hashKeyFile\": \"nope.key\"");

    CliRunner.Result fromJob = CliRunner.run("run", "--job", job.toString());
    CliRunner.Result fromFlag =
        CliRunner.run(
            "run", "--job", job("plain.job", "").toString(), "--hash-key-file", "no-such.key");

    assertThat(fromJob.code()).isEqualTo(2);
    assertThat(fromJob.err())
        .contains("hashKeyFile", jobs.resolve("nope.key").toAbsolutePath().normalize().toString());
    assertThat(fromFlag.code()).isEqualTo(2);
    assertThat(fromFlag.err()).contains(Path.of("no-such.key").toAbsolutePath().toString());
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void theKeyedStepShouldReachBeamWorkers() throws Exception {
    Path job = job("keyed.job", ", \"hashKeyFile\": \"secret.key\"");
    Path out = tmp.resolve("beam");

    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--job",
            job.toString(),
            "--output",
            out.toString(),
            "--engine",
            "beam",
            "--runner",
            "DirectRunner",
            "--quiet");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(output(out)).containsExactly("id,email", "1," + hmac("ann@example.org"));
  }
}
