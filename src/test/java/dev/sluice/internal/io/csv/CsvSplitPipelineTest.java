package dev.sluice.internal.io.csv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.FileTrees;
import dev.sluice.Sluice;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.Format;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.engine.LocalEngine;
import dev.sluice.internal.io.Formats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Split CSV files through the local engine, once per CSV parser ({@code --csv-parser commons} and
 * {@code fastcsv}): output, reject files and failures are those of the unsplit Commons CSV run,
 * with file line numbers; a wrong boundary fails the file with the reason. FastCSV's fallbacks
 * (records read by Commons CSV, a split handed over) must not change any of it.
 */
@Timeout(120)
class CsvSplitPipelineTest {
  private static final int RECORDS = 6_000;

  /** The record whose field count is wrong: in a late split. */
  private static final int BAD = 5_500;

  @TempDir Path tmp;

  /** Header, then records with quoted multi-line fields; record {@code BAD} has an extra field. */
  private Path input() throws IOException {
    StringBuilder sb = new StringBuilder("id,note,amount\n");
    for (int i = 1; i <= RECORDS; i++) {
      sb.append(i).append(',');
      if (i % 7 == 0) {
        sb.append("\"multi\nline, \"\"quoted\"\"\r\nnote ").append(i).append('"');
      } else {
        sb.append("note ").append(i);
      }
      sb.append(',')
          .append(i * 3)
          .append(i == BAD ? ",extra" : "")
          .append(i % 11 == 0 ? "\r\n" : "\n");
    }
    Path dir = Files.createDirectories(tmp.resolve("in"));
    Path f = dir.resolve("big.csv");
    Files.writeString(f, sb.toString());
    return f;
  }

  /** The file line where record {@code n} starts: 1 for the header, 3 lines per 7th record. */
  private static long lineOf(int n) {
    long line = 2;
    for (int i = 1; i < n; i++) {
      line += i % 7 == 0 ? 3 : 1;
    }
    return line;
  }

  private PipelineSpec.Builder spec(Path in, String out, Format.Parser parser, long splitSize) {
    return Sluice.builder()
        .input(in.getParent())
        .output(tmp.resolve(out))
        .inputFormat(Format.csv().toBuilder().parser(parser).splitSize(splitSize).build())
        .threads(4, 2, 1)
        .batchSize(50);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Format.Parser.class)
  void aBadRecordInALateSplitGetsItsFileLineInTheRejectFileAndTheOutputIsTheUnsplitOne(
      Format.Parser parser) throws IOException {
    Path in = input();
    InputFile file = new InputFile(0, in, "big.csv", Files.size(in));
    assertThat(new CsvInputFormat(Format.csv()).plan(file, 4096)).hasSizeGreaterThan(20);

    RunResult whole = spec(in, "whole", Format.Parser.COMMONS, 0).onError(ErrorPolicy.SKIP).run();
    RunResult split = spec(in, "split", parser, 4096).onError(ErrorPolicy.SKIP).run();

    Path rejects = tmp.resolve("split/_rejects/big.csv.rejects.csv");
    List<String> rows = Files.readAllLines(rejects, UTF_8);
    assertThat(rows).hasSize(2);
    assertThat(rows.get(1)).startsWith("big.csv," + lineOf(BAD) + ",,4,WRONG_FIELD_COUNT,");
    assertThat(Files.readAllBytes(rejects))
        .isEqualTo(Files.readAllBytes(tmp.resolve("whole/_rejects/big.csv.rejects.csv")));
    assertThat(Files.readAllBytes(tmp.resolve("split/big.csv")))
        .isEqualTo(Files.readAllBytes(tmp.resolve("whole/big.csv")));
    assertThat(split.recordsRead()).isEqualTo(whole.recordsRead()).isEqualTo(RECORDS);
    assertThat(split.bytesRead()).isEqualTo(whole.bytesRead()).isEqualTo(Files.size(in));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Format.Parser.class)
  void underTheFailPolicyABadRecordInALateSplitFailsTheRunAtItsFileLine(Format.Parser parser)
      throws IOException {
    Path in = input();

    assertThatThrownBy(() -> spec(in, "out", parser, 4096).run())
        .isInstanceOfSatisfying(
            PipelineException.class,
            e -> {
              assertThat(e.file()).isEqualTo("big.csv");
              assertThat(e.line()).isEqualTo(lineOf(BAD));
            })
        .hasMessageContaining(String.format(java.util.Locale.ROOT, "line %,d", lineOf(BAD)));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Format.Parser.class)
  void aFileFailureInALateSplitGetsItsFileLineAndByteOffsetAsInTheUnsplitRun(Format.Parser parser)
      throws IOException {
    Path in = input();
    byte[] bytes = Files.readAllBytes(in);
    String text = new String(bytes, UTF_8);
    int nul = text.indexOf("note 5300");
    bytes[nul] = 0;
    Files.write(in, bytes);

    spec(in, "whole", Format.Parser.COMMONS, 0).onError(ErrorPolicy.SKIP).run();
    spec(in, "split", parser, 4096).onError(ErrorPolicy.SKIP).run();

    String rejects = Files.readString(tmp.resolve("split/_rejects/big.csv.rejects.csv"));
    assertThat(rejects)
        .contains(
            "big.csv," + lineOf(5300) + "," + nul + ",,FILE_FAILED,\"looks like a binary file");
    assertThat(rejects)
        .isEqualTo(Files.readString(tmp.resolve("whole/_rejects/big.csv.rejects.csv")));
    assertThat(tmp.resolve("split/big.csv")).doesNotExist();
  }

