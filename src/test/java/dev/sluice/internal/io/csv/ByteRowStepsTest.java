package dev.sluice.internal.io.csv;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.Columns;
import dev.sluice.api.Emitter;
import dev.sluice.api.Format;
import dev.sluice.api.Row;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import dev.sluice.api.internal.LazyFields;
import dev.sluice.api.internal.Utf8Sink;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.internal.io.Formats;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
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
 * Issue 16: upper, lower, hash and hmac on the byte reader's rows, whose fields are read from their
 * bytes (ASCII mapped as bytes, UTF-8 digested as read), give what the same steps give on rows made
 * from the Strings, for UTF-8 (with case mappings that change the length: ß, ŉ, the Turkish I's),
 * ISO-8859-1 (whose bytes beyond ASCII are not UTF-8) and US-ASCII input. The byte ranges the
 * reader offers are checked against the values' own UTF-8 encoding too. The rows also go through
 * select, drop and rename, which keep values in their bytes, and through the CSV writer, which
 * copies the fields no step changed from their bytes: the bytes it writes are those of the String
 * rows.
 */
class ByteRowStepsTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(UTF_8);
  private static final List<CsvRecordFormatter> FORMATTERS =
      List.of(
          new CsvRecordFormatter(',', '"', "\n", true),
          new CsvRecordFormatter('\t', '"', "\r\n", true),
          new CsvRecordFormatter(';', '\'', "\n", true));
  private static Path root;
  private static int files;

  @BeforeContainer
  static void makeRoot() throws IOException {
    root = Files.createTempDirectory("sluice-byterows");
  }

  @AfterContainer
  static void deleteRoot() throws IOException {
    try (var s = Files.walk(root)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  @Provide
  Arbitrary<Charset> charsets() {
    return Arbitraries.of(UTF_8, ISO_8859_1, US_ASCII);
  }

  /**
   * Pieces of field text: ASCII of both cases, chars whose case mapping changes the length or is
   * not ASCII ('ß', 'ŉ', 'İ', 'ı', 'ǅ', 'ﬀ', 'Σ'), ISO-8859-1 letters ('é', 'ÿ', 'µ'), a pair of
   * surrogates, and the CSV specials (a quote gives a field with doubled quotes).
   */
  private static Arbitrary<String> fields(Charset cs) {
    Arbitrary<String> special =
        Arbitraries.of(
                "ß",
                "ŉ",
                "İ",
                "ı",
                "i",
                "I",
                "ǅ",
                "ﬀ",
                "Σ",
                "ς",
                "é",
                "É",
                "ÿ",
                "µ",
                "\uD83D\uDE00",
                "日本",
                "\"",
                ",",
                "\n",
                " ",
                "")
            .filter(s -> cs.newEncoder().canEncode(s));
    Arbitrary<String> ascii = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12);
    Arbitrary<String> letters = Arbitraries.strings().alpha().ofMaxLength(12);
    return Arbitraries.frequencyOf(Tuple.of(2, special), Tuple.of(2, ascii), Tuple.of(3, letters))
        .list()
        .ofMaxSize(4)
        .map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<Tuple.Tuple2<Charset, List<List<String>>>> tables() {
    return charsets()
        .flatMap(
            cs ->
                Arbitraries.integers()
                    .between(1, 4)
                    .flatMap(n -> fields(cs).list().ofSize(n).list().ofMinSize(1).ofMaxSize(6))
                    .map(t -> Tuple.of(cs, t)));
  }

  /**
   * The steps, alone and chained so that a step also meets the row another left as it was, and with
   * select, drop and rename, which move values over the same bytes without making them, so that a
   * value step meets a field at another position than it was read at.
   */
  private static List<List<Step>> chains(String... columns) {
    String[] reversed = columns.clone();
    Collections.reverse(Arrays.asList(reversed));
    String first = columns[0];
    List<List<Step>> chains =
        new ArrayList<>(
            List.of(
                List.of(Steps.upper(columns)),
                List.of(Steps.lower(columns)),
                List.of(Steps.hash(columns)),
                List.of(Steps.hmac(KEY, columns)),
                List.of(Steps.upper(columns), Steps.hash(columns)),
                List.of(Steps.lower(columns), Steps.upper(columns), Steps.hmac(KEY, columns)),
                List.of(Steps.select(reversed)),
                List.of(Steps.select(reversed), Steps.upper(first), Steps.select(columns)),
                List.of(
                    Steps.upper(first),
                    Steps.select(reversed),
                    Steps.rename(first, "x"),
                    Steps.hash("x"),
                    Steps.select("x")),
                List.of(Steps.select(first), Steps.lower(first), Steps.rename(first, "y"))));
    if (columns.length > 1) {
      String[] rest = Arrays.copyOfRange(columns, 1, columns.length);
      chains.add(List.of(Steps.drop(first), Steps.lower(rest), Steps.select(rest[0])));
      chains.add(List.of(Steps.hash(first), Steps.drop(rest[0]), Steps.upper(first)));
    }
    return chains;
  }

  @Property(tries = 400)
  void stepsOnByteRowsGiveWhatTheyGiveOnStringRows(
      @ForAll("tables") Tuple.Tuple2<Charset, List<List<String>>> input) throws Exception {
    Charset cs = input.get1();
    List<List<String>> table = input.get2();
    int width = table.get(0).size();
    String[] names = new String[width];
    for (int i = 0; i < width; i++) {
      names[i] = "c" + i;
    }
    Path f = root.resolve("t" + (++files) + ".csv");
    Files.write(f, print(names, table).getBytes(cs));
    Format format = Format.csv().toBuilder().charset(cs).parser(Format.Parser.BYTES).build();
    Columns columns = Columns.of(names);
    int record = 0;
    try (RecordReader r =
        Formats.input(format).open(Split.whole(new InputFile(0, f, "t.csv", Files.size(f))))) {
      assertThat(r).isInstanceOf(ByteCsvRecordReader.class);
      ByteCsvRecordReader b = (ByteCsvRecordReader) r;
      while (b.next()) {
        List<String> values = table.get(record++);
        checkRanges(cs, b.fieldsForTest(), values);
        for (List<Step> chain : chains(names)) {
          List<Row> fromBytes = apply(chain, b.row(b.columns()));
          List<Row> fromStrings = apply(chain, Row.of(columns, values));
          assertThat(fromBytes).as(describe(chain)).isEqualTo(fromStrings).hasSize(1);
          assertThat(fromBytes.get(0).values())
              .as(describe(chain))
              .isEqualTo(fromStrings.get(0).values());
          // The writer copies the fields no step changed from their bytes: the same bytes as
          // encoding the String row's values, whatever the quoting the output's delimiter needs.
          for (CsvRecordFormatter formatter : FORMATTERS) {
            assertThat(utf8(formatter, fromBytes.get(0)))
                .as(describe(chain))
                .isEqualTo(utf8(formatter, fromStrings.get(0)))
                .isEqualTo(chars(formatter, fromStrings.get(0)).getBytes(UTF_8));
          }
        }
      }
      // All read by the byte reader itself, so every row above was one read from bytes.
      assertThat(b.handedOverForTest()).isFalse();
    }
    assertThat(record).isEqualTo(table.size());
  }

  /**
   * A field offers a range exactly when its bytes are its value's UTF-8 (no doubled quotes; for
   * ISO-8859-1, only ASCII), and the range holds those bytes.
   */
  private static void checkRanges(Charset cs, LazyFields fields, List<String> values) {
    assertThat(fields).isNotNull();
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      boolean ascii = v.chars().allMatch(c -> c < 0x80);
      boolean expected = !v.contains("\"") && (cs != ISO_8859_1 || ascii);
      // What a filter reads: a view of the bytes where they are the chars, else the value.
      assertThat(fields.text(i).toString()).as("text of %s in %s", v, cs).isEqualTo(v);
      long range = fields.utf8Range(i);
      Statistics.label("range").collect(range >= 0 ? "bytes" : "string");
      assertThat(range >= 0).as("range of %s in %s", v, cs).isEqualTo(expected);
      if (range >= 0) {
        assertThat(
                Arrays.copyOfRange(fields.bytes(), LazyFields.start(range), LazyFields.end(range)))
            .isEqualTo(v.getBytes(UTF_8));
      }
    }
  }

  private static byte[] utf8(CsvRecordFormatter formatter, Row row) {
    Utf8Sink sink = new Utf8Sink();
    formatter.record(row, sink);
    return sink.toArray();
  }

  private static String chars(CsvRecordFormatter formatter, Row row) {
    StringBuilder out = new StringBuilder();
    formatter.record(row, out);
    return out.toString();
  }

  private static String print(String[] names, List<List<String>> table) throws IOException {
    StringWriter w = new StringWriter();
    try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(names).build())) {
      for (List<String> record : table) {
        p.printRecord(record);
      }
    }
    return w.toString();
  }

  private static List<Row> apply(List<Step> chain, Row row) throws Exception {
    List<Row> rows = List.of(row);
    for (Step step : chain) {
      List<Row> next = new ArrayList<>();
      Emitter out =
          new Emitter() {
            @Override
            public void emit(Row r) {
              next.add(r);
            }

            @Override
            public void warn(String message) {
              throw new AssertionError(message);
            }
          };
      for (Row r : rows) {
        step.apply(r, out);
      }
      rows = next;
    }
    return rows;
  }

  private static String describe(List<Step> chain) {
    return chain.stream().map(Step::describe).toList().toString();
  }
}
