package dev.sluice.faults;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.Sluice;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorType;
import dev.sluice.api.Format;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Step;
import dev.sluice.cli.Main;
import dev.sluice.faults.FaultyFileSystem.Op;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The faults of the issue "Bad input and faults" one by one: inputs that change between listing and
 * reading, overlapping input and output directories, colliding output names, and user steps that
 * misbehave.
 *
 * <p>Inputs change from inside a step of the same run. That is deterministic without waiting: with
 * one transformer, busy running the step, the bounded queue stops the readers a few batches later,
 * so when the step runs on an early record of the first file, the readers cannot have reached the
 * last file (nor, in a 420 KB file, its end). With two transformers it would not be: the other one
 * could drain the queue while the first is descheduled.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FaultsTest {
  private static final String HEADER = "file,id,value";

  @TempDir Path tmp;

  @AfterEach
  void noEngineThreadOutlivesARun() {
    assertThat(SweepJob.sluiceThreads()).as("engine threads alive").isEmpty();
  }

  /** {@code count} files f01.csv.. of {@code records} rows each: file,id,value. */
  private Path inputs(Path dir, int count, int records) throws IOException {
    Files.createDirectories(dir);
    for (int f = 1; f <= count; f++) {
      Files.writeString(dir.resolve(name(f)), csv(stem(f), 1, records));
    }
    return dir;
  }

  private static String stem(int f) {
    return String.format(java.util.Locale.ROOT, "f%02d", f);
  }

  private static String name(int f) {
    return stem(f) + ".csv";
  }

  private static String csv(String file, int from, int to) {
    return HEADER + "\n" + rows(file, from, to);
  }

  private static String rows(String file, int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i <= to; i++) {
      sb.append(file).append(',').append(i).append(",value ").append(i).append('\n');
    }
    return sb.toString();
  }

  /** Small batches, a small queue and one transformer: the readers stay close behind it. */
  private static PipelineSpec.Builder job(Path in, Path out) {
    return Sluice.builder().input(in).output(out).threads(2, 1, 2).batchSize(10).queueCapacity(2);
  }

  /**
   * A step that does {@code action} once, on the first record of {@code file}, and passes every row
   * on.
   */
  private static Step onFirstRecordOf(String file, IoAction action) {
    AtomicBoolean done = new AtomicBoolean();
    return (row, out) -> {
      if (row.get("file").equals(file) && !done.getAndSet(true)) {
        action.run();
      }
      out.emit(row);
    };
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }

  private static List<CSVRecord> parse(Path csv) throws IOException {
    try (CSVParser p =
        CSVFormat.RFC4180
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .get()
            .parse(Files.newBufferedReader(csv, UTF_8))) {
      return p.getRecords();
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .collect(Collectors.toList());
    }
  }

  // ---- inputs that change between listing and reading

  @Test
  void underSkipAnInputDeletedAfterTheListingShouldBeAFileFailedRejectAndTheOthersWritten()
      throws IOException {
    Path in = inputs(tmp.resolve("in"), 20, 50);
    Path out = tmp.resolve("out");
    Path victim = in.resolve("f20.csv");

    RunResult r =
        job(in, out)
            .onError(ErrorPolicy.SKIP)
            .step(onFirstRecordOf("f01", () -> Files.delete(victim)))
            .run();

    List<CSVRecord> rejects = parse(out.resolve("_rejects/f20.csv.rejects.csv"));
    assertThat(rejects).hasSize(1);
    assertThat(rejects.get(0).get("type")).isEqualTo("FILE_FAILED");
    // e.g. "no such file: /tmp/junit.../in/f20.csv"
    assertThat(rejects.get(0).get("message")).isEqualTo("no such file: " + victim);
    assertThat(out.resolve("f20.csv")).doesNotExist();
    for (int f = 1; f < 20; f++) {
      assertThat(out.resolve(name(f))).hasContent(csv(stem(f), 1, 50).strip());
    }
    assertThat(r.files()).isEqualTo(19);
    assertThat(r.filesFailed()).isEqualTo(1);
    assertThat(r.recordsRead()).isEqualTo(19 * 50);
    SweepJob.assertAddsUp(r);
    assertThat(SweepJob.temps(out)).isEmpty();
  }

  @Test
  void underFailAnInputDeletedAfterTheListingShouldFailTheRunNamingIt() throws IOException {
    Path in = inputs(tmp.resolve("in"), 20, 50);
    Path out = tmp.resolve("out");
    Path victim = in.resolve("f20.csv");

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () -> job(in, out).step(onFirstRecordOf("f01", () -> Files.delete(victim))).run());

    // "read failed in f20.csv: no such file: /tmp/junit.../in/f20.csv"
    assertThat(e).hasMessage("read failed in f20.csv: no such file: " + victim);
    assertThat(e.file()).isEqualTo("f20.csv");
    assertThat(e.getCause()).isInstanceOf(java.nio.file.NoSuchFileException.class);
    SweepJob.assertAddsUp(e.result());
    for (String name : names(out)) {
      assertThat(out.resolve(name))
          .as("committed before the failure")
          .hasContent(csv(name.substring(0, 3), 1, 50).strip());
    }
    assertThat(SweepJob.temps(out)).isEmpty();
  }

  /**
   * Issue 14: a file is read up to the size it had when listed; one that shrank below it since
   * fails (a whole file is never taken for what it was), under skip as a FILE_FAILED reject.
   */
  @Test
  void anInputTruncatedAfterTheListingShouldFailAsAFileThatShrank() throws IOException {
    Path in = inputs(tmp.resolve("in"), 20, 50);
    Path victim = in.resolve("f20.csv");
    long listed = Files.size(victim);
    // At a record boundary, after its second field, inside its third: all fail the same way.
    for (String cut :
        List.of(csv("f20", 1, 25), csv("f20", 1, 25) + "f20,2", csv("f20", 1, 25) + "f20,26,val")) {
      Files.writeString(victim, csv("f20", 1, 50));
      Path fail = Files.createTempDirectory(tmp, "fail");
      PipelineException e =
          catchThrowableOfType(
              PipelineException.class,
              () ->
                  job(in, fail)
                      .step(onFirstRecordOf("f01", () -> Files.writeString(victim, cut)))
                      .run());
      // "bad input in f20.csv at line 27 (record 26): FILE_FAILED: the file shrank while it was
      // read: it had 1,096 bytes when listed, but ended after 521 (truncated or replaced); ..."
      assertThat(e.file()).isEqualTo("f20.csv");
      assertThat(e.getMessage())
          .contains(
              String.format(
                  java.util.Locale.ROOT,
                  "FILE_FAILED: the file shrank while it was read: it had %,d bytes when listed, but"
                      + " ended after %,d",
                  listed,
                  cut.length()));
      SweepJob.assertAddsUp(e.result());
      assertThat(fail.resolve("f20.csv")).doesNotExist();

      Files.writeString(victim, csv("f20", 1, 50));
      Path skip = Files.createTempDirectory(tmp, "skip");
      RunResult r =
          job(in, skip)
              .onError(ErrorPolicy.SKIP)
              .step(onFirstRecordOf("f01", () -> Files.writeString(victim, cut)))
              .run();
      assertThat(skip.resolve("f20.csv")).doesNotExist();
      assertThat(r.filesFailed()).isEqualTo(1);
      assertThat(parse(skip.resolve("_rejects/f20.csv.rejects.csv")).get(0).get("message"))
          .startsWith("the file shrank while it was read");
      SweepJob.assertAddsUp(r);
    }
  }

  /**
   * Issue 14: records appended while a file is read are left for the next run, which sees its new
   * size; the run says so with a warning.
   */
  @Test
  void aFileGrowingWhileItIsReadShouldBeReadUpToItsListedSizeWithAWarning() throws IOException {
    Path in = tmp.resolve("in");
    Files.createDirectories(in);
    Path growing = in.resolve("f01.csv");
    Files.writeString(
        growing, csv("f01", 1, 20_000)); // about 420 KB: far more than the readers run ahead
    long listed = Files.size(growing);
    String appended = rows("f01", 20_001, 21_000);
    Step append =
        onFirstRecordOf(
            "f01",
            () -> {
              try (FileChannel ch = FileChannel.open(growing, StandardOpenOption.APPEND)) {
                ch.write(UTF_8.encode(appended)); // one write of whole records
              }
            });

    RunResult r = job(in, tmp.resolve("out")).batchSize(100).step(append).run();

    List<CSVRecord> got = parse(tmp.resolve("out/f01.csv"));
    assertThat(got).hasSize(20_000);
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i).get("id")).isEqualTo(Integer.toString(i + 1));
    }
    assertThat(r.recordsRead()).isEqualTo(20_000);
    assertThat(r.bytesRead()).isEqualTo(listed);
    assertThat(r.firstWarnings())
        .containsExactly(
            String.format(
                java.util.Locale.ROOT,
                "f01.csv grew while it was read: only the %,d bytes it had when listed were read",
                listed));
    SweepJob.assertAddsUp(r);
  }

  // ---- input and output directories that overlap

  @Test
  void anOutputDirectoryInsideTheInputShouldBeLeftOutOfTheListing() throws IOException {
    Path in = inputs(tmp.resolve("in"), 2, 5);
    Path out = in.resolve("out");

    RunResult first = job(in, out).run();
    RunResult second = job(in, out).overwrite(true).run();

    assertThat(first.files()).isEqualTo(2);
    assertThat(second.files())
        .as("the outputs of the first run are not inputs of the second")
        .isEqualTo(2);
    assertThat(names(out)).containsExactly("f01.csv", "f02.csv");
    assertThat(out.resolve("f01.csv")).hasContent(csv("f01", 1, 5).strip());
  }

  @Test
  void anOutputDirectoryThatIsTheInputShouldBeRefusedBeforeAnythingIsWritten() throws IOException {
    Path in = inputs(tmp.resolve("in"), 2, 5);
    List<String> before = names(in);

    ConfigurationException e =
        catchThrowableOfType(ConfigurationException.class, () -> job(in, in).overwrite(true).run());

    assertThat(e)
        .hasMessage(
            "the output directory "
                + in.toAbsolutePath().normalize()
                + " is the input directory "
                + in
                + ": choose another output directory");
    assertThat(names(in)).isEqualTo(before);
  }

  @Test
  void anOutputDirectoryThatIsTheInputShouldBeRefusedEvenWhenNoOutputNameEqualsItsInput()
      throws IOException {
    Path in = tmp.resolve("in");
    Files.createDirectories(in);
    gzip(in.resolve("x.csv.gz"), csv("x", 1, 5));
    List<String> before = names(in);

    ConfigurationException e =
        catchThrowableOfType(ConfigurationException.class, () -> job(in, in).run());

    assertThat(e).isNotNull();
    assertThat(names(in)).isEqualTo(before);
  }

  @Test
  void anInputInsideTheOutputDirectoryShouldHaveItsTopLevelFilesProcessed() throws IOException {
    Path out = tmp.resolve("out");
    Path in = inputs(out.resolve("in"), 2, 5);

    RunResult r = job(in, out).run();

    // Outputs mirror the names relative to the input, so they land beside it, not inside it.
    assertThat(r.files()).isEqualTo(2);
    assertThat(names(out)).containsExactly("f01.csv", "f02.csv", "in/f01.csv", "in/f02.csv");
    assertThat(out.resolve("f01.csv")).hasContent(csv("f01", 1, 5).strip());
  }

  @Test
  void anInputInsideTheOutputDirectoryShouldHaveItsSubdirectoriesProcessedToo() throws IOException {
    Path out = tmp.resolve("out");
    Path in = inputs(out.resolve("in"), 1, 5);
    Files.createDirectories(in.resolve("sub"));
    Files.writeString(in.resolve("sub/g.csv"), csv("g", 1, 5));

    RunResult r = job(in, out).run();

    assertThat(r.files()).isEqualTo(2);
    assertThat(out.resolve("sub/g.csv")).hasContent(csv("g", 1, 5).strip());
  }

  @Test
  void twoInputsWritingTheSameOutputShouldBeRefusedNamingBoth() throws IOException {
    Path in = tmp.resolve("in");
    Files.createDirectories(in);
    Files.writeString(in.resolve("x.csv"), csv("x", 1, 5));
    gzip(in.resolve("x.csv.gz"), csv("x", 6, 10));
    Path out = tmp.resolve("out");

    ConfigurationException e =
        catchThrowableOfType(ConfigurationException.class, () -> job(in, out).run());

    // "inputs x.csv and x.csv.gz would both write /tmp/junit.../out/x.csv: rename one or run them
    // separately"
    assertThat(e)
        .hasMessage(
            "inputs x.csv and x.csv.gz would both write "
                + out.resolve("x.csv")
                + ": rename one or run them separately");
    assertThat(out).doesNotExist();
  }

  private static void gzip(Path p, String text) throws IOException {
    try (var o = new java.util.zip.GZIPOutputStream(Files.newOutputStream(p))) {
      o.write(text.getBytes(UTF_8));
    }
  }

  private static long totalSize(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .mapToLong(
              p -> {
                try {
                  return Files.size(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .sum();
    }
  }

  // ---- user steps that misbehave

  /**
   * How a step misbehaves on record 7 (only there, so that one failure is first whatever the
   * threads do).
   */
  enum Misbehaviour {
    THROWS,
    EMITS_NULL,
    THROWS_ERROR;

    Step step() {
      Misbehaviour m = this;
      return (row, out) -> {
        if (!row.get("id").equals("7")) {
          out.emit(row);
        } else if (m == THROWS) {
          throw new IllegalStateException("cannot handle " + row.get("id"));
        } else if (m == EMITS_NULL) {
          out.emit(null);
        } else {
          throw new Error("fatal in step at " + row.get("id"));
        }
      };
    }
  }

  @ParameterizedTest
  @EnumSource(Misbehaviour.class)
  void underFailAMisbehavingStepShouldFailTheRunWithItsCause(Misbehaviour m) throws IOException {
    Path in = inputs(tmp.resolve("in"), 1, 20);

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class, () -> job(in, tmp.resolve("out")).step(m.step()).run());

    // e.g. "step custom step failed in f01.csv at line 8 (record 7): cannot handle 7"
    assertThat(e.getMessage())
        .startsWith("step custom step failed in f01.csv at line 8 (record 7): ");
    assertThat(e.file()).isEqualTo("f01.csv");
    assertThat(e.getCause())
        .isInstanceOf(
            m == Misbehaviour.THROWS
                ? IllegalStateException.class
                : m == Misbehaviour.EMITS_NULL ? NullPointerException.class : Error.class);
    SweepJob.assertAddsUp(e.result());
    assertThat(tmp.resolve("out/f01.csv")).doesNotExist();
  }

  @ParameterizedTest
  @EnumSource(
      value = Misbehaviour.class,
      names = {"THROWS", "EMITS_NULL"})
  void underSkipAStepThatThrowsOrEmitsNullShouldRejectThoseRecords(Misbehaviour m)
      throws IOException {
    Path in = inputs(tmp.resolve("in"), 2, 20);
    Path out = tmp.resolve("out");

    RunResult r = job(in, out).onError(ErrorPolicy.SKIP).step(m.step()).run();

    List<CSVRecord> rejects = parse(out.resolve("_rejects/f01.csv.rejects.csv"));
    assertThat(rejects).extracting(x -> x.get("line")).containsExactly("8");
    assertThat(rejects).extracting(x -> x.get("type")).containsOnly("STEP_FAILED");
    // e.g. "step custom step failed: cannot handle 7" / "step custom step failed: a step emitted
    // null"
    assertThat(rejects.get(0).get("message"))
        .isEqualTo(
            m == Misbehaviour.THROWS
                ? "step custom step failed: cannot handle 7"
                : "step custom step failed: a step emitted null");
    assertThat(rejects.get(0).get("raw")).isEqualTo("f01,7,value 7");
    assertThat(parse(out.resolve("f01.csv")))
        .extracting(x -> x.get("id"))
        .doesNotContain("7")
        .hasSize(19);
    assertThat(r.rejectsByType()).isEqualTo(Map.of(ErrorType.STEP_FAILED, 2L));
    SweepJob.assertAddsUp(r);
  }

  @Test
  void underSkipAStepThatThrowsAnErrorShouldStillFailTheRun() throws IOException {
    Path in = inputs(tmp.resolve("in"), 2, 20);
    Path out = tmp.resolve("out");

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () ->
                job(in, out)
                    .onError(ErrorPolicy.SKIP)
                    .step(Misbehaviour.THROWS_ERROR.step())
                    .run());

    // "step custom step failed in f01.csv at line 8 (record 7): fatal in step at 7"
    assertThat(e.getMessage())
        .matches(
            "step custom step failed in f0[12]\\.csv at line 8 \\(record 7\\): fatal in step at 7");
    assertThat(e.getCause()).isExactlyInstanceOf(Error.class);
    SweepJob.assertAddsUp(e.result());
    assertThat(SweepJob.temps(out)).isEmpty();
  }

  // ---- faults outside the list that the sweep turned up

  @Test
  void underSkipAFailedCloseOfAFullyReadInputStillFailsTheRun() throws IOException {
    // Documents current behaviour: the close error escapes ReaderWorker.read after the file's last
    // batch was handed on, so the skip policy does not apply and the whole run fails.
    Path in = inputs(tmp.resolve("in"), 3, 20);
    Path out = tmp.resolve("out");
    FaultyFileSystem fs = FaultyFileSystem.create();
    fs.failNth(
        Op.CLOSE,
        1,
        p -> p.startsWith(in) && p.endsWith("f02.csv"),
        p -> new IOException("injected close"));

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () -> job(fs.wrap(in), fs.wrap(out)).onError(ErrorPolicy.SKIP).run());

    assertThat(e.getMessage())
        .isEqualTo("read failed in f02.csv at line 21 (record 20): injected close");
    SweepJob.assertAddsUp(e.result());
    assertThat(SweepJob.temps(out)).isEmpty();
    for (String name : names(out)) {
      assertThat(out.resolve(name)).hasContent(csv(name.substring(0, 3), 1, 20).strip());
    }
  }

  @Test
  void underSkipAFileDroppedBeforeAnyRecordShouldStillExitWithRejects() throws IOException {
    Path in = inputs(tmp.resolve("in"), 2, 5);
    Files.write(in.resolve("junk.csv"), new byte[] {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5});
    Path out = tmp.resolve("out");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();

    int code =
        Main.run(
            new PrintWriter(stdout),
            new PrintWriter(stderr),
            "run",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--on-error",
            "skip");

    assertThat(out.resolve("_rejects/junk.csv.rejects.csv")).exists();
    assertThat(stdout.toString()).contains("(1 failed)");
    assertThat(code).as("exit code; stderr: %s", stderr).isEqualTo(3);
  }

  @Test
  void underSkipARecordLongerThanTheMaxRecordSizeShouldBeRejected() throws IOException {
    Path in = tmp.resolve("in");
    Files.createDirectories(in);
    Files.writeString(
        in.resolve("f01.csv"),
        HEADER + "\nf01,1,short\nf01,2," + "x".repeat(5000) + "\nf01,3,short\n");
    Path out = tmp.resolve("out");

    RunResult r =
        job(in, out)
            .inputFormat(Format.csv().toBuilder().maxRecordSize(1000).build())
            .onError(ErrorPolicy.SKIP)
            .run();

    assertThat(r.rejectsByType()).isEqualTo(Map.of(ErrorType.RECORD_TOO_LARGE, 1L));
    assertThat(parse(out.resolve("f01.csv")))
        .extracting(x -> x.get("id"))
        .containsExactly("1", "3");
  }
}