  /** A provider that cuts the file inside a quoted field: the reader of split 0 must notice. */
  private static InputFormatProvider wrongCut(Format.Parser parser, long cut) {
    CsvInputFormat csv = new CsvInputFormat(Format.csv().toBuilder().parser(parser).build());
    return new InputFormatProvider() {
      @Override
      public List<Split> plan(InputFile file) {
        return List.of(new Split(file, 0, 2, 0, cut), new Split(file, 1, 2, cut, -1));
      }

      @Override
      public RecordReader open(Split split) throws IOException {
        return csv.open(split);
      }
    };
  }

  @ParameterizedTest(name = "{0}, policy {1}")
  @CsvSource({"COMMONS,SKIP", "COMMONS,FAIL", "FASTCSV,SKIP", "FASTCSV,FAIL"})
  void aWrongBoundaryFailsTheFileWithTheReasonAndNoOutput(Format.Parser parser, String policy)
      throws IOException {
    Path in = input();
    String text = Files.readString(in);
    long cut = text.indexOf("line, "); // inside the quoted field of record 7
    // One reader reads split 0 to its end first. With several, split 1 (which starts inside a
    // field) may fail first on what it misreads; the run fails all the same.
    PipelineSpec spec =
        spec(in, "out", parser, 0)
            .threads(1, 2, 1)
            .onError(ErrorPolicy.valueOf(policy))
            .maxErrors(ErrorThreshold.none())
            .build();

    if (policy.equals("FAIL")) {
      assertThatThrownBy(
              () ->
                  LocalEngine.create(spec, wrongCut(parser, cut), Formats.output(Format.csv()))
                      .run())
          .isInstanceOf(PipelineException.class)
          .hasMessageContaining("bad split boundary")
          .hasMessageContaining("--split-size 0");
    } else {
      LocalEngine.create(spec, wrongCut(parser, cut), Formats.output(Format.csv())).run();
      assertThat(tmp.resolve("out/big.csv")).doesNotExist();
      assertThat(Files.readString(tmp.resolve("out/_rejects/big.csv.rejects.csv")))
          .contains("FILE_FAILED")
          .contains("bad split boundary")
          .contains("inside a quoted field");
    }
  }

  /**
   * Issue 14: a file with a quote that never closes, large enough to be cut, read under the default
   * split logic. Record {@code UNCLOSED} opens a quoted field; no quote follows, so the field runs
   * to the end of the file.
   */
  private Path unclosedQuote() throws IOException {
    StringBuilder sb = new StringBuilder("id,note,amount\n");
    for (int i = 1; i <= RECORDS; i++) {
      sb.append(i).append(',').append(i == UNCLOSED ? "\"never closed" : "note " + i);
      sb.append(',').append(i * 3).append('\n');
    }
    Path dir = Files.createDirectories(tmp.resolve("in"));
    Path f = dir.resolve("big.csv");
    Files.writeString(f, sb.toString());
    return f;
  }

  private static final int UNCLOSED = 1_000;

