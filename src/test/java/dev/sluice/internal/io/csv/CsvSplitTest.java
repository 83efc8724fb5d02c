package dev.sluice.internal.io.csv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ErrorType;
import dev.sluice.api.Format;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.internal.io.IoFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file read through many small splits gives exactly what the whole-file read gives: records, file
 * line numbers, rejects (type, line, byte offset, column, text) and failures. Lines of later splits
 * are made file lines the way the engine does, from {@link RecordReader#linesRead()}.
 */
class CsvSplitTest {
  private static Path root;
  private static int counter;

  @TempDir Path dir;

  @BeforeContainer
  static void makeRoot() throws IOException {
    root = Files.createTempDirectory("sluice-csv-split");
  }

  @AfterContainer
  static void deleteRoot() throws IOException {
    try (var s = Files.walk(root)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  // ---- generators

  /** Field text with CSV's special characters, multibyte UTF-8 and (as U+FFFF) an invalid byte. */
  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> piece =
        Arbitraries.of(
            "a", "b", "1", ",", "\"", "\n", "\r", "\r\n", " ", "é", "€", "😀", "\t", "", "\uFFFF",
            "x,y", "\"\"", ";");
    return piece.list().ofMaxSize(6).map(l -> String.join("", l));
  }

  /** A CSV file as bytes: header, records of the header's width, mixed line breaks. */
  @Provide
  Arbitrary<byte[]> files() {
    Arbitrary<Integer> width = Arbitraries.integers().between(1, 4);
    return width.flatMap(
        w -> {
          Arbitrary<List<String>> record = texts().list().ofSize(w);
          Arbitrary<List<List<String>>> records = record.list().ofMaxSize(30);
          Arbitrary<List<Integer>> breaks = Arbitraries.integers().between(0, 2).list().ofSize(32);
          Arbitrary<List<Boolean>> quoteAll = Arbitraries.of(true, false).list().ofSize(32 * 4);
          Arbitrary<List<Integer>> blanks = Arbitraries.integers().between(0, 6).list().ofSize(32);
          return Combinators.combine(
                  records,
                  breaks,
                  quoteAll,
                  Arbitraries.of(true, false),
                  Arbitraries.of(true, false),
                  blanks)
              .as((rs, br, qa, bom, lastBreak, bl) -> csv(w, rs, br, qa, bom, lastBreak, bl));
        });
  }

  private static byte[] csv(
      int width,
      List<List<String>> records,
      List<Integer> breaks,
      List<Boolean> quoteAll,
      boolean bom,
      boolean lastBreak,
      List<Integer> blanks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (bom) {
      out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    }
    List<List<String>> all = new ArrayList<>();
    List<String> header = new ArrayList<>();
    for (int i = 0; i < width; i++) {
      header.add("h" + i);
    }
    all.add(header);
    all.addAll(records);
    int q = 0;
    for (int r = 0; r < all.size(); r++) {
      List<String> rec = all.get(r);
      // Blank lines (issue 14), skipped by default: before the header too.
      writeBlankLines(out, blanks.get(r % blanks.size()));
      for (int f = 0; f < rec.size(); f++) {
        if (f > 0) {
          out.write(',');
        }
        String t = rec.get(f);
        boolean quote =
            quoteAll.get(q++ % quoteAll.size())
                || t.contains(",")
                || t.contains("\"")
                || t.contains("\r")
                || t.contains("\n")
                || (width == 1 && t.isEmpty() && r > 0);
        if (quote) {
          out.write('"');
        }
        for (int k = 0; k < t.length(); k++) {
          char c = t.charAt(k);
          if (c == '\uFFFF') {
            out.write(0xFF);
          } else if (c == '"') {
            out.writeBytes("\"\"".getBytes(UTF_8));
          } else if (Character.isHighSurrogate(c)) {
            out.writeBytes(t.substring(k, k + 2).getBytes(UTF_8));
            k++;
          } else {
            out.writeBytes(String.valueOf(c).getBytes(UTF_8));
          }
        }
        if (quote) {
          out.write('"');
        }
      }
      if (r < all.size() - 1 || lastBreak) {
        out.writeBytes(
            new String[] {"\n", "\r\n", "\r"}[breaks.get(r % breaks.size())].getBytes(UTF_8));
      }
    }
    if (lastBreak) {
      writeBlankLines(out, blanks.get(all.size() % blanks.size()));
    }
    return out.toByteArray();
  }

  /** {@code n - 3} blank lines (none for {@code n <= 3}), LF and CRLF in turn. */
  static void writeBlankLines(ByteArrayOutputStream out, int n) {
    for (int b = 0; b < n - 3; b++) {
      out.writeBytes((b % 2 == 0 ? "\n" : "\r\n").getBytes(UTF_8));
    }
  }

  // ---- helpers

  private static Path file(byte[] content) throws IOException {
    Path f = root.resolve("f" + (counter++) + ".csv");
    Files.write(f, content);
    return f;
  }

  private static InputFile input(Path f) throws IOException {
    return new InputFile(0, f, f.getFileName().toString(), Files.size(f));
  }

  /**
   * What reading {@code splits} in order gives, each line made a file line the way the engine does;
   * ends at the first non-recoverable failure. Checks that the splits' bytes add up to the file.
   */
  static List<String> events(CsvInputFormat format, List<Split> splits) throws IOException {
    List<String> out = new ArrayList<>();
    long offset = 0;
    long bytes = 0;
    long blank = 0;
    for (Split s : splits) {
      RecordReader r;
      try {
        r = format.open(s);
      } catch (RecordException e) {
        out.add(describe(e, offset));
        return out;
      }
      try (r) {
        while (true) {
          try {
            if (!r.next()) {
              break;
            }
            out.add(
                "R line "
                    + (r.line() + offset)
                    + " "
                    + r.columns()
                    + " "
                    + Arrays.toString(r.values()));
          } catch (RecordException e) {
            out.add(describe(e, offset) + " raw=" + r.rawText());
            if (!e.recoverable()) {
              return out;
            }
          }
        }
        offset += r.linesRead();
        bytes += r.bytesRead();
        blank += r.blankLinesSkipped();
      }
    }
    out.add("blank " + blank);
    out.add("bytes " + bytes);
    return out;
  }

  /**
   * {@code events} with the raw text left out of the failure events of its last record if the read
   * ends at a quote not closed before the end of the file: a split that runs into such a field
   * reports the whole file's error (issue 14) but knows the record's text only up to its own end.
   */
  static List<String> withoutUnclosedRaw(List<String> events) {
    if (events.isEmpty()
        || !events.get(events.size() - 1).contains("quoted field is not closed before the end")) {
      return events;
    }
    String last = events.get(events.size() - 1);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(" line (-?\\d+) ").matcher(last);
    String line = m.find() ? m.group(0) : "";
    List<String> out = new ArrayList<>(events);
    for (int i = out.size() - 1;
        i >= 0 && out.get(i).startsWith("E ") && out.get(i).contains(line);
        i--) {
      int raw = out.get(i).indexOf(" raw=");
      if (raw >= 0) {
        out.set(i, out.get(i).substring(0, raw));
      }
    }
    return out;
  }

  private static String describe(RecordException e, long offset) {
    return "E "
        + e.type()
        + " line "
        + (e.line() < 0 ? -1 : e.line() + offset)
        + " byte "
        + e.byteOffset()
        + " column "
        + e.column()
        + " recoverable "
        + e.recoverable()
        + " "
        + e.reason();
  }

  // ---- properties

  @Property(tries = 300)
  void aWellFormedFileReadInTinySplitsGivesWhatTheWholeFileGives(
      @ForAll("files") byte[] content,
      @ForAll @IntRange(min = 1, max = 200) int splitSize,
      @ForAll boolean smallRecords)
      throws IOException {
    Format format =
        Format.csv().toBuilder()
            .maxRecordSize(smallRecords ? 12 : Format.DEFAULT_MAX_RECORD_SIZE)
            .build();
    CsvInputFormat csv = new CsvInputFormat(format);
    Path f = file(content);
    List<Split> splits = csv.plan(input(f), splitSize);

    List<String> whole = events(csv, List.of(Split.whole(input(f))));
    List<String> split = events(csv, splits);

    assertThat(split).isEqualTo(whole);
    Statistics.label("splits").collect(splits.size() == 1 ? "1" : splits.size() < 5 ? "2-4" : "5+");
    Files.delete(f);
  }

  @Property(tries = 300)
  void aFileWithBadRecordsReadInSplitsGivesTheSameOrFailsOnABadBoundaryNeverOtherRecords(
      @ForAll("files") byte[] content,
      @ForAll @IntRange(min = 1, max = 120) int splitSize,
      @ForAll @IntRange(min = 0, max = 1000) int at,
      @ForAll("junk") String junk)
      throws IOException {
    byte[] bad = insert(content, at, junk.getBytes(UTF_8));
    CsvInputFormat csv =
        new CsvInputFormat(Format.csv().toBuilder().allowShortRecords(at % 2 == 0).build());
    Path f = file(bad);
    List<Split> splits = csv.plan(input(f), splitSize);

    List<String> whole = events(csv, List.of(Split.whole(input(f))));
    List<String> split = events(csv, splits);

    if (!withoutUnclosedRaw(split).equals(withoutUnclosedRaw(whole))) {
      // Only a wrong boundary may differ, and then the read stops at the check with the records
      // before it being a prefix of the whole-file read (the engine drops them all).
      String last = split.get(split.size() - 1);
      assertThat(last)
          .contains("FILE_FAILED")
          .contains("bad split boundary")
          .contains("--split-size 0");
      List<String> before = split.subList(0, split.size() - 1);
      assertThat(whole.size()).isGreaterThanOrEqualTo(before.size());
      assertThat(whole.subList(0, before.size())).isEqualTo(before);
    }
    Files.delete(f);
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.of("\"", ",", "\n", "x\"y", "\"\n\"", ",,\n", "\"a\"b", "\r");
  }

  private static byte[] insert(byte[] content, int at, byte[] extra) {
    int p = Math.min(at, content.length);
    byte[] out = new byte[content.length + extra.length];
    System.arraycopy(content, 0, out, 0, p);
    System.arraycopy(extra, 0, out, p, extra.length);
    System.arraycopy(content, p, out, p + extra.length, content.length - p);
    return out;
  }

  // ---- examples

  /** A quoted field whose lines look like records of the file's width, across every boundary. */
  @Test
  void csvLookingLinesInsideAQuotedFieldAreNeverTakenForRecords() throws IOException {
    StringBuilder sb = new StringBuilder("a,b\n");
    for (int r = 0; r < 20; r++) {
      sb.append(r).append(",\"");
      for (int i = 0; i < 30; i++) {
        sb.append("x,y\n");
      }
      sb.append("x\",y\n");
    }
    Path f = IoFixtures.write(dir, "adversarial.csv", sb.toString());
    CsvInputFormat csv = new CsvInputFormat(Format.csv());
    List<String> whole = events(csv, List.of(Split.whole(input(f))));

    for (int size = 1; size < 400; size += 7) {
      List<Split> splits = csv.plan(input(f), size);
      assertThat(events(csv, splits)).as("split size %d", size).isEqualTo(whole);
    }
    assertThat(whole).hasSize(22);
  }

  /** The same inside a field whose text looks like a whole record: both readings survive. */
  @Test
  void anAmbiguousBoundaryIsDroppedAndTheFileStillReadsTheSame() throws IOException {
    StringBuilder sb = new StringBuilder("a,b\n");
    for (int r = 0; r < 10; r++) {
      sb.append("\"");
      for (int i = 0; i < 30; i++) {
        sb.append("x,y\n");
      }
      sb.append("x\",y\n");
    }
    Path f = IoFixtures.write(dir, "ambiguous.csv", sb.toString());
    CsvInputFormat csv = new CsvInputFormat(Format.csv());
    List<String> whole = events(csv, List.of(Split.whole(input(f))));

    List<Split> splits = csv.plan(input(f), 50);

    assertThat(events(csv, splits)).isEqualTo(whole);
    // Only the boundaries right after a record end can be proven; the rest merge.
    assertThat(splits.size()).isLessThanOrEqualTo(10);
  }

  @Test
  void aPlainFileOfRecordsIsCutNearEveryNominalOffset() throws IOException {
    StringBuilder sb = new StringBuilder("id,name\n");
    for (int i = 0; i < 10_000; i++) {
      sb.append(i).append(",\"name ").append(i).append("\"\n");
    }
    Path f = IoFixtures.write(dir, "plain.csv", sb.toString());
    CsvInputFormat csv = new CsvInputFormat(Format.csv());

    List<Split> splits = csv.plan(input(f), 10_000);

    assertThat(splits).hasSize((int) Math.round(Files.size(f) / 10_000.0));
    for (int i = 1; i < splits.size(); i++) {
      assertThat(splits.get(i).start()).isEqualTo(splits.get(i - 1).end());
      assertThat(Files.readAllBytes(f)[(int) splits.get(i).start() - 1]).isEqualTo((byte) '\n');
    }
    assertThat(splits.get(splits.size() - 1).end()).isEqualTo(-1);
    assertThat(events(csv, splits)).isEqualTo(events(csv, List.of(Split.whole(input(f)))));
  }

  @Test
  void smallGzipUtf16AndUnsplittableFilesAreOneSplit() throws IOException {
    StringBuilder sb = new StringBuilder("id,name\n");
    for (int i = 0; i < 2_000; i++) {
      sb.append(i).append(",name\n");
    }
    byte[] text = sb.toString().getBytes(UTF_8);
    Path gz = IoFixtures.write(dir, "g.csv", IoFixtures.gzip(text));
    Path utf16 = IoFixtures.write(dir, "u.csv", sb.toString().getBytes(StandardCharsets.UTF_16));
    Path plain = IoFixtures.write(dir, "p.csv", text);
    CsvInputFormat csv = new CsvInputFormat(Format.csv());

    assertThat(csv.plan(input(gz), 100)).containsExactly(Split.whole(input(gz)));
    assertThat(
            new CsvInputFormat(Format.csv().toBuilder().charset(StandardCharsets.UTF_16).build())
                .plan(input(utf16), 100))
        .containsExactly(Split.whole(input(utf16)));
    assertThat(csv.plan(input(plain), 0)).containsExactly(Split.whole(input(plain)));
    assertThat(csv.plan(input(plain), text.length)).containsExactly(Split.whole(input(plain)));
    assertThat(csv.plan(input(plain), 100)).hasSizeGreaterThan(50);
    assertThat(
            new CsvInputFormat(
                    Format.csv().toBuilder()
                        .charset(java.nio.charset.Charset.forName("Shift_JIS"))
                        .build())
                .plan(input(plain), 100))
        .hasSize(1);
    assertThat(
            new CsvInputFormat(Format.csv().toBuilder().delimiter('§').build())
                .plan(input(plain), 100))
        .hasSize(1);
    assertThat(new CsvInputFormat(Format.csv()).plan(input(plain))).hasSize(1);
  }

  @Test
  void laterSplitsOfAHeaderlessFileTakeTheFirstGoodRecordsWidth() throws IOException {
    StringBuilder sb = new StringBuilder("\"toolong-toolong\",x\n");
    for (int i = 0; i < 300; i++) {
      sb.append(i).append(",a,b\n");
    }
    Path f = IoFixtures.write(dir, "headerless.csv", sb.toString());
    CsvInputFormat csv =
        new CsvInputFormat(Format.csv().toBuilder().header(false).maxRecordSize(10).build());

    List<Split> splits = csv.plan(input(f), 40);
    List<String> split = events(csv, splits);

    assertThat(splits.size()).isGreaterThan(10);
    assertThat(split).isEqualTo(events(csv, List.of(Split.whole(input(f)))));
    assertThat(split.get(split.size() - 3)).isEqualTo("R line 301 c1,c2,c3 [299, a, b]");
  }

  // ---- the planner's two readings, on windows

  private static long boundary(int width, String window, boolean eof) {
    byte[] w = window.getBytes(UTF_8);
    return new CsvSplitter(width, ',', '"', false, Format.BlankLines.SKIP)
        .boundary(w, w.length, 1000, eof);
  }

  @Test
  void theInsideReadingDiesFirstSoTheLineBreakStartsARecord() {
    // Inside quotes, "2,\"b" would close a field at the quote before b: junk, dead at once.
    assertThat(boundary(2, "1,a\n2,\"b\"\n3,c\n", false)).isEqualTo(1004);
  }

  @Test
  void theOutsideReadingDiesFirstSoTheBoundaryIsAfterTheQuotedFieldsRecord() {
    // Outside, b" is a record of one field; inside, it closes the field of a record ending there.
    assertThat(boundary(2, "a\nb\"\n3,c\n", false)).isEqualTo(1005);
  }

  @Test
  void whenNeitherReadingDiesTheBoundaryIsDropped() {
    assertThat(boundary(2, "a\nx,y\nx\",y\n", false)).isEqualTo(-1);
  }

  @Test
  void aQuotedFieldThatDoesNotCloseInTheWindowIsNotBelievedButTheEndOfTheFileInsideQuotesIs() {
    // No quote at all: inside would be one field as long as the window; outside parses records.
    assertThat(boundary(2, "a\n1,x\n2,y\n", false)).isEqualTo(1002);
    // At the end of the file: inside is an unterminated quote, outside holds.
    assertThat(boundary(2, "a\n1,x\n2,y", true)).isEqualTo(1002);
  }

  @Test
  void aCrAtTheEndOfTheWindowOrACrLfIsNeverCut() {
    assertThat(boundary(2, "a,b\r", false)).isEqualTo(-1);
    assertThat(boundary(2, "a,b\r\n1,x\r\n", false)).isEqualTo(1005);
    assertThat(boundary(2, "\n1,x\r2,y\r", false)).isEqualTo(1001);
  }

  // ---- the runtime check

  @Test
  void aSplitCutInsideAQuotedFieldFailsTheFileWithTheBoundaryAndAHint() throws IOException {
    String text = "a,b\n1,\"x\n2,y\n3,z\"\n4,w\n";
    Path f = IoFixtures.write(dir, "wrong.csv", text);
    InputFile in = input(f);
    int cut = text.indexOf("2,y");
    CsvInputFormat csv = new CsvInputFormat(Format.csv());
    List<Split> wrong = List.of(new Split(in, 0, 2, 0, cut), new Split(in, 1, 2, cut, -1));

    try (RecordReader r = csv.open(wrong.get(0))) {
      assertThatThrownBy(r::next)
          .isInstanceOfSatisfying(
              RecordException.class,
              e -> {
                assertThat(e.type()).isEqualTo(ErrorType.FILE_FAILED);
                assertThat(e.recoverable()).isFalse();
                assertThat(e.byteOffset()).isEqualTo(cut);
                assertThat(e.line()).isEqualTo(2);
              })
          .hasMessageContaining("bad split boundary")
          .hasMessageContaining("inside a quoted field")
          .hasMessageContaining("--split-size 0");
      assertThatThrownBy(r::next).hasMessageContaining("bad split boundary");
    }
  }

  @Test
  void aSplitCutInsideARecordFailsTheFile() throws IOException {
    String text = "a,b\n1,x\n2,y\n";
    Path f = IoFixtures.write(dir, "mid.csv", text);
    InputFile in = input(f);
    int cut = text.indexOf("2,y") + 2;
    CsvInputFormat csv = new CsvInputFormat(Format.csv());

    List<String> got =
        events(csv, List.of(new Split(in, 0, 2, 0, cut), new Split(in, 1, 2, cut, -1)));

    assertThat(got.get(0)).startsWith("R line 2 ").endsWith(" [1, x]");
    assertThat(got.get(1))
        .contains("FILE_FAILED")
        .contains("ends inside a record")
        .contains("line 3");
    assertThat(got).hasSize(2);
  }

  @Test
  void aTooLargeRecordRunningIntoTheSplitsEndFailsTheFile() throws IOException {
    String text = "a,b\n1,\"" + "x".repeat(50) + "\n" + "y".repeat(50) + "\"\n2,z\n";
    Path f = IoFixtures.write(dir, "large.csv", text);
    InputFile in = input(f);
    int cut = text.indexOf("yyy");
    CsvInputFormat csv = new CsvInputFormat(Format.csv().toBuilder().maxRecordSize(10).build());

    List<String> got =
        events(csv, List.of(new Split(in, 0, 2, 0, cut), new Split(in, 1, 2, cut, -1)));

    assertThat(got.get(0)).contains("RECORD_TOO_LARGE").contains("recoverable true");
    assertThat(got.get(1)).contains("FILE_FAILED").contains("bad split boundary");
  }

  /**
   * Issue 14: a split that ends inside a quoted field that nothing in the rest of the file closes
   * reports the whole file's unterminated quote, not a bad boundary; with a size limit that the
   * record passes only beyond the split's end, the {@code RECORD_TOO_LARGE} a whole-file read
   * throws first comes first here too.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "{0}, limit {1}")
  @org.junit.jupiter.params.provider.CsvSource({
    "COMMONS,1000",
    "FASTCSV,1000",
    "COMMONS,30",
    "FASTCSV,30"
  })
  void aSplitEndingInAQuoteThatNeverClosesReportsTheWholeFilesUnterminatedQuote(
      String parser, int limit) throws IOException {
    String text = "a,b\n1,x\n2,\"open\n3,y\n4,z\n5,w\n";
    Path f = IoFixtures.write(dir, "unclosed.csv", text);
    InputFile in = input(f);
    int cut = text.indexOf("4,z");
    CsvInputFormat csv =
        new CsvInputFormat(
            Format.csv().toBuilder()
                .parser(Format.Parser.valueOf(parser))
                .maxRecordSize(limit)
                .build());

    List<String> whole = events(csv, List.of(Split.whole(in)));
    List<String> split =
        events(csv, List.of(new Split(in, 0, 2, 0, cut), new Split(in, 1, 2, cut, -1)));

    assertThat(withoutUnclosedRaw(split)).isEqualTo(withoutUnclosedRaw(whole));
    assertThat(split.get(split.size() - 1))
        .startsWith(
            "E MALFORMED_CSV line 3 byte -1 column 2 recoverable false quoted field is not closed"
                + " before the end of the file raw=2,\"open\n3,y\n");
    assertThat(split.get(1).startsWith("E RECORD_TOO_LARGE line 3 "))
        .isEqualTo(limit < text.length());
  }
}
