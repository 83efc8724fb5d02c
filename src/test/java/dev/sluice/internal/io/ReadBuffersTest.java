package dev.sluice.internal.io;

import static dev.sluice.internal.io.IoFixtures.gzip;
import static dev.sluice.internal.io.IoFixtures.split;
import static dev.sluice.internal.io.IoFixtures.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.Format;
import dev.sluice.api.Format.MalformedInput;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The buffers a reader thread lends to the texts it opens ({@link ReadBuffers}): reading with the
 * thread's kept set, full of another file's bytes, gives exactly what fresh buffers give; every
 * path gives back what it took; two texts open at once never share a buffer.
 */
class ReadBuffersTest {
  private static Path root;

  @TempDir Path dir;

  @BeforeContainer
  static void makeRoot() throws IOException {
    root = Files.createTempDirectory("sluice-readbuffers");
  }

  @AfterContainer
  static void deleteRoot() throws IOException {
    try (var files = Files.list(root)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.delete(p);
      }
    }
    Files.delete(root);
  }

  // ---- equivalence

  /** One input file: its bytes and how it is read. */
  static final class Sample {
    final byte[] bytes;
    final Format format;
    final boolean gzip;

    Sample(byte[] bytes, Format format, boolean gzip) {
      this.bytes = bytes;
      this.format = format;
      this.gzip = gzip;
    }

    @Override
    public String toString() {
      return format.kind()
          + " "
          + format.parser()
          + (gzip ? " gzip " : " ")
          + format.splitSize()
          + " "
          + new String(bytes, 0, Math.min(bytes.length, 200), UTF_8);
    }
  }

  @Provide
  Arbitrary<Sample> samples() {
    Arbitrary<String> piece =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(20, Arbitraries.strings().alpha().numeric().ofMaxLength(8)),
            net.jqwik.api.Tuple.of(
                10,
                Arbitraries.of(",", ",", "\n", "\r\n", "\r", "\"", "\"\"", "é", "€", "𝄞", "\t")),
            // Bad UTF-8 (kept apart from the strings as marker chars, turned into bytes below).
            net.jqwik.api.Tuple.of(1, Arbitraries.of("\u0001BAD\u0001")),
            net.jqwik.api.Tuple.of(1, Arbitraries.of("\u0000")),
            // A record longer than the scanner's buffer: it must be carried over refills.
            net.jqwik.api.Tuple.of(
                1,
                Arbitraries.integers()
                    .between(ReadBuffers.SCAN_CHARS, 2 * ReadBuffers.SCAN_CHARS + 10)
                    .map(n -> "x".repeat(n))));
    Arbitrary<String> text = piece.list().ofMaxSize(60).map(l -> "id,name\n" + String.join("", l));
    Arbitrary<Format> format =
        Combinators.combine(
                Arbitraries.of(Format.csv(), Format.lines(), Format.tsv()),
                Arbitraries.of(Format.Parser.values()),
                Arbitraries.of(MalformedInput.values()),
                Arbitraries.of(Format.DEFAULT_MAX_RECORD_SIZE, 40, 100_000),
                Arbitraries.of(0L, 0L, 64L))
            .as(
                (f, parser, malformed, max, splitSize) -> {
                  Format.Builder b = f.toBuilder().malformedInput(malformed).maxRecordSize(max);
                  if (f.kind() != Format.Kind.LINES) {
                    b.parser(parser);
                  }
                  if (splitSize > 0) {
                    b.splitSize(splitSize);
                  }
                  return b.build();
                });
    return Combinators.combine(
            text, format, Arbitraries.of(true, false), Arbitraries.of(true, false))
        .as(
            (t, f, bom, gz) -> {
              byte[] bytes = bytes(t, bom);
              return new Sample(gz ? gzip(bytes) : bytes, f, gz);
            });
  }

  @Provide
  Arbitrary<List<Sample>> fileSets() {
    return samples().list().ofMinSize(1).ofMaxSize(4);
  }

  private static byte[] bytes(String text, boolean bom) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (bom) {
      out.write(0xEF);
      out.write(0xBB);
      out.write(0xBF);
    }
    for (String part : text.split("\u0001", -1)) {
      if (part.equals("BAD")) {
        out.write(0xC3);
        out.write(0x28);
        out.write(0xFF);
      } else {
        out.writeBytes(part.getBytes(UTF_8));
      }
    }
    return out.toByteArray();
  }

  /**
   * Files read one after another on this thread: once with its kept buffers, filled with junk first
   * (as another file would leave them), once with fresh ones (the kept set held, so that the reads
   * must take fresh ones). Same records, rejects and positions; nothing left lent.
   */
  @Property(tries = 150)
  void keptBuffersShouldReadLikeFreshOnes(@ForAll("fileSets") List<Sample> files)
      throws IOException {
    int before = ReadBuffers.outstanding();
    for (Sample s : files) {
      Path file = root.resolve("f" + System.nanoTime() + (s.gzip ? ".csv.gz" : ".csv"));
      Files.write(file, s.bytes);
      try {
        ReadBuffers.Lease junk = ReadBuffers.acquire();
        assertThat(junk.kept()).isTrue();
        poison(junk.buffers());
        junk.release();
        List<String> kept = outcome(s.format, file);

        ReadBuffers.Lease hold = ReadBuffers.acquire();
        List<String> fresh;
        try {
          fresh = outcome(s.format, file);
        } finally {
          hold.release();
        }
        assertThat(kept).isEqualTo(fresh);
        assertThat(ReadBuffers.outstanding()).isEqualTo(before);
      } finally {
        Files.delete(file);
      }
    }
  }

  private static void poison(ReadBuffers.Buffers b) {
    Arrays.fill(b.input, (byte) '\n');
    Arrays.fill(b.decodeBytes, (byte) 0);
    Arrays.fill(b.decodeChars, '"');
    for (int i = 0; i < b.scanChars.length; i++) {
      b.scanChars[i] = "\r\n\",\u0000x".charAt(i % 6);
    }
  }

  /** What reading every split of {@code file} gives, failures included, as text. */
  private static List<String> outcome(Format format, Path file) throws IOException {
    InputFormatProvider input = Formats.input(format);
    List<String> out = new ArrayList<>();
    List<Split> splits;
    try {
      splits = input.plan(new InputFile(0, file, file.getFileName().toString(), Files.size(file)));
    } catch (RecordException e) {
      out.add("plan failed: " + describe(e));
      return out;
    }
    for (Split split : splits) {
      RecordReader r;
      try {
        r = input.open(split);
      } catch (RecordException e) {
        out.add("open failed: " + describe(e));
        continue;
      }
      try (r) {
        out.add("columns " + r.columns());
        while (true) {
          try {
            if (!r.next()) {
              break;
            }
            out.add(
                r.line()
                    + " "
                    + r.recordNumber()
                    + " "
                    + r.charLength()
                    + " "
                    + Arrays.toString(r.values()));
          } catch (RecordException e) {
            out.add(describe(e) + " raw=" + r.rawText());
            if (!e.recoverable()) {
              break;
            }
          }
        }
        out.add("end " + r.linesRead() + " " + r.bytesRead());
      }
    }
    return out;
  }

  private static String describe(RecordException e) {
    return String.format(
        Locale.ROOT,
        "%s %d %d %d %d %s",
        e.type(),
        e.line(),
        e.recordNumber(),
        e.byteOffset(),
        e.column(),
        e.reason());
  }

  // ---- release on every path

  @Test
  void closingGivesTheBuffersBackOnceAndTheNextTextTakesThemAgain() throws IOException {
    Path file = write(dir, "a.csv", "id\n1\n");
    int before = ReadBuffers.outstanding();
    TextInput a = TextInput.open(file, UTF_8);
    assertThat(a.lease().kept()).isTrue();
    assertThat(ReadBuffers.outstanding()).isEqualTo(before + 1);
    a.close();
    a.close();
    assertThat(ReadBuffers.outstanding()).isEqualTo(before);
    try (TextInput b = TextInput.open(file, UTF_8)) {
      assertThat(b.lease().buffers()).isSameAs(a.lease().buffers());
      assertThat(b.lease().kept()).isTrue();
    }
    assertThat(ReadBuffers.outstanding()).isEqualTo(before);
  }

  @Test
  void twoTextsOpenOnOneThreadGetDistinctBuffers() throws IOException {
    Path file = write(dir, "a.csv", "id\n1\n");
    try (TextInput a = TextInput.open(file, UTF_8);
        TextInput b = TextInput.openRange(file, UTF_8, MalformedInput.REPORT, 0, -1)) {
      assertThat(a.lease().kept()).isTrue();
      assertThat(b.lease().kept()).isFalse();
      ReadBuffers.Buffers x = a.lease().buffers();
      ReadBuffers.Buffers y = b.lease().buffers();
      assertThat(y.input).isNotSameAs(x.input);
      assertThat(y.decodeBytes).isNotSameAs(x.decodeBytes);
      assertThat(y.decodeChars).isNotSameAs(x.decodeChars);
      char[] scanA = TextInput.scanBuffer(a.reader());
      char[] scanB = TextInput.scanBuffer(b.reader());
      assertThat(scanA).isSameAs(x.scanChars);
      assertThat(scanB).isSameAs(y.scanChars).isNotSameAs(scanA);
      assertThat(TextInput.scanBuffer(a.reader()))
          .as("a second scanner over one text gets its own")
          .isNotSameAs(scanA);
    }
  }

  @Test
  void twoReadersReadInTurnsOnOneThreadReadTheirOwnRecords() throws IOException {
    StringBuilder x = new StringBuilder("id,v\n");
    StringBuilder y = new StringBuilder("id,v\n");
    for (int i = 0; i < 20_000; i++) {
      x.append(i).append(",x").append(i).append('\n');
      y.append(i).append(",\"y\n").append(i).append("\"\n");
    }
    Path fx = write(dir, "x.csv", x.toString());
    Path fy = write(dir, "y.csv", y.toString());
    InputFormatProvider csv = Formats.input(Format.csv());
    List<List<String>> alone = new ArrayList<>();
    try (RecordReader rx = csv.open(split(fx))) {
      alone.addAll(IoFixtures.readAll(rx));
    }
    try (RecordReader ry = csv.open(split(fy))) {
      alone.addAll(IoFixtures.readAll(ry));
    }
    List<List<String>> fromX = new ArrayList<>();
    List<List<String>> fromY = new ArrayList<>();
    try (RecordReader rx = csv.open(split(fx));
        RecordReader ry = csv.open(split(fy))) {
      boolean moreX = true;
      boolean moreY = true;
      while (moreX || moreY) {
        if (moreX && (moreX = rx.next())) {
          fromX.add(List.of(rx.values()));
        }
        if (moreY && (moreY = ry.next())) {
          fromY.add(List.of(ry.values()));
        }
      }
    }
    List<List<String>> inTurns = new ArrayList<>(fromX);
    inTurns.addAll(fromY);
    assertThat(inTurns).hasSize(40_000).isEqualTo(alone);
  }

  @Test
  void everyFailureAtOpenGivesTheBuffersBack() throws IOException {
    int before = ReadBuffers.outstanding();
    byte[] binary = {'a', 'b', 0, 1, 2, '\n'};
    Path bin = write(dir, "bin.csv", binary);
    assertThatThrownBy(() -> TextInput.open(bin, UTF_8)).isInstanceOf(RecordException.class);
    assertThat(ReadBuffers.outstanding()).isEqualTo(before);

    byte[] gz = gzip("id\n1\n".getBytes(UTF_8));
    Path broken = write(dir, "broken.csv.gz", Arrays.copyOf(gz, 5));
    assertThatThrownBy(() -> TextInput.open(broken, UTF_8)).isInstanceOf(RecordException.class);
    assertThat(ReadBuffers.outstanding()).isEqualTo(before);

    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("disk gone");
          }
        };
    assertThatThrownBy(() -> TextInput.open(failing, UTF_8, MalformedInput.REPORT))
        .hasMessageContaining("disk gone");
    assertThat(ReadBuffers.outstanding()).isEqualTo(before);

    Path dup = write(dir, "dup.csv", "a,a\n1,2\n");
    for (Format.Parser parser : Format.Parser.values()) {
      Format f = Format.csv().toBuilder().parser(parser).build();
      assertThatThrownBy(() -> Formats.input(f).open(split(dup)))
          .isInstanceOf(RecordException.class);
      assertThat(ReadBuffers.outstanding()).as(parser.toString()).isEqualTo(before);
    }

    Path lines = write(dir, "bin.txt", binary);
    assertThatThrownBy(() -> Formats.input(Format.lines()).open(split(lines)))
        .isInstanceOf(RecordException.class);
    assertThat(ReadBuffers.outstanding()).isEqualTo(before);

    assertThatThrownBy(
            () ->
                TextInput.openRange(
                    dir.resolve("missing.csv"), UTF_8, MalformedInput.REPORT, 0, -1))
        .isInstanceOf(IOException.class);
    assertThat(ReadBuffers.outstanding()).isEqualTo(before);
  }

  @Test
  void failuresWhileReadingGiveTheBuffersBackAtClose() throws IOException {
    int before = ReadBuffers.outstanding();
    StringBuilder s = new StringBuilder("id,v\n");
    for (int i = 0; i < 5_000; i++) {
      s.append(i).append(",v\n");
    }
    byte[] text = s.toString().getBytes(UTF_8);
    byte[] nulLate = IoFixtures.concat(text, new byte[] {'1', 0, '\n'});
    byte[] gz = gzip(text);
    byte[] truncated = Arrays.copyOf(gz, gz.length - 10);
    List<Path> files =
        List.of(write(dir, "nul.csv", nulLate), write(dir, "trunc.csv.gz", truncated));
    for (Format.Parser parser : Format.Parser.values()) {
      for (Path file : files) {
        Format f = Format.csv().toBuilder().parser(parser).build();
        try (RecordReader r = Formats.input(f).open(split(file))) {
          RecordException e = IoFixtures.readUntilFailure(r);
          assertThat(e.recoverable()).isFalse();
          assertThat(ReadBuffers.outstanding()).isEqualTo(before + 1);
        }
        assertThat(ReadBuffers.outstanding()).as(parser + " " + file).isEqualTo(before);
      }
    }
  }
}
