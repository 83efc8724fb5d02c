package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.Format;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.internal.io.Formats;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 14: a file appended to (or cut) while a run reads it. The run reads each file up to the
 * size it had when listed, the size the manifest records as its identity, and says so with a
 * counted warning; a file that shrank fails (a {@code FILE_FAILED} reject under skip); the next run
 * with state sees the new size (or hash) and reads the file again, whole.
 *
 * <p>Deterministic: the file is changed by the input format when the engine plans it, which is
 * after the listing and before any of it is read.
 */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrowingInputTest {
  private static final int RECORDS = 400;

  @TempDir Path tmp;

  private Path in() {
    return tmp.resolve("in");
  }

  private Path out() {
    return tmp.resolve("out");
  }

  private static String records(int from, int to, boolean header) {
    StringBuilder sb = new StringBuilder(header ? "id,note\n" : "");
    for (int i = from; i <= to; i++) {
      sb.append(i).append(",note ").append(i).append('\n');
    }
    return sb.toString();
  }

  private Path write(String text) throws IOException {
    Files.createDirectories(in());
    Path f = in().resolve("log.csv");
    Files.writeString(f, text);
    return f;
  }

  private static Format format(String parser, long splitSize) {
    return Format.csv().toBuilder()
        .parser(Format.Parser.valueOf(parser))
        .splitSize(splitSize)
        .build();
  }

  /** {@code format}'s provider, which runs {@code change} on each file just before planning it. */
  private static InputFormatProvider changingWhenPlanned(Format format, FileChange change) {
    InputFormatProvider real = Formats.input(format);
    return new InputFormatProvider() {
      @Override
      public List<Split> plan(InputFile file) throws IOException {
        change.apply(file.path());
        return real.plan(file);
      }

      @Override
      public RecordReader open(Split split) throws IOException {
        return real.open(split);
      }
    };
  }

  @FunctionalInterface
  private interface FileChange {
    void apply(Path file) throws IOException;
  }

  private static FileChange append(String text) {
    return f -> Files.writeString(f, text, StandardOpenOption.APPEND);
  }

  private PipelineSpec.Builder spec(Format format) {
    return PipelineSpec.builder()
        .input(in())
        .output(out())
        .inputFormat(format)
        .outputFormat(Format.csv())
        .threads(3, 2, 1)
        .batchSize(50);
  }

  private static RunResult run(PipelineSpec spec, InputFormatProvider input) {
    try (DefaultPipeline p =
        new DefaultPipeline(spec, input, Formats.output(spec.outputFormat()), EngineHooks.NONE)) {
      return p.run();
    }
  }

  @ParameterizedTest(name = "{0}, split size {1}")
  @CsvSource({"COMMONS,0", "COMMONS,1024", "FASTCSV,0", "FASTCSV,1024"})
  void aFileAppendedToAfterItWasListedIsReadUpToItsListedSizeWithAWarning(
      String parser, long splitSize) throws IOException {
    String listed = records(1, RECORDS, true);
    Path f = write(listed);
    Format format = format(parser, splitSize);

    RunResult r =
        run(
            spec(format).build(),
            changingWhenPlanned(format, append(records(RECORDS + 1, RECORDS + 50, false))));

    assertThat(Files.readString(out().resolve("log.csv"))).isEqualTo(listed);
    assertThat(r.recordsRead()).isEqualTo(RECORDS);
    assertThat(r.bytesRead()).isEqualTo(listed.length());
    assertThat(r.warnings()).isEqualTo(1);
    assertThat(r.firstWarnings())
        .containsExactly(
            String.format(
                java.util.Locale.ROOT,
                "log.csv grew while it was read: only the %,d bytes it had when listed were read",
                listed.length()));
    assertThat(Files.size(f)).isGreaterThan(listed.length());
  }

  @ParameterizedTest(name = "{0}, split size {1}, {2}")
  @CsvSource({
    "COMMONS,0,FAIL", "COMMONS,1024,FAIL", "FASTCSV,0,FAIL", "FASTCSV,1024,FAIL",
    "COMMONS,0,SKIP", "COMMONS,1024,SKIP", "FASTCSV,0,SKIP", "FASTCSV,1024,SKIP"
  })
  void aFileThatShrankBelowItsListedSizeIsAFileErrorNamingTheSizes(
      String parser, long splitSize, String policy) throws IOException {
    String listed = records(1, RECORDS, true);
    write(listed);
    Format format = format(parser, splitSize);
    FileChange cut =
        f -> {
          try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(listed.length() * 2L / 3);
          }
        };
    PipelineSpec spec = spec(format).onError(ErrorPolicy.valueOf(policy)).build();
    String reason =
        String.format(
            java.util.Locale.ROOT,
            "the file shrank while it was read: it had %,d bytes when listed",
            listed.length());

    if (policy.equals("FAIL")) {
      PipelineException e =
          catchPipelineException(() -> run(spec, changingWhenPlanned(format, cut)));
      assertThat(e.file()).isEqualTo("log.csv");
      assertThat(e.getMessage()).contains("FILE_FAILED").contains(reason);
    } else {
      RunResult r = run(spec, changingWhenPlanned(format, cut));
      assertThat(r.filesFailed()).isEqualTo(1);
      assertThat(Files.readString(out().resolve("_rejects/log.csv.rejects.csv")))
          .contains("log.csv,")
          .contains(",FILE_FAILED,\"" + reason);
    }
    assertThat(out().resolve("log.csv")).doesNotExist();
  }

  private static PipelineException catchPipelineException(Runnable run) {
    try {
      run.run();
    } catch (PipelineException e) {
      return e;
    }
    throw new AssertionError("the run did not fail");
  }

  @ParameterizedTest(name = "identity {0}")
  @CsvSource({"STAT", "HASH"})
  void theNextRunWithStateReadsAFileThatGrewAgainWhole(String identity) throws IOException {
    String listed = records(1, RECORDS, true);
    write(listed);
    Format format = format("COMMONS", 1024);
    PipelineSpec spec =
        spec(format)
            .stateDir(tmp.resolve("state"))
            .identity(PipelineSpec.Identity.valueOf(identity))
            .build();
    String appended = records(RECORDS + 1, RECORDS + 50, false);

    RunResult first = run(spec, changingWhenPlanned(format, append(appended)));
    RunResult second = run(spec, Formats.input(format));
    RunResult third = run(spec, Formats.input(format));

    assertThat(first.recordsRead()).isEqualTo(RECORDS);
    assertThat(second.filesSkipped()).isZero();
    assertThat(second.recordsRead()).isEqualTo(RECORDS + 50);
    assertThat(Files.readString(out().resolve("log.csv"))).isEqualTo(listed + appended);
    assertThat(third.filesSkipped()).isEqualTo(1);
  }

  /**
   * With {@code --identity hash} the manifest's hash is of the bytes the run read: a file that grew
   * between its listing and its hashing is not recorded as done whole.
   */
  @Test
  void theManifestHashCoversOnlyTheBytesListed() throws IOException {
    String listed = records(1, RECORDS, true);
    Path f = write(listed);
    String appended = records(RECORDS + 1, RECORDS + 50, false);
    Files.writeString(f, appended, StandardOpenOption.APPEND);
    Format format = format("COMMONS", 0);
    PipelineSpec spec =
        spec(format).stateDir(tmp.resolve("state")).identity(PipelineSpec.Identity.HASH).build();
    // Listed before the append: the size the run takes is the one it had then.
    InputFile before = new InputFile(0, f, "log.csv", listed.length());

    RunResult first;
    try (DefaultPipeline p =
        new DefaultPipeline(
                spec, Formats.input(format), Formats.output(spec.outputFormat()), EngineHooks.NONE)
            .withFiles(List.of(before))) {
      first = p.run();
    }
    RunResult second = run(spec, Formats.input(format));

    assertThat(first.recordsRead()).isEqualTo(RECORDS);
    assertThat(second.filesSkipped()).isZero();
    assertThat(Files.readString(out().resolve("log.csv"))).isEqualTo(listed + appended);
  }

  @Test
  void aFileReadWithoutChangeGetsNoWarning() throws IOException {
    String text = records(1, RECORDS, true);
    write(text);
    Format format = format("COMMONS", 1024);

    RunResult r = run(spec(format).build(), Formats.input(format));

    assertThat(r.warnings()).isZero();
    assertThat(Files.readString(out().resolve("log.csv"))).isEqualTo(text);
  }
}
