package dev.sluice.internal.io.lines;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.Format;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.internal.io.IoFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lines file read through many small splits gives exactly what the whole-file read gives. */
class LinesSplitTest {
  @TempDir Path dir;

  @Provide
  Arbitrary<byte[]> files() {
    Arbitrary<String> piece =
        Arbitraries.of("a", "bb", "\n", "\r", "\r\n", "é", "😀", "\uFFFF", " ", "xxxxxxxxxxxx", "");
    return piece
        .list()
        .ofMaxSize(80)
        .map(
            l -> {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              out.writeBytes("name\n".getBytes(UTF_8));
              for (String p : l) {
                if (p.equals("\uFFFF")) {
                  out.write(0xC3); // a lead byte without its continuation
                } else {
                  out.writeBytes(p.getBytes(UTF_8));
                }
              }
              return out.toByteArray();
            });
  }

  static List<String> events(LinesInputFormat format, List<Split> splits) throws IOException {
    List<String> out = new ArrayList<>();
    long offset = 0;
    long bytes = 0;
    for (Split s : splits) {
      try (RecordReader r = format.open(s)) {
        while (true) {
          try {
            if (!r.next()) {
              break;
            }
            out.add(
                "R " + (r.line() + offset) + " " + r.columns() + " " + Arrays.toString(r.values()));
          } catch (RecordException e) {
            out.add(
                "E "
                    + e.type()
                    + " "
                    + (e.line() + offset)
                    + " "
                    + e.byteOffset()
                    + " "
                    + e.recoverable()
                    + " "
                    + r.rawText());
            if (!e.recoverable()) {
              return out;
            }
          }
        }
        offset += r.linesRead();
        bytes += r.bytesRead();
      }
    }
    out.add("bytes " + bytes);
    return out;
  }

  @Property(tries = 300)
  void aLinesFileReadInTinySplitsGivesWhatTheWholeFileGives(
      @ForAll("files") byte[] content,
      @ForAll @IntRange(min = 1, max = 60) int splitSize,
      @ForAll boolean header)
      throws IOException {
    // jqwik does not inject @TempDir into properties.
    Path f = Files.createTempFile("sluice-lines-split", ".txt");
    Files.write(f, content);
    InputFile in = new InputFile(0, f, "f.txt", content.length);
    LinesInputFormat lines =
        new LinesInputFormat(Format.lines().toBuilder().header(header).maxRecordSize(10).build());

    List<Split> splits = lines.plan(in, splitSize);

    assertThat(events(lines, splits)).isEqualTo(events(lines, List.of(Split.whole(in))));
    Statistics.collect(splits.size() == 1 ? "1" : splits.size() < 5 ? "2-4" : "5+");
    Files.delete(f);
  }

  @Test
  void aGzipLinesFileIsOneSplitAndAPlainOneIsCutAfterLineBreaks() throws IOException {
    byte[] text = "line\r\n".repeat(1000).getBytes(UTF_8);
    Path gz = IoFixtures.write(dir, "g.txt", IoFixtures.gzip(text));
    Path plain = IoFixtures.write(dir, "p.txt", text);
    LinesInputFormat lines = new LinesInputFormat(Format.lines());

    assertThat(lines.plan(new InputFile(0, gz, "g.txt", Files.size(gz)), 10)).hasSize(1);
    List<Split> splits = lines.plan(new InputFile(0, plain, "p.txt", text.length), 60);
    assertThat(splits).hasSize(100);
    for (Split s : splits.subList(1, splits.size())) {
      assertThat(s.start() % 6).isZero();
    }
  }

  @Test
  void aSplitThatDoesNotEndAtALineBreakFailsTheFile() throws IOException {
    Path f = IoFixtures.write(dir, "w.txt", "one\ntwo\nthree\n");
    InputFile in = new InputFile(0, f, "w.txt", Files.size(f));
    LinesInputFormat lines = new LinesInputFormat(Format.lines());

    List<String> got =
        events(lines, List.of(new Split(in, 0, 2, 0, 6), new Split(in, 1, 2, 6, -1)));

    assertThat(got).hasSize(2);
    assertThat(got.get(0)).isEqualTo("R 1 line [one]");
    assertThat(got.get(1)).startsWith("E FILE_FAILED 2 6 false");
  }
}
