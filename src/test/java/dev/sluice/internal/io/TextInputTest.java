package dev.sluice.internal.io;

import static dev.sluice.internal.io.IoFixtures.concat;
import static dev.sluice.internal.io.IoFixtures.gzip;
import static dev.sluice.internal.io.IoFixtures.readAll;
import static dev.sluice.internal.io.IoFixtures.split;
import static dev.sluice.internal.io.IoFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ErrorType;
import dev.sluice.api.Format;
import dev.sluice.api.Format.MalformedInput;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextInputTest {
  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  @TempDir Path dir;

  private TextInput open(byte[] content, Charset charset) throws IOException {
    return TextInput.open(write(dir, "in", content), charset);
  }

  /** Reads everything {@code reader} gives, one char at a time or in blocks of {@code size}. */
  private static String drain(Reader reader, StringBuilder sink, int size) throws IOException {
    char[] buf = new char[size];
    int n;
    while ((n = size == 1 ? single(reader, buf) : reader.read(buf, 0, size)) >= 0) {
      sink.append(buf, 0, n);
    }
    return sink.toString();
  }

  private static int single(Reader reader, char[] buf) throws IOException {
    int c = reader.read();
    if (c < 0) {
      return -1;
    }
    buf[0] = (char) c;
    return 1;
  }

  @Test
  void decodesCharsThatStraddleBufferBoundaries() throws IOException {
    String text = "aé😀İı\r\n".repeat(20_000);
    for (int size : List.of(1, 7, 8192, 100_000)) {
      try (TextInput in = open(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)) {
        assertThat(drain(in.reader(), new StringBuilder(), size)).isEqualTo(text);
        assertThat(in.endReached()).isTrue();
        assertThat(in.failure(1, 1)).isNull();
      }
    }
  }

  @Test
  void replacesUndecodableBytesAndLogsWhereTheyWere() throws IOException {
    byte[] content =
        concat(
            "abc\nd".getBytes(StandardCharsets.UTF_8),
            new byte[] {(byte) 0xE2, (byte) 0x82, 'e', '\n', (byte) 0xFF, '\n', 'f'});
    try (TextInput in = open(content, StandardCharsets.UTF_8)) {
      assertThat(drain(in.reader(), new StringBuilder(), 8192))
          .isEqualTo("abc\nd\uFFFDe\n\uFFFD\nf");
      assertThat(in.failure(1, 1)).isNull();
      assertThat(in.firstMalformed(0, 4)).isNull();
      TextInput.Malformed first = in.firstMalformed(4, 7);
      assertThat(first).isNotNull();
      assertThat(first.charOffset()).isEqualTo(5);
      assertThat(first.byteOffset()).isEqualTo(5);
      assertThat(first.reason()).isEqualTo("bytes 0xE2 0x82 are not valid UTF-8");
      TextInput.Malformed second = in.firstMalformed(8, 9);
      assertThat(second.charOffset()).isEqualTo(8);
      assertThat(second.byteOffset()).isEqualTo(9);
      assertThat(second.reason()).isEqualTo("byte 0xFF is not valid UTF-8");
      assertThat(in.firstMalformed(8, 11)).as("forgotten once asked for").isNull();
    }
  }

  @Test
  void forgetsReplacementsBeforeTheRangeAskedFor() throws IOException {
    byte[] content = {'a', (byte) 0x80, 'b', (byte) 0x80, 'c', (byte) 0x80};
    try (TextInput in = open(content, StandardCharsets.UTF_8)) {
      drain(in.reader(), new StringBuilder(), 16);
      assertThat(in.firstMalformed(4, 6).charOffset()).isEqualTo(5);
      assertThat(in.firstMalformed(0, 6)).isNull();
    }
  }

  @Test
  void foldsTheReplacementsOfOneRecordIntoItsFirst() throws IOException {
    byte[] content = new byte[20];
    java.util.Arrays.fill(content, (byte) 0xFF);
    try (TextInput in = open(content, StandardCharsets.UTF_8)) {
      drain(in.reader(), new StringBuilder(), 64);
      DecodingReader reader = (DecodingReader) in.reader();
      assertThat(reader.loggedMalformed()).isEqualTo(20);
      in.foldMalformed(5, 15);
      assertThat(reader.loggedMalformed()).isEqualTo(11);
      assertThat(in.firstMalformed(0, 5).charOffset()).isZero();
      assertThat(in.firstMalformed(5, 15).charOffset()).isEqualTo(5);
      assertThat(in.firstMalformed(15, 16).charOffset()).isEqualTo(15);
      assertThat(reader.loggedMalformed()).isEqualTo(4);
    }
  }

  @Test
  void logsNothingWhenBadBytesAreToBeReplaced() throws IOException {
    Path file = write(dir, "in", new byte[] {'a', (byte) 0x80, 'b'});
    try (TextInput in = TextInput.open(file, StandardCharsets.UTF_8, MalformedInput.REPLACE)) {
      assertThat(drain(in.reader(), new StringBuilder(), 16)).isEqualTo("a\uFFFDb");
      assertThat(in.firstMalformed(0, 3)).isNull();
    }
  }

  @Test
  void countsTheSkippedByteOrderMarkInOffsets() throws IOException {
    byte[] content = concat(UTF8_BOM, new byte[] {'a', 'b', (byte) 0x80});
    try (TextInput in = open(content, StandardCharsets.UTF_8)) {
      assertThat(drain(in.reader(), new StringBuilder(), 16)).isEqualTo("ab\uFFFD");
      assertThat(in.firstMalformed(0, 3).byteOffset()).isEqualTo(5);
    }
  }

  @Test
  void reportsAnOddByteAtTheEndOfUtf16() throws IOException {
    byte[] content = concat("ok ".getBytes(StandardCharsets.UTF_16BE), new byte[] {0x00});
    try (TextInput in = open(content, StandardCharsets.UTF_16BE)) {
      assertThat(drain(in.reader(), new StringBuilder(), 16)).isEqualTo("ok \uFFFD");
      TextInput.Malformed m = in.firstMalformed(0, 4);
      assertThat(m.byteOffset()).isEqualTo(6);
      assertThat(m.reason()).isEqualTo("byte 0x00 is not valid UTF-16BE (at the end of the input)");
      assertThat(in.failure(1, 1)).as("an undecoded 0x00 byte is not a NUL char").isNull();
    }
  }

  @Test
  void failsAtANulCharAfterHandingOutTheCharsBeforeIt() throws IOException {
    String start = "0123456789\n".repeat(3000);
    byte[] content = (start + "abc\u0000def").getBytes(StandardCharsets.UTF_8);
    try (TextInput in = open(content, StandardCharsets.UTF_8)) {
      StringBuilder sink = new StringBuilder();
      assertThatThrownBy(() -> drain(in.reader(), sink, 8192)).isInstanceOf(IOException.class);
      assertThat(sink).hasToString(start + "abc");
      RecordException e = in.failure(3001, 3001);
      assertThat(e.type()).isEqualTo(ErrorType.FILE_FAILED);
      assertThat(e.recoverable()).isFalse();
      assertThat(e.line()).isEqualTo(3001);
      assertThat(e.recordNumber()).isEqualTo(3001);
      assertThat(e.byteOffset()).isEqualTo(33_003);
      assertThat(e.getMessage())
          .isEqualTo(
              "FILE_FAILED: looks like a binary file (NUL byte at offset 33,003); if it is UTF-16"
                  + " or UTF-32 text without a byte order mark, set the charset (line 3,001, byte"
                  + " 33,003)");
      assertThatThrownBy(() -> in.reader().read()).isInstanceOf(IOException.class);
    }
  }

  @Test
  void failsWhenOpenedIfTheFirstCharsHoldANul() throws IOException {
    byte[] content = "abc\n\u0000def".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> open(content, StandardCharsets.UTF_8))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ErrorType.FILE_FAILED);
              assertThat(e.line()).isEqualTo(-1);
              assertThat(e.byteOffset()).isEqualTo(4);
              assertThat(e.getMessage()).startsWith("FILE_FAILED: looks like a binary file (NUL");
            });
  }

  @Test
  void locatesANulCharInUtf16ByItsBytes() {
    byte[] content =
        concat(
            new byte[] {(byte) 0xFF, (byte) 0xFE}, "ab\u0000c".getBytes(StandardCharsets.UTF_16LE));
    assertThatThrownBy(() -> open(content, StandardCharsets.UTF_16))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.byteOffset()).isEqualTo(6);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "FILE_FAILED: looks like a binary file (NUL byte at offset 6) (byte 6)");
            });
  }

  @Test
  void locatesANulCharInGzipInTheDecompressedData() {
    byte[] gz = gzip("ab,c\n\u0000".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> open(gz, StandardCharsets.UTF_8))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.byteOffset()).isEqualTo(-1);
              assertThat(e.getMessage())
                  .contains("(NUL byte at offset 5 of the decompressed data)");
            });
  }

  @Test
  void failsOnATruncatedGzipHeaderWhenOpened() throws IOException {
    byte[] gz = gzip("a\n".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> open(java.util.Arrays.copyOf(gz, 5), StandardCharsets.UTF_8))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ErrorType.FILE_FAILED);
              assertThat(e.recoverable()).isFalse();
              assertThat(e.getMessage()).isEqualTo("FILE_FAILED: truncated gzip stream");
            });
  }

  @Test
  void namesCorruptGzipDataFoundWhenOpened() {
    byte[] gz = gzip("hello\n".repeat(1000).getBytes(StandardCharsets.UTF_8));
    // The first deflate byte holds the block type in bits 1-2; 3 is reserved.
    gz[10] = (byte) (gz[10] | 0x06);
    assertThatThrownBy(() -> open(gz, StandardCharsets.UTF_8))
        .isInstanceOfSatisfying(
            RecordException.class,
            e -> {
              assertThat(e.type()).isEqualTo(ErrorType.FILE_FAILED);
              assertThat(e.getMessage())
                  .isEqualTo("FILE_FAILED: corrupt gzip data (invalid block type)");
            });
  }

  @Test
  void namesCorruptGzipDataFoundAtTheEnd() throws IOException {
    byte[] gz = gzip("hello\n".repeat(1000).getBytes(StandardCharsets.UTF_8));
    // The trailer's CRC-32 of the data.
    gz[gz.length - 8] ^= 0x01;
    try (TextInput in = open(gz, StandardCharsets.UTF_8)) {
      StringBuilder sink = new StringBuilder();
      assertThatThrownBy(() -> drain(in.reader(), sink, 4096)).isInstanceOf(IOException.class);
      assertThat(sink).hasSize(6000);
      RecordException e = in.failure(1000, 1000);
      assertThat(e.type()).isEqualTo(ErrorType.FILE_FAILED);
      assertThat(e.getMessage())
          .isEqualTo("FILE_FAILED: corrupt gzip data (Corrupt GZIP trailer) (line 1,000)");
    }
  }

  @Test
  void skipsTheUtf8ByteOrderMarkOnlyForUtf8() throws IOException {
    byte[] content = concat(UTF8_BOM, "x".getBytes(StandardCharsets.UTF_8));
    try (TextInput in = open(content, StandardCharsets.UTF_8)) {
      assertThat(drain(in.reader(), new StringBuilder(), 16)).isEqualTo("x");
    }
    try (TextInput in = open(content, StandardCharsets.ISO_8859_1)) {
      assertThat(drain(in.reader(), new StringBuilder(), 16)).isEqualTo("ï»¿x");
    }
  }

  @Test
  void followsTheByteOrderMarkOfUtf16AndUtf32() throws IOException {
    String text = "İ😀x";
    byte[] be16 = concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, text.getBytes("UTF-16BE"));
    byte[] le16 = concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, text.getBytes("UTF-16LE"));
    byte[] le32 = concat(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}, text.getBytes("UTF-32LE"));
    for (Charset cs : List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE)) {
      try (TextInput in = open(be16, cs)) {
        assertThat(drain(in.reader(), new StringBuilder(), 16)).isEqualTo(text);
        assertThat(in.charset()).isEqualTo(StandardCharsets.UTF_16BE);
      }
      try (TextInput in = open(le16, cs)) {
        assertThat(drain(in.reader(), new StringBuilder(), 16)).isEqualTo(text);
        assertThat(in.charset()).isEqualTo(StandardCharsets.UTF_16LE);
      }
    }
    try (TextInput in = open(le32, Charset.forName("UTF-32"))) {
      assertThat(drain(in.reader(), new StringBuilder(), 16)).isEqualTo(text);
    }
    try (TextInput in = open(text.getBytes("UTF-16LE"), StandardCharsets.UTF_16LE)) {
      assertThat(drain(in.reader(), new StringBuilder(), 16)).isEqualTo(text);
    }
  }

  @Test
  void detectsGzipByMagicBytesAndCountsCompressedBytes() throws IOException {
    byte[] gz = gzip("hello\n".repeat(10_000).getBytes(StandardCharsets.UTF_8));
    try (TextInput in = open(gz, StandardCharsets.UTF_8)) {
      assertThat(in.gzip()).isTrue();
      assertThat(drain(in.reader(), new StringBuilder(), 4096)).hasSize(60_000);
      assertThat(in.bytesRead()).isEqualTo(gz.length);
    }
    byte[] almost = {0x1f, (byte) 0x8c, 'a'};
    try (TextInput in = open(almost, StandardCharsets.ISO_8859_1)) {
      assertThat(in.gzip()).isFalse();
      assertThat(in.bytesRead()).isLessThanOrEqualTo(almost.length);
    }
  }

  @Test
  void readsGzipWithAByteOrderMarkInside() throws IOException {
    byte[] gz = gzip(concat(UTF8_BOM, "a".getBytes(StandardCharsets.UTF_8)));
    try (TextInput in = open(gz, StandardCharsets.UTF_8)) {
      assertThat(drain(in.reader(), new StringBuilder(), 16)).isEqualTo("a");
    }
  }

  @Test
  void readsConcatenatedGzipMembers() throws IOException {
    byte[] gz =
        concat(
            gzip("a\n".getBytes(StandardCharsets.UTF_8)),
            gzip("b\n".getBytes(StandardCharsets.UTF_8)));
    try (TextInput in = open(gz, StandardCharsets.UTF_8)) {
      assertThat(drain(in.reader(), new StringBuilder(), 16)).isEqualTo("a\nb\n");
      assertThat(in.bytesRead()).isEqualTo(gz.length);
    }
  }

  @Test
  void closeIsIdempotent() throws IOException {
    TextInput in = open(new byte[] {'a'}, StandardCharsets.UTF_8);
    in.close();
    in.close();
    assertThatThrownBy(() -> in.reader().read()).isInstanceOf(IOException.class);
  }

  @Test
  void ownedByHandsTheOpenInputToWhatItMakes() throws IOException {
    try (TextInput in = open(new byte[] {'a', 'b'}, StandardCharsets.UTF_8)) {
      Reader r = in.ownedBy(TextInput::reader);
      assertThat(r.read()).isEqualTo('a');
    }
  }

  @Test
  void ownedByClosesTheInputAndRethrowsWhenTheOwnerFails() throws IOException {
    TextInput in = open(new byte[] {'a'}, StandardCharsets.UTF_8);
    RecordException bad =
        new RecordException(ErrorType.FILE_FAILED, "bad header", 1, -1, -1, 1, false, null);
    assertThatThrownBy(
            () ->
                in.ownedBy(
                    t -> {
                      throw bad;
                    }))
        .isSameAs(bad);
    assertThatThrownBy(() -> in.reader().read()).isInstanceOf(IOException.class);
    IllegalStateException bug = new IllegalStateException("bug");
    TextInput other = open(new byte[] {'a'}, StandardCharsets.UTF_8);
    assertThatThrownBy(
            () ->
                other.ownedBy(
                    t -> {
                      throw bug;
                    }))
        .isSameAs(bug);
    assertThatThrownBy(() -> other.reader().read()).isInstanceOf(IOException.class);
  }

  @Test
  void readsThroughANonDefaultFileSystem() throws IOException {
    Path zip = dir.resolve("archive.zip");
    URI uri = URI.create("jar:" + zip.toUri());
    try (FileSystem zipfs = FileSystems.newFileSystem(uri, Map.of("create", "true"))) {
      Files.writeString(zipfs.getPath("/data.csv"), "a,b\n1,2\n");
    }
    try (FileSystem zipfs = FileSystems.newFileSystem(uri, Map.of())) {
      Path inside = zipfs.getPath("/data.csv");
      try (RecordReader r = Formats.input(Format.csv()).open(split(inside))) {
        assertThat(readAll(r)).containsExactly(List.of("1", "2"));
      }
    }
  }
}
