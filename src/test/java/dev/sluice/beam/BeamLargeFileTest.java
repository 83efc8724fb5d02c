package dev.sluice.beam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.FileTrees;
import dev.sluice.Sluice;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.ErrorType;
import dev.sluice.api.Format;
import dev.sluice.api.InputSettings;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Steps;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.Split;
import dev.sluice.engine.LocalEngine;
import dev.sluice.internal.io.Formats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file larger than the split size on Beam: cut into ranges as the local engine cuts it, processed
 * range by range in parallel on the Direct runner, and joined back into the bytes a local run
 * writes (output, reject file, counts), with nothing left behind.
 */
@Timeout(180)
class BeamLargeFileTest {
  /** Small enough to cut the generated file (about 1.9 MB) into a dozen ranges. */
  private static final long SPLIT = 160 * 1024;

  private static final int RECORDS = 40_000;

  /** Records with an extra field: in ranges after the first, spread over several of them. */
  private static final List<Integer> BAD = List.of(9_001, 17_003, 26_005, 33_007, 39_999);

  @TempDir Path tmp;

  @AfterEach
  void shouldLeaveNoSluiceThreadRunning() {
    assertThat(BeamEngineTest.engineThreads().map(Thread::getName))
        .as("sluice threads alive after the test")
        .isEmpty();
  }

  @Test
  void shouldJoinTheRangesOfALargeCsvFileIntoTheLocalEnginesBytesAmongSmallFiles()
      throws IOException {
    Path in = tmp.resolve("in");
    bigCsv(in.resolve("big.csv"), ',', true, BAD);
    BeamEngineTest.generate(in, 3, 200); // small files next to it, processed whole

    Map<String, Integer> ranges =
        both(
            in,
            b ->
                b.inputFormat(csv(SPLIT))
                    .onError(ErrorPolicy.SKIP)
                    .maxErrorsPerFile(ErrorThreshold.percent(1))
                    .step(Steps.filter("amount > 100"))
                    .step(Steps.lower("email"))
                    .step(Steps.hash("email")));

    assertThat(ranges).containsOnlyKeys("big.csv");
    assertThat(ranges.get("big.csv")).isGreaterThan(5);
    String rejects = Files.readString(tmp.resolve("beam/_rejects/big.csv.rejects.csv"));
    for (int bad : BAD) {
      assertThat(rejects).contains("big.csv," + lineOf(bad) + ",");
    }
  }

  @Test
  void shouldCountTheRecordsAndWarningsOfALargeFileOnceLikeTheLocalEngine() throws IOException {
    Path in = tmp.resolve("in");
    bigCsv(in.resolve("big.csv"), ',', true, BAD);

    RunResult[] results = new RunResult[2];
    both(in, b -> b.inputFormat(csv(SPLIT)).onError(ErrorPolicy.SKIP), results);

    RunResult local = results[0];
    RunResult beam = results[1];
    assertThat(beam.files()).isEqualTo(1);
    assertThat(beam.recordsRead()).isEqualTo(local.recordsRead()).isEqualTo(RECORDS);
    assertThat(beam.recordsRejected()).isEqualTo(BAD.size());
    assertThat(beam.rejectsByType()).isEqualTo(Map.of(ErrorType.WRONG_FIELD_COUNT, 5L));
    assertThat(beam.bytesRead()).isEqualTo(Files.size(in.resolve("big.csv")));
    assertThat(beam.firstWarnings())
        .contains(String.format(Locale.ROOT, "big.csv: %,d blank lines skipped", RECORDS / 500));
  }

  @Test
  void shouldJoinALargeTsvFileIntoTheLocalEnginesBytes() throws IOException {
    Path in = tmp.resolve("in");
    bigCsv(in.resolve("big.tsv"), '\t', true, List.of(26_005));
    Format tsv = Format.tsv().toBuilder().splitSize(SPLIT).build();

    Map<String, Integer> ranges =
        both(in, b -> b.inputFormat(tsv).outputFormat(tsv).onError(ErrorPolicy.SKIP));

    assertThat(ranges.get("big.tsv")).isGreaterThan(5);
  }

  @Test
  void shouldJoinALargeFileWithoutHeaderIntoTheLocalEnginesBytes() throws IOException {
    Path in = tmp.resolve("in");
    bigCsv(in.resolve("big.csv"), ',', false, BAD);
    Format noHeader = csv(SPLIT).toBuilder().header(false).build();

    Map<String, Integer> ranges =
        both(in, b -> b.inputFormat(noHeader).outputFormat(noHeader).onError(ErrorPolicy.SKIP));

    assertThat(ranges.get("big.csv")).isGreaterThan(5);
  }

