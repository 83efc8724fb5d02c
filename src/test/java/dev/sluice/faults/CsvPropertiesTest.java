package dev.sluice.faults;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sluice.Sluice;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.PipelineException;
import dev.sluice.api.RunResult;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Assertions;

/**
 * Properties of the CSV path through the whole engine: (a) any fields written by Commons CSV (RFC
 * 4180) come out of an identity job as the same records; (b) a corrupted file under the skip policy
 * never hangs the run, never escapes as anything but a {@link PipelineException}, and never yields
 * a row that is not a record of the input.
 *
 * <p>The reference for (b) is an independent strict parse of the corrupted bytes (strict UTF-8,
 * Commons CSV with every leniency off, a leading BOM skipped as Sluice does): if it fails, Sluice
 * must drop the file whole; if it succeeds, Sluice's rows must be its records with the header's
 * field count, in order.
 */
class CsvPropertiesTest {
  private static Path root;
  private static final AtomicInteger tries = new AtomicInteger();
  private Path dir;

  @BeforeContainer
  static void makeRoot() throws IOException {
    root = Files.createTempDirectory("sluice-csv-properties");
  }

  @AfterContainer
  static void deleteRoot() {
    SweepJob.uncheckedDelete(root);
  }

  @AfterTry
  void deleteTry() {
    assertThat(SweepJob.sluiceThreads()).as("engine threads alive").isEmpty();
    if (dir != null) {
      SweepJob.uncheckedDelete(dir);
      dir = null;
    }
  }

  // ---- generators

  /** Pieces of field text: CSV's special characters, empty strings and any code point. */
  @Provide
  Arbitrary<String> fields() {
    Arbitrary<String> special =
        Arbitraries.of(
            "\"",
            ",",
            "\r",
            "\n",
            "\r\n",
            "\n\r",
            "",
            " ",
            "\"\"",
            "\t",
            "\uFEFF",
            "\uD83D\uDE00",
            "é");
    Arbitrary<String> anyCodePoint =
        Arbitraries.integers()
            .between(0, Character.MAX_CODE_POINT)
            // NUL marks a binary file (the whole file is refused), so text fields never hold one.
            .filter(cp -> cp != 0 && (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE))
            .map(Character::toString);
    Arbitrary<String> supplementary =
        Arbitraries.integers()
            .between(Character.MIN_SUPPLEMENTARY_CODE_POINT, Character.MAX_CODE_POINT)
            .map(Character::toString);
    Arbitrary<String> piece =
        Arbitraries.frequencyOf(
            Tuple.of(4, special),
            Tuple.of(3, anyCodePoint),
            Tuple.of(1, supplementary),
            Tuple.of(3, Arbitraries.strings().alpha().numeric().ofMaxLength(6)));
    return piece.list().ofMaxSize(5).map(l -> String.join("", l));
  }

  /** A header and up to 8 rows, all of the header's width. */
  @Provide
  Arbitrary<List<List<String>>> tables() {
    return tables(0);
  }

  /** Tables with a few rows, so that a corruption often hits a record rather than the header. */
  @Provide
  Arbitrary<List<List<String>>> someRows() {
    return tables(3);
  }

  private Arbitrary<List<List<String>>> tables(int minRows) {
    return Arbitraries.integers()
        .between(1, 4)
        .flatMap(
            n ->
                Combinators.combine(
                        fields().list().ofSize(n),
                        fields().list().ofSize(n).list().ofMinSize(minRows).ofMaxSize(8))
                    .as(
                        (header, rows) -> {
                          List<List<String>> t = new ArrayList<>();
                          t.add(distinctNames(withoutLeadingBom(header)));
                          t.addAll(rows);
                          return t;
                        }));
  }

