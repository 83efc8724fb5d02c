package dev.sluice.internal.io.csv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.api.Columns;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.Format;
import dev.sluice.api.Format.MalformedInput;
import dev.sluice.api.RunResult;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.internal.io.Formats;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The byte-level reader and the FastCSV reader against the Commons CSV reader, the reference: on
 * any input, valid or not, each gives the same transcript as the reference (columns, every record's
 * values, line, number and length, every failure's type, line, number, column, recoverability and
 * raw text, in order, the blank lines skipped and the line breaks read).
 */
class CsvReaderEquivalenceTest {
  private static Path root;
  private static int files;

  @BeforeContainer
  static void makeRoot() throws IOException {
    root = Files.createTempDirectory("sluice-fastcsv");
  }

  @AfterContainer
  static void deleteRoot() throws IOException {
    try (var s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  // ---- generators

  /** Delimiter and quote pairs: CSV, TSV, and custom ones. */
  @Provide
  Arbitrary<Format> formats() {
    Arbitrary<Format.Builder> base =
        Arbitraries.of(
            Format.builder(Format.Kind.CSV),
            Format.builder(Format.Kind.TSV),
            Format.builder(Format.Kind.CSV).delimiter(';').quote('\''),
            Format.builder(Format.Kind.CSV).delimiter('|'));
    return Combinators.combine(
            base,
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            Arbitraries.of(MalformedInput.REPORT, MalformedInput.REPLACE),
            Arbitraries.of(Format.DEFAULT_MAX_RECORD_SIZE, 40, 8),
            Arbitraries.of(Format.BlankLines.class))
        .as(
            (b, header, shortOk, malformed, max, blank) ->
                b.parser(Format.Parser.COMMONS)
                    .header(header)
                    .allowShortRecords(shortOk)
                    .malformedInput(malformed)
                    .maxRecordSize(max)
                    .blankLines(blank)
                    .build());
  }

  /** Pieces of field text: the special characters of every format, multibyte text, words. */
  @Provide
  Arbitrary<String> fields() {
    Arbitrary<String> special =
        Arbitraries.of(
            "\"",
            "'",
            ",",
            ";",
            "|",
            "\t",
            "\r",
            "\n",
            "\r\n",
            "",
            " ",
            "\"\"",
            "é",
            "\uD83D\uDE00",
            "日本");
    Arbitrary<String> word = Arbitraries.strings().alpha().numeric().ofMaxLength(6);
    return Arbitraries.frequencyOf(Tuple.of(3, special), Tuple.of(2, word))
        .list()
        .ofMaxSize(4)
        .map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<List<List<String>>> tables() {
    return Arbitraries.integers()
        .between(1, 4)
        .flatMap(n -> fields().list().ofSize(n).list().ofMinSize(0).ofMaxSize(8));
  }

  /**
   * Text that is mostly not CSV: runs of the characters that matter to the syntax, plus bytes
   * invalid in UTF-8 (as U+FFFD stand-ins replaced below).
   */
  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.of(
            "\"", "\"", "'", ",", ",", ";", "\t", "\r", "\n", "\n", "\r\n", " ", "a", "bc", "é",
            "\uFFFF")
        .list()
        .ofMaxSize(40)
        .map(l -> String.join("", l));
  }

  // ---- properties

  @Property(tries = 400)
  void validCsvShouldReadTheSameWithBothParsers(
      @ForAll("formats") Format format,
      @ForAll("tables") List<List<String>> table,
      @ForAll("lineEndings") String lineEnding)
      throws IOException {
    byte[] bytes = print(table, format, lineEnding).getBytes(UTF_8);
    compare(format, bytes);
  }

  /** Issue 14: blank lines before, between and after the records, of every line ending. */
  @Property(tries = 300)
  void validCsvWithBlankLinesShouldReadTheSameWithBothParsers(
      @ForAll("formats") Format format,
      @ForAll("tables") List<List<String>> table,
      @ForAll("lineEndings") String lineEnding,
      @ForAll("blankRuns") List<Integer> blanks)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r <= table.size(); r++) {
      sb.append(lineEnding.repeat(blanks.get(r % blanks.size())));
      if (r < table.size()) {
        sb.append(print(List.of(table.get(r)), format, lineEnding));
      }
    }
    compare(format, sb.toString().getBytes(UTF_8));
  }

