package dev.sluice.io;

import dev.sluice.api.ErrorType;
import static dev.sluice.io.IoFixtures.concat;
import static dev.sluice.io.IoFixtures.gzip;
import static dev.sluice.io.IoFixtures.readAll;
import static dev.sluice.io.IoFixtures.split;
import static dev.sluice.io.IoFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.Format;
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
  void handsOutTheCharsBeforeAnUndecodableByteThenFails() throws IOException {
    byte[] content = concat("abc\ndef".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF});
    try (TextInput in = open(content, StandardCharsets.UTF_8)) {
      StringBuilder sink = new StringBuilder();
      assertThatThrownBy(() -> drain(in.reader(), sink, 8192)).isInstanceOf(IOException.class);
      assertThat(sink).hasToString("abc\ndef");
      RecordException e = in.failure(2, 5);
      assertThat(e).isNotNull();
      assertThat(e.type()).isEqualTo(ErrorType.INVALID_ENCODING);
      assertThat(e.line()).isEqualTo(2);
      assertThat(e.recordNumber()).isEqualTo(5);
      assertThat(e.byteOffset()).isEqualTo(7);
      assertThat(e.getMessage())
          .isEqualTo("INVALID_ENCODING: byte 0xFF is not valid UTF-8 (line 2, byte 7)");
      assertThatThrownBy(() -> in.reader().read()).isInstanceOf(IOException.class);
    }
  }

  @Test
  void countsTheSkippedByteOrderMarkInOffsets() throws IOException {
    byte[] content = concat(UTF8_BOM, new byte[] {'a', 'b', (byte) 0x80});
    try (TextInput in = open(content, StandardCharsets.UTF_8)) {
      StringBuilder sink = new StringBuilder();
      assertThatThrownBy(() -> drain(in.reader(), sink, 16)).isInstanceOf(IOException.class);
      assertThat(sink).hasToString("ab");
      assertThat(in.failure(1, 1).byteOffset()).isEqualTo(5);
    }
  }

  @Test
  void reportsATruncatedSequenceAtTheEnd() throws IOException {
    byte[] content = concat("ok ".getBytes(StandardCharsets.UTF_16BE), new byte[] {0x00});
    try (TextInput in = open(content, StandardCharsets.UTF_16BE)) {
      assertThatThrownBy(() -> drain(in.reader(), new StringBuilder(), 16))
          .isInstanceOf(IOException.class);
      RecordException e = in.failure(1, 1);
      assertThat(e.byteOffset()).isEqualTo(6);
      assertThat(e.getMessage()).contains("byte 0x00 is not valid UTF-16BE (incomplete sequence");
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
            gzip("a\n".getBytes(StandardCharsets.UTF_8)), gzip("b\n".getBytes(StandardCharsets.UTF_8)));
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
