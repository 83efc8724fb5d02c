package dev.sluice.internal.io.csv;

import static dev.sluice.internal.io.IoFixtures.concat;
import static dev.sluice.internal.io.IoFixtures.gzip;
import static dev.sluice.internal.io.IoFixtures.split;
import static dev.sluice.internal.io.IoFixtures.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.Format;
import dev.sluice.api.RunResult;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.internal.io.Formats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The FastCSV reader on the inputs where it hands the file to Commons CSV, on large files, gzip,
 * and through the whole engine; every result is compared with the Commons CSV reader's.
 */
@Timeout(120)
class FastCsvRecordReaderTest {
  private static final Format FAST = Format.csv().toBuilder().parser(Format.Parser.FASTCSV).build();

  @TempDir Path dir;

  /**
   * Reads {@code file} with both parsers and asserts the same transcript; returns what Commons CSV
   * read in the FastCSV reader: "none", "records" (some records) or "file" (the file handed over).
   */
  private static String sameAsCommons(Format format, Path file) throws IOException {
    Format fast = format.toBuilder().parser(Format.Parser.FASTCSV).build();
    Format commons = format.toBuilder().parser(Format.Parser.COMMONS).build();
    List<String> expected = CsvReaderEquivalenceTest.transcript(commons, file);
    assertThat(CsvReaderEquivalenceTest.transcript(fast, file)).isEqualTo(expected);
    try (RecordReader r = Formats.input(fast).open(split(file))) {
      assertThat(r).isInstanceOf(FastCsvRecordReader.class);
      while (true) {
        try {
          if (!r.next()) {
            break;
          }
        } catch (dev.sluice.api.spi.RecordException e) {
          if (!e.recoverable()) {
            break;
          }
        }
      }
      FastCsvRecordReader f = (FastCsvRecordReader) r;
      return f.handedOver() ? "file" : f.recordsByCommons() > 0 ? "records" : "none";
    }
  }

  /**
   * Orders-like records with quoted fields holding delimiters, quotes, CRLF, LF and multibyte text.
   */
  private static String orders(int n, long seed) {
    Random random = new Random(seed);
    String[] notes = {
      "",
      "call before delivery",
      "\"fragile\", handle with care",
      "line one\r\nline two",
      "ünïcødé 日本 \uD83D\uDE00",
      "a \"\"quoted\"\" word",
      "x\ny"
    };
    StringBuilder sb = new StringBuilder("id,name,amount,notes\n");
    for (int i = 1; i <= n; i++) {
      String note = notes[random.nextInt(notes.length)];
      boolean quote = note.contains(",") || note.contains("\"") || note.contains("\n");
      sb.append(i)
          .append(",Name ")
          .append(random.nextInt(1000))
          .append(',')
          .append(random.nextInt(100_000) / 100.0)
          .append(',')
          .append(quote ? "\"" + note.replace("\"", "\"\"") + "\"" : note)
          .append(random.nextInt(10) == 0 ? "\r\n" : "\n");
    }
    return sb.toString();
  }

  @Test
  void shouldReadALargeFileItselfWithTheSameRecordsAsCommons() throws IOException {
    Path file = write(dir, "orders.csv", orders(20_000, 1));
    assertThat(sameAsCommons(Format.csv(), file)).isEqualTo("none");
  }

  @Test
  void shouldReadARecordWithWhitespaceAfterAClosingQuoteWithCommons() throws IOException {
    Path file = write(dir, "in.csv", "a,b\n1,2\n\"x\" ,y\n3,4\n");
    assertThat(sameAsCommons(Format.csv(), file)).isEqualTo("records");
    try (RecordReader r = Formats.input(FAST).open(split(file))) {
      assertThat(r.next()).isTrue();
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("x", "y");
      assertThat(r.line()).isEqualTo(3);
      assertThat(r.recordNumber()).isEqualTo(2);
    }
  }

  @Test
  void shouldReadARecordWithAnLfAfterAQuotedBareCrWithCommons() throws IOException {
    // FastCSV alone reads this as one record "1,2,z" with the quoted field gone.
    Path file = write(dir, "in.csv", "a,b\n1,\"x\ry\"\n2,z\n");
    assertThat(sameAsCommons(Format.csv(), file)).isEqualTo("records");
    try (RecordReader r = Formats.input(FAST).open(split(file))) {
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("1", "x\ry");
      assertThat(r.next()).isTrue();
      assertThat(r.values()).containsExactly("2", "z");
      assertThat(r.line()).isEqualTo(4);
    }
  }

  @Test
  void shouldNotHandOverForABareCrFollowedByAnLfInTheSameField() throws IOException {
    Path file = write(dir, "in.csv", "a,b\n1,\"x\ry\nz\"\n2,\"p\r\"\r3,\"\r\"\"\"\n");
    assertThat(sameAsCommons(Format.csv(), file)).isEqualTo("none");
  }

  @Test
  void shouldReadTheHeaderWithCommonsToo() throws IOException {
    Path file = write(dir, "in.csv", "\"a\"\t,b\n1,2\n");
    assertThat(sameAsCommons(Format.csv(), file)).isEqualTo("records");
  }