  @Test
  void shouldCompressTheJoinedRangesAsOneGzipStreamLikeTheLocalEngine() throws IOException {
    Path in = tmp.resolve("in");
    bigCsv(in.resolve("big.csv"), ',', true, BAD);

    Map<String, Integer> ranges =
        both(
            in,
            b ->
                b.inputFormat(csv(SPLIT))
                    .outputFormat(Format.csv().toBuilder().gzip(true).build())
                    .onError(ErrorPolicy.SKIP)
                    .step(Steps.upper("note")));

    assertThat(ranges.get("big.csv")).isGreaterThan(5);
    assertThat(FileTrees.under(tmp.resolve("beam")).orEmptyIfMissing().bytes().keySet())
        .contains("big.csv.gz");
  }

  @Test
  void shouldFailAtTheFileLineOfABadRecordInALaterRangeUnderTheFailPolicy() throws IOException {
    Path in = tmp.resolve("in");
    bigCsv(in.resolve("big.csv"), ',', true, List.of(26_005));
    UnaryOperator<PipelineSpec.Builder> job = b -> b.inputFormat(csv(SPLIT));

    PipelineException local =
        catchThrowableOfType(
            PipelineException.class,
            () -> job.apply(Sluice.builder().input(in).output(tmp.resolve("local"))).run());
    PipelineException beam =
        catchThrowableOfType(
            PipelineException.class,
            () ->
                BeamEngine.run(
                    job.apply(PipelineSpec.builder().input(in).output(tmp.resolve("beam"))).build(),
                    BeamEngineTest.DIRECT));

    assertThat(local).isNotNull();
    assertThat(beam).isNotNull();
    assertThat(beam.file()).isEqualTo(local.file()).isEqualTo("big.csv");
    assertThat(beam.line()).isEqualTo(local.line()).isEqualTo(lineOf(26_005));
    assertThat(beam.getMessage()).contains(String.format(Locale.ROOT, "line %,d", lineOf(26_005)));
    assertThat(leftovers(tmp.resolve("beam"))).isEmpty();
    assertThat(tmp.resolve("beam/big.csv")).doesNotExist();
  }

  @Test
  void shouldFailAFileWhoseRangesTogetherExceedMaxErrorsPerFileAtTheCrossingLine()
      throws IOException {
    Path in = tmp.resolve("in");
    bigCsv(in.resolve("big.csv"), ',', true, BAD);
    // No range holds more than one bad record: only the file's total exceeds the limit.
    UnaryOperator<PipelineSpec.Builder> job =
        b ->
            b.inputFormat(csv(SPLIT))
                .onError(ErrorPolicy.SKIP)
                .maxErrorsPerFile(ErrorThreshold.count(3));

    PipelineException local =
        catchThrowableOfType(
            PipelineException.class,
            () -> job.apply(Sluice.builder().input(in).output(tmp.resolve("local"))).run());
    PipelineException beam =
        catchThrowableOfType(
            PipelineException.class,
            () ->
                BeamEngine.run(
                    job.apply(PipelineSpec.builder().input(in).output(tmp.resolve("beam"))).build(),
                    BeamEngineTest.DIRECT));

    assertThat(local).isNotNull().hasMessageContaining("exceed --max-errors-per-file 3");
    assertThat(beam)
        .isNotNull()
        .hasMessageContaining("too many rejected records: 5 of 40,000 read exceed")
        .hasMessageContaining("--max-errors-per-file 3");
    assertThat(beam.file()).isEqualTo("big.csv");
    assertThat(beam.line()).isEqualTo(lineOf(BAD.get(3))); // the fourth reject crossed it
    assertThat(leftovers(tmp.resolve("beam"))).isEmpty();
    assertThat(tmp.resolve("beam/big.csv")).doesNotExist();
  }

  @Test
  void shouldFailTheWholeLargeFileUnderTheSkipPolicyWhenOneRangeFailsIt() throws IOException {
    Path in = tmp.resolve("in");
    Path big = bigCsv(in.resolve("big.csv"), ',', true, BAD);
    // A NUL byte (binary input) in a later range fails the file, not the run.
    byte[] bytes = Files.readAllBytes(big);
    bytes[new String(bytes, StandardCharsets.ISO_8859_1).indexOf("note 30001")] = 0;
    Files.write(big, bytes);

    RunResult[] results = new RunResult[2];
    both(in, b -> b.inputFormat(csv(SPLIT)).onError(ErrorPolicy.SKIP), results);

    assertThat(results[1].filesFailed()).isEqualTo(1);
    assertThat(results[1].recordsRejected()).isEqualTo(results[1].recordsRead());
    assertThat(tmp.resolve("beam/big.csv")).doesNotExist();
  }

