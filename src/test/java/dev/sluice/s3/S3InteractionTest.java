package dev.sluice.s3;

import static dev.sluice.s3.S3Jobs.assertSameBytes;
import static dev.sluice.s3.S3Jobs.cli;
import static dev.sluice.s3.S3Jobs.putTree;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.FileTrees;
import dev.sluice.Orders;
import dev.sluice.s3.S3Jobs.Cli;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where object storage meets the other options: output formats and gzip, input actions, the CLI's
 * joins (merge, partitions, standard output), and a killed run's spool files.
 */
@ExtendWith(WithS3.class)
@Timeout(180)
class S3InteractionTest {
  private static final int SEED = 7;

  @TempDir Path tmp;

  private S3Server s3;
  private String bucket;
  private Path in;

  @BeforeEach
  void upload(S3Server server) throws IOException {
    s3 = server;
    bucket = s3.newBucket();
    in = Orders.generate(tmp.resolve("in"), 3, 500, SEED);
    putTree(s3, bucket, in, "in/");
  }

  private String s3(String key) {
    return "s3://" + bucket + "/" + key;
  }

  @Test
  void shouldWriteGzippedJsonLinesToS3AsToADisk() throws IOException {
    String[] job = {"--to", "jsonl", "--gzip-output", "--hash", "email"};
    Cli local =
        cli(
            job,
            "run",
            "--no-state",
            "--input",
            in.toString(),
            "--output",
            tmp.resolve("local").toString());
    Cli remote = cli(job, "run", "--no-state", "--input", s3("in"), "--output", s3("out"));

    assertThat(local.code()).as(local.toString()).isZero();
    assertThat(remote.code()).as(remote.toString()).isZero();
    assertSameBytes(s3.objects(bucket, "out/"), FileTrees.under(tmp.resolve("local")).bytes());
    assertThat(s3.objects(bucket, "out/")).containsKey("orders-00001.jsonl.gz");
  }

  @Test
  void shouldMoveFinishedInputsWithinTheBucket() throws IOException {
    Cli r =
        cli(
            new String[0],
            "run",
            "--state-dir",
            tmp.resolve("state").toString(),
            "--on-success",
            "move:" + s3("archive"),
            "--input",
            s3("in"),
            "--output",
            s3("out"));

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(s3.objects(bucket, "in/")).isEmpty();
    assertThat(s3.objects(bucket, "archive/").keySet())
        .containsExactly("orders-00001.csv", "orders-00002.csv", "orders-00003.csv");
    assertThat(s3.objects(bucket, "archive/").get("orders-00001.csv"))
        .isEqualTo(Files.readAllBytes(in.resolve("orders-00001.csv")));
    assertThat(s3.objects(bucket, "out/")).hasSize(3);
  }

  @Test
  void shouldMergeS3InputsIntoOneLocalFileLikeLocalInputs() throws IOException {
    Cli local =
        cli(
            new String[0],
            "run",
            "--no-state",
            "--input",
            in.toString(),
            "--merge-output",
            tmp.resolve("local.csv").toString());
    Cli remote =
        cli(
            new String[0],
            "run",
            "--no-state",
            "--input",
            s3("in"),
            "--merge-output",
            tmp.resolve("remote.csv").toString());

    assertThat(local.code()).as(local.toString()).isZero();
    assertThat(remote.code()).as(remote.toString()).isZero();
    assertThat(Files.readAllBytes(tmp.resolve("remote.csv")))
        .isEqualTo(Files.readAllBytes(tmp.resolve("local.csv")));
  }

  @Test
  void shouldRefuseJoinsWhoseWorkingFilesWouldLiveInObjectStorage() {
    Cli merge =
        cli(
            new String[0],
            "run",
            "--no-state",
            "--input",
            s3("in"),
            "--merge-output",
            s3("all.csv"));
    Cli parts =
        cli(
            new String[0],
            "run",
            "--no-state",
            "--input",
            s3("in"),
            "--output",
            s3("by"),
            "--partition-by",
            "country");

    assertThat(merge.code()).as(merge.toString()).isEqualTo(2);
    assertThat(merge.err()).contains("--merge-output").contains("object storage");
    assertThat(parts.code()).as(parts.toString()).isEqualTo(2);
    assertThat(parts.err()).contains("--partition-by").contains("object storage");
    assertThat(s3.objects(bucket).keySet()).allMatch(k -> k.startsWith("in/"));
  }

  @Test
  void shouldDeleteTheSpoolFilesOfAKilledRunAndNoneOfALiveOne() throws IOException {
    Path tmpDir = Path.of(System.getProperty("java.io.tmpdir"));
    Path abandoned = Files.createTempFile(tmpDir, "sluice-deadrun-", ".spool");
    Path live = Files.createTempFile(tmpDir, "sluice-liverun-", ".spool");
    try (FileChannel ch = FileChannel.open(live, StandardOpenOption.WRITE);
        FileLock held = ch.lock()) {
      Cli r = cli(new String[0], "run", "--no-state", "--input", s3("in"), "--output", s3("out"));

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(held.isValid()).isTrue();
      assertThat(abandoned).doesNotExist();
      assertThat(live).exists();
    } finally {
      Files.deleteIfExists(live);
      Files.deleteIfExists(abandoned);
    }
  }

  // --- helpers

}
