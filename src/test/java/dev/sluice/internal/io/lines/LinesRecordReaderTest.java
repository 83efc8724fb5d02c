package dev.sluice.internal.io.lines;

import static dev.sluice.internal.io.IoFixtures.concat;
import static dev.sluice.internal.io.IoFixtures.gzip;
import static dev.sluice.internal.io.IoFixtures.readAll;
import static dev.sluice.internal.io.IoFixtures.readUntilFailure;
import static dev.sluice.internal.io.IoFixtures.split;
import static dev.sluice.internal.io.IoFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.Columns;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorType;
import dev.sluice.api.Format;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.internal.io.Formats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinesRecordReaderTest {
  @TempDir Path dir;

  private RecordReader open(Format format, String content) throws IOException {
    return open(format, content.getBytes(StandardCharsets.UTF_8));
  }

  private RecordReader open(Format format, byte[] content) throws IOException {
    return Formats.input(format).open(split(write(dir, "in.log", content)));
  }

  private static List<String> lines(RecordReader r) throws IOException {
    List<String> out = new ArrayList<>();
    for (List<String> record : readAll(r)) {
      out.add(record.get(0));
    }
    return out;
  }

  @Test
  void readsOneRecordPerLineInAColumnNamedLine() throws IOException {
    try (RecordReader r = open(Format.lines(), "first, with comma\n\"quoted\"\tand tab\n")) {
      assertThat(r.next()).isTrue();
      assertThat(r.columns()).isEqualTo(Columns.of("line"));
      assertThat(r.values()).containsExactly("first, with comma");
      assertThat(r.line()).isEqualTo(1);
      assertThat(r.recordNumber()).isEqualTo(1);
      assertThat(r.charLength()).isEqualTo("first, with comma".length() + 1);
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("\"quoted\"\tand tab");
      assertThat(r.line()).isEqualTo(2);
      assertThat(r.byteOffset()).isEqualTo(-1);
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void splitsOnLfCrLfAndLoneCr() throws IOException {
    try (RecordReader r = open(Format.lines(), "a\nb\r\nc\rd\r\r\ne\n\nf")) {
      List<String> values = new ArrayList<>();
      List<Long> lineNumbers = new ArrayList<>();
      while (r.next()) {
        values.add(r.values()[0]);
        lineNumbers.add(r.line());
      }
      assertThat(values).containsExactly("a", "b", "c", "d", "", "e", "", "f");
      assertThat(lineNumbers).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }
  }

  @Test
  void trailingLineBreakDoesNotAddARecord() throws IOException {
    for (String content : List.of("a\nb\n", "a\nb\r\n", "a\nb\r", "a\nb")) {
      try (RecordReader r = open(Format.lines(), content)) {
        assertThat(lines(r)).as(content).containsExactly("a", "b");
      }
    }
  }

  @Test
  void lineBreakAloneIsOneEmptyRecord() throws IOException {
    try (RecordReader r = open(Format.lines(), "\n")) {
      assertThat(lines(r)).containsExactly("");
    }
  }

  @Test
  void zeroByteFileHasNoColumnsAndNoRecords() throws IOException {
    for (Format f : List.of(Format.lines(), Format.lines().toBuilder().header(true).build())) {
      try (RecordReader r = open(f, "")) {
        assertThat(r.columns()).isNull();
        assertThat(r.next()).isFalse();
        assertThat(r.columns()).isNull();
      }
    }
  }

  @Test
  void crLfSplitAcrossReadBuffersIsOneLineBreak() throws IOException {
    String longLine = "x".repeat(8191);
    String content = longLine + "\r\n" + "y".repeat(20_000) + "\r\nz\n";
    try (RecordReader r = open(Format.lines(), content)) {
      assertThat(lines(r)).containsExactly(longLine, "y".repeat(20_000), "z");
    }
  }

  @Test
  void readsTheFirstLineAsTheColumnNameWhenTheFormatHasAHeader() throws IOException {
    Format f = Format.lines().toBuilder().header(true).build();
    try (RecordReader r = open(f, "message\r\nhello\r\nworld")) {
      assertThat(r.columns()).isEqualTo(Columns.of("message"));
      assertThat(r.next()).isTrue();
      assertThat(r.line()).isEqualTo(2);
      assertThat(r.recordNumber()).isEqualTo(1);
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("world");
      assertThat(r.line()).isEqualTo(3);
      assertThat(r.next()).isFalse();
    }
    try (RecordReader r = open(f, "message\n")) {
      assertThat(r.columns()).isEqualTo(Columns.of("message"));
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void usesTheConfiguredColumnName() throws IOException {
    Format f = Format.lines().toBuilder().columns(List.of("text")).build();
    try (RecordReader r = open(f, "a\n")) {
      assertThat(r.next()).isTrue();
      assertThat(r.columns()).isEqualTo(Columns.of("text"));
    }
  }

  @Test
  void refusesMoreThanOneConfiguredColumn() {
    Format f = Format.lines().toBuilder().columns(List.of("a", "b")).build();
    assertThatThrownBy(() -> Formats.input(f))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("exactly one");
  }

  @Test
  void invalidUtf8IsARecoverableInvalidEncodingOnItsLine() throws IOException {
    byte[] good = "one\ntwo\n".getBytes(StandardCharsets.UTF_8);
    byte[] content = concat(good, new byte[] {'t', (byte) 0xE2, (byte) 0x82, '\n', 'x', '\n'});
    try (RecordReader r = open(Format.lines(), content)) {
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.INVALID_ENCODING);
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.recordNumber()).isEqualTo(3);
      assertThat(e.byteOffset()).isEqualTo(good.length + 1);
      assertThat(e.column()).isEqualTo(1);
      assertThat(e.recoverable()).isTrue();
      assertThat(e.getMessage())
          .isEqualTo(
              "INVALID_ENCODING: bytes 0xE2 0x82 are not valid UTF-8 (line 3, column 1, byte 9)");
      assertThat(r.line()).isEqualTo(3);
      assertThat(r.values()).containsExactly("t\uFFFD");
      assertThat(r.rawText()).isEqualTo("t\uFFFD");
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("x");
      assertThat(r.line()).isEqualTo(4);
      assertThat(r.recordNumber()).isEqualTo(4);
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void readsGzipAndReportsCompressedBytesRead() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 30_000; i++) {
      text.append("line ").append(i).append('\n');
    }
    byte[] gz = gzip(text.toString().getBytes(StandardCharsets.UTF_8));
    try (RecordReader r = open(Format.lines(), gz)) {
      assertThat(readAll(r)).hasSize(30_000);
      assertThat(r.bytesRead()).isEqualTo(gz.length);
    }
  }

  @Test
  void closeIsIdempotent() throws IOException {
    RecordReader r = open(Format.lines(), "a\n");
    r.close();
    r.close();
    assertThatThrownBy(r::next).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsALineOverTheLimitWithoutHoldingItAndReadsTheNextLine() throws IOException {
    Format f = Format.lines().toBuilder().maxRecordSize(10).build();
    String content =
        "short\n" + "x".repeat(100_000) + "\r\n0123456789\r" + "y".repeat(11) + "\nend";
    try (RecordReader r = open(f, content)) {
      assertThat(r.next()).isTrue();
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.RECORD_TOO_LARGE);
      assertThat(e.recoverable()).isTrue();
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.recordNumber()).isEqualTo(2);
      assertThat(e.column()).isEqualTo(1);
      assertThat(e.getMessage())
          .isEqualTo(
              "RECORD_TOO_LARGE: line is longer than the limit of 10 characters (line 2, column 1)");
      assertThat(r.rawText()).isEqualTo("x".repeat(4096) + "…");
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("0123456789");
      assertThat(r.line()).isEqualTo(3);
      RecordException second = readUntilFailure(r);
      assertThat(second.line()).isEqualTo(4);
      assertThat(r.rawText()).isEqualTo("y".repeat(11));
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("end");
      assertThat(r.line()).isEqualTo(5);
      assertThat(r.next()).isFalse();
    }
  }

  @Test
  void rejectsAGzipBombOfOneLineQuickly() throws IOException {
    byte[] block = new byte[1 << 20];
    java.util.Arrays.fill(block, (byte) 'a');
    byte[] member = gzip(block);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int n = 0; n < 1024; n++) {
      out.write(member);
    }
    try (RecordReader r = open(Format.lines(), out.toByteArray())) {
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.RECORD_TOO_LARGE);
      assertThat(e.line()).isEqualTo(1);
      assertThat(r.bytesRead()).isLessThan(1L << 20);
    }
  }

  @Test
  void keepsLinesWithReplacedBytesWhenAskedTo() throws IOException {
    Format f = Format.lines().toBuilder().malformedInput(Format.MalformedInput.REPLACE).build();
    try (RecordReader r = open(f, new byte[] {'a', (byte) 0xFF, '\n', 'b'})) {
      assertThat(lines(r)).containsExactly("a\uFFFD", "b");
    }
  }

  @Test
  void failsTheFileAtANulAfterReadingTheLinesBeforeIt() throws IOException {
    String start = "line\n".repeat(5000);
    try (RecordReader r = open(Format.lines(), start + "bin\u0000ary\nafter\n")) {
      for (int i = 0; i < 5000; i++) {
        assertThat(r.next()).isTrue();
      }
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.FILE_FAILED);
      assertThat(e.recoverable()).isFalse();
      assertThat(e.line()).isEqualTo(5001);
      assertThat(e.byteOffset()).isEqualTo(start.length() + 3);
      assertThat(e.getMessage()).contains("looks like a binary file (NUL byte at offset 25,003)");
      assertThatThrownBy(r::next).isSameAs(e);
    }
  }

  @Test
  void anEmptyHeaderLineFailsTheFile() {
    Format f = Format.lines().toBuilder().header(true).build();
    assertThatThrownBy(() -> open(f, "\nvalue\n"))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ErrorType.FILE_FAILED);
              assertThat(e.recoverable()).isFalse();
              assertThat(e.getMessage())
                  .isEqualTo("FILE_FAILED: empty column name (column 1) (line 1, column 1)");
            });
  }

  @Test
  void badBytesInTheHeaderLineFailTheFile() {
    Format f = Format.lines().toBuilder().header(true).build();
    assertThatThrownBy(() -> open(f, new byte[] {'h', (byte) 0xC0, '\n', 'v'}))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ErrorType.INVALID_ENCODING);
              assertThat(e.recoverable()).isFalse();
              assertThat(e.byteOffset()).isEqualTo(1);
            });
  }

  @Test
  void truncatedGzipFailsTheFile() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 30_000; i++) {
      text.append("line ").append(i * 7919 % 10007).append('\n');
    }
    byte[] gz = gzip(text.toString().getBytes(StandardCharsets.UTF_8));
    try (RecordReader r = open(Format.lines(), java.util.Arrays.copyOf(gz, gz.length / 2))) {
      RecordException e = readUntilFailure(r);
      assertThat(e.type()).isEqualTo(ErrorType.FILE_FAILED);
      assertThat(e.recoverable()).isFalse();
      assertThat(e.getMessage()).startsWith("FILE_FAILED: truncated gzip stream (line ");
    }
  }

  @Test
  void readsUtf8WithAByteOrderMarkAndUtf16WithOne() throws IOException {
    byte[] bom8 = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    try (RecordReader r =
        open(Format.lines(), concat(bom8, "a\nb".getBytes(StandardCharsets.UTF_8)))) {
      assertThat(lines(r)).containsExactly("a", "b");
    }
    Format utf16 = Format.lines().toBuilder().charset(StandardCharsets.UTF_16).build();
    try (RecordReader r = open(utf16, "ä\r\nb\n".getBytes(StandardCharsets.UTF_16))) {
      assertThat(lines(r)).containsExactly("ä", "b");
    }
  }

  /** Issue 14: blank lines are dropped from CSV, never from lines input, whatever the setting. */
  @Test
  void emptyLinesAreRecordsWhateverTheBlankLinesSetting() throws IOException {
    for (Format.BlankLines b : Format.BlankLines.values()) {
      Format f = Format.lines().toBuilder().blankLines(b).build();
      try (RecordReader r = open(f, "a\n\n\r\nb\n\n")) {
        assertThat(lines(r)).as(b.name()).containsExactly("a", "", "", "b", "");
        assertThat(r.blankLinesSkipped()).isZero();
      }
    }
  }
}
