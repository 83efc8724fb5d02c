package dev.sluice.beam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.FileTrees;
import dev.sluice.Orders;
import dev.sluice.Sluice;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.Format;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Steps;
import dev.sluice.s3.S3Server;
import dev.sluice.s3.WithS3;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bench's T2 job through real Beam runners, Flink (an embedded Flink, parallelism 2) and Spark
 * ({@code local[2]}), compared byte for byte with the local engine: on W2-sized data (20,000 files
 * of 100 rows; {@code -Dsluice.runners.files=N} for fewer), on one file above the split size (cut
 * into ranges and joined), and on S3 (a server on loopback). Needs the runners on the class path:
 * {@code ./mvnw verify -Prunners -Dgroups=runners} (.ci/run).
 */
@Tag("runners")
@ExtendWith(WithS3.class)
@Timeout(1800)
class BeamRunnersIT {
  static final int FILES = Integer.getInteger("sluice.runners.files", 20_000);

  /** CSV cut into 512 KiB ranges: the huge-file case's 8 MB file makes about 16. */
  static final Format SPLIT_CSV = Format.csv().toBuilder().splitSize(512 * 1024).build();

  @TempDir static Path tmp;

  static Path w2;
  static Path w2Local;
  static long w2LocalNanos;

  /** The bench's T2 job (bench/run.sh), with rejects skipped so that a bad row stays a row. */
  static PipelineSpec.Builder t2(PipelineSpec.Builder b) {
    return b.step(Steps.filter("status == SHIPPED"))
        .step(Steps.filter("amount > 100"))
        .step(Steps.select("order_id", "customer_name", "email", "country", "amount"))
        .step(Steps.upper("country"))
        .step(Steps.lower("email"))
        .step(Steps.hash("email"))
        .onError(ErrorPolicy.SKIP);
  }

  static String[] runner(String name) {
    switch (name) {
      case "flink":
        return new String[] {"--runner=FlinkRunner", "--flinkMaster=[local]", "--parallelism=2"};
      case "spark":
        return new String[] {"--runner=SparkRunner", "--sparkMaster=local[2]"};
      default:
        throw new IllegalArgumentException(name);
    }
  }

  @BeforeAll
  static void w2() throws IOException {
    w2 = Orders.generate(tmp.resolve("w2"), FILES, 100, 11);
    // A bad row in one file: its reject file must match too.
    Files.writeString(
        w2.resolve(String.format(Locale.ROOT, "orders-%05d.csv", Math.min(FILES, 7))),
        "1,2,3\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    w2Local = tmp.resolve("w2-local");
    long t0 = System.nanoTime();
    t2(Sluice.builder().input(w2).output(w2Local)).run();
    w2LocalNanos = System.nanoTime() - t0;
  }

  @AfterEach
  void shouldLeaveNoSluiceThreadRunning() {
    assertThat(BeamEngineTest.engineThreads().map(Thread::getName)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"flink", "spark"})
  void shouldWriteTheLocalEnginesBytesOnW2(String name) throws IOException {
    Path out = tmp.resolve("w2-" + name);
    long t0 = System.nanoTime();
    RunResult r =
        BeamEngine.run(t2(PipelineSpec.builder().input(w2).output(out)).build(), runner(name));
    long nanos = System.nanoTime() - t0;

    System.out.printf(
        Locale.ROOT,
        "[runners] W2/T2, %,d files: local engine %.1f s, %s %.1f s%n",
        FILES,
        w2LocalNanos / 1e9,
        r.runner(),
        nanos / 1e9);
    assertSameTree(out, w2Local);
    assertThat(r.files()).isEqualTo(FILES);
    assertThat(r.recordsRejected()).isEqualTo(1);
    assertThat(r.runner()).isNotNull();
    assertThat(r.runner().parallelism()).isEqualTo(2);
    assertThat(r.summary()).contains("ran on: Beam " + r.runner().name() + ", parallelism 2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"flink", "spark"})
  void shouldSplitAHugeFileIntoRangesAndJoinThemIntoTheLocalEnginesBytes(String name)
      throws IOException {
    Path big = Orders.generate(tmp.resolve("big-" + name), 1, 60_000, 13);
    Path local = tmp.resolve("big-local-" + name);
    Path out = tmp.resolve("big-out-" + name);
    t2(Sluice.builder().input(big).output(local).inputFormat(SPLIT_CSV)).run();

    RunResult r =
        BeamEngine.run(
            t2(PipelineSpec.builder().input(big).output(out).inputFormat(SPLIT_CSV)).build(),
            runner(name));

    assertSameTree(out, local);
    assertThat(r.files()).isEqualTo(1);
    assertThat(leftovers(out)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"flink", "spark"})
  void shouldReadAndWriteS3(String name, S3Server s3) throws IOException {
    String bucket = s3.newBucket();
    Path in = Orders.generate(tmp.resolve("s3-in-" + name), 4, 300, 17);
    try (Stream<Path> s = Files.list(in)) {
      for (Path p : s.collect(Collectors.toList())) {
        s3.put(bucket, "in/" + p.getFileName(), Files.readAllBytes(p));
      }
    }
    Path local = tmp.resolve("s3-local-" + name);
    t2(Sluice.builder().input(in).output(local)).run();

    BeamEngine.run(
        t2(PipelineSpec.builder()
                .input(Path.of(URI.create("s3://" + bucket + "/in/")))
                .output(Path.of(URI.create("s3://" + bucket + "/out"))))
            .build(),
        runner(name));

    Map<String, byte[]> objects = s3.objects(bucket, "out/");
    Map<String, byte[]> expected = FileTrees.under(local).bytes();
    assertThat(objects).containsOnlyKeys(expected.keySet());
    expected.forEach((k, v) -> assertThat(objects.get(k)).as(k).isEqualTo(v));
  }

  private static void assertSameTree(Path actual, Path expected) {
    Map<String, byte[]> e = FileTrees.under(expected).bytes();
    Map<String, byte[]> a = FileTrees.under(actual).bytes();
    assertThat(a.keySet()).isEqualTo(e.keySet());
    e.forEach((k, v) -> assertThat(a.get(k)).as(k).isEqualTo(v));
  }

  private static java.util.List<Path> leftovers(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".sluice-tmp"))
          .collect(Collectors.toList());
    }
  }
}