  /** How many blank lines go before each record: mostly none. */
  @Provide
  Arbitrary<List<Integer>> blankRuns() {
    return Arbitraries.frequencyOf(
            Tuple.of(4, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(1, 3)))
        .list()
        .ofMinSize(1)
        .ofMaxSize(10);
  }

  @Provide
  Arbitrary<String> lineEndings() {
    return Arbitraries.of("\n", "\r\n", "\r");
  }

  @Property(tries = 600)
  void corruptedCsvShouldGetTheSameDecisionsWithBothParsers(
      @ForAll("formats") Format format,
      @ForAll("tables") List<List<String>> table,
      @ForAll("junk") String junk,
      @ForAll("junk") String more,
      @ForAll double where,
      @ForAll double where2)
      throws IOException {
    String text = print(table, format, "\n");
    text = insert(insert(text, junk, where), more, where2);
    compare(format, encode(text));
  }

  @Property(tries = 300)
  void arbitraryTextShouldGetTheSameDecisionsWithBothParsers(
      @ForAll("formats") Format format, @ForAll("junk") String text) throws IOException {
    compare(format, encode(text));
  }

  @Property(tries = 60)
  void corruptedFilesShouldGiveTheSameOutputAndRejectsThroughTheEngine(
      @ForAll("formats") Format format,
      @ForAll("tables") List<List<String>> table,
      @ForAll("junk") String junk,
      @ForAll double where)
      throws IOException {
    Path run = Files.createDirectory(root.resolve("run" + (++files)));
    Path in = Files.createDirectory(run.resolve("in"));
    Files.write(in.resolve("x.csv"), encode(insert(print(table, format, "\n"), junk, where)));
    RunResult commons = engine(in, run.resolve("commons"), format);
    for (Format.Parser parser : List.of(Format.Parser.FASTCSV, Format.Parser.BYTES)) {
      String name = parser.name().toLowerCase(java.util.Locale.ROOT);
      RunResult other = engine(in, run.resolve(name), format.toBuilder().parser(parser).build());
      assertThat(other.recordsRejected()).as(name).isEqualTo(commons.recordsRejected());
      assertThat(other.recordsPassed()).as(name).isEqualTo(commons.recordsPassed());
      assertThat(outputs(run.resolve(name))).as(name).isEqualTo(outputs(run.resolve("commons")));
    }
  }

  private static RunResult engine(Path in, Path out, Format format) {
    return Sluice.builder()
        .input(in)
        .output(out)
        .inputFormat(format)
        .outputFormat(Format.csv())
        .onError(ErrorPolicy.SKIP)
        .threads(1, 1, 1)
        .batchSize(2)
        .run();
  }

