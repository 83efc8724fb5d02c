package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: {@code --escape-formulas} covers every cell a spreadsheet may run: the header row (the
 * input's column names) and the user-derived text of reject files (file, message, raw), not only
 * the data cells. Plain numbers stay as they are.
 */
@Timeout(60)
class EscapeFormulasCliTest {
  @TempDir Path tmp;
  Path in;
  Path out;

  @BeforeEach
  void setUp() throws IOException {
    in = Files.createDirectories(tmp.resolve("in"));
    out = tmp.resolve("out");
  }

  private static List<CSVRecord> csv(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file)) {
      return CSVFormat.RFC4180
          .builder()
          .setHeader()
          .setSkipHeaderRecord(true)
          .get()
          .parse(r)
          .getRecords();
    }
  }

  @Test
  void theHeaderRowShouldBeEscapedButPlainNumbersKept() throws IOException {
    Files.writeString(in.resolve("a.csv"), "id,=HYPERLINK(\"http://x\"),-5,@sum\n1,=1+1,-5,ok\n");

    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--escape-formulas",
            "--quiet");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(Files.readAllLines(out.resolve("a.csv")))
        .containsExactly("id,\"'=HYPERLINK(\"\"http://x\"\")\",-5,'@sum", "1,'=1+1,-5,ok");
  }

  @Test
  void jsonLinesKeysShouldStayTheColumnNamesWhileValuesAreEscaped() throws IOException {
    // Found by the interaction suite: escaping the header by renaming columns turned the JSON key
    // "@memo" into "'@memo". A key is not a spreadsheet cell; only the written header row is.
    Files.writeString(in.resolve("a.csv"), "id,@memo\n1,=1+1\n");

    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--to",
            "jsonl",
            "--escape-formulas",
            "--quiet");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(Files.readAllLines(out.resolve("a.jsonl")))
        .containsExactly("{\"id\":\"1\",\"@memo\":\"'=1+1\"}");
  }

  @Test
  void aStepAfterTheEscapeShouldStillFindAFormulaLikeColumnByItsName() throws IOException {
    Files.writeString(in.resolve("a.csv"), "id,@memo\n1,x\n2,y\n");

    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--escape-formulas",
            "--partition-by",
            "@memo",
            "--quiet");

    assertThat(r.code()).as(r.toString()).isZero();
    try (var files = Files.walk(out)) {
      List<String> lines =
          files
              .filter(Files::isRegularFile)
              .filter(f -> f.toString().endsWith(".csv"))
              .flatMap(
                  f -> {
                    try {
                      return Files.readAllLines(f).stream();
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .collect(Collectors.toList());
      assertThat(lines).contains("id,'@memo").contains("1,x", "2,y");
    }
  }

  @Test
  void rejectFilesShouldEscapeTheRawRecordTheMessageAndTheFileName() throws IOException {
    Files.writeString(in.resolve("@x.csv"), "id,note\n1,fine\n=2+2\n=SUM(A1),x\n-3,-12.5\n");

    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--on-error",
            "skip",
            "--step",
            ThrowingFormulaStep.class.getName(),
            "--escape-formulas",
            "--quiet");

    assertThat(r.code()).as(r.toString()).isEqualTo(3);
    List<CSVRecord> rejects = csv(out.resolve("_rejects/@x.csv.rejects.csv"));
    assertThat(rejects).hasSize(2);
    assertThat(rejects).allSatisfy(rec -> assertThat(rec.get("file")).isEqualTo("'@x.csv"));
    assertThat(rejects.get(0).get("type")).isEqualTo("WRONG_FIELD_COUNT");
    assertThat(rejects.get(0).get("raw")).isEqualTo("'=2+2");
    assertThat(rejects.get(1).get("type")).isEqualTo("STEP_FAILED");
    assertThat(rejects.get(1).get("message")).doesNotStartWith("=");
    assertThat(rejects.get(1).get("raw")).isEqualTo("'=SUM(A1),x");
    List<String> cells =
        rejects.stream().flatMap(rec -> rec.toList().stream()).collect(Collectors.toList());
    assertThat(cells).noneMatch(c -> c.startsWith("=") || c.startsWith("@") || c.startsWith("+"));
    assertThat(Files.readAllLines(out.resolve("@x.csv")))
        .containsExactly("id,note", "1,fine", "-3,-12.5");
  }

  @Test
  void withoutTheOptionRejectFilesShouldKeepTheRawTextAsItWas() throws IOException {
    Files.writeString(in.resolve("a.csv"), "id,note\n=2+2\n");

    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--on-error",
            "skip",
            "--quiet");

    assertThat(r.code()).as(r.toString()).isEqualTo(3);
    assertThat(csv(out.resolve("_rejects/a.csv.rejects.csv")).get(0).get("raw")).isEqualTo("=2+2");
  }
}