  /** Header names must be distinct and non-empty (a file with a bad header fails whole). */
  private static List<String> distinctNames(List<String> header) {
    List<String> h = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < header.size(); i++) {
      String n = header.get(i);
      if (n.isEmpty() || !seen.add(n)) {
        n = n + "#" + i;
        seen.add(n);
      }
      h.add(n);
    }
    return h;
  }

  /**
   * A file that starts with U+FEFF starts with a UTF-8 byte order mark, which readers skip (Sluice
   * included); that is not a field's content, so the first header name never starts with one.
   */
  private static List<String> withoutLeadingBom(List<String> header) {
    List<String> h = new ArrayList<>(header);
    while (h.get(0).startsWith("\uFEFF")) {
      h.set(0, h.get(0).substring(1));
    }
    return h;
  }

  enum Kind {
    /** XOR a byte with a random value (often an invalid UTF-8 sequence). */
    FLIP,
    /** Overwrite a byte with an ASCII character (keeps the encoding valid). */
    REPLACE,
    INSERT,
    TRUNCATE
  }

  /** One corruption: where (a fraction of the length), what, and the byte it uses. */
  record Corruption(Kind kind, double where, byte value) {
    byte[] apply(byte[] b) {
      int at = (int) Math.min(b.length, Math.floor(where * (b.length + 1)));
      switch (kind) {
        case FLIP:
          if (b.length == 0) {
            return b;
          }
          byte[] c = b.clone();
          int i = Math.min(at, b.length - 1);
          c[i] = (byte) (c[i] ^ (value == 0 ? 1 : value));
          return c;
        case REPLACE:
          if (b.length == 0) {
            return b;
          }
          byte[] e = b.clone();
          e[Math.min(at, b.length - 1)] = value;
          return e;
        case INSERT:
          byte[] d = new byte[b.length + 1];
          System.arraycopy(b, 0, d, 0, at);
          d[at] = value;
          System.arraycopy(b, at, d, at + 1, b.length - at);
          return d;
        default:
          return Arrays.copyOf(b, at);
      }
    }
  }

  @Provide
  Arbitrary<List<Corruption>> corruptions() {
    Arbitrary<Double> where = Arbitraries.doubles().between(0, 1);
    Arbitrary<Byte> anyByte = Arbitraries.bytes();
    Arbitrary<Byte> nasty =
        Arbitraries.of((byte) '"', (byte) '\r', (byte) '\n', (byte) 0, (byte) ',', (byte) 'x');
    Arbitrary<Byte> ascii = Arbitraries.bytes().between((byte) 0, (byte) 127);
    Arbitrary<Corruption> flip =
        Combinators.combine(where, anyByte).as((w, v) -> new Corruption(Kind.FLIP, w, v));
    Arbitrary<Corruption> replace =
        Combinators.combine(where, ascii).as((w, v) -> new Corruption(Kind.REPLACE, w, v));
    Arbitrary<Corruption> insert =
        Combinators.combine(where, nasty).as((w, v) -> new Corruption(Kind.INSERT, w, v));
    Arbitrary<Corruption> truncate = where.map(w -> new Corruption(Kind.TRUNCATE, w, (byte) 0));
    return Arbitraries.frequencyOf(
            Tuple.of(1, flip), Tuple.of(3, replace), Tuple.of(4, insert), Tuple.of(1, truncate))
        .list()
        .ofMinSize(1)
        .ofMaxSize(3);
  }

  // ---- (a) round trip

  @Property(tries = 150)
  void anyFieldsShouldComeOutOfAnIdentityJobAsTheSameRecords(
      @ForAll("tables") List<List<String>> first,
      @ForAll("tables") List<List<String>> second,
      @ForAll boolean crlf)
      throws IOException {
    Path in = newDir().resolve("in");
    Files.createDirectories(in);
    Files.writeString(in.resolve("first.csv"), print(first, crlf));
    Files.writeString(in.resolve("second.csv"), print(second, crlf));
    Path out = dir.resolve("out");

    RunResult r = Sluice.builder().input(in).output(out).threads(2, 2, 2).batchSize(3).run();

    assertThat(parse(Files.readString(out.resolve("first.csv")))).isEqualTo(first);
    assertThat(parse(Files.readString(out.resolve("second.csv")))).isEqualTo(second);
    assertThat(r.recordsRead()).isEqualTo(first.size() - 1 + second.size() - 1);
    SweepJob.assertAddsUp(r);
  }

  // ---- (b) corruption under skip

  @Property(tries = 100)
  void aCorruptedFileUnderSkipShouldNeverHangOrInventRows(
      @ForAll("someRows") List<List<String>> table,
      @ForAll("corruptions") List<Corruption> corruptions)
      throws IOException {
    Path in = newDir().resolve("in");
    Files.createDirectories(in);
    String text = print(table, false);
    byte[] bytes = text.getBytes(UTF_8);
    for (Corruption c : corruptions) {
      bytes = c.apply(bytes);
    }
    Files.write(in.resolve("corrupt.csv"), bytes);
    Files.writeString(in.resolve("intact.csv"), text);
    Path out = dir.resolve("out");

    RunResult r;
    try {
      r =
          Assertions.assertTimeoutPreemptively(
              Duration.ofSeconds(30),
              () ->
                  Sluice.builder()
                      .input(in)
                      .output(out)
                      .onError(ErrorPolicy.SKIP)
                      .threads(2, 2, 2)
                      .batchSize(2)
                      .run());
    } catch (PipelineException e) {
      // Allowed, though nothing here should make a skip run fail: say what did.
      SweepJob.assertAddsUp(e.result());
      fail("a skip run failed: " + e.getMessage(), e);
      return;
    }

    SweepJob.assertAddsUp(r);
    assertThat(parse(Files.readString(out.resolve("intact.csv"))))
        .as("the intact file")
        .isEqualTo(table);
    // The readers reject a record with bad bytes and resume after junk past a closing quote, so a
    // corrupted file is dropped whole, read with some records rejected, or read as is. Whatever
    // happened, what comes out is well-formed: every row has the header's width, and there are no
    // more rows than lines in the corrupted file.
    Path output = out.resolve("corrupt.csv");
    Statistics.label("corrupted file")
        .collect(
            !Files.exists(output)
                ? "dropped whole"
                : r.recordsRejected() > 0 ? "records rejected" : "read as is");
    if (!Files.exists(output)) {
      List<List<String>> rejects =
          parse(Files.readString(out.resolve("_rejects/corrupt.csv.rejects.csv")));
      assertThat(rejects.get(rejects.size() - 1).get(4)).isEqualTo("FILE_FAILED");
      return;
    }
    List<List<String>> got = parse(Files.readString(output));
    long lines = 1;
    for (byte b : bytes) {
      if (b == '\n' || b == '\r') {
        lines++;
      }
    }
    assertThat((long) got.size()).as("rows out").isLessThanOrEqualTo(lines);
    if (!got.isEmpty()) {
      int width = got.get(0).size();
      assertThat(got).as("every row has the header's width").allMatch(row -> row.size() == width);
    }
    // Both files pass through: the intact one whole, the corrupted one as written.
    assertThat(r.recordsPassed()).isEqualTo(Math.max(0, got.size() - 1) + (table.size() - 1));
  }

  private static boolean isSubsequence(List<List<String>> sub, List<List<String>> of) {
    int j = 0;
    for (List<String> s : sub) {
      while (j < of.size() && !of.get(j).equals(s)) {
        j++;
      }
      if (j == of.size()) {
        return false;
      }
      j++;
    }
    return true;
  }

  // ---- helpers

  private Path newDir() throws IOException {
    dir = Files.createDirectory(root.resolve("try-" + tries.incrementAndGet()));
    return dir;
  }

  private static String print(List<List<String>> table, boolean crlf) throws IOException {
    StringWriter w = new StringWriter();
    CSVFormat f = CSVFormat.RFC4180.builder().setRecordSeparator(crlf ? "\r\n" : "\n").get();
    try (CSVPrinter p = new CSVPrinter(w, f)) {
      for (List<String> rec : table) {
        p.printRecord(rec);
      }
    }
    return w.toString();
  }

  private static List<List<String>> parse(String csv) throws IOException {
    try (CSVParser p = CSVFormat.RFC4180.parse(new StringReader(csv))) {
      List<List<String>> out = new ArrayList<>();
      for (CSVRecord r : p) {
        out.add(r.toList());
      }
      return out;
    }
  }

  /** The records of {@code bytes} read as strictly as Sluice reads them, or null if that fails. */
  private static List<List<String>> strictParse(byte[] bytes) {
    String text;
    try {
      text =
          UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    CSVFormat strict =
        CSVFormat.RFC4180
            .builder()
            .setIgnoreEmptyLines(false)
            .setIgnoreSurroundingSpaces(false)
            .setTrim(false)
            .setTrailingDelimiter(false)
            .setTrailingData(false)
            .setLenientEof(false)
            .get();
    try (CSVParser p = strict.parse(new StringReader(text))) {
      List<List<String>> out = new ArrayList<>();
      for (CSVRecord r : p) {
        out.add(r.toList());
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
