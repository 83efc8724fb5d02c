package dev.sluice.internal.io.csv;

import static dev.sluice.internal.io.IoFixtures.concat;
import static dev.sluice.internal.io.IoFixtures.gzip;
import static dev.sluice.internal.io.IoFixtures.readAll;
import static dev.sluice.internal.io.IoFixtures.readUntilFailure;
import static dev.sluice.internal.io.IoFixtures.split;
import static dev.sluice.internal.io.IoFixtures.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.Columns;
import dev.sluice.api.ErrorType;
import dev.sluice.api.Format;
import dev.sluice.api.Format.MalformedInput;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.internal.io.Formats;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the CSV reader does with each kind of bad input: the table in the package docs. */
@Timeout(120)
class CsvBadInputTest {
  @TempDir Path dir;

  private RecordReader open(Format format, String content) throws IOException {
    return open(format, content.getBytes(UTF_8));
  }

  private RecordReader open(Format format, byte[] content) throws IOException {
    return Formats.input(format).open(split(write(dir, "in.csv", content)));
  }

  /**
   * {@code f} read by Commons CSV: for the tests of how little of a huge record its parser is given
   * (the byte reader hands such a record to it; the same tests pass through it).
   */
  private static Format commons(Format f) {
    return f.toBuilder().parser(Format.Parser.COMMONS).build();
  }

  private static Format limit(int maxRecordSize) {
    return Format.csv().toBuilder().maxRecordSize(maxRecordSize).build();
  }

  /** Reads everything, skipping recoverable failures: "line: values" or "line: TYPE". */
  private static List<String> readSkipping(RecordReader r) throws IOException {
    List<String> out = new ArrayList<>();
    while (true) {
      try {
        if (!r.next()) {
          return out;
        }
        out.add(r.line() + ": " + String.join("|", r.values()));
      } catch (RecordException e) {
        if (!e.recoverable()) {
          out.add(e.line() + ": fatal " + e.type());
          return out;
        }
        out.add(e.line() + ": " + e.type());
      }
    }
  }

  // Wrong field count

