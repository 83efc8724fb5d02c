package dev.sluice.internal.io.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.Format;
import dev.sluice.api.Format.BlankLines;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.internal.io.Formats;
import dev.sluice.internal.io.IoFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 14: blank lines in CSV and TSV input (common at the end of files) are skipped by default
 * and counted, with the line numbers of later records unchanged; {@code FAIL} rejects them and
 * {@code KEEP} reads them as RFC 4180 does (one empty field). Both parsers, every case.
 */
class CsvBlankLinesTest {
  @TempDir Path dir;

  /**
   * Reads {@code text} whole: the columns, then each record as "line: values" or failure as "line:
   * TYPE reason", then "blank N", the count of blank lines skipped.
   */
  private List<String> read(Format.Parser parser, Format format, String text) throws IOException {
    Path f = IoFixtures.write(dir, "in-" + parser + ".csv", text);
    Format fmt = format.toBuilder().parser(parser).build();
    List<String> out = new ArrayList<>();
    RecordReader r;
    try {
      r = Formats.input(fmt).open(IoFixtures.split(f));
    } catch (RecordException e) {
      out.add("open: " + e.type() + " " + e.reason());
      return out;
    }
    try (r) {
      out.add("columns " + r.columns());
      while (true) {
        try {
          if (!r.next()) {
            break;
          }
          out.add(r.line() + ": " + String.join("|", r.values()));
        } catch (RecordException e) {
          out.add(e.line() + ": " + e.type() + " " + e.reason() + " raw=[" + r.rawText() + "]");
          if (!e.recoverable()) {
            break;
          }
        }
      }
      out.add("blank " + r.blankLinesSkipped());
    }
    return out;
  }

  private static Format csv(BlankLines blank) {
    return Format.csv().toBuilder().blankLines(blank).build();
  }

  @ParameterizedTest
  @EnumSource(Format.Parser.class)
  void blankLinesAreSkippedByDefaultAndCountedWithLaterLineNumbersKept(Format.Parser parser)
      throws IOException {
    assertThat(Format.csv().blankLines()).isEqualTo(BlankLines.SKIP);
    assertThat(read(parser, Format.csv(), "a,b\n1,2\n\n3,4\n\n\n"))
        .containsExactly("columns a,b", "2: 1|2", "4: 3|4", "blank 3");
  }

  @ParameterizedTest
  @EnumSource(Format.Parser.class)
  void crlfAndBareCrBlankLinesAreBlankLinesToo(Format.Parser parser) throws IOException {
    assertThat(read(parser, Format.csv(), "a,b\r\n1,2\r\n\r\n3,4\r\n\r\n"))
        .containsExactly("columns a,b", "2: 1|2", "4: 3|4", "blank 2");
    assertThat(read(parser, Format.csv(), "a,b\r1,2\r\r\r3,4\r"))
        .containsExactly("columns a,b", "2: 1|2", "5: 3|4", "blank 2");
  }

  @ParameterizedTest
  @EnumSource(Format.Parser.class)
  void blankLinesBeforeTheHeaderAreSkipped(Format.Parser parser) throws IOException {
    assertThat(read(parser, Format.csv(), "\n\r\na,b\n1,2\n"))
        .containsExactly("columns a,b", "4: 1|2", "blank 2");
    // With a byte order mark, and a file of blank lines only: no columns, no records.
    assertThat(read(parser, Format.csv(), "\uFEFF\n\n")).containsExactly("columns null", "blank 2");
  }

  @ParameterizedTest
  @EnumSource(Format.Parser.class)
  void aHeaderlessFileTakesItsWidthFromTheFirstRecordAfterBlankLines(Format.Parser parser)
      throws IOException {
    Format f = Format.csv().toBuilder().header(false).build();
    assertThat(read(parser, f, "\n1,2\n\n3,4"))
        .containsExactly("columns null", "2: 1|2", "4: 3|4", "blank 2");
  }

  @ParameterizedTest
  @EnumSource(Format.Parser.class)
  void aLineOfSpacesIsARecordNotABlankLine(Format.Parser parser) throws IOException {
    assertThat(read(parser, Format.csv(), "a,b\n1,2\n  \n3,4\n"))
        .containsExactly(
            "columns a,b",
            "2: 1|2",
            "3: WRONG_FIELD_COUNT record has 1 fields, header has 2 raw=[  ]",
            "4: 3|4",
            "blank 0");
  }

  @ParameterizedTest
  @EnumSource(Format.Parser.class)
  void aQuotedEmptyFieldAloneOnALineIsARecord(Format.Parser parser) throws IOException {
    assertThat(read(parser, Format.csv(), "a,b\n1,2\n\"\"\n3,4\n"))
        .containsExactly(
            "columns a,b",
            "2: 1|2",
            "3: WRONG_FIELD_COUNT record has 1 fields, header has 2 raw=[\"\"]",
            "4: 3|4",
            "blank 0");
  }

  /**
   * A one-column file: a blank line is skipped as in any other file (a CSV writer writes an empty
   * value alone on its line as {@code ""}, which is a record); {@code KEEP} reads it as an empty
   * value.
   */
  @ParameterizedTest
  @EnumSource(Format.Parser.class)
  void inAOneColumnFileABlankLineIsSkippedAndAQuotedEmptyValueIsARecord(Format.Parser parser)
      throws IOException {
    String text = "a\n1\n\n\"\"\n2\n\n";
    assertThat(read(parser, Format.csv(), text))
        .containsExactly("columns a", "2: 1", "4: ", "5: 2", "blank 2");
    assertThat(read(parser, csv(BlankLines.KEEP), text))
        .containsExactly("columns a", "2: 1", "3: ", "4: ", "5: 2", "6: ", "blank 0");
    assertThat(read(parser, csv(BlankLines.FAIL), text))
        .containsExactly(
            "columns a",
            "2: 1",
            "3: WRONG_FIELD_COUNT blank line, with no fields, header has 1 (blank lines are not"
                + " allowed: --blank-lines fail) raw=[]",
            "4: ",
            "5: 2",
            "6: WRONG_FIELD_COUNT blank line, with no fields, header has 1 (blank lines are not"
                + " allowed: --blank-lines fail) raw=[]",
            "blank 0");
  }

