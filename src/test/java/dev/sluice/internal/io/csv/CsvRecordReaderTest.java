package dev.sluice.internal.io.csv;

import static dev.sluice.internal.io.IoFixtures.concat;
import static dev.sluice.internal.io.IoFixtures.gzip;
import static dev.sluice.internal.io.IoFixtures.readAll;
import static dev.sluice.internal.io.IoFixtures.readUntilFailure;
import static dev.sluice.internal.io.IoFixtures.split;
import static dev.sluice.internal.io.IoFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.Columns;
import dev.sluice.api.ErrorType;
import dev.sluice.api.Format;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.internal.io.Formats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CSV/TSV reader's contract, once per parser ({@code --csv-parser commons} and {@code
 * fastcsv}): both must read the same records, lines, offsets and failures. FastCSV's own fallbacks
 * to Commons CSV are in {@link FastCsvRecordReaderTest}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Format.Parser.class)
class CsvRecordReaderTest {
  @Parameter Format.Parser parser;

  @TempDir Path dir;

  /** {@code format} read with the parser under test. */
  private Format withParser(Format format) {
    return format.toBuilder().parser(parser).build();
  }

  private RecordReader open(Format format, String content) throws IOException {
    return open(format, content.getBytes(StandardCharsets.UTF_8));
  }

  private RecordReader open(Format format, byte[] content) throws IOException {
    return open(format, split(write(dir, "in.csv", content)));
  }

  private RecordReader open(Format format, Split split) throws IOException {
    return Formats.input(withParser(format)).open(split);
  }

  private static Format headerless() {
    return Format.csv().toBuilder().header(false).build();
  }

  @Test
  void readsHeaderAsColumnsAndFollowingRowsAsRecords() throws IOException {
    try (RecordReader r = open(Format.csv(), "id,name\n1,Ann\n2,Bob\n")) {
      assertThat(r.columns()).isEqualTo(Columns.of("id", "name"));
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("1", "Ann");
      assertThat(r.line()).isEqualTo(2);
      assertThat(r.recordNumber()).isEqualTo(1);
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("2", "Bob");
      assertThat(r.line()).isEqualTo(3);
      assertThat(r.recordNumber()).isEqualTo(2);
      assertThat(r.next()).isFalse();
      assertThat(r.next()).isFalse();
      assertThat(r.line()).as("still the last record's").isEqualTo(3);
      assertThat(r.recordNumber()).isEqualTo(2);
    }
  }

  @Test
  void recordSpanningSeveralLinesReportsTheLineItStartsOn() throws IOException {
    String csv =
        "a,b\n" + "1,\"x\r\ny\nz\rw\"\r\n" + "2,\"\"\"q\"\"\"\r" + "3,\"\n\n\"\n" + "4,end";
    try (RecordReader r = open(Format.csv(), csv)) {
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("1", "x\r\ny\nz\rw");
      assertThat(r.line()).isEqualTo(2);
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("2", "\"q\"");
      assertThat(r.line()).isEqualTo(6);
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("3", "\n\n");
      assertThat(r.line()).isEqualTo(7);
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("4", "end");
      assertThat(r.line()).isEqualTo(10);
      assertThat(r.recordNumber()).isEqualTo(4);
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void countsLfCrLfAndLoneCrAsOneLineBreakEach() throws IOException {
    Format keep = Format.csv().toBuilder().blankLines(Format.BlankLines.KEEP).build();
    try (RecordReader r = open(keep, "h\r\n1\r2\n3\r\n4\r\r\n5")) {
      List<Long> lines = new java.util.ArrayList<>();
      List<String> values = new java.util.ArrayList<>();
      while (r.next()) {
        lines.add(r.line());
        values.add(r.values()[0]);
      }
      assertThat(values).containsExactly("1", "2", "3", "4", "", "5");
      assertThat(lines).containsExactly(2L, 3L, 4L, 5L, 6L, 7L);
    }
  }

  @Test
  void zeroByteFileHasNoColumnsAndNoRecords() throws IOException {
    for (Format f : List.of(Format.csv(), headerless(), Format.tsv())) {
      try (RecordReader r = open(f, new byte[0])) {
        assertThat(r.columns()).isNull();
        assertThat(r.next()).isFalse();
        assertThat(r.columns()).isNull();
        assertThat(r.bytesRead()).isZero();
      }
    }
  }

  @Test
  void headerOnlyFileHasColumnsAndNoRecords() throws IOException {
    for (String content : List.of("a,b\n", "a,b", "a,b\r\n")) {
      try (RecordReader r = open(Format.csv(), content)) {
        assertThat(r.columns()).isEqualTo(Columns.of("a", "b"));
        assertThat(r.next()).isFalse();
      }
    }
  }

  @Test
  void readsLastRecordWithoutTrailingLineBreak() throws IOException {
    try (RecordReader r = open(Format.csv(), "a,b\n1,2\n3,4")) {
      assertThat(readAll(r)).containsExactly(List.of("1", "2"), List.of("3", "4"));
    }
  }

  @Test
  void trailingLineBreakDoesNotAddARecord() throws IOException {
    try (RecordReader r = open(Format.csv(), "a\n1\n")) {
      assertThat(readAll(r)).containsExactly(List.of("1"));
    }
  }

  @Test
  void emptyLineInOneColumnFileIsAnEmptyValueUnderKeep() throws IOException {
    Format keep = Format.csv().toBuilder().blankLines(Format.BlankLines.KEEP).build();
    try (RecordReader r = open(keep, "a\n1\n\n2\n\n")) {
      assertThat(readAll(r)).containsExactly(List.of("1"), List.of(""), List.of("2"), List.of(""));
    }
  }

  @Test
  void emptyLineInMultiColumnFileIsWrongFieldCountUnderKeep() throws IOException {
    Format keep = Format.csv().toBuilder().blankLines(Format.BlankLines.KEEP).build();
    try (RecordReader r = open(keep, "a,b\n1,2\n\n3,4\n")) {
      assertThat(r.next()).isTrue();
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.WRONG_FIELD_COUNT);
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.recoverable()).isTrue();
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("3", "4");
    }
  }