  @Test
  void shouldHandOverALongRecordLateInALargeGzipFileWithRejectsBefore() throws IOException {
    String text =
        orders(5_000, 2)
            + "1,2\n"
            + "9,\"junk\"x,1,2\n"
            + orders(5_000, 3).substring("id,name,amount,notes\n".length())
            + "7,\"n\" ,1,\"late\"\n"
            + "8,\""
            + "long ".repeat(10_000)
            + "\" ,1,2\n"
            + orders(100, 4).substring("id,name,amount,notes\n".length());
    Path file = dir.resolve("late.csv.gz");
    Files.write(file, gzip(text.getBytes(UTF_8)));
    // The first record with whitespace after a quote is short, the second too long to be kept.
    assertThat(sameAsCommons(Format.csv(), file)).isEqualTo("file");
  }

  @Test
  void shouldFailOnANulByteAndATruncatedGzipLikeCommons() throws IOException {
    byte[] text = orders(2_000, 9).getBytes(UTF_8);
    byte[] nul = text.clone();
    nul[nul.length / 2] = 0;
    assertThat(sameAsCommons(Format.csv(), write(dir, "nul.csv", nul))).isEqualTo("none");
    byte[] gz = gzip(text);
    Path truncated = dir.resolve("cut.csv.gz");
    Files.write(truncated, java.util.Arrays.copyOf(gz, gz.length / 2));
    assertThat(sameAsCommons(Format.csv(), truncated)).isEqualTo("none");
    List<String> t = CsvReaderEquivalenceTest.transcript(FAST, truncated);
    assertThat(t.get(t.size() - 1)).startsWith("fatal FILE_FAILED");
  }

  @Test
  void shouldSkipOversizeRecordsLikeCommons() throws IOException {
    String big = "x".repeat(300);
    Path file =
        write(dir, "in.csv", "a,b\n1," + big + "\n2,\"" + big + "\r\n" + big + "\"\n3,ok\n");
    Format limited = Format.csv().toBuilder().maxRecordSize(100).build();
    assertThat(sameAsCommons(limited, file)).isEqualTo("none");
    try (RecordReader r =
        Formats.input(limited.toBuilder().parser(Format.Parser.FASTCSV).build())
            .open(split(file))) {
      assertThat(CsvReaderEquivalenceTest.transcript(limited, file)).hasSize(5);
      while (true) {
        try {
          if (!r.next()) {
            break;
          }
        } catch (dev.sluice.api.spi.RecordException e) {
          assertThat(e.type()).isEqualTo(dev.sluice.api.ErrorType.RECORD_TOO_LARGE);
        }
      }
      assertThat(((FastCsvRecordReader) r).peakRecordChars()).isLessThanOrEqualTo(100);
    }
  }

  @Test
  void shouldGiveTheSameOutputAndRejectsThroughTheEngine() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("clean.csv"), orders(3_000, 5));
    Files.writeString(
        in.resolve("bad.csv"),
        orders(500, 6)
            + "1,2\n\"q\"x,1,2,3\n"
            + orders(500, 7).substring("id,name,amount,notes\n".length())
            + "5,\"w\" ,1,2\n3,4,5,6\n");
    byte[] bad = "1,n\u0001,2,3\n".getBytes(UTF_8);
    bad[4] = (byte) 0xC3;
    Files.write(in.resolve("bytes.csv"), concat(orders(200, 8).getBytes(UTF_8), bad));

    RunResult commons = run(in, dir.resolve("commons"), Format.csv());
    RunResult fast = run(in, dir.resolve("fast"), FAST);

    assertThat(fast.recordsRead()).isEqualTo(commons.recordsRead());
    assertThat(fast.recordsPassed()).isEqualTo(commons.recordsPassed());
    assertThat(fast.recordsRejected()).isEqualTo(commons.recordsRejected()).isEqualTo(3);
    assertThat(files(dir.resolve("fast"))).isEqualTo(files(dir.resolve("commons")));
    for (Path p : files(dir.resolve("commons"))) {
      assertThat(dir.resolve("fast").resolve(p))
          .as(p.toString())
          .hasSameBinaryContentAs(dir.resolve("commons").resolve(p));
    }
  }

  private static RunResult run(Path in, Path out, Format format) {
    return Sluice.builder()
        .input(in)
        .output(out)
        .inputFormat(format)
        .onError(ErrorPolicy.SKIP)
        .threads(2, 2, 2)
        .batchSize(7)
        .run();
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
    }
  }

  /**
   * Issue 14: FastCSV hands a file it cannot read alone over to Commons CSV, which reads it again
   * from the start; that second read stops at the file's listed size too.
   */
  @Test
  void shouldStopTheHandedOverReadAtTheListedSizeOfAFileThatGrew() throws IOException {
    StringBuilder sb = new StringBuilder("id,note\n1,a\n2,\"" + "long ".repeat(10_000) + "\" \n");
    for (int i = 3; i <= 100; i++) {
      sb.append(i).append(",note ").append(i).append('\n');
    }
    Path file = write(dir, "in.csv", sb.toString());
    dev.sluice.api.spi.InputFile listed =
        new dev.sluice.api.spi.InputFile(0, file, "in.csv", Files.size(file));
    Files.writeString(
        file, "101,appended\n102,appended\n", java.nio.file.StandardOpenOption.APPEND);

    try (RecordReader r = Formats.input(FAST).open(dev.sluice.api.spi.Split.whole(listed))) {
      List<String> ids = new java.util.ArrayList<>();
      while (r.next()) {
        ids.add(r.values()[0]);
      }
      assertThat(((FastCsvRecordReader) r).handedOver()).isTrue();
      assertThat(ids).hasSize(100).endsWith("99", "100");
      assertThat(r.grewWhileRead()).isTrue();
      assertThat(r.bytesRead()).isEqualTo(listed.size());
    }
  }
}