  /** Every file under {@code dir} by relative path, with its content. */
  private static Map<String, String> outputs(Path dir) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(p).toString(), new String(Files.readAllBytes(p), UTF_8));
      }
    }
    return m;
  }

  // ---- helpers

  private static String insert(String text, String piece, double where) {
    int at = (int) Math.floor(Math.abs(where) % 1.0 * (text.length() + 1));
    at = Math.min(at, text.length());
    return text.substring(0, at) + piece + text.substring(at);
  }

  /** UTF-8, with each U+FFFF turned into a byte that is never valid UTF-8. */
  private static byte[] encode(String text) {
    byte[] b = text.replace('\uFFFF', '\u0001').getBytes(UTF_8);
    for (int i = 0; i < b.length; i++) {
      if (b[i] == 1) {
        b[i] = (byte) 0xFF;
      }
    }
    return b;
  }

  private static String print(List<List<String>> table, Format format, String lineEnding)
      throws IOException {
    StringWriter w = new StringWriter();
    CSVFormat f =
        CSVFormat.RFC4180
            .builder()
            .setDelimiter(format.delimiter())
            .setQuote(format.quote())
            .setRecordSeparator(lineEnding)
            .get();
    try (CSVPrinter p = new CSVPrinter(w, f)) {
      for (List<String> rec : table) {
        p.printRecord(rec);
      }
    }
    return w.toString();
  }

  private static void compare(Format format, byte[] bytes) throws IOException {
    Path file = root.resolve("f" + (++files) + ".csv");
    Files.write(file, bytes);
    try {
      List<String> expected = transcript(format, file);
      List<String> fast =
          transcript(format.toBuilder().parser(Format.Parser.FASTCSV).build(), file);
      assertThat(fast)
          .as("FastCSV against Commons CSV on %s", show(new String(bytes, UTF_8)))
          .isEqualTo(expected);
      Statistics.label("FastCSV reader")
          .collect(
              lastHandedOver
                  ? "handed the file to Commons CSV"
                  : lastByRecord ? "had Commons CSV read some records" : "read every record");
      List<String> byBytes =
          transcript(format.toBuilder().parser(Format.Parser.BYTES).build(), file);
      assertThat(byBytes)
          .as("the byte reader against Commons CSV on %s", show(new String(bytes, UTF_8)))
          .isEqualTo(expected);
      Statistics.label("byte reader")
          .collect(lastHandedOver ? "handed the file to Commons CSV" : "read every record");
      Statistics.label("outcome")
          .collect(
              expected.stream().anyMatch(s -> s.startsWith("fatal"))
                  ? "fatal"
                  : expected.stream().anyMatch(s -> s.startsWith("reject")) ? "rejects" : "clean");
    } finally {
      Files.delete(file);
    }
  }

  static String show(String text) {
    return text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
  }

  /**
   * Everything a reader says about a file, skipping recoverable failures as the engine does under
   * the skip policy.
   */
  static List<String> transcript(Format format, Path file) throws IOException {
    List<String> out = read(format, file);
    return out;
  }

  /** Whether the last FastCSV reader opened by {@link #read} handed its file to Commons CSV. */
  private static boolean lastHandedOver;

  /** Whether it had Commons CSV read some records. */
  private static boolean lastByRecord;

  private static List<String> read(Format format, Path file) throws IOException {
    List<String> out = new ArrayList<>();
    Split split =
        Split.whole(new InputFile(0, file, file.getFileName().toString(), Files.size(file)));
    RecordReader r;
    try {
      r = Formats.input(format).open(split);
    } catch (RecordException e) {
      out.add("fatal at open " + describe(e));
      return out;
    }
    lastHandedOver = false;
    try (r) {
      try {
        out.add("columns " + columns(r.columns()));
        return readRecords(r, out);
      } finally {
        if (r instanceof FastCsvRecordReader) {
          FastCsvRecordReader f = (FastCsvRecordReader) r;
          lastHandedOver = f.handedOver();
          lastByRecord = f.recordsByCommons() > 0;
        } else if (r instanceof ByteCsvRecordReader) {
          lastHandedOver = ((ByteCsvRecordReader) r).handedOverForTest();
        } else {
          lastHandedOver = format.parser() != Format.Parser.COMMONS;
        }
      }
    }
  }

  private static List<String> readRecords(RecordReader r, List<String> out) throws IOException {
    {
      for (int guard = 0; guard < 1_000_000; guard++) {
        try {
          if (!r.next()) {
            out.add(
                "end at "
                    + r.line()
                    + "/"
                    + r.recordNumber()
                    + " "
                    + columns(r.columns())
                    + " blank "
                    + r.blankLinesSkipped()
                    + " lines read "
                    + r.linesRead());
            return out;
          }
          out.add(
              "record "
                  + r.line()
                  + "/"
                  + r.recordNumber()
                  + " "
                  + show(String.join("¦", r.values()))
                  + " len "
                  + r.charLength()
                  + " "
                  + columns(r.columns()));
        } catch (RecordException e) {
          String values;
          try {
            values = show(String.join("¦", r.values()));
          } catch (IllegalStateException none) {
            values = "-";
          }
          String raw = r.rawText();
          out.add(
              (e.recoverable() ? "reject " : "fatal ")
                  + describe(e)
                  + " at "
                  + r.line()
                  + "/"
                  + r.recordNumber()
                  + " values "
                  + values
                  + " raw "
                  + (raw == null ? "null" : show(raw)));
          if (!e.recoverable()) {
            return out;
          }
        }
      }
      throw new AssertionError("reader did not end");
    }
  }

  private static String describe(RecordException e) {
    return e.type()
        + " line "
        + e.line()
        + " record "
        + e.recordNumber()
        + " column "
        + e.column()
        + " byte "
        + e.byteOffset()
        + ": "
        + e.getMessage();
  }

  private static String columns(Columns c) {
    return c == null ? "none" : c.names().toString();
  }
}