  @Test
  void wrongFieldCountIsRecoverableAndReadingGoesOn() throws IOException {
    try (RecordReader r = open(Format.csv(), "a,b,c,d\n1,2,3,4\n1,2,3,4,5\n\"x\ny\",2,3,4\n")) {
      assertThat(r.next()).isTrue();
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.WRONG_FIELD_COUNT);
      assertThat(e.getMessage())
          .isEqualTo("WRONG_FIELD_COUNT: record has 5 fields, header has 4 (line 3, column 5)");
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.recordNumber()).isEqualTo(2);
      assertThat(e.byteOffset()).isEqualTo(-1);
      assertThat(e.column()).isEqualTo(5);
      assertThat(e.recoverable()).isTrue();
      assertThat(r.rawText()).isEqualTo("1,2,3,4,5");
      assertThat(r.line()).isEqualTo(3);
      assertThat(r.recordNumber()).isEqualTo(2);
      assertThat(r.values()).containsExactly("1", "2", "3", "4", "5");
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("x\ny", "2", "3", "4");
      assertThat(r.line()).isEqualTo(4);
      assertThat(r.recordNumber()).isEqualTo(3);
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void formatsLineNumbersInMessagesWithoutTheDefaultLocale() throws IOException {
    StringBuilder csv = new StringBuilder("a,b\n");
    for (int i = 0; i < 1500; i++) {
      csv.append(i).append(",x\n");
    }
    csv.append("only\n");
    try (RecordReader r = open(Format.csv(), csv.toString())) {
      RecordException e = readUntilFailure(r);
      assertThat(e.line()).isEqualTo(1502);
      assertThat(e.recordNumber()).isEqualTo(1501);
      assertThat(e.getMessage()).endsWith("record has 1 fields, header has 2 (line 1,502)");
    }
  }