  @ParameterizedTest
  @EnumSource(Format.Parser.class)
  void underFailABlankLineIsARecoverableRejectAndBeforeTheHeaderAFileFailure(Format.Parser parser)
      throws IOException {
    assertThat(read(parser, csv(BlankLines.FAIL), "a,b\n1,2\n\n3,4\n"))
        .containsExactly(
            "columns a,b",
            "2: 1|2",
            "3: WRONG_FIELD_COUNT blank line, with no fields, header has 2 (blank lines are not"
                + " allowed: --blank-lines fail) raw=[]",
            "4: 3|4",
            "blank 0");
    assertThat(read(parser, csv(BlankLines.FAIL), "\na,b\n1,2\n"))
        .containsExactly(
            "open: FILE_FAILED blank line where the header row is expected (blank lines are not"
                + " allowed: --blank-lines fail)");
  }

  @ParameterizedTest
  @EnumSource(Format.Parser.class)
  void underKeepABlankLineIsOneEmptyFieldAsRfc4180ReadsIt(Format.Parser parser) throws IOException {
    assertThat(read(parser, csv(BlankLines.KEEP), "a,b\n1,2\n\n3,4\n"))
        .containsExactly(
            "columns a,b",
            "2: 1|2",
            "3: WRONG_FIELD_COUNT record has 1 fields, header has 2 raw=[]",
            "4: 3|4",
            "blank 0");
    Format padded = csv(BlankLines.KEEP).toBuilder().allowShortRecords(true).build();
    assertThat(read(parser, padded, "a,b\n1,2\n\n"))
        .containsExactly("columns a,b", "2: 1|2", "3: |", "blank 0");
  }

  @ParameterizedTest
  @EnumSource(Format.Parser.class)
  void blankLinesInsideAQuotedFieldAreItsText(Format.Parser parser) throws IOException {
    assertThat(read(parser, Format.csv(), "a,b\n1,\"x\n\n\r\ny\"\n\n2,z\n"))
        .containsExactly("columns a,b", "2: 1|x\n\n\r\ny", "7: 2|z", "blank 1");
  }

  @ParameterizedTest
  @EnumSource(Format.Parser.class)
  void tsvSkipsBlankLinesToo(Format.Parser parser) throws IOException {
    assertThat(read(parser, Format.tsv(), "a\tb\n\n1\t2\n\n"))
        .containsExactly("columns a,b", "3: 1|2", "blank 2");
  }

  /** Blank lines on both sides of every boundary: the splits give what the whole file gives. */
  @ParameterizedTest
  @EnumSource(Format.Parser.class)
  void blankLinesAtSplitBoundariesAreSkippedWithTheWholeFilesLinesAndCount(Format.Parser parser)
      throws IOException {
    StringBuilder sb = new StringBuilder("id,note\n");
    for (int i = 1; i <= 200; i++) {
      sb.append(i).append(",n").append(i).append(i % 3 == 0 ? "\r\n" : "\n");
      sb.append("\n".repeat(i % 4));
    }
    Path f = IoFixtures.write(dir, "split.csv", sb.toString());
    InputFile in = new InputFile(0, f, "split.csv", Files.size(f));
    CsvInputFormat csv = new CsvInputFormat(Format.csv().toBuilder().parser(parser).build());

    List<String> whole = CsvSplitTest.events(csv, List.of(Split.whole(in)));
    for (int size = 16; size < 400; size += 37) {
      List<Split> splits = csv.plan(in, size);
      assertThat(splits.size()).as("split size %d", size).isGreaterThan(1);
      assertThat(CsvSplitTest.events(csv, splits)).as("split size %d", size).isEqualTo(whole);
    }
    assertThat(whole).hasSize(202).contains("bytes " + Files.size(f)).contains("blank 300");
  }

  /** The first split keeps the header however many blank lines come before it. */
  @ParameterizedTest
  @EnumSource(Format.Parser.class)
  void blankLinesBeforeTheHeaderOfAFileCutIntoSplitsKeepTheHeaderInTheFirstSplit(
      Format.Parser parser) throws IOException {
    StringBuilder sb = new StringBuilder("\uFEFF\n\r\n\n\"id\",note\n");
    for (int i = 1; i <= 100; i++) {
      sb.append(i).append(",n").append(i).append('\n');
    }
    Path f = IoFixtures.write(dir, "late-header.csv", sb.toString());
    InputFile in = new InputFile(0, f, "late-header.csv", Files.size(f));
    CsvInputFormat csv = new CsvInputFormat(Format.csv().toBuilder().parser(parser).build());

    List<String> whole = CsvSplitTest.events(csv, List.of(Split.whole(in)));
    for (int size = 1; size < 60; size += 3) {
      List<Split> splits = csv.plan(in, size);
      assertThat(splits.get(0).end())
          .as("split size %d", size)
          .isGreaterThan(sb.indexOf("1,n1") + 2);
      assertThat(CsvSplitTest.events(csv, splits)).as("split size %d", size).isEqualTo(whole);
    }
    assertThat(whole.get(0)).isEqualTo("R line 5 id,note [1, n1]");
  }
}