  @ParameterizedTest(name = "{0}, policy {1}")
  @CsvSource({"COMMONS,FAIL", "COMMONS,SKIP", "FASTCSV,FAIL", "FASTCSV,SKIP"})
  void anUnclosedQuoteInASplitFileIsTheMalformedCsvErrorOfTheWholeFile(
      Format.Parser p, String policy) throws IOException {
    Path in = unclosedQuote();
    InputFile file = new InputFile(0, in, "big.csv", Files.size(in));
    assertThat(new CsvInputFormat(Format.csv().toBuilder().parser(p).build()).plan(file, 4096))
        .hasSizeGreaterThan(10);
    java.util.function.BiFunction<String, Long, PipelineSpec> spec =
        (out, size) -> spec(in, out, p, size).onError(ErrorPolicy.valueOf(policy)).build();

    if (policy.equals("FAIL")) {
      PipelineException whole = catchPipelineException(spec.apply("whole", 0L));
      PipelineException split = catchPipelineException(spec.apply("split", 4096L));
      assertThat(whole.getMessage())
          .contains("MALFORMED_CSV")
          .contains("quoted field is not closed");
      assertThat(split.file()).isEqualTo(whole.file()).isEqualTo("big.csv");
      assertThat(split.line()).isEqualTo(whole.line()).isEqualTo(UNCLOSED + 1);
      // The reason and position are the whole file's; a split after the first cannot know the
      // record's number in the file, so the message leaves it out.
      assertThat(split.getCause()).isNotNull();
      assertThat(split.getCause().getMessage())
          .isEqualTo(whole.getCause().getMessage())
          .isEqualTo(
              String.format(
                  java.util.Locale.ROOT,
                  "MALFORMED_CSV: quoted field is not closed before the end of the file (line %,d, column 2)",
                  UNCLOSED + 1));
    } else {
      Sluice.run(spec.apply("whole", 0L));
      Sluice.run(spec.apply("split", 4096L));
      String rejects = Files.readString(tmp.resolve("split/_rejects/big.csv.rejects.csv"));
      assertThat(rejects)
          .contains("big.csv," + (UNCLOSED + 1) + ",")
          .contains("FILE_FAILED,MALFORMED_CSV: quoted field is not closed")
          .isEqualTo(Files.readString(tmp.resolve("whole/_rejects/big.csv.rejects.csv")));
      assertThat(tmp.resolve("split/big.csv")).doesNotExist();
    }
  }

  /**
   * Header, then records with quoted multi-line fields; now and then whitespace after a closing
   * quote, a bare CR in a last quoted field, a wrong field count, junk after a closing quote, and
   * late one long record with whitespace after its closing quote (a hand-over).
   */
  private Path inputWithFallbacks() throws IOException {
    StringBuilder sb = new StringBuilder("id,note,amount\n");
    for (int i = 1; i <= RECORDS; i++) {
      sb.append(i).append(',');
      if (i % 7 == 0) {
        sb.append("\"multi\nline, \"\"quoted\"\"\r\nnote ").append(i).append('"');
      } else if (i % 97 == 0) {
        sb.append("\"spaced ").append(i).append("\" ");
      } else if (i == 5_200) {
        sb.append('"').append("long ".repeat(10_000)).append("\" ");
      } else if (i % 1_301 == 0) {
        sb.append("\"junk\"x");
      } else {
        sb.append("note ").append(i);
      }
      sb.append(',');
      if (i % 101 == 0) {
        sb.append("\"bare\rcr ").append(i).append('"');
      } else {
        sb.append(i * 3);
      }
      sb.append(i % 1_999 == 0 ? ",extra" : "").append(i % 11 == 0 ? "\r\n" : "\n");
    }
    Path dir = Files.createDirectories(tmp.resolve("in"));
    Path f = dir.resolve("big.csv");
    Files.writeString(f, sb.toString());
    return f;
  }

  private RunResult run(Path in, String out, Format.Parser parser, long splitSize, int readers) {
    return spec(in, out, parser, splitSize).threads(readers, 2, 1).onError(ErrorPolicy.SKIP).run();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Format.Parser.class)
  void onSplitsWithOneTwoAndFourReadersEachParserWritesWhatCommonsCsvWritesForTheWholeFile(
      Format.Parser parser) throws IOException {
    Path in = inputWithFallbacks();
    InputFile file = new InputFile(0, in, "big.csv", Files.size(in));
    assertThat(new CsvInputFormat(Format.csv()).plan(file, 4096)).hasSizeGreaterThan(20);

    RunResult whole = run(in, "whole", Format.Parser.COMMONS, 0, 1);
    Map<String, String> expected = FileTrees.under(tmp.resolve("whole")).text();
    assertThat(expected).containsKeys("big.csv", "_rejects/big.csv.rejects.csv");
    assertThat(expected.get("_rejects/big.csv.rejects.csv").lines().count()).isEqualTo(1 + 3 + 4);

    for (int readers : new int[] {1, 2, 4}) {
      RunResult split = run(in, "split" + readers, parser, 4096, readers);

      assertThat(FileTrees.under(tmp.resolve("split" + readers)).text())
          .as("%d readers", readers)
          .isEqualTo(expected);
      assertThat(split.recordsRead()).isEqualTo(whole.recordsRead());
      assertThat(split.recordsRejected()).isEqualTo(whole.recordsRejected());
      assertThat(split.bytesRead()).isEqualTo(whole.bytesRead()).isEqualTo(Files.size(in));
    }
  }

  private static PipelineException catchPipelineException(PipelineSpec spec) {
    try {
      Sluice.run(spec);
    } catch (PipelineException e) {
      return e;
    }
    throw new AssertionError("the run did not fail");
  }
}
