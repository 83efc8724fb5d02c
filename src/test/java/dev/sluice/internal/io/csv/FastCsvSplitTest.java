package dev.sluice.internal.io.csv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.Format;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
 * The FastCSV reader and the byte reader ({@code byBytes}) on splits against the Commons CSV
 * reader: a file read by either through many small splits gives exactly what Commons CSV gives for
 * the whole file (records, file lines, rejects with type, line, byte offset, column and text,
 * failures), and on every split plan, right or wrong, exactly what Commons CSV's split reader
 * gives, record numbers and the bad split boundary check included. The inputs bring FastCSV's
 * fallbacks (whitespace after a closing quote, a bare CR in a quoted field before the record's LF,
 * a hand-over) into later splits.
 */
class FastCsvSplitTest {
  private static Path root;
  private static int counter;

  @TempDir Path dir;

  @BeforeContainer
  static void makeRoot() throws IOException {
    root = Files.createTempDirectory("sluice-fastcsv-split");
  }

  @AfterContainer
  static void deleteRoot() throws IOException {
    try (var s = Files.walk(root)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  // ---- generators

  /**
   * Field text with CSV's special characters, a bare CR, multibyte UTF-8 and (U+FFFF) a bad byte.
   */
  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> piece =
        Arbitraries.of(
            "a", "b", "1", ",", "\"", "\n", "\r", "\r", "\r\n", " ", "é", "😀", "\t", "", "\uFFFF",
            "x,y", "\"\"");
    return piece.list().ofMaxSize(5).map(l -> String.join("", l));
  }

  /**
   * A CSV file as bytes: header, records of the header's width, mixed line breaks, some quoted
   * fields followed by whitespace before the delimiter (valid for Commons CSV, refused by FastCSV).
   */
  @Provide
  Arbitrary<byte[]> files() {
    Arbitrary<Integer> width = Arbitraries.integers().between(1, 4);
    return width.flatMap(
        w -> {
          Arbitrary<List<List<String>>> records = texts().list().ofSize(w).list().ofMaxSize(25);
          Arbitrary<List<Integer>> breaks = Arbitraries.integers().between(0, 2).list().ofSize(32);
          Arbitrary<List<Integer>> quoting = Arbitraries.integers().between(0, 5).list().ofSize(64);
          Arbitrary<List<Integer>> blanks = Arbitraries.integers().between(0, 6).list().ofSize(32);
          return Combinators.combine(records, breaks, quoting, Arbitraries.of(true, false), blanks)
              .as((rs, br, q, lastBreak, bl) -> csv(w, rs, br, q, lastBreak, bl));
        });
  }

  /** {@code quoting}: 0-2 plain (quoted if needed), 3-4 quoted, 5 quoted with a space after it. */
  private static byte[] csv(
      int width,
      List<List<String>> records,
      List<Integer> breaks,
      List<Integer> quoting,
      boolean lastBreak,
      List<Integer> blanks) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
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
      CsvSplitTest.writeBlankLines(out, blanks.get(r % blanks.size()));
      for (int f = 0; f < rec.size(); f++) {
        if (f > 0) {
          out.write(',');
        }
        String t = rec.get(f);
        int how = r == 0 ? 0 : quoting.get(q++ % quoting.size());
        boolean quote =
            how >= 3
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
          if (how == 5) {
            out.write(' ');
          }
        }
      }
      if (r < all.size() - 1 || lastBreak) {
        out.writeBytes(
            new String[] {"\n", "\r\n", "\r"}[breaks.get(r % breaks.size())].getBytes(UTF_8));
      }
    }
    if (lastBreak) {
      CsvSplitTest.writeBlankLines(out, blanks.get(all.size() % blanks.size()));
    }
    return out.toByteArray();
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.of(
        "\"", ",", "\n", "x\"y", "\"\n\"", ",,\n", "\"a\"b", "\r", "\" ", "\"\r\"\n", " ");
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

  private static Format fast(Format f) {
    return f.toBuilder().parser(Format.Parser.FASTCSV).build();
  }

  private static Format commons(Format f) {
    return f.toBuilder().parser(Format.Parser.COMMONS).build();
  }

  /** The FastCSV reader's format, or the byte reader's. */
  private static Format fast(Format f, boolean byBytes) {
    return f.toBuilder().parser(byBytes ? Format.Parser.BYTES : Format.Parser.FASTCSV).build();
  }

  /** What the FastCSV readers of one read did beyond FastCSV alone, in splits after the first. */
  static final class Fallbacks {
    long laterRecordsByCommons;
    int laterHandOvers;
    int fastReaders;
  }

  /**
   * What reading {@code splits} in order gives, as {@link CsvSplitTest#events} (lines made file
   * lines the way the engine does, ending at the first non-recoverable failure), with the
   * split-relative record numbers if {@code numbers}.
   */
  static List<String> events(
      CsvInputFormat format, List<Split> splits, boolean numbers, Fallbacks fallbacks)
      throws IOException {
    List<String> out = new ArrayList<>();
    long offset = 0;
    long bytes = 0;
    long blank = 0;
    for (Split s : splits) {
      RecordReader r;
      try {
        r = format.open(s);
      } catch (RecordException e) {
        out.add(describe(e, offset, numbers));
        return out;
      }
      try (r) {
        try {
          while (true) {
            try {
              if (!r.next()) {
                break;
              }
              out.add(
                  "R line "
                      + (r.line() + offset)
                      + (numbers ? " #" + r.recordNumber() : "")
                      + " "
                      + r.columns()
                      + " "
                      + Arrays.toString(r.values()));
            } catch (RecordException e) {
              out.add(describe(e, offset, numbers) + " raw=" + r.rawText());
              if (!e.recoverable()) {
                return out;
              }
            }
          }
        } finally {
          if (r instanceof ByteCsvRecordReader b) {
            fallbacks.fastReaders++;
            if (s.index() > 0) {
              fallbacks.laterHandOvers += b.handedOverForTest() ? 1 : 0;
            }
          }
          if (r instanceof FastCsvRecordReader f) {
            fallbacks.fastReaders++;
            if (s.index() > 0) {
              fallbacks.laterRecordsByCommons += f.recordsByCommons();
              fallbacks.laterHandOvers += f.handedOver() ? 1 : 0;
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

  private static String describe(RecordException e, long offset, boolean numbers) {
    return "E "
        + e.type()
        + " line "
        + (e.line() < 0 ? -1 : e.line() + offset)
        + (numbers ? " #" + e.recordNumber() : "")
        + " byte "
        + e.byteOffset()
        + " column "
        + e.column()
        + " recoverable "
        + e.recoverable()
        + " "
        + e.reason();
  }

  private static void collect(Fallbacks f, int splits) {
    Statistics.label("FastCSV fallback in a later split")
        .collect(
            f.laterHandOvers > 0
                ? "hand-over"
                : f.laterRecordsByCommons > 0 ? "records by Commons CSV" : "none");
    Statistics.label("splits").collect(splits == 1 ? "1" : splits < 5 ? "2-4" : "5+");
  }

  // ---- properties

  @Property(tries = 300)
  void aValidFileReadByFastCsvInTinySplitsGivesWhatCommonsGivesForTheWholeFile(
      @ForAll("files") byte[] content,
      @ForAll @IntRange(min = 1, max = 200) int splitSize,
      @ForAll boolean smallRecords,
      @ForAll boolean header,
      @ForAll boolean byBytes)
      throws IOException {
    Format format =
        Format.csv().toBuilder()
            .header(header)
            .maxRecordSize(smallRecords ? 12 : Format.DEFAULT_MAX_RECORD_SIZE)
            .build();
    CsvInputFormat commons = new CsvInputFormat(commons(format));
    CsvInputFormat fastcsv = new CsvInputFormat(fast(format, byBytes));
    Path f = file(content);
    List<Split> splits = fastcsv.plan(input(f), splitSize);
    Fallbacks fallbacks = new Fallbacks();

    List<String> whole = events(commons, List.of(Split.whole(input(f))), false, new Fallbacks());
    List<String> split = events(fastcsv, splits, false, fallbacks);

    assertThat(split).isEqualTo(whole);
    assertThat(fallbacks.fastReaders).isGreaterThan(0);
    assertThat(events(fastcsv, splits, true, new Fallbacks()))
        .isEqualTo(events(commons, splits, true, new Fallbacks()));
    collect(fallbacks, splits.size());
    Files.delete(f);
  }

  @Property(tries = 300)
  void aCorruptedFileReadByFastCsvInTinySplitsGivesWhatCommonsGives(
      @ForAll("files") byte[] content,
      @ForAll @IntRange(min = 1, max = 120) int splitSize,
      @ForAll @IntRange(min = 0, max = 1000) int at,
      @ForAll("junk") String junk,
      @ForAll boolean byBytes)
      throws IOException {
    byte[] bad = insert(content, at, junk.getBytes(UTF_8));
    Format format = Format.csv().toBuilder().allowShortRecords(at % 2 == 0).build();
    CsvInputFormat commons = new CsvInputFormat(commons(format));
    CsvInputFormat fastcsv = new CsvInputFormat(fast(format, byBytes));
    Path f = file(bad);
    List<Split> splits = fastcsv.plan(input(f), splitSize);
    Fallbacks fallbacks = new Fallbacks();

    List<String> whole = events(commons, List.of(Split.whole(input(f))), false, new Fallbacks());
    List<String> split = events(fastcsv, splits, false, fallbacks);

    // Exactly Commons CSV's split read, whatever the plan ...
    assertThat(events(fastcsv, splits, true, new Fallbacks()))
        .isEqualTo(events(commons, splits, true, new Fallbacks()));
    // ... which is the whole-file read, or stops at a wrong boundary after a prefix of it.
    if (!CsvSplitTest.withoutUnclosedRaw(split).equals(CsvSplitTest.withoutUnclosedRaw(whole))) {
      String last = split.get(split.size() - 1);
      assertThat(last).contains("FILE_FAILED").contains("bad split boundary");
      List<String> before = split.subList(0, split.size() - 1);
      assertThat(whole.size()).isGreaterThanOrEqualTo(before.size());
      assertThat(whole.subList(0, before.size())).isEqualTo(before);
    }
    collect(fallbacks, splits.size());
    Files.delete(f);
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

  private static String records(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < to; i++) {
      sb.append(i).append(",\"note ").append(i).append("\",").append(i * 3).append('\n');
    }
    return sb.toString();
  }

  @Test
  void theRecordFallbacksInALaterSplitGiveTheWholeFileRecords() throws IOException {
    String text =
        "id,note,amount\n"
            + records(0, 200)
            + "200,\"spaced\" ,1\n"
            + records(201, 300)
            + "300,2,\"bare\rcr\"\n"
            + records(301, 400);
    Path f = Files.writeString(dir.resolve("fallbacks.csv"), text);
    CsvInputFormat commons = new CsvInputFormat(commons(Format.csv()));
    CsvInputFormat fastcsv = new CsvInputFormat(fast(Format.csv()));
    List<Split> splits = fastcsv.plan(input(f), 1000);
    Fallbacks fallbacks = new Fallbacks();

    List<String> split = events(fastcsv, splits, false, fallbacks);

    assertThat(splits).hasSizeGreaterThan(5);
    assertThat(split)
        .isEqualTo(events(commons, List.of(Split.whole(input(f))), false, new Fallbacks()));
    assertThat(split).contains("R line 202 id,note,amount [200, spaced, 1]");
    assertThat(split).contains("R line 302 id,note,amount [300, 2, bare\rcr]");
    assertThat(fallbacks.laterRecordsByCommons).isEqualTo(2);
    assertThat(fallbacks.laterHandOvers).isZero();
  }

  /**
   * A record with whitespace after a closing quote too long for the scanner to keep: the split is
   * handed over to Commons CSV, which rereads that split only.
   */
  @Test
  void aHandOverInALaterSplitRereadsThatSplitOnly() throws IOException {
    String text =
        "id,note,amount\n"
            + records(0, 300)
            + "300,\"junk\"x,1\n"
            + "301,2\n"
            + records(302, 320)
            + "320,\""
            + "long ".repeat(10_000)
            + "\" ,1\n"
            + records(321, 400);
    Path f = Files.writeString(dir.resolve("handover.csv"), text);
    CsvInputFormat commons = new CsvInputFormat(commons(Format.csv()));
    CsvInputFormat fastcsv = new CsvInputFormat(fast(Format.csv()));
    List<Split> splits = fastcsv.plan(input(f), 2000);
    Fallbacks fallbacks = new Fallbacks();

    List<String> split = events(fastcsv, splits, false, fallbacks);

    assertThat(splits).hasSizeGreaterThan(5);
    assertThat(split)
        .isEqualTo(events(commons, List.of(Split.whole(input(f))), false, new Fallbacks()));
    assertThat(split.get(split.size() - 1)).isEqualTo("bytes " + Files.size(f));
    assertThat(fallbacks.laterHandOvers).isEqualTo(1);
    assertThat(events(fastcsv, splits, true, new Fallbacks()))
        .isEqualTo(events(commons, splits, true, new Fallbacks()));
  }

  /**
   * Every cut of short files holding the fallback cases, right or wrong, into two and three splits:
   * FastCSV's split reader says what Commons CSV's says, the bad split boundary included.
   */
  @Test
  void everyCutGivesWhatCommonsGivesTheBadBoundaryIncluded() throws IOException {
    String[] texts = {
      "a,b\n1,\"x\n2,y\n3,z\"\n4,w\n",
      "a,b\n1,\"x\" ,y\n2,\"p\rq\"\n3,\"\r\" \n4,\"u\" ,\"v\"\t\r\n",
      "a,b\n1,\"x\"y,z\n2,\"p\" ,\"q\"\n\"3\",\"unterminated\n4,w\n",
      "a,b\n\"" + "w ".repeat(40) + "\" ,1\n2,\"" + "x\r".repeat(30) + "\"\n3,4",
    };
    for (int m = 0; m < texts.length; m++) {
      Path f = Files.writeString(dir.resolve("cut" + m + ".csv"), texts[m]);
      InputFile in = input(f);
      int n = texts[m].getBytes(UTF_8).length;
      for (int max : new int[] {Format.DEFAULT_MAX_RECORD_SIZE, 20}) {
        Format format = Format.csv().toBuilder().maxRecordSize(max).build();
        CsvInputFormat commons = new CsvInputFormat(commons(format));
        CsvInputFormat fastcsv = new CsvInputFormat(fast(format));
        for (int cut = 1; cut < n; cut++) {
          List<Split> two = List.of(new Split(in, 0, 2, 0, cut), new Split(in, 1, 2, cut, -1));
          assertThat(events(fastcsv, two, true, new Fallbacks()))
              .as("file %d, limit %d, cut at %d", m, max, cut)
              .isEqualTo(events(commons, two, true, new Fallbacks()));
          int cut2 = cut + (n - cut) / 2;
          if (cut2 > cut) {
            List<Split> three =
                List.of(
                    new Split(in, 0, 3, 0, cut),
                    new Split(in, 1, 3, cut, cut2),
                    new Split(in, 2, 3, cut2, -1));
            assertThat(events(fastcsv, three, true, new Fallbacks()))
                .as("file %d, limit %d, cuts at %d and %d", m, max, cut, cut2)
                .isEqualTo(events(commons, three, true, new Fallbacks()));
          }
        }
      }
    }
  }
}
