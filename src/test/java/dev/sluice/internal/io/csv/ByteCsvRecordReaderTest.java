package dev.sluice.internal.io.csv;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ErrorType;
import dev.sluice.api.Format;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.internal.io.Formats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte reader on what its property tests reach rarely: records across buffer refills and longer
 * than the buffer, gzip, the charsets it reads and the one it must refuse bytes of, a NUL at the
 * start, and which inputs it reads itself and which it hands to Commons CSV. Every case is checked
 * against the Commons CSV reader's transcript ({@link CsvReaderEquivalenceTest#transcript}).
 */
class ByteCsvRecordReaderTest {
  private static final Format BYTES = Format.csv().toBuilder().parser(Format.Parser.BYTES).build();

  @TempDir Path dir;

  private Path write(String name, byte[] content) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, content);
    return f;
  }

  private static RecordReader open(Format format, Path f) throws IOException {
    return Formats.input(format)
        .open(Split.whole(new InputFile(0, f, f.getFileName().toString(), Files.size(f))));
  }

  /** The byte reader's transcript, which must be the reference's; and whether it handed over. */
  private static boolean sameAsCommons(Format format, Path f) throws IOException {
    Format bytes = format.toBuilder().parser(Format.Parser.BYTES).build();
    Format commons = format.toBuilder().parser(Format.Parser.COMMONS).build();
    assertThat(CsvReaderEquivalenceTest.transcript(bytes, f))
        .isEqualTo(CsvReaderEquivalenceTest.transcript(commons, f));
    try (RecordReader r = open(bytes, f)) {
      if (!(r instanceof ByteCsvRecordReader)) {
        return true;
      }
      ByteCsvRecordReader b = (ByteCsvRecordReader) r;
      while (true) {
        try {
          if (!b.next()) {
            break;
          }
        } catch (RecordException e) {
          if (!e.recoverable()) {
            break;
          }
        }
      }
      return b.handedOverForTest();
    }
  }

  private static String manyRecords(int n, String lineBreak) {
    StringBuilder sb = new StringBuilder("id,name,note").append(lineBreak);
    for (int i = 0; i < n; i++) {
      sb.append(i)
          .append(",\"Zoë, \"\"")
          .append(i)
          .append("\"\"\",")
          .append(i % 3 == 0 ? "\"two\nlines\"" : "plain ☃ text")
          .append(lineBreak);
    }
    return sb.toString();
  }

  @Test
  void wellFormedRecordsAcrossManyRefillsAreReadWithoutCommons() throws IOException {
    for (String br : List.of("\n", "\r\n", "\r")) {
      Path f = write("many.csv", manyRecords(20_000, br).getBytes(UTF_8));
      assertThat(Files.size(f)).isGreaterThan(10L * 64 * 1024);
      assertThat(sameAsCommons(BYTES, f)).as("handed over, line break %s", br.length()).isFalse();
    }
  }

  /**
   * The scan flags every byte below 14 at once and passes over those that end nothing: control
   * chars (a tab in a CSV, a vertical tab, SOH) at every place in an eight-byte word, next to a
   * delimiter or a line break, are field text as for Commons CSV; in a TSV the tab ends fields.
   */
  @Test
  void controlCharsInUnquotedFieldsAreTextAtEveryPlaceInAWord() throws IOException {
    StringBuilder csv = new StringBuilder("a,b,c\n");
    StringBuilder tsv = new StringBuilder("a\tb\tc\n");
    int n = 0;
    for (char ctl : new char[] {'\t', '\u000b', '\u0001', '\u000c', '\u0008'}) {
      for (int at = 0; at < 18; at++) {
        String text = "x".repeat(at) + ctl + "y".repeat(17 - at);
        csv.append(n).append(',').append(text).append(',').append(ctl).append('\n');
        if (ctl != '\t') {
          tsv.append(n).append('\t').append(text).append('\t').append(ctl).append('\n');
        }
        n++;
      }
    }
    csv.append("last,\u000b,z\u0001");
    Path c = write("ctl.csv", csv.toString().getBytes(UTF_8));
    assertThat(sameAsCommons(BYTES, c)).as("handed over").isFalse();
    Path t = write("ctl.tsv", tsv.toString().getBytes(UTF_8));
    Format tsvBytes = Format.tsv().toBuilder().parser(Format.Parser.BYTES).build();
    assertThat(sameAsCommons(tsvBytes, t)).as("handed over").isFalse();
    try (RecordReader r = open(BYTES, c)) {
      assertThat(r.next()).isTrue();
      assertThat(r.row(r.columns()).get(1)).isEqualTo("\tyyyyyyyyyyyyyyyyy");
    }
  }

  @Test
  void aRecordLongerThanTheBufferIsReadWithoutCommons() throws IOException {
    String big = "x".repeat(300_000);
    Path f = write("big.csv", ("a,b\n1,\"" + big + "\"\n2," + big + "\n3,z").getBytes(UTF_8));
    assertThat(sameAsCommons(BYTES, f)).isFalse();
    try (RecordReader r = open(BYTES, f)) {
      assertThat(r.next()).isTrue();
      assertThat(r.values()[1]).hasSize(300_000);
    }
  }

  @Test
  void aRecordOverTheSizeLimitGoesToCommonsWhichRejectsIt() throws IOException {
    Format small = BYTES.toBuilder().maxRecordSize(20).build();
    Path f = write("limit.csv", "a,b\n1,2\n3,\"0123456789012345678901234\"\n5,6\n".getBytes(UTF_8));
    assertThat(sameAsCommons(small, f)).isTrue();
    List<String> t = CsvReaderEquivalenceTest.transcript(small, f);
    assertThat(t).anyMatch(s -> s.startsWith("reject RECORD_TOO_LARGE"));
    assertThat(t).anyMatch(s -> s.startsWith("record 4/3 5¦6"));
  }

  @Test
  void badRecordsAfterGoodOnesAreTheReferencesRejects() throws IOException {
    Path f =
        write(
            "bad.csv",
            "a,b\n1,2\n3,4,5\n\"q\" ,x\n\"a\"b,c\n6,7\n8,\"unclosed\n9,10\n".getBytes(UTF_8));
    assertThat(sameAsCommons(BYTES, f)).isTrue();
    assertThat(CsvReaderEquivalenceTest.transcript(BYTES, f)).first().isEqualTo("columns [a, b]");
  }

  @Test
  void gzipIsReadFromItsBytes() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(manyRecords(5_000, "\n").getBytes(UTF_8));
    }
    Path f = write("g.csv.gz", out.toByteArray());
    assertThat(sameAsCommons(BYTES, f)).isFalse();
  }

  @Test
  void aByteOrderMarkIsSkipped() throws IOException {
    byte[] body = "a,b\n1,é\n".getBytes(UTF_8);
    byte[] bom = new byte[body.length + 3];
    bom[0] = (byte) 0xEF;
    bom[1] = (byte) 0xBB;
    bom[2] = (byte) 0xBF;
    System.arraycopy(body, 0, bom, 3, body.length);
    Path f = write("bom.csv", bom);
    assertThat(sameAsCommons(BYTES, f)).isFalse();
    try (RecordReader r = open(BYTES, f)) {
      assertThat(r.columns().names()).containsExactly("a", "b");
    }
  }

  @Test
  void invalidUtf8GoesToCommonsWhichRejectsTheRecord() throws IOException {
    byte[] good = "a,b\n1,2\n".getBytes(UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(good);
    out.writeBytes(new byte[] {'3', ',', (byte) 0xC3, '(', '\n'});
    // Overlong, surrogate and beyond-U+10FFFF forms, each refused by the JDK's decoder too.
    out.writeBytes(new byte[] {'4', ',', (byte) 0xC0, (byte) 0x80, '\n'});
    out.writeBytes(new byte[] {'5', ',', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'});
    out.writeBytes(new byte[] {'6', ',', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '\n'});
    out.writeBytes("7,ok\n".getBytes(UTF_8));
    Path f = write("bad-utf8.csv", out.toByteArray());
    assertThat(sameAsCommons(BYTES, f)).isTrue();
    assertThat(CsvReaderEquivalenceTest.transcript(BYTES, f))
        .filteredOn(s -> s.startsWith("reject INVALID_ENCODING"))
        .hasSize(4);
  }

  @Test
  void theUtf8CheckAgreesWithTheJdkOnEveryTwoAndThreeByteSequence() {
    byte[] b = new byte[3];
    for (int x = 0x80; x < 0x100; x++) {
      for (int y = 0; y < 0x100; y++) {
        for (int z : new int[] {0x41, 0x80, 0xBF, 0xC0}) {
          b[0] = (byte) x;
          b[1] = (byte) y;
          b[2] = (byte) z;
          assertThat(ByteCsvRecordReader.Utf8.valid(b, 0, 3))
              .as("%02x %02x %02x", x, y, z)
              .isEqualTo(jdkValid(b));
        }
      }
    }
  }

  private static boolean jdkValid(byte[] b) {
    try {
      UTF_8
          .newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(b));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  @Test
  void isoLatin1BytesAreTheirChars() throws IOException {
    Format latin = BYTES.toBuilder().charset(ISO_8859_1).build();
    Path f = write("latin.csv", "a,b\n1,caf\u00e9 \u00ff\n".getBytes(ISO_8859_1));
    assertThat(sameAsCommons(latin, f)).isFalse();
    try (RecordReader r = open(latin, f)) {
      assertThat(r.next()).isTrue();
      assertThat(r.values()[1]).isEqualTo("caf\u00e9 \u00ff");
    }
  }

  @Test
  void aNonAsciiByteInUsAsciiGoesToCommons() throws IOException {
    Format ascii = BYTES.toBuilder().charset(StandardCharsets.US_ASCII).build();
    Path f = write("ascii.csv", "a,b\n1,2\n3,\u00e9\n".getBytes(UTF_8));
    assertThat(sameAsCommons(ascii, f)).isTrue();
  }

  @Test
  void aNulAtTheStartFailsTheOpenAsForCommons() throws IOException {
    Path f = write("bin.csv", new byte[] {'a', ',', 'b', '\n', 0, 1, 2, '\n'});
    assertThatThrownBy(() -> open(BYTES, f))
        .isInstanceOfSatisfying(
            RecordException.class, e -> assertThat(e.type()).isEqualTo(ErrorType.FILE_FAILED))
        .hasMessageContaining("binary");
    assertThat(CsvReaderEquivalenceTest.transcript(BYTES, f))
        .isEqualTo(
            CsvReaderEquivalenceTest.transcript(
                BYTES.toBuilder().parser(Format.Parser.COMMONS).build(), f));
  }

  @Test
  void aNulInTheMiddleAndATruncatedOrCorruptGzipFailWhereCommonsFails() throws IOException {
    byte[] text = manyRecords(20_000, "\n").getBytes(UTF_8);
    byte[] nul = text.clone();
    nul[nul.length / 2] = 0;
    assertThat(sameAsCommons(BYTES, write("nul.csv", nul))).isTrue();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(text);
    }
    byte[] gz = out.toByteArray();
    Path cut = write("cut.csv.gz", java.util.Arrays.copyOf(gz, gz.length / 2));
    sameAsCommons(BYTES, cut);
    List<String> t = CsvReaderEquivalenceTest.transcript(BYTES, cut);
    assertThat(t.get(t.size() - 1)).startsWith("fatal FILE_FAILED").contains("truncated gzip");
    byte[] corrupt = gz.clone();
    corrupt[gz.length - 6] ^= 0x55; // in the trailer's CRC
    sameAsCommons(BYTES, write("crc.csv.gz", corrupt));
  }

  /** Passes rows to a list, and warnings to another. */
  private static final class Collect implements dev.sluice.api.Emitter {
    final List<String> out = new ArrayList<>();

    @Override
    public void emit(dev.sluice.api.Row row) {
      out.add(row.get(0));
    }

    @Override
    public void warn(String message) {
      out.add("warn " + message);
    }
  }

  @Test
  void filtersReadingTheBytesPassTheRowsTheyPassReadingTheValues() throws Exception {
    String csv =
        "id,status,amount,name\n1,SHIPPED,100.50,Zoë\n2,shipped,99,Ann\n3,SHIPPED,abc,\"Bo,"
            + " \"\"B\"\"\"\n4,NEW,1e3,é\n5,\"SHIPPED\",101,bob\n6,SHIPPED,-100.00,x\n";
    Path f = write("filters.csv", csv.getBytes(UTF_8));
    Format commons = BYTES.toBuilder().parser(Format.Parser.COMMONS).build();
    for (String expression :
        List.of(
            "status == SHIPPED",
            "status != NEW",
            "amount > 100",
            "amount <= 99",
            "amount >= -100",
            "name ~ o",
            "name == Zoë",
            "name == Bo, \"B\"")) {
      dev.sluice.api.Step filter = dev.sluice.api.Steps.filter(expression);
      Collect fromBytes = new Collect();
      Collect fromValues = new Collect();
      try (RecordReader b = open(BYTES, f);
          RecordReader c = open(commons, f)) {
        assertThat(b).isInstanceOf(ByteCsvRecordReader.class);
        while (b.next()) {
          assertThat(c.next()).isTrue();
          filter.apply(b.row(b.columns()), fromBytes);
          filter.apply(dev.sluice.api.Row.wrap(c.columns(), c.values()), fromValues);
        }
      }
      assertThat(fromBytes.out).as(expression).isEqualTo(fromValues.out).isNotEmpty();
    }
  }

  @Test
  void otherCharsetsAndDelimitersAreLeftToCommons() {
    assertThat(ByteCsvRecordReader.reads(Format.csv())).isTrue();
    assertThat(ByteCsvRecordReader.reads(Format.tsv())).isTrue();
    assertThat(ByteCsvRecordReader.reads(Format.csv().toBuilder().charset(ISO_8859_1).build()))
        .isTrue();
    assertThat(
            ByteCsvRecordReader.reads(
                Format.csv().toBuilder().charset(StandardCharsets.UTF_16).build()))
        .isFalse();
    assertThat(ByteCsvRecordReader.reads(Format.csv().toBuilder().delimiter('§').build()))
        .isFalse();
  }

  @Test
  void aShortRecordIsPaddedWhenAllowedWithoutCommons() throws IOException {
    Format shortOk = BYTES.toBuilder().allowShortRecords(true).build();
    Path f = write("short.csv", "a,b,c\n1\n2,3\n4,5,6\n".getBytes(UTF_8));
    assertThat(sameAsCommons(shortOk, f)).isFalse();
    List<String> values = new ArrayList<>();
    try (RecordReader r = open(shortOk, f)) {
      while (r.next()) {
        values.add(String.join("|", r.values()));
      }
    }
    assertThat(values).containsExactly("1||", "2|3|", "4|5|6");
  }
}
