package dev.sluice.s3;

import static dev.sluice.s3.S3Jobs.assertSameBytes;
import static dev.sluice.s3.S3Jobs.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.FileTrees;
import dev.sluice.Orders;
import dev.sluice.Sluice;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.PipelineException;
import dev.sluice.api.RunResult;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import dev.sluice.beam.BeamEngine;
import dev.sluice.s3.S3Jobs.Cli;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * s3:// inputs and outputs through the S3 file-system provider, against an S3 server on loopback:
 * the same bytes as the same job on local files, outputs that appear whole or not at all, no
 * temporary object or spool file left, state on a local path.
 */
@ExtendWith(WithS3.class)
@Timeout(180)
class S3LocalEngineTest {
  private static final int SEED = 5;

  @TempDir Path tmp;

  private S3Server s3;
  private String bucket;
  private Path in;

  @BeforeEach
  void upload(S3Server server) throws IOException {
    s3 = server;
    bucket = s3.newBucket();
    in = Orders.generate(tmp.resolve("in"), 3, 3000, SEED);
    Files.createDirectories(in.resolve("sub"));
    Files.writeString(
        in.resolve("sub/bad.csv"),
        Files.readString(in.resolve("orders-00001.csv"), StandardCharsets.UTF_8)
            .lines()
            .limit(40)
            .collect(Collectors.joining("\n", "", "\nBAD,ROW\n")),
        StandardCharsets.UTF_8);
    S3Jobs.putTree(s3, bucket, in, "in/");
  }

  private static final String[] JOB = {
    "-x",
    "--filter",
    "status == SHIPPED",
    "--upper",
    "country",
    "--hash",
    "email",
    "--on-error",
    "skip"
  };

  @Test
  void shouldWriteTheSameBytesToS3AsToADisk() throws IOException {
    Cli local =
        cli(
            JOB,
            "run",
            "--no-state",
            "--input",
            in.toString(),
            "--output",
            tmp.resolve("local").toString());
    Cli remote =
        cli(
            JOB,
            "run",
            "--no-state",
            "--input",
            "s3://" + bucket + "/in",
            "--output",
            "s3://" + bucket + "/out");

    assertThat(local.code()).as(local.toString()).isEqualTo(3);
    assertThat(remote.code()).as(remote.toString()).isEqualTo(3);
    Map<String, byte[]> expected = FileTrees.under(tmp.resolve("local")).bytes();
    assertThat(expected)
        .containsKeys("orders-00001.csv", "sub/bad.csv", "_rejects/sub/bad.csv.rejects.csv");
    assertThat(s3.objects(bucket, "out/")).containsOnlyKeys(expected.keySet());
    assertSameBytes(s3.objects(bucket, "out/"), expected);
    assertThat(remote.out())
        .contains(
            "files: 4", "reject files: s3://" + bucket + "/out/_rejects/sub/bad.csv.rejects.csv");
    assertNoSpoolFilesLeft();
  }

  @Test
  void shouldSayWhenAPrefixHoldsNothingOrTheBucketIsMissing() {
    Cli missingPrefix =
        cli(
            JOB,
            "run",
            "--no-state",
            "--input",
            "s3://" + bucket + "/nothing",
            "--output",
            tmp.resolve("o1").toString());
    Cli missingBucket =
        cli(
            JOB,
            "run",
            "--no-state",
            "--input",
            "s3://no-such-bucket/in",
            "--output",
            tmp.resolve("o2").toString());

    assertThat(missingPrefix.code()).as(missingPrefix.toString()).isZero();
    assertThat(missingPrefix.out()).contains("files: 0", "warnings: 1");
    assertThat(missingPrefix.err()).contains("no object under s3://" + bucket + "/nothing/");
    assertThat(missingBucket.code()).isEqualTo(1);
    assertThat(missingBucket.err())
        .contains("cannot list s3://no-such-bucket/in/")
        .contains("bucket does not exist");
  }