  @Test
  void unterminatedQuoteAtEndIsMalformedAtTheLineTheRecordStarts() throws IOException {
    try (RecordReader r = open(Format.csv(), "a,b\n1,2\n3,\"abc\nd\ne\n")) {
      assertThat(r.next()).isTrue();
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.MALFORMED_CSV);
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.recordNumber()).isEqualTo(2);
      assertThat(e.recoverable()).isFalse();
      assertThat(e.getMessage()).contains("quoted field is not closed");
      if (parser == Format.Parser.COMMONS) {
        // Commons CSV's own exception is kept as the cause; FastCSV's reader finds the quote
        // itself.
        assertThat(e.getCause()).isInstanceOf(IOException.class);
      }
      assertThat(r.line()).isEqualTo(3);
      assertThat(r.recordNumber()).isEqualTo(2);
      assertThatThrownBy(r::next).isSameAs(e);
    }
  }

  @Test
  void junkAfterClosingQuoteIsMalformedAndReadingResumesOnTheNextLine() throws IOException {
    try (RecordReader r = open(Format.csv(), "a,b\n1,2\n\"x\"y,2\n3,4\n")) {
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.MALFORMED_CSV);
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.recordNumber()).isEqualTo(2);
      assertThat(e.column()).isEqualTo(1);
      assertThat(e.recoverable()).isTrue();
      assertThat(e.getMessage())
          .isEqualTo(
              "MALFORMED_CSV: characters between a closing quote and the next delimiter or line"
                  + " break (line 3, column 1)");
      assertThat(r.rawText()).isEqualTo("\"x\"y,2");
      assertThat(r.values()).isEmpty();
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("3", "4");
      assertThat(r.line()).isEqualTo(4);
      assertThat(r.recordNumber()).isEqualTo(3);
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void junkAfterClosingQuoteAtTheVeryEndIsStillToldApartFromAnUnclosedQuote() throws IOException {
    try (RecordReader r = open(Format.csv(), "a,b\n1,\"x\"y")) {
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.MALFORMED_CSV);
      assertThat(e.getMessage()).contains("between a closing quote");
      assertThat(e.recoverable()).isTrue();
      assertThat(e.column()).isEqualTo(2);
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void malformedRecordsBeyondTheFirstBuffersAreLocated() throws IOException {
    StringBuilder csv = new StringBuilder("a,b\n");
    for (int i = 0; i < 20_000; i++) {
      csv.append(i).append(",\"multi\nline\"\n");
    }
    String prefix = csv.toString();
    try (RecordReader r = open(Format.csv(), prefix + "x,\"open\n")) {
      RecordException e = readUntilFailure(r);
      assertThat(e.line()).isEqualTo(40_002);
      assertThat(e.getMessage()).contains("not closed");
    }
    try (RecordReader r = open(Format.csv(), prefix + "\"x\"z,y\n1,2\n")) {
      RecordException e = readUntilFailure(r);
      assertThat(e.line()).isEqualTo(40_002);
      assertThat(e.getMessage()).contains("between a closing quote");
    }
  }

  /** Pins a Commons CSV leniency that no setting turns off, so that a change is noticed. */
  @Test
  void dropsSpacesBetweenAClosingQuoteAndTheDelimiter() throws IOException {
    try (RecordReader r = open(Format.csv(), "a,b\n\"x\" ,y\n")) {
      assertThat(readAll(r)).containsExactly(List.of("x", "y"));
    }
  }

  @Test
  void keepsSpacesAndQuotesInsideUnquotedFields() throws IOException {
    try (RecordReader r = open(Format.csv(), "a,b,c\n x , \"y\",a\"b\n")) {
      assertThat(readAll(r)).containsExactly(List.of(" x ", " \"y\"", "a\"b"));
    }
  }

  @Test
  void malformedHeaderFailsOpen() throws IOException {
    assertThatThrownBy(() -> open(Format.csv(), "\"a,b\n"))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ErrorType.MALFORMED_CSV);
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.recordNumber()).isEqualTo(-1);
            });
  }

  @Test
  void invalidUtf8IsInvalidEncodingWithTheRecordLineAndByteOffset() throws IOException {
    byte[] good = "a,b\n1,2\n3,".getBytes(StandardCharsets.UTF_8);
    byte[] bad = concat(good, new byte[] {(byte) 0xC3, (byte) 0x28, '\n', '5', ',', '6', '\n'});
    try (RecordReader r = open(Format.csv(), bad)) {
      assertThat(r.next()).isTrue();
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.INVALID_ENCODING);
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.recordNumber()).isEqualTo(2);
      assertThat(e.byteOffset()).isEqualTo(good.length);
      assertThat(e.column()).isEqualTo(2);
      assertThat(e.recoverable()).isTrue();
      assertThat(e.getMessage())
          .isEqualTo(
              "INVALID_ENCODING: byte 0xC3 is not valid UTF-8 (line 3, column 2, byte "
                  + good.length
                  + ")");
      assertThat(r.values()).containsExactly("3", "\uFFFD(");
      assertThat(r.rawText()).isEqualTo("3,\uFFFD(");
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("5", "6");
      assertThat(r.line()).isEqualTo(4);
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void invalidUtf8InGzipInputHasALineButNoByteOffset() throws IOException {
    byte[] bad =
        concat("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF, ',', '2'});
    try (RecordReader r = open(Format.csv(), gzip(bad))) {
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.INVALID_ENCODING);
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.byteOffset()).isEqualTo(-1);
    }
  }

  @Test
  void invalidUtf8InTheHeaderFailsOpen() throws IOException {
    assertThatThrownBy(() -> open(Format.csv(), new byte[] {'a', (byte) 0x80, '\n', '1', '\n'}))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ErrorType.INVALID_ENCODING);
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.byteOffset()).isEqualTo(1);
            });
  }

  @Test
  void truncatedGzipIsFileFailed() throws IOException {
    StringBuilder csv = new StringBuilder("a,b\n");
    for (int i = 0; i < 10_000; i++) {
      csv.append(i).append(",some text ").append(i * 31).append('\n');
    }
    byte[] gz = gzip(csv.toString().getBytes(StandardCharsets.UTF_8));
    byte[] truncated = java.util.Arrays.copyOf(gz, gz.length / 2);
    try (RecordReader r = open(Format.csv(), truncated)) {
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.FILE_FAILED);
      assertThat(e.getMessage()).startsWith("FILE_FAILED: truncated gzip stream (line ");
      assertThat(e.recoverable()).isFalse();
      assertThat(e.line()).isEqualTo(r.line()).isGreaterThan(1);
      assertThat(e.getCause()).isInstanceOf(IOException.class);
    }
  }

  @Test
  void detectsGzipByMagicBytesWhateverTheName() throws IOException {
    byte[] gz = gzip("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
    Path file = write(dir, "plain-name.csv", gz);
    try (RecordReader r = open(Format.csv(), split(file))) {
      assertThat(r.columns()).isEqualTo(Columns.of("a", "b"));
      assertThat(readAll(r)).containsExactly(List.of("1", "2"));
      assertThat(r.bytesRead()).isEqualTo(gz.length);
    }
  }

  @Test
  void readsPlainFileNamedGzAsPlain() throws IOException {
    Path file = write(dir, "data.csv.gz", "a,b\n1,2\n");
    try (RecordReader r = open(Format.csv(), split(file))) {
      assertThat(readAll(r)).containsExactly(List.of("1", "2"));
    }
  }

  @Test
  void skipsUtf8ByteOrderMark() throws IOException {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    try (RecordReader r = open(Format.csv(), concat(bom, "id,x\n1,2\n".getBytes(UTF8)))) {
      assertThat(r.columns()).isEqualTo(Columns.of("id", "x"));
      assertThat(readAll(r)).containsExactly(List.of("1", "2"));
    }
  }

  @Test
  void readsUtf16WithByteOrderMark() throws IOException {
    String csv = "id,name\n1,İstanbul 😀\n";
    byte[] bomLe = {(byte) 0xFF, (byte) 0xFE};
    byte[] le = concat(bomLe, csv.getBytes(StandardCharsets.UTF_16LE));
    for (java.nio.charset.Charset cs :
        List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
      Format f = Format.csv().toBuilder().charset(cs).build();
      try (RecordReader r = open(f, le)) {
        assertThat(r.columns()).isEqualTo(Columns.of("id", "name"));
        assertThat(readAll(r)).containsExactly(List.of("1", "İstanbul 😀"));
        assertThat(r.bytesRead()).isEqualTo(le.length);
      }
    }
    Format utf16 = Format.csv().toBuilder().charset(StandardCharsets.UTF_16).build();
    try (RecordReader r = open(utf16, csv.getBytes(StandardCharsets.UTF_16))) {
      assertThat(readAll(r)).containsExactly(List.of("1", "İstanbul 😀"));
    }
  }

  @Test
  void readsTsv() throws IOException {
    try (RecordReader r = open(Format.tsv(), "a\tb\n1,5\t\"x\ty\"\n\t\n")) {
      assertThat(r.columns()).isEqualTo(Columns.of("a", "b"));
      assertThat(readAll(r)).containsExactly(List.of("1,5", "x\ty"), List.of("", ""));
    }
  }

  @Test
  void usesTheFormatsDelimiterAndQuote() throws IOException {
    Format f = Format.csv().toBuilder().delimiter(';').quote('\'').build();
    try (RecordReader r = open(f, "a;b\n'x;''y''';\"z\"\n")) {
      assertThat(readAll(r)).containsExactly(List.of("x;'y'", "\"z\""));
    }
  }

  @Test
  void headerlessFileUsesConfiguredColumns() throws IOException {
    Format f = headerless().toBuilder().columns(List.of("id", "name")).build();
    try (RecordReader r = open(f, "1,Ann\n2,Bob,extra\n3,Cy\n")) {
      assertThat(r.next()).isTrue();
      assertThat(r.columns()).isEqualTo(Columns.of("id", "name"));
      assertThat(r.line()).isEqualTo(1);
      assertThat(r.values()).containsExactly("1", "Ann");
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.WRONG_FIELD_COUNT);
      assertThat(e.getMessage()).contains("record has 3 fields, 2 columns are configured");
      assertThat(e.line()).isEqualTo(2);
      assertThat(readAll(r)).containsExactly(List.of("3", "Cy"));
    }
  }

  @Test
  void headerlessFileWithoutNamesGetsPositionalColumnsFromTheFirstRecord() throws IOException {
    try (RecordReader r = open(headerless(), "1,2,3\n4,5,6\n7,8\n")) {
      assertThat(r.next()).isTrue();
      assertThat(r.columns()).isEqualTo(Columns.of("c1", "c2", "c3"));
      assertThat(r.next()).isTrue();
      RecordException e = readUntilFailure(r);
      assertThat(e.getMessage()).contains("record has 2 fields, first record has 3");
      assertThat(e.line()).isEqualTo(3);
    }
  }

  @Test
  void headerWinsOverConfiguredColumns() throws IOException {
    Format f = Format.csv().toBuilder().columns(List.of("x", "y")).build();
    try (RecordReader r = open(f, "a,b\n1,2\n")) {
      assertThat(r.columns()).isEqualTo(Columns.of("a", "b"));
    }
  }

  @Test
  void sharesOneColumnsInstanceAndGivesAFreshArrayPerRecord() throws IOException {
    try (RecordReader r = open(headerless(), "1,2\n3,4\n")) {
      assertThat(r.next()).isTrue();
      Columns first = r.columns();
      String[] a = r.values();
      assertThat(r.next()).isTrue();
      assertThat(r.columns()).isSameAs(first);
      assertThat(r.values()).isNotSameAs(a).containsExactly("3", "4");
      assertThat(a).containsExactly("1", "2");
    }
  }

  @Test
  void charLengthIsFieldLengthsPlusFieldCount() throws IOException {
    try (RecordReader r = open(Format.csv(), "a,b,c\nxy,,\"q\"\"\"\n")) {
      assertThat(r.next()).isTrue();
      assertThat(r.charLength()).isEqualTo(2 + 0 + 2 + 3);
      assertThat(r.byteOffset()).isEqualTo(-1);
    }
  }

  @Test
  void bytesReadReachesTheFileSizeAtTheEnd() throws IOException {
    StringBuilder csv = new StringBuilder("a,b\n");
    for (int i = 0; i < 50_000; i++) {
      csv.append(i).append(",ü").append(i).append('\n');
    }
    byte[] plain = csv.toString().getBytes(StandardCharsets.UTF_8);
    byte[] gz = gzip(plain);
    // Larger than the read buffers, so gzip leaves some of it unread.
    byte[] gzWithTrailingBytes = concat(gz, new byte[200_000]);
    for (byte[] content : List.of(plain, gz, gzWithTrailingBytes)) {
      try (RecordReader r = open(Format.csv(), content)) {
        assertThat(r.bytesRead()).isLessThanOrEqualTo(content.length);
        assertThat(readAll(r)).hasSize(50_000);
        assertThat(r.bytesRead()).isEqualTo(content.length);
      }
    }
  }

  @Test
  void valuesWithoutACurrentRecordIsAnError() throws IOException {
    try (RecordReader r = open(Format.csv(), "a\n1\n")) {
      assertThatThrownBy(r::values).isInstanceOf(IllegalStateException.class);
      assertThat(readAll(r)).hasSize(1);
      assertThatThrownBy(r::values).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void closeIsIdempotentAndNextAfterCloseFails() throws IOException {
    RecordReader r = open(Format.csv(), "a\n1\n");
    r.close();
    r.close();
    assertThatThrownBy(r::next).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void refusesASingleSplitThatDoesNotStartTheFileAndReadsALaterSplitWithTheHeadersColumns()
      throws IOException {
    Path file = write(dir, "x.csv", "a\n1\n");
    InputFile in = new InputFile(0, file, "x.csv", Files.size(file));
    assertThatThrownBy(() -> open(Format.csv(), new Split(in, 0, 1, 2, -1)))
        .isInstanceOf(IllegalArgumentException.class);
    try (RecordReader r = open(Format.csv(), new Split(in, 1, 2, 2, -1))) {
      assertThat(r.columns().names()).containsExactly("a");
      assertThat(readAll(r)).containsExactly(List.of("1"));
      assertThat(r.line()).isEqualTo(1);
      assertThat(r.bytesRead()).isEqualTo(2);
    }
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;
}