  @Test
  void fewerFieldsAreWrongFieldCountByDefault() throws IOException {
    try (RecordReader r = open(Format.csv(), "a,b,c\n1,2\n3,4,5\n")) {
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.WRONG_FIELD_COUNT);
      assertThat(e.recoverable()).isTrue();
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.column()).isEqualTo(-1);
      assertThat(e.getMessage())
          .isEqualTo("WRONG_FIELD_COUNT: record has 2 fields, header has 3 (line 2)");
      assertThat(r.values()).containsExactly("1", "2");
      assertThat(r.rawText()).isEqualTo("1,2");
      assertThat(readAll(r)).containsExactly(List.of("3", "4", "5"));
    }
  }

  @Test
  void padsShortRecordsWithEmptyValuesWhenAllowedButStillRejectsLongOnes() throws IOException {
    // A blank line kept as RFC 4180 reads it (one empty field) is padded too.
    Format f =
        Format.csv().toBuilder().allowShortRecords(true).blankLines(Format.BlankLines.KEEP).build();
    try (RecordReader r = open(f, "a,b,c\n1\n1,2\n\n1,2,3\n1,2,3,4\n5,6,7\n")) {
      assertThat(readSkipping(r))
          .containsExactly(
              "2: 1||", "3: 1|2|", "4: ||", "5: 1|2|3", "6: WRONG_FIELD_COUNT", "7: 5|6|7");
    }
    try (RecordReader r = open(f, "a,b,c\n1,2,3,4\n")) {
      RecordException e = readUntilFailure(r);
      assertThat(e.getMessage())
          .isEqualTo("WRONG_FIELD_COUNT: record has 4 fields, header has 3 (line 2, column 4)");
      assertThat(r.values()).containsExactly("1", "2", "3", "4");
    }
  }

  @Test
  void padsShortRecordsOfHeaderlessFilesToTheFirstRecordsWidth() throws IOException {
    Format f = Format.csv().toBuilder().header(false).allowShortRecords(true).build();
    try (RecordReader r = open(f, "1,2,3\n4\n")) {
      assertThat(readAll(r)).containsExactly(List.of("1", "2", "3"), List.of("4", "", ""));
      assertThat(r.charLength()).isEqualTo(1 + 3);
    }
  }

  // Invalid bytes for the charset

  @Test
  void rejectsTheRecordHoldingInvalidUtf8AndReadsTheRecordsAroundIt() throws IOException {
    byte[] before = "id,name,city\n1,Ann,Oslo\n2,\"B\no".getBytes(UTF_8);
    byte[] bad = {(byte) 0xE9, 'b', (byte) 0xFF};
    byte[] after = "\",Rome\n3,Cy,Lima\n".getBytes(UTF_8);
    byte[] content = concat(concat(before, bad), after);
    try (RecordReader r = open(Format.csv(), content)) {
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("1", "Ann", "Oslo");
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.INVALID_ENCODING);
      assertThat(e.recoverable()).isTrue();
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.recordNumber()).isEqualTo(2);
      assertThat(e.byteOffset()).isEqualTo(before.length);
      assertThat(e.column()).isEqualTo(2);
      assertThat(e.getMessage())
          .isEqualTo(
              "INVALID_ENCODING: byte 0xE9 is not valid UTF-8 (line 3, column 2, byte "
                  + before.length
                  + ")");
      assertThat(r.values()).containsExactly("2", "B\no\uFFFDb\uFFFD", "Rome");
      assertThat(r.rawText()).isEqualTo("2,\"B\no\uFFFDb\uFFFD\",Rome");
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("3", "Cy", "Lima");
      assertThat(r.line()).isEqualTo(5);
      assertThat(r.recordNumber()).isEqualTo(3);
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void locatesInvalidBytesPastTheFirstBuffers() throws IOException {
    StringBuilder csv = new StringBuilder("a,b\n");
    for (int i = 0; i < 30_000; i++) {
      csv.append(i).append(",ü\n");
    }
    byte[] prefix = csv.toString().getBytes(UTF_8);
    byte[] content = concat(prefix, new byte[] {'x', ',', 'y', (byte) 0xC0, '\n', 'z', ',', '1'});
    try (RecordReader r = open(Format.csv(), content)) {
      RecordException e = readUntilFailure(r);
      assertThat(e.line()).isEqualTo(30_002);
      assertThat(e.byteOffset()).isEqualTo(prefix.length + 3);
      assertThat(readAll(r)).containsExactly(List.of("z", "1"));
    }
  }

  @Test
  void reportsInvalidBytesInGzipInputWithoutAByteOffsetAndGoesOn() throws IOException {
    byte[] bad = concat("a,b\n1,2\n".getBytes(UTF_8), new byte[] {(byte) 0xFF, ',', '2', '\n'});
    byte[] content = gzip(concat(bad, "3,4\n".getBytes(UTF_8)));
    try (RecordReader r = open(Format.csv(), content)) {
      assertThat(readSkipping(r)).containsExactly("2: 1|2", "3: INVALID_ENCODING", "4: 3|4");
    }
    try (RecordReader r = open(Format.csv(), content)) {
      RecordException e = readUntilFailure(r);
      assertThat(e.byteOffset()).isEqualTo(-1);
      assertThat(e.getMessage())
          .isEqualTo("INVALID_ENCODING: byte 0xFF is not valid UTF-8 (line 3, column 1)");
    }
  }

  @Test
  void reportsTheFirstOfManyBadBytesInALongRecordAndGoesOn() throws IOException {
    byte[] bad = new byte[300_000];
    Arrays.fill(bad, (byte) 0xFF);
    byte[] head = "a,b\n1,".getBytes(UTF_8);
    byte[] content = concat(concat(head, bad), "\n2,\u00e9\n".getBytes(UTF_8));
    try (RecordReader r = open(Format.csv(), content)) {
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.INVALID_ENCODING);
      assertThat(e.byteOffset()).isEqualTo(head.length);
      assertThat(e.column()).isEqualTo(2);
      assertThat(r.rawText()).isEqualTo("1," + "\uFFFD".repeat(4094) + "…");
      assertThat(readAll(r)).containsExactly(List.of("2", "é"));
    }
  }

  @Test
  void keepsRecordsWithReplacedBytesWhenAskedTo() throws IOException {
    Format f = Format.csv().toBuilder().malformedInput(MalformedInput.REPLACE).build();
    byte[] content =
        concat("a,b\n1,".getBytes(UTF_8), new byte[] {(byte) 0xC3, '\n', '2', ',', '3'});
    try (RecordReader r = open(f, content)) {
      assertThat(readAll(r)).containsExactly(List.of("1", "\uFFFD"), List.of("2", "3"));
    }
  }

  @Test
  void invalidBytesInTheHeaderFailTheFile() {
    assertThatThrownBy(() -> open(Format.csv(), new byte[] {'a', (byte) 0x80, '\n', '1', '\n'}))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ErrorType.INVALID_ENCODING);
              assertThat(e.recoverable()).isFalse();
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.byteOffset()).isEqualTo(1);
            });
  }

  @Test
  void reportsAnIncompleteSequenceAtTheEndOfTheFile() throws IOException {
    byte[] content = concat("a\n1\n2".getBytes(UTF_8), new byte[] {(byte) 0xE2, (byte) 0x82});
    try (RecordReader r = open(Format.csv(), content)) {
      assertThat(r.next()).isTrue();
      RecordException e = readUntilFailure(r);
      assertThat(e.getMessage())
          .isEqualTo(
              "INVALID_ENCODING: bytes 0xE2 0x82 are not valid UTF-8 (at the end of the input)"
                  + " (line 3, column 1, byte 5)");
      assertThat(r.next()).isFalse();
    }
  }

  // Records over the size limit

  @Test
  void skipsAnOversizeUnquotedRecordToItsLineBreakAndReadsTheNextExactly() throws IOException {
    String big = "x".repeat(50) + ",y";
    try (RecordReader r = open(limit(20), "a,b\n1,2\n" + big + "\r\n3,4\n")) {
      assertThat(r.next()).isTrue();
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.RECORD_TOO_LARGE);
      assertThat(e.recoverable()).isTrue();
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.recordNumber()).isEqualTo(2);
      assertThat(e.column()).isEqualTo(1);
      assertThat(e.byteOffset()).isEqualTo(-1);
      assertThat(e.getMessage())
          .isEqualTo(
              "RECORD_TOO_LARGE: record is longer than the limit of 20 characters (line 3, column"
                  + " 1)");
      assertThat(r.rawText()).isEqualTo("x".repeat(20) + "…");
      assertThat(r.values()).isEmpty();
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("3", "4");
      assertThat(r.line()).isEqualTo(4);
      assertThat(r.recordNumber()).isEqualTo(3);
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void acceptsARecordOfExactlyTheLimitAndRejectsOneCharMore() throws IOException {
    String csv = "a,b\n" + "123,5678\n" + "123,56789\n" + "\"1\n3\",56\r" + "last,123";
    try (RecordReader r = open(limit(8), csv)) {
      assertThat(readSkipping(r))
          .containsExactly("2: 123|5678", "3: RECORD_TOO_LARGE", "4: 1\n3|56", "6: last|123");
    }
  }

  @Test
  void skipsAnOversizeQuotedFieldFollowingItsQuotesAndLineBreaks() throws IOException {
    String field = "\"" + "q,\r\n\"\"".repeat(100) + "\"";
    String csv = "a,b\n1,2\nx," + field + "\n3,\"4\n5\"\n6,7";
    try (RecordReader r = open(limit(50), csv)) {
      assertThat(readSkipping(r))
          .containsExactly("2: 1|2", "3: RECORD_TOO_LARGE", "104: 3|4\n5", "106: 6|7");
    }
    try (RecordReader r = open(limit(50), csv)) {
      assertThat(r.next()).isTrue();
      RecordException e = readUntilFailure(r);
      assertThat(e.column()).isEqualTo(2);
      assertThat(r.rawText()).startsWith("x,\"q,\r\n\"\"q,").endsWith("…").hasSize(51);
    }
  }

  @Test
  void failsTheFileWhenTheSkippedRecordsQuotedFieldNeverCloses() throws IOException {
    try (RecordReader r = open(limit(10), "a,b\n1,\"" + "z".repeat(100) + "\n2,3\n")) {
      RecordException tooLarge = readUntilFailure(r);
      assertThat(tooLarge.type()).isEqualTo(ErrorType.RECORD_TOO_LARGE);
      assertThat(tooLarge.recoverable()).isTrue();
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.MALFORMED_CSV);
      assertThat(e.recoverable()).isFalse();
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.getMessage()).contains("quoted field is not closed before the end of the file");
      assertThatThrownBy(r::next).isSameAs(e);
    }
  }

  @Test
  void anOversizeHeaderFailsTheFile() {
    assertThatThrownBy(() -> open(limit(5), "abc,def\n1,2\n"))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ErrorType.RECORD_TOO_LARGE);
              assertThat(e.recoverable()).isFalse();
              assertThat(e.line()).isEqualTo(1);
            });
  }

  /** 10 MiB in one field, limit 64 Ki: Commons CSV is never handed more than the limit. */
  @Test
  void neverHandsTheParserMoreThanTheLimitOfAHugeField() throws IOException {
    int max = 64 * 1024;
    StringBuilder csv = new StringBuilder("a,b\n1,");
    csv.append("x".repeat(10 * 1024 * 1024)).append("\n2,\"");
    csv.append("y\n".repeat(5 * 1024 * 1024)).append("\"\n3,4\n");
    try (RecordReader r = open(commons(limit(max)), csv.toString())) {
      assertThat(readSkipping(r))
          .containsExactly(
              "2: RECORD_TOO_LARGE", "3: RECORD_TOO_LARGE", (3 + 5 * 1024 * 1024 + 1) + ": 3|4");
      assertThat(((CsvRecordReader) r).peakRecordChars()).isLessThanOrEqualTo(max);
    }
  }

  /**
   * Writes gzip members of {@code head}, then of {@code mib} MiB of 'a' (one member repeated, so
   * that a bomb takes no time to make), then of {@code tail}.
   */
  private Path bomb(String name, String head, int mib, String tail) throws IOException {
    byte[] block = new byte[1 << 20];
    Arrays.fill(block, (byte) 'a');
    byte[] member = gzip(block);
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(gzip(head.getBytes(UTF_8)));
      for (int n = 0; n < mib; n++) {
        out.write(member);
      }
      out.write(gzip(tail.getBytes(UTF_8)));
    }
    return file;
  }

  /** A gzip bomb: 1 GiB of one line in about 1 MiB, never inflated whole. */
  @Test
  void rejectsAGzipBombOfOneLineWithoutInflatingItAll() throws IOException {
    Path bomb = bomb("bomb.csv.gz", "h\n", 1024, "");
    assertThat(Files.size(bomb)).isLessThan(2L << 20);
    try (RecordReader r = Formats.input(commons(Format.csv())).open(split(bomb))) {
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.RECORD_TOO_LARGE);
      assertThat(e.recoverable()).isTrue();
      assertThat(e.line()).isEqualTo(2);
      assertThat(((CsvRecordReader) r).peakRecordChars())
          .isLessThanOrEqualTo(Format.DEFAULT_MAX_RECORD_SIZE);
      // Compressed bytes: a few KiB hold the 4 Mi chars read before the limit.
      assertThat(r.bytesRead()).isLessThan(1L << 20);
      assertThat(r.rawText()).hasSize(4097).endsWith("a…");
    }
  }

  @Test
  void skipsTheRestOfAGzippedOversizeLineAndReadsTheNextRecord() throws IOException {
    Path file = bomb("long.csv.gz", "h,i\n1,2\n", 64, "\n3,4\n");
    try (RecordReader r = Formats.input(commons(limit(1 << 16))).open(split(file))) {
      assertThat(readSkipping(r)).containsExactly("2: 1|2", "3: RECORD_TOO_LARGE", "4: 3|4");
      assertThat(((CsvRecordReader) r).peakRecordChars()).isLessThanOrEqualTo(1 << 16);
      assertThat(r.bytesRead()).isEqualTo(Files.size(file));
    }
  }

  /**
   * Random files with records of every shape around the limit (quoted fields with quotes and line
   * breaks, mixed line endings, fields longer than the buffers), some with junk after a closing
   * quote or a wrong field count: every good record is read exactly, every bad one is rejected on
   * its own line with its own text, and reading goes on right after it.
   */
  @Test
  void resynchronisesExactlyAfterBadRecordsInRandomFiles() throws IOException {
    for (int seed = 1; seed <= 25; seed++) {
      Random random = new Random(seed);
      int max = 20 + random.nextInt(200);
      StringBuilder text = new StringBuilder("a,b,c\n");
      List<String> expected = new ArrayList<>();
      long line = 2;
      int records = 30 + random.nextInt(200);
      for (int k = 0; k < records; k++) {
        int kind = random.nextInt(12);
        int fields = kind == 0 ? 2 : kind == 1 ? 4 : 3;
        List<String> values = new ArrayList<>();
        StringBuilder record = new StringBuilder();
        int junkAt = -1;
        for (int col = 0; col < fields; col++) {
          String value = randomValue(random, max);
          values.add(value);
          if (col > 0) {
            record.append(',');
          }
          if (kind == 2 && col == fields - 1) {
            record.append('"').append(value.replace("\"", "\"\"")).append('"');
            junkAt = record.length();
            record.append("junk");
            continue;
          }
          boolean quote = needsQuotes(value) || random.nextInt(4) == 0;
          record.append(quote ? '"' + value.replace("\"", "\"\"") + '"' : value);
        }
        String ending =
            k == records - 1 && random.nextBoolean()
                ? ""
                : List.of("\n", "\r\n", "\r").get(random.nextInt(3));
        text.append(record).append(ending);
        String outcome;
        String raw = record.length() > 4096 ? cut(record, 4096) : record.toString();
        if (junkAt >= 0 && junkAt < max) {
          outcome = "MALFORMED_CSV " + raw;
        } else if (record.length() > max) {
          outcome = "RECORD_TOO_LARGE " + cut(record, Math.min(max, 4096));
        } else if (fields != 3) {
          outcome = "WRONG_FIELD_COUNT " + raw;
        } else {
          outcome = String.join("|", values);
        }
        expected.add(line + ": " + outcome);
        line += lineBreaks(record) + 1;
      }
      byte[] bytes = text.toString().getBytes(UTF_8);
      // Gzip input goes through the same path after decompression; a few seeds suffice. Commons
      // CSV's parser is never given more than the limit; the byte reader hands it such records.
      for (Format.Parser parser : List.of(Format.Parser.COMMONS, Format.Parser.BYTES)) {
        Format f = limit(max).toBuilder().parser(parser).build();
        for (byte[] content : seed % 5 == 0 ? List.of(bytes, gzip(bytes)) : List.of(bytes)) {
          try (RecordReader r = open(f, content)) {
            List<String> read = new ArrayList<>();
            while (true) {
              try {
                if (!r.next()) {
                  break;
                }
                read.add(r.line() + ": " + String.join("|", r.values()));
              } catch (RecordException e) {
                assertThat(e.recoverable()).as("seed %d: %s", seed, e).isTrue();
                read.add(e.line() + ": " + e.type() + " " + r.rawText());
              }
            }
            assertSameLines(read, expected, "seed " + seed + " " + parser);
            if (parser == Format.Parser.COMMONS) {
              assertThat(((CsvRecordReader) r).peakRecordChars()).isLessThanOrEqualTo(max);
            }
          }
        }
      }
    }
  }

  /** The first {@code n} chars and an ellipsis, without half of a surrogate pair at the end. */
  private static String cut(CharSequence s, int n) {
    if (Character.isHighSurrogate(s.charAt(n - 1))) {
      n--;
    }
    return s.subSequence(0, n) + "…";
  }

  /** Compares line by line, showing the first difference with line breaks made visible. */
  private static void assertSameLines(List<String> actual, List<String> expected, String what) {
    for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
      if (actual.get(i).equals(expected.get(i))) {
        continue;
      }
      assertThat(visible(actual.get(i)))
          .as("%s, entry %d", what, i)
          .isEqualTo(visible(expected.get(i)));
    }
    assertThat(actual).as(what).hasSameSizeAs(expected);
  }

  private static String visible(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c < ' ' || c > '~') {
        sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String randomValue(Random random, int max) {
    int shape = random.nextInt(10);
    int length =
        shape == 0
            ? max + random.nextInt(3) - 1
            : shape == 1 && random.nextInt(4) == 0
                ? random.nextInt(100_000)
                : random.nextInt(max / 3 + 1);
    List<String> alphabet =
        shape < 5
            ? List.of("a", "b", "c", " ", "\"", "\r", "\n", ",", "é", "😀")
            : List.of("a", "b", "c", "d", "e", "f", "g", "h", " ");
    StringBuilder sb = new StringBuilder(length);
    while (sb.length() < length) {
      sb.append(alphabet.get(random.nextInt(alphabet.size())));
    }
    String v = sb.toString();
    return v.isEmpty() && random.nextBoolean() ? "" : v;
  }

  private static boolean needsQuotes(String v) {
    return v.indexOf('"') >= 0
        || v.indexOf(',') >= 0
        || v.indexOf('\r') >= 0
        || v.indexOf('\n') >= 0
        || v.isEmpty();
  }

  private static long lineBreaks(CharSequence s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || (c == '\n' && (i == 0 || s.charAt(i - 1) != '\r'))) {
        n++;
      }
    }
    return n;
  }

  // Structural errors

  @Test
  void unterminatedQuoteFailsTheFileAtTheLineTheRecordStarts() throws IOException {
    try (RecordReader r = open(Format.csv(), "a,b\n1,2\n3,\"abc\nd\ne\n")) {
      assertThat(r.next()).isTrue();
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.MALFORMED_CSV);
      assertThat(e.recoverable()).isFalse();
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.recordNumber()).isEqualTo(2);
      assertThat(e.column()).isEqualTo(2);
      assertThat(e.getMessage())
          .isEqualTo(
              "MALFORMED_CSV: quoted field is not closed before the end of the file (line 3,"
                  + " column 2)");
      assertThat(r.rawText()).isEqualTo("3,\"abc\nd\ne\n");
      assertThatThrownBy(r::next).isSameAs(e);
    }
  }

  @Test
  void junkAfterAClosingQuoteWithEvenQuotesToTheLineBreakSkipsOnlyThatLine() throws IOException {
    String csv = "a,b\n1,\"He said \"hi\" to me\",x\n2,\"ok\"\r\n\"x\" \"y\"\"z\",w\n3,4\n";
    try (RecordReader r = open(Format.csv(), csv)) {
      assertThat(readSkipping(r))
          .containsExactly("2: MALFORMED_CSV", "3: 2|ok", "4: MALFORMED_CSV", "5: 3|4");
    }
    try (RecordReader r = open(Format.csv(), csv)) {
      RecordException e = readUntilFailure(r);
      assertThat(e.column()).isEqualTo(2);
      assertThat(r.rawText()).isEqualTo("1,\"He said \"hi\" to me\",x");
    }
  }

  @Test
  void junkAfterAClosingQuoteWithOddQuotesToTheLineBreakFailsTheFile() throws IOException {
    try (RecordReader r = open(Format.csv(), "a,b\n1,2\n\"a \"b\" c\nd\",5\n6,7\n")) {
      assertThat(r.next()).isTrue();
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.MALFORMED_CSV);
      assertThat(e.recoverable()).isFalse();
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.column()).isEqualTo(1);
      assertThat(e.getMessage()).contains("an odd number of quotes");
      assertThatThrownBy(r::next).isSameAs(e);
    }
  }

  @Test
  void junkInTheHeaderFailsTheFile() {
    assertThatThrownBy(() -> open(Format.csv(), "\"a\"x,b\n1,2\n"))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ErrorType.MALFORMED_CSV);
              assertThat(e.recoverable()).isFalse();
            });
  }

  @Test
  void keepsAStrayQuoteInsideAnUnquotedFieldAsText() throws IOException {
    try (RecordReader r = open(Format.csv(), "a,b\n5\" pipe,x\"y\"\nq\"\",\"\"\n")) {
      assertThat(readAll(r)).containsExactly(List.of("5\" pipe", "x\"y\""), List.of("q\"\"", ""));
    }
  }

  // Gzip

  @Test
  void truncatedGzipFailsTheFileNamingTheCause() throws IOException {
    StringBuilder csv = new StringBuilder("a,b\n");
    for (int i = 0; i < 20_000; i++) {
      csv.append(i).append(",text ").append(i * 7919 % 10007).append('\n');
    }
    byte[] gz = gzip(csv.toString().getBytes(UTF_8));
    try (RecordReader r = open(Format.csv(), Arrays.copyOf(gz, gz.length / 2))) {
      List<String> read = readSkipping(r);
      assertThat(read.get(read.size() - 1)).endsWith(": fatal FILE_FAILED");
      RecordException e = readUntilFailure(r);
      assertThat(e.recoverable()).isFalse();
      assertThat(e.getMessage()).startsWith("FILE_FAILED: truncated gzip stream (line ");
    }
  }

  @Test
  void corruptGzipFailsTheFileNamingTheCause() throws IOException {
    byte[] gz = gzip("a,b\n1,2\n3,4\n".getBytes(UTF_8));
    gz[gz.length - 8] ^= 0x40;
    try (RecordReader r = open(Format.csv(), gz)) {
      assertThat(r.next()).isTrue();
      assertThat(r.next()).isTrue();
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.FILE_FAILED);
      assertThat(e.recoverable()).isFalse();
      assertThat(e.getMessage())
          .isEqualTo("FILE_FAILED: corrupt gzip data (Corrupt GZIP trailer) (line 4)");
    }
    byte[] badBlock = gzip("a,b\n1,2\n".getBytes(UTF_8));
    badBlock[10] |= 0x06;
    assertThatThrownBy(() -> open(Format.csv(), badBlock))
        .isInstanceOfSatisfying(
            RecordException.class,
            e ->
                assertThat(e.getMessage())
                    .isEqualTo("FILE_FAILED: corrupt gzip data (invalid block type)"));
  }

  // Binary files

  @Test
  void failsTheFileAtANulAfterReadingTheRecordsBeforeIt() throws IOException {
    String start = "a,b\n" + "1,2\n".repeat(5000);
    byte[] content = (start + "3,x\u0000y\n5,6\n").getBytes(UTF_8);
    try (RecordReader r = open(Format.csv(), content)) {
      for (int i = 0; i < 5000; i++) {
        assertThat(r.next()).isTrue();
      }
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.FILE_FAILED);
      assertThat(e.recoverable()).isFalse();
      assertThat(e.line()).isEqualTo(5002);
      assertThat(e.recordNumber()).isEqualTo(5001);
      assertThat(e.byteOffset()).isEqualTo(start.length() + 3);
      assertThat(e.getMessage())
          .startsWith("FILE_FAILED: looks like a binary file (NUL byte at offset 20,007);");
      assertThatThrownBy(r::next).isSameAs(e);
    }
  }

  @Test
  void aBinaryFileFailsWhenOpened() {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H'};
    assertThatThrownBy(() -> open(Format.csv(), png))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ErrorType.FILE_FAILED);
              assertThat(e.getMessage())
                  .startsWith("FILE_FAILED: looks like a binary file (NUL byte at offset 8);");
            });
  }

  @Test
  void utf16WithAByteOrderMarkIsNotMistakenForBinary() throws IOException {
    String csv = "a,b\r\n1,x\r\n";
    for (var cs : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE)) {
      byte[] bom =
          cs == StandardCharsets.UTF_16BE
              ? new byte[] {(byte) 0xFE, (byte) 0xFF}
              : new byte[] {(byte) 0xFF, (byte) 0xFE};
      Format f = Format.csv().toBuilder().charset(StandardCharsets.UTF_16).build();
      try (RecordReader r = open(f, concat(bom, csv.getBytes(cs)))) {
        assertThat(readAll(r)).containsExactly(List.of("1", "x"));
      }
    }
    byte[] noBom = csv.getBytes(StandardCharsets.UTF_16LE);
    assertThatThrownBy(() -> open(Format.csv(), noBom))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> assertThat(e.getMessage()).contains("binary").contains("set the charset"));
  }

  // Header problems

  @Test
  void duplicateHeaderNameFailsTheFile() {
    assertThatThrownBy(() -> open(Format.csv(), "id,name,x,id\n1,2,3,4\n"))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ErrorType.FILE_FAILED);
              assertThat(e.recoverable()).isFalse();
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.column()).isEqualTo(4);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "FILE_FAILED: duplicate column name 'id' (columns 1 and 4) (line 1, column"
                          + " 4)");
            });
  }

  @Test
  void emptyHeaderNameFailsTheFile() {
    // A blank first line is a header of one empty name only if blank lines are kept.
    Format keep = Format.csv().toBuilder().blankLines(Format.BlankLines.KEEP).build();
    for (String header : List.of("a,,c\n", "a,b,\n", "\n", "a,\"\"\n")) {
      assertThatThrownBy(() -> open(keep, header + "1,2,3\n"))
          .as(header)
          .isInstanceOfSatisfying(
              RecordException.class,
              e -> {
                assertThat(e.type()).isEqualTo(ErrorType.FILE_FAILED);
                assertThat(e.getMessage()).startsWith("FILE_FAILED: empty column name (column ");
              });
    }
  }

  @Test
  void headerlessFilesAreNotCheckedForNames() throws IOException {
    Format f = Format.csv().toBuilder().header(false).columns(List.of("id", "v")).build();
    try (RecordReader r = open(f, "1,1\n,\n")) {
      assertThat(readAll(r)).containsExactly(List.of("1", "1"), List.of("", ""));
      assertThat(r.columns()).isEqualTo(Columns.of("id", "v"));
    }
  }

  // Line endings and empty files

  @Test
  void readsAFileHoldingOnlyAByteOrderMark() throws IOException {
    try (RecordReader r = open(Format.csv(), new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})) {
      assertThat(r.columns()).isNull();
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void countsLinesOfMixedEndingsInsideAndOutsideQuotes() throws IOException {
    String csv = "a,b\r1,\"x\r\ny\"\n2,\"\r\"\r\n3,z";
    try (RecordReader r = open(Format.csv(), csv)) {
      assertThat(readSkipping(r)).containsExactly("2: 1|x\r\ny", "4: 2|\r", "6: 3|z");
    }
  }

  // Raw text

  @Test
  void givesTheOriginalTextOfABadRecordCutAt4KiB() throws IOException {
    String longField = "é".repeat(5000);
    try (RecordReader r = open(Format.csv(), "a,b\n\"q\"\"\" , x ,y\n" + longField + "\n")) {
      readUntilFailure(r);
      assertThat(r.rawText()).isEqualTo("\"q\"\"\" , x ,y");
      readUntilFailure(r);
      assertThat(r.rawText()).isEqualTo("é".repeat(4096) + "…");
    }
  }

  @Test
  void givesTheTextOfAGoodRecordToo() throws IOException {
    try (RecordReader r = open(Format.csv(), "a,b\n\"1\",\"x\"\"\"\n")) {
      assertThat(r.next()).isTrue();
      assertThat(r.rawText()).isEqualTo("\"1\",\"x\"\"\"");
    }
  }
}
