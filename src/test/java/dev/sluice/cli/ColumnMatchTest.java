package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.FileTrees;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: {@code --merge-output}, {@code --partition-by} and {@code --output -} over inputs whose
 * headers differ match the columns by name ({@code --column-match strict|fill|union}), and a
 * mismatch fails before anything is committed.
 */
@Timeout(60)
class ColumnMatchTest {
  @RegisterExtension final NoSpoolLeft spools = new NoSpoolLeft();
  @TempDir Path tmp;
  Path in;
  private final PrintStream stdout = System.out;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws IOException {
    in = Files.createDirectories(tmp.resolve("in"));
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(stdout);
  }

  private String stdout() {
    return captured.toString(StandardCharsets.UTF_8);
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(in.resolve(name), text);
  }

  private List<String> temps() throws IOException {
    try (Stream<Path> s = Files.walk(tmp)) {
      return s.map(Path::toString)
          .filter(n -> n.endsWith(".sluice-tmp"))
          .collect(Collectors.toList());
    }
  }

  private CliRunner.Result merge(Path target, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "run", "--input", in.toString(), "--merge-output", target.toString(), "--quiet"));
    args.addAll(List.of(more));
    return CliRunner.run(args.toArray(new String[0]));
  }

  @Test
  void mergeShouldPutValuesUnderTheirOwnColumnsWhenAFileHasTheSameColumnsInAnotherOrder()
      throws IOException {
    write("a.csv", "a,b\n1,2\n");
    write("b.csv", "b,a\n4,3\n");
    Path all = tmp.resolve("all.csv");

    CliRunner.Result r = merge(all);

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(all).hasContent("a,b\n1,2\n3,4");
    assertThat(r.err()).isEmpty(); // silently correct: no warning for a mere reorder
  }

  @Test
  void mergeShouldRefuseADifferentColumnSetNamingBothFilesAndColumnsAndWriteNothing()
      throws IOException {
    write("a.csv", "a,b\n1,2\n");
    write("c.csv", "a,c\n5,6\n");
    Path all = tmp.resolve("all.csv");

    CliRunner.Result r = merge(all);

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).contains("a.csv", "c.csv", "missing b", "extra c", "--column-match");
    assertThat(all).doesNotExist();
    assertThat(temps()).isEmpty();
    // The parts are kept: the rerun with union only joins them.
    CliRunner.Result union = merge(all, "--column-match", "union");
    assertThat(union.code()).as(union.toString()).isZero();
    assertThat(all).hasContent("a,b,c\n1,2,\n5,,6");
  }

  @Test
  void mergeWithFillShouldLeaveTheCellsOfAMissingColumnEmptyAndRefuseAnExtraColumn()
      throws IOException {
    write("a.csv", "a,b,c\n1,2,3\n");
    write("b.csv", "c,a\n6,4\n");
    Path all = tmp.resolve("all.csv");

    CliRunner.Result r = merge(all, "--column-match", "fill");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(all).hasContent("a,b,c\n1,2,3\n4,,6");

    write("d.csv", "a,d\n7,8\n");
    CliRunner.Result extra = merge(tmp.resolve("extra.csv"), "--column-match", "fill");
    assertThat(extra.code()).as(extra.toString()).isEqualTo(1);
    assertThat(extra.err()).contains("a.csv", "d.csv", "extra d");
    assertThat(tmp.resolve("extra.csv")).doesNotExist();
  }

  @Test
  void mergeWithUnionShouldWriteEveryColumnInFirstSeenOrder() throws IOException {
    write("1.csv", "a,b\n1,2\n");
    write("2.csv", "b,a\n4,3\n");
    write("3.csv", "a,c\n5,6\n");
    Path all = tmp.resolve("all.csv");

    CliRunner.Result r = merge(all, "--column-match", "union");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(all).hasContent("a,b,c\n1,2,\n3,4,\n5,,6");
  }

  @Test
  void partitionByShouldMatchColumnsByNameAndLeaveNoTreeOnAMismatch() throws IOException {
    write("a.csv", "id,country\n1,DE\n");
    write("b.csv", "country,id\nDE,2\nFR,3\n");
    Path out = tmp.resolve("out");

    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--partition-by",
            "country",
            "--quiet");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(out.resolve("country=DE/part.csv")).hasContent("id,country\n1,DE\n2,DE");
    assertThat(out.resolve("country=FR/part.csv")).hasContent("id,country\n3,FR");

    write("c.csv", "id,country,note\n4,DE,x\n");
    Path other = tmp.resolve("other");
    CliRunner.Result bad =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--output",
            other.toString(),
            "--partition-by",
            "country",
            "--quiet");
    assertThat(bad.code()).as(bad.toString()).isEqualTo(1);
    assertThat(bad.err()).contains("a.csv", "c.csv", "extra note");
    assertThat(FileTrees.under(other).skipping(".parts").orEmptyIfMissing().names()).isEmpty();
    assertThat(temps()).isEmpty();
  }

  @Test
  void partitionByWithUnionShouldGiveEveryPartitionTheUnionHeader() throws IOException {
    write("a.csv", "id,country\n1,DE\n");
    write("b.csv", "country,note\nFR,x\n");
    Path out = tmp.resolve("out");

    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--partition-by",
            "country",
            "--column-match",
            "union",
            "--quiet");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(out.resolve("country=DE/part.csv")).hasContent("id,country,note\n1,DE,");
    assertThat(out.resolve("country=FR/part.csv")).hasContent("id,country,note\n,FR,x");
  }

  @Test
  void standardOutputShouldMatchColumnsByNameAndPrintNothingOnAMismatch() throws IOException {
    write("a.csv", "a,b\n1,2\n");
    write("b.csv", "b,a\n4,3\n");

    CliRunner.Result r = CliRunner.run("run", "--input", in.toString(), "--output", "-", "--quiet");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(stdout()).isEqualTo("a,b\n1,2\n3,4\n");

    captured.reset();
    write("c.csv", "a,c\n5,6\n");
    CliRunner.Result bad =
        CliRunner.run("run", "--input", in.toString(), "--output", "-", "--quiet");
    assertThat(bad.code()).as(bad.toString()).isEqualTo(1);
    assertThat(bad.err()).contains("a.csv", "c.csv");
    assertThat(stdout()).isEmpty();
  }

  @Test
  void headerNamesWithQuotedCommasAndLineBreaksShouldBeJoinedWhole() throws IOException {
    write("a.csv", "\"x,y\",\"two\nlines\"\n1,2\n");
    write("b.csv", "\"x,y\",\"two\nlines\"\n3,4\n");
    write("c.csv", "\"two\nlines\",\"x,y\"\n6,5\n");

    CliRunner.Result r = CliRunner.run("run", "--input", in.toString(), "--output", "-", "--quiet");
    Path all = tmp.resolve("all.csv");
    CliRunner.Result m = merge(all);

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(stdout()).isEqualTo("\"x,y\",\"two\nlines\"\n1,2\n3,4\n5,6\n");
    assertThat(m.code()).as(m.toString()).isZero();
    assertThat(all).hasContent("\"x,y\",\"two\nlines\"\n1,2\n3,4\n5,6");
  }

  @Test
  void crlfOutputShouldKeepCrlfWhenAFileIsReordered() throws IOException {
    write("a.csv", "a,b\n1,2\n");
    write("b.csv", "b,a\n4,3\n");
    Path all = tmp.resolve("all.csv");

    CliRunner.Result r = merge(all, "--crlf");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(Files.readString(all)).isEqualTo("a,b\r\n1,2\r\n3,4\r\n");
  }

  @Test
  void gzipOutputShouldMergeIntoOneValidGzipWithOneHeader() throws IOException {
    write("a.csv", "a,b\n1,2\n");
    write("b.csv", "a,b\n3,4\n");
    write("c.csv", "b,a\n6,5\n");
    Path all = tmp.resolve("all.csv.gz");

    CliRunner.Result r = merge(all, "--gzip-output");

    assertThat(r.code()).as(r.toString()).isZero();
    try (GZIPInputStream z = new GZIPInputStream(Files.newInputStream(all))) {
      assertThat(new String(z.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("a,b\n1,2\n3,4\n5,6\n");
    }
  }

  @Test
  void jsonLinesShouldBeJoinedAsTheyAreSinceEachRecordNamesItsKeys() throws IOException {
    write("a.csv", "a,b\n1,2\n");
    write("c.csv", "a,c\n5,6\n");
    Path all = tmp.resolve("all.jsonl");

    CliRunner.Result r = merge(all, "--to", "jsonl");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(all).hasContent("{\"a\":\"1\",\"b\":\"2\"}\n{\"a\":\"5\",\"c\":\"6\"}");
  }

  @Test
  void columnMatchShouldBeRefusedWhereItMeansNothing() throws IOException {
    write("a.csv", "a,b\n1,2\n");

    CliRunner.Result perFile =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--output",
            tmp.resolve("o").toString(),
            "--column-match",
            "union");
    CliRunner.Result lines = merge(tmp.resolve("l.txt"), "--to", "lines", "--column-match", "fill");
    CliRunner.Result jsonl =
        merge(tmp.resolve("j.jsonl"), "--to", "jsonl", "--column-match", "fill");
    CliRunner.Result unknown = merge(tmp.resolve("u.csv"), "--column-match", "loose");

    assertThat(perFile.code()).as(perFile.toString()).isEqualTo(2);
    assertThat(perFile.err()).contains("--column-match", "--merge-output");
    assertThat(lines.code()).as(lines.toString()).isEqualTo(2);
    assertThat(jsonl.code()).as(jsonl.toString()).isEqualTo(2);
    assertThat(unknown.code()).as(unknown.toString()).isEqualTo(2);
    assertThat(unknown.err()).contains("strict, fill or union");
    assertThat(tmp.resolve("o")).doesNotExist();
  }

  @Test
  void headerlessInputsOfDifferentWidthsShouldNeedUnion() throws IOException {
    write("a.csv", "1,2\n");
    write("b.csv", "3,4,5\n");
    Path all = tmp.resolve("all.csv");

    CliRunner.Result strict = merge(all, "--no-header");
    CliRunner.Result union = merge(all, "--no-header", "--column-match", "union");

    assertThat(strict.code()).as(strict.toString()).isEqualTo(1);
    assertThat(strict.err()).contains("extra c3");
    assertThat(union.code()).as(union.toString()).isZero();
    assertThat(all).hasContent("c1,c2,c3\n1,2,\n3,4,5");
  }

  @Test
  void aJobFileShouldSetTheColumnMatch() throws IOException {
    write("a.csv", "a,b\n1,2\n");
    write("c.csv", "a,c\n5,6\n");
    Path job = tmp.resolve("union.job");
    Files.writeString(
        job,
        "{\"version\": 1, \"input\": {\"paths\": [\"in\"]}, \"output\": {\"columnMatch\": \"union\"}}");
    Path bad = tmp.resolve("bad.job");
    Files.writeString(
        bad,
        "{\"version\": 1, \"input\": {\"paths\": [\"in\"]}, \"output\": {\"columnMatch\": \"any\"}}");
    Path all = tmp.resolve("all.csv");

    CliRunner.Result r =
        CliRunner.run("run", "--job", job.toString(), "--merge-output", all.toString(), "--quiet");
    CliRunner.Result strict =
        CliRunner.run(
            "run",
            "--job",
            job.toString(),
            "--merge-output",
            tmp.resolve("s.csv").toString(),
            "--column-match",
            "strict",
            "--quiet");
    CliRunner.Result invalid =
        CliRunner.run("run", "--job", bad.toString(), "--merge-output", all.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(all).hasContent("a,b,c\n1,2,\n5,,6");
    assertThat(strict.code()).as("the command line overrides the file: %s", strict).isEqualTo(1);
    assertThat(invalid.code()).isEqualTo(2);
    assertThat(invalid.err()).contains("output.columnMatch");
  }
}