  @Test
  void shouldTakeObjectStoreLocationsFromAJobFileAsTheyAre() throws IOException {
    Path jobs = Files.createDirectories(tmp.resolve("jobs"));
    Path job =
        Files.writeString(
            jobs.resolve("s3.job"),
            "{\"version\": 1, \"input\": {\"paths\": [\"s3://"
                + bucket
                + "/in/**/bad*.csv\"]}, \"output\": {\"dir\": \"s3://"
                + bucket
                + "/jobout\"}, \"state\": {\"dir\": \"state\"}}",
            StandardCharsets.UTF_8);

    Cli r = cli(JOB, "run", "--job", job.toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(3);
    assertThat(s3.objects(bucket, "jobout/").keySet())
        .containsExactly("_rejects/sub/bad.csv.rejects.csv", "sub/bad.csv");
    assertThat(jobs.resolve("state/manifest.jsonl")).exists(); // relative to the job file
  }

  @Test
  void shouldListAGlobInABucket() throws IOException {
    Cli r =
        cli(
            JOB,
            "run",
            "--no-state",
            "--input",
            "s3://" + bucket + "/in/**/bad*.csv",
            "--output",
            "s3://" + bucket + "/out");

    assertThat(r.code()).as(r.toString()).isEqualTo(3);
    assertThat(s3.objects(bucket, "out/").keySet())
        .containsExactly("_rejects/sub/bad.csv.rejects.csv", "sub/bad.csv");
  }

  @Test
  void shouldReadFromS3IntoADiskAndFromADiskIntoS3() throws IOException {
    Cli down =
        cli(
            JOB,
            "run",
            "--no-state",
            "--input",
            "s3://" + bucket + "/in/",
            "--output",
            tmp.resolve("down").toString());
    Cli up =
        cli(
            JOB,
            "run",
            "--no-state",
            "--input",
            in.toString(),
            "--output",
            "s3://" + bucket + "/up");
    Cli local =
        cli(
            JOB,
            "run",
            "--no-state",
            "--input",
            in.toString(),
            "--output",
            tmp.resolve("local").toString());

    assertThat(List.of(down.code(), up.code(), local.code()))
        .as(down.toString() + up)
        .containsOnly(3);
    Map<String, byte[]> expected = FileTrees.under(tmp.resolve("local")).bytes();
    assertSameBytes(FileTrees.under(tmp.resolve("down")).bytes(), expected);
    assertSameBytes(s3.objects(bucket, "up/"), expected);
  }

  @Test
  void shouldReadAFileCutIntoSplitsWithRangedReads() throws IOException {
    Path big = Orders.generate(tmp.resolve("big"), 1, 60_000, SEED);
    S3Jobs.putTree(s3, bucket, big, "big/");
    String[] split = {"--split-size", "256k", "--readers", "3"};
    Cli local =
        cli(
            JOB,
            concat(
                new String[] {
                  "run",
                  "--no-state",
                  "--input",
                  big.toString(),
                  "--output",
                  tmp.resolve("local").toString()
                },
                split));
    Cli remote =
        cli(
            JOB,
            concat(
                new String[] {
                  "run",
                  "--no-state",
                  "--input",
                  "s3://" + bucket + "/big",
                  "--output",
                  "s3://" + bucket + "/bigout"
                },
                split));

    assertThat(local.code()).as(local.toString()).isZero();
    assertThat(remote.code()).as(remote.toString()).isZero();
    assertSameBytes(s3.objects(bucket, "bigout/"), FileTrees.under(tmp.resolve("local")).bytes());
  }

  @Test
  void shouldLeaveNoObjectForAFileThatFailed() throws IOException {
    // The last record of one file fails the run: that file's output must not appear, not even in
    // part, and nothing temporary may stay in the bucket.
    String last = lastOrderId();
    Step failOnLast =
        (row, out) -> {
          if (row.get("order_id").equals(last)) {
            throw new IllegalStateException("boom");
          }
          out.emit(row);
        };
    PipelineException e =
        catchPipelineException(
            () ->
                Sluice.builder()
                    .input(Path.of(URI.create("s3://" + bucket + "/in/orders-00002.csv")))
                    .output(Path.of(URI.create("s3://" + bucket + "/failed")))
                    .step(failOnLast)
                    .run());

    assertThat(e.getMessage()).contains("orders-00002.csv").contains("boom");
    assertThat(s3.objects(bucket, "failed/")).isEmpty();
    assertThat(s3.objects(bucket).keySet()).allMatch(k -> k.startsWith("in/"));
    assertNoSpoolFilesLeft();
  }

  private String lastOrderId() {
    try {
      List<String> lines =
          Files.readAllLines(in.resolve("orders-00002.csv"), StandardCharsets.UTF_8);
      return lines.get(lines.size() - 1).split(",", 2)[0];
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void shouldReplaceAnExistingObjectWithOverwrite() throws IOException {
    s3.put(bucket, "out/orders-00001.csv", "old,contents\n");
    Cli refused =
        cli(
            JOB,
            "run",
            "--no-state",
            "--input",
            "s3://" + bucket + "/in/orders-00001.csv",
            "--output",
            "s3://" + bucket + "/out");
    assertThat(refused.code()).isNotZero();
    assertThat(refused.err()).contains("s3://" + bucket + "/out/orders-00001.csv");
    assertThat(s3.objects(bucket, "out/").get("orders-00001.csv"))
        .asString()
        .isEqualTo("old,contents\n");

    Cli replaced =
        cli(
            JOB,
            "run",
            "--no-state",
            "--overwrite",
            "--input",
            "s3://" + bucket + "/in/orders-00001.csv",
            "--output",
            "s3://" + bucket + "/out");
    Cli local =
        cli(
            JOB,
            "run",
            "--no-state",
            "--input",
            in.resolve("orders-00001.csv").toString(),
            "--output",
            tmp.resolve("local").toString());
    assertThat(replaced.code()).as(replaced.toString()).isZero();
    assertThat(s3.objects(bucket, "out/").get("orders-00001.csv"))
        .isEqualTo(FileTrees.under(tmp.resolve("local")).bytes().get("orders-00001.csv"));
  }

  @Test
  void shouldKeepStateOnALocalPathAndResumeFromIt() throws IOException {
    Cli noStateDir =
        cli(JOB, "run", "--input", "s3://" + bucket + "/in", "--output", "s3://" + bucket + "/out");
    assertThat(noStateDir.code()).isEqualTo(2);
    assertThat(noStateDir.err()).contains("--state-dir").contains("--no-state");
    assertThat(s3.objects(bucket, "out/")).isEmpty();

    Path state = tmp.resolve("state");
    Cli first =
        cli(
            JOB,
            "run",
            "--state-dir",
            state.toString(),
            "--input",
            "s3://" + bucket + "/in",
            "--output",
            "s3://" + bucket + "/out");
    s3.put(bucket, "in/later.csv", Files.readAllBytes(in.resolve("orders-00003.csv")));
    Cli second =
        cli(
            JOB,
            "run",
            "--state-dir",
            state.toString(),
            "--input",
            "s3://" + bucket + "/in",
            "--output",
            "s3://" + bucket + "/out");

    assertThat(first.code()).as(first.toString()).isEqualTo(3);
    assertThat(second.code()).as(second.toString()).isZero();
    assertThat(second.out()).contains("files: 1, 4 skipped");
    assertThat(s3.objects(bucket, "out/")).containsKey("later.csv");
    assertThat(Files.readString(state.resolve("manifest.jsonl"), StandardCharsets.UTF_8))
        .contains("s3://" + bucket + "/out/later.csv");
  }

  @Test
  void shouldRunOnBeamWithTheSameBytes() throws IOException {
    RunResult local =
        Sluice.builder()
            .input(in)
            .output(tmp.resolve("local"))
            .step(Steps.filter("status == SHIPPED"))
            .step(Steps.hash("email"))
            .onError(ErrorPolicy.SKIP)
            .run();
    RunResult beam =
        BeamEngine.run(
            dev.sluice.api.PipelineSpec.builder()
                .input(Path.of(URI.create("s3://" + bucket + "/in/")))
                .output(Path.of(URI.create("s3://" + bucket + "/beam")))
                .step(Steps.filter("status == SHIPPED"))
                .step(Steps.hash("email"))
                .onError(ErrorPolicy.SKIP)
                .build(),
            "--runner=DirectRunner",
            "--targetParallelism=2");

    assertSameBytes(s3.objects(bucket, "beam/"), FileTrees.under(tmp.resolve("local")).bytes());
    assertThat(beam.recordsWritten()).isEqualTo(local.recordsWritten());
    assertThat(beam.rejectFiles())
        .extracting(p -> p.toUri().toString())
        .containsExactly("s3://" + bucket + "/beam/_rejects/sub/bad.csv.rejects.csv");
  }

  // --- helpers

  private static void assertNoSpoolFilesLeft() throws IOException {
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(
              s.map(p -> p.getFileName().toString())
                  .filter(n -> n.startsWith("sluice-") && n.endsWith(".spool")))
          .isEmpty();
    }
  }

  private static PipelineException catchPipelineException(ThrowableAssert.ThrowingCallable c) {
    return org.assertj.core.api.Assertions.catchThrowableOfType(PipelineException.class, c);
  }

  private static String[] concat(String[] a, String[] b) {
    List<String> l = new ArrayList<>(List.of(a));
    l.addAll(List.of(b));
    return l.toArray(new String[0]);
  }
}