  @Test
  void shouldWriteTheSameFileWhenRangesAndTheJoinAreProcessedTwiceAsOnARetry() throws IOException {
    Path in = tmp.resolve("in");
    Path big = bigCsv(in.resolve("big.csv"), ',', true, BAD);
    Path out = tmp.resolve("beam");
    PipelineSpec job =
        PipelineSpec.builder()
            .input(in)
            .output(out)
            .inputFormat(csv(SPLIT))
            .onError(ErrorPolicy.SKIP)
            .build();
    Sluice.run(job.toBuilder().output(tmp.resolve("local")).build());
    PipelineSpec worker = ProcessFileFn.workerSpec(job, InputSettings.builder().input(big));
    InputFile file = new InputFile(0, big, "big.csv", Files.size(big));
    List<Split> splits = Formats.input(worker.inputFormat()).plan(file);
    assertThat(splits).hasSizeGreaterThan(5);

    List<LocalEngine.RangeResult> results = new ArrayList<>();
    for (int attempt = 0; attempt < 2; attempt++) {
      for (Split s : splits) {
        results.add(
            LocalEngine.processRange(
                worker,
                Formats.input(worker.inputFormat()),
                Formats.output(worker.outputFormat()),
                s,
                "retried"));
      }
    }
    // A join run again after it committed (a runner's retry after a lost acknowledgement) finds
    // the parts and writes the same bytes again.
    RunResult r = null;
    for (int attempt = 0; attempt < 2; attempt++) {
      r =
          LocalEngine.joinRanges(
              worker, Formats.output(worker.outputFormat()), file, results, "retried");
      for (String name : List.of("big.csv", "_rejects/big.csv.rejects.csv")) {
        assertThat(out.resolve(name)).as(name).hasSameBinaryContentAs(tmp.resolve("local/" + name));
      }
    }
    LocalEngine.deleteRangeParts(
        worker, Formats.output(worker.outputFormat()), file, splits.size(), "retried");
    BeamEngineTest.assertSameBytes(tmp.resolve("local"), out);

    assertThat(r.files()).isEqualTo(1);
    assertThat(r.recordsRead()).isEqualTo(RECORDS);
    assertThat(leftovers(out)).isEmpty();
  }

  // ---- helpers

  /**
   * Runs {@code job} on {@code in} locally and on Beam, checks that Beam wrote the same bytes and
   * counted the same, and left no part or temp file; returns Beam's ranges per file.
   */
  private Map<String, Integer> both(Path in, UnaryOperator<PipelineSpec.Builder> job)
      throws IOException {
    return both(in, job, new RunResult[2]);
  }

  private Map<String, Integer> both(
      Path in, UnaryOperator<PipelineSpec.Builder> job, RunResult[] results) throws IOException {
    Path local = tmp.resolve("local");
    Path beam = tmp.resolve("beam");
    results[0] = job.apply(Sluice.builder().input(in).output(local)).run();
    BeamEngine planned =
        BeamEngine.plan(
            job.apply(PipelineSpec.builder().input(in).output(beam)).build(),
            PipelineOptionsFactory.fromArgs(BeamEngineTest.DIRECT).create());
    results[1] = planned.run();
    BeamEngineTest.assertSameBytes(local, beam);
    BeamEngineTest.assertSameCounts(results[1], results[0]);
    assertThat(leftovers(beam)).isEmpty();
    return planned.ranges();
  }

  private static Format csv(long splitSize) {
    return Format.csv().toBuilder().splitSize(splitSize).build();
  }

  /** Temp and part files under {@code root}, hidden ones included. */
  private static List<String> leftovers(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (var files = Files.walk(root)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".sluice-tmp"))
          .collect(Collectors.toList());
    }
  }

  /**
   * Writes {@code RECORDS} records: a quoted note over three lines every 7th record (CSV only),
   * CRLF after every 11th, a blank line after every 500th, and an extra field on each of {@code
   * bad}.
   */
  private static Path bigCsv(Path file, char delimiter, boolean header, List<Integer> bad)
      throws IOException {
    Set<Integer> extra = Set.copyOf(bad);
    String d = String.valueOf(delimiter);
    boolean quotes = delimiter == ',';
    StringBuilder sb = new StringBuilder(2 << 20);
    if (header) {
      sb.append(String.join(d, "id", "note", "amount", "email")).append('\n');
    }
    for (int i = 1; i <= RECORDS; i++) {
      sb.append(i).append(d);
      if (quotes && i % 7 == 0) {
        sb.append("\"multi\nline, \"\"quoted\"\"\r\nnote ").append(i).append('"');
      } else {
        sb.append("note ").append(i);
      }
      sb.append(d).append(i * 37 % 1000).append(d).append("User").append(i).append("@Example.com");
      if (extra.contains(i)) {
        sb.append(d).append("extra");
      }
      sb.append(i % 11 == 0 ? "\r\n" : "\n");
      if (i % 500 == 0) {
        sb.append('\n');
      }
    }
    Files.createDirectories(file.getParent());
    return Files.writeString(file, sb, StandardCharsets.UTF_8);
  }

  /** The file line where record {@code n} starts (with the header; TSV has no multi-line notes). */
  private static long lineOf(int n) {
    long line = 2;
    for (int i = 1; i < n; i++) {
      line += i % 7 == 0 ? 3 : 1;
      if (i % 500 == 0) {
        line++;
      }
    }
    return line;
  }
}
